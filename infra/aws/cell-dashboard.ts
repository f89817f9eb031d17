import { Duration, aws_cloudwatch as cw } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { INGESTION_METRICS as M } from '../shared-names';

/** Properties of a {@link CellDashboard}. */
export interface CellDashboardProps {
  /** Physical name: operators open it by name. */
  readonly dashboardName: string;
  /** What the account holds, for the header: a cell id, or the data-lake account. */
  readonly title: string;
  /** Cooperatives of the account, for the header. */
  readonly cooperatives: readonly string[];
  /** A term in every ingestion function's and queue's name: the cooperative stacks' name prefix. */
  readonly resourceTerm: string;
  /** Period of the graphs. @default 5 minutes */
  readonly period?: Duration;
}

/** Graphs show at most this many series (the largest by the graph's statistic). */
export const DASHBOARD_TOP_SERIES = 10;

/**
 * One dashboard per account holding cooperatives. Graphs are search expressions over the
 * account's metrics (the largest series first), not one widget per cooperative: the
 * dashboard stays the same size from one cooperative to 125, and adding a cooperative does
 * not change it (nor the monitoring stack's template).
 */
export class CellDashboard extends Construct {
  readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: CellDashboardProps) {
    super(scope, id);
    const period = props.period ?? Duration.minutes(5);
    const s = period.toSeconds();
    const top = (search: string, stat: string, label: string) =>
      new cw.MathExpression({ expression: `SORT(SEARCH('${search}', '${stat}', ${s}), ${stat.toUpperCase()}, DESC, ${DASHBOARD_TOP_SERIES})`, label, period });
    const lambdaMetric = (name: string, stat: string) => top(`{AWS/Lambda,FunctionName} MetricName="${name}" ${props.resourceTerm}`, stat, name);
    const ingestion = (dims: string, name: string) => top(`{${M.namespace},${dims}} MetricName="${name}"`, 'Sum', name);
    const graph = (title: string, metrics: cw.IMetric[]) => new cw.GraphWidget({ title, left: metrics, width: 12, height: 6 });
    this.dashboard = new cw.Dashboard(this, 'Resource', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new cw.TextWidget({
            markdown: `# coop-idc: ${props.title}\n${props.cooperatives.length} cooperatives. Alarms: docs/operations.md (운영 문서). Top ${DASHBOARD_TOP_SERIES} series per graph.`,
            width: 24,
            height: 2,
          }),
        ],
        [graph('Ingestion errors (functions)', [lambdaMetric('Errors', 'Sum')]), graph('Throttles (functions)', [lambdaMetric('Throttles', 'Sum')])],
        [graph('Longest run, ms (functions)', [lambdaMetric('Duration', 'Maximum')]), graph('Dead letters waiting', [top(`{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" ${props.resourceTerm}`, 'Maximum', 'dead letters')])],
        [graph('Rows in, by cooperative and dataset', [ingestion(`${M.dimensions.cooperative},${M.dimensions.dataset}`, M.rowsIn)]), graph('Rows quarantined, by cooperative and dataset', [ingestion(`${M.dimensions.cooperative},${M.dimensions.dataset}`, M.rowsQuarantined)])],
        [graph('Objects rejected whole, by cooperative', [ingestion(M.dimensions.cooperative, M.objectsRejected)])],
      ],
    });
  }
}
