import { Duration, aws_cloudwatch as cw, aws_cloudwatch_actions as actions, aws_lambda as lambda, aws_sns as sns, aws_sqs as sqs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { INGESTION_METRICS as M } from '../shared-names';
import type { CooperativeMonitoringPlan, MonitoringPlan } from '../plan/types';

/** Properties of {@link IngestionAlarms}. */
export interface IngestionAlarmsProps {
  readonly cooperativeId: string;
  /** Handler of raw-zone objects (asynchronous, with a dead-letter queue). */
  readonly objectHandler: lambda.Function;
  /** Handler of the push API. */
  readonly apiHandler: lambda.Function;
  readonly deadLetterQueue: sqs.IQueue;
  /** Names and per-dataset thresholds of this cooperative's alarms. */
  readonly monitoring: CooperativeMonitoringPlan;
  /** The platform's default thresholds. */
  readonly thresholds: MonitoringPlan;
  /** Topics every alarm notifies, on ALARM and on OK: the cooperative's and the platform's. */
  readonly topics: readonly sns.ITopic[];
}

/** Kinds of alarms, as their names end (`<prefix>-<kind>`, per dataset `<prefix>-<dataset>-<kind>`). */
export const ALARM_KINDS = {
  errors: 'errors',
  throttles: 'throttles',
  duration: 'duration',
  deadLetters: 'dead-letters',
  quarantine: 'quarantine',
  noData: 'no-data',
} as const;

/**
 * The alarms of one cooperative's ingestion: per function errors, throttles and duration near
 * its timeout; dead letters waiting; per dataset the share of rows quarantined and, where the
 * dataset declares `expectedEvery`, no data for that long. Only alarms that can fire: each
 * watches a metric of a resource of this stack or of the EMF lines its handler writes per
 * dataset (docs/operations.md says what each means and what to do).
 */
export class IngestionAlarms extends Construct {
  /** Every alarm, by construct id. */
  readonly alarms: ReadonlyMap<string, cw.Alarm>;

  constructor(scope: Construct, id: string, props: IngestionAlarmsProps) {
    super(scope, id);
    const t = props.thresholds;
    const period = Duration.seconds(t.periodSeconds);
    const prefix = props.monitoring.alarmPrefix;
    const alarms = new Map<string, cw.Alarm>();
    const add = (cid: string, name: string, description: string, options: Omit<cw.AlarmProps, 'alarmName' | 'alarmDescription'>) => {
      const alarm = new cw.Alarm(this, cid, { ...options, alarmName: `${prefix}-${name}`, alarmDescription: description });
      for (const topic of props.topics) {
        alarm.addAlarmAction(new actions.SnsAction(topic));
        alarm.addOkAction(new actions.SnsAction(topic));
      }
      alarms.set(cid, alarm);
    };
    const notBreaching = { evaluationPeriods: 1, treatMissingData: cw.TreatMissingData.NOT_BREACHING };

    for (const [cid, name, fn] of [['ObjectHandler', 'object', props.objectHandler], ['ApiHandler', 'api', props.apiHandler]] as const) {
      const what = name === 'object' ? 'object handler' : 'push API handler';
      add(`${cid}Errors`, `${name}-${ALARM_KINDS.errors}`, `${props.cooperativeId}: the ${what} failed ${t.errors}+ times in ${t.periodSeconds / 60} min (docs/operations.md#errors)`, {
        metric: fn.metricErrors({ period, statistic: cw.Stats.SUM }),
        threshold: t.errors,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        ...notBreaching,
      });
      add(`${cid}Throttles`, `${name}-${ALARM_KINDS.throttles}`, `${props.cooperativeId}: the ${what} was throttled ${t.throttles}+ times in ${t.periodSeconds / 60} min (docs/operations.md#throttles)`, {
        metric: fn.metricThrottles({ period, statistic: cw.Stats.SUM }),
        threshold: t.throttles,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        ...notBreaching,
      });
      const timeoutMs = (fn.timeout ?? Duration.seconds(3)).toMilliseconds();
      add(`${cid}Duration`, `${name}-${ALARM_KINDS.duration}`, `${props.cooperativeId}: a run of the ${what} took over ${Math.round(t.durationOfTimeout * 100)} % of its ${timeoutMs / 1000} s timeout (docs/operations.md#duration)`, {
        metric: fn.metricDuration({ period, statistic: cw.Stats.MAXIMUM }),
        threshold: Math.floor(timeoutMs * t.durationOfTimeout),
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        ...notBreaching,
      });
    }
    add('DeadLetters', ALARM_KINDS.deadLetters, `${props.cooperativeId}: objects failed every retry and wait in the dead-letter queue (docs/operations.md#dead-letters)`, {
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: cw.Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      ...notBreaching,
    });

    for (const d of props.monitoring.datasets) {
      const dimensionsMap = { [M.dimensions.cooperative]: props.cooperativeId, [M.dimensions.dataset]: d.dataset };
      const rows = (metricName: string, statistic: string, p: Duration) => new cw.Metric({ namespace: M.namespace, metricName, dimensionsMap, statistic, period: p });
      // Dataset names are stable keys (renaming one is a new dataset), so they may name constructs.
      add(`Quarantine-${d.dataset}`, `${d.dataset}-${ALARM_KINDS.quarantine}`, `${props.cooperativeId}/${d.dataset}: over ${d.quarantineRatio * 100} % of the rows ingested in ${t.periodSeconds / 60} min went to quarantine (docs/operations.md#quarantine)`, {
        metric: new cw.MathExpression({
          expression: 'IF(rowsIn > 0, quarantined / rowsIn, 0)',
          usingMetrics: { rowsIn: rows(M.rowsIn, cw.Stats.SUM, period), quarantined: rows(M.rowsQuarantined, cw.Stats.SUM, period) },
          period,
          label: 'share of rows quarantined',
        }),
        threshold: d.quarantineRatio,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        ...notBreaching,
      });
      if (d.expectedEverySeconds === undefined) continue;
      // CloudWatch evaluates at most one day with periods under an hour, seven days with
      // longer ones: up to a day, one period of the whole silence; beyond, one-day periods.
      const day = 86400;
      const periodSeconds = Math.min(d.expectedEverySeconds, day);
      const periods = d.expectedEverySeconds / periodSeconds;
      add(`NoData-${d.dataset}`, `${d.dataset}-${ALARM_KINDS.noData}`, `${props.cooperativeId}/${d.dataset}: no file ingested for ${d.expectedEverySeconds / 3600} h, longer than the dataset's expectedEvery (docs/operations.md#no-data)`, {
        // Sample count of RowsIn = objects processed; no line at all is missing data, which breaches.
        metric: rows(M.rowsIn, cw.Stats.SAMPLE_COUNT, Duration.seconds(periodSeconds)),
        threshold: 1,
        comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        treatMissingData: cw.TreatMissingData.BREACHING,
      });
    }
    this.alarms = alarms;
  }
}
