import { RemovalPolicy, Stack, Tags, aws_kms as kms, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlarmTopic, CellDashboard, PLATFORM_OWNER, TAG, adminOnlyKeyPolicy } from '../../infra/aws';
import { awsCooperativeStack } from '../../infra/plan/names';
import type { CellPlan, TenancyPlan } from '../../infra';

/** Properties of a {@link MonitoringStack}. */
export interface MonitoringStackProps extends StackProps {
  /** The platform part of the account's slice of the plan (`selectMembers` with no cooperative). */
  readonly plan: TenancyPlan;
  /** The ids of the account's cooperatives, for the dashboard. */
  readonly cooperatives: readonly string[];
  /** The cell; absent: the cooperatives without a cell, in the data-lake account. */
  readonly cell?: CellPlan;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * What the platform team watches in one account holding cooperatives: the platform
 * operations topic every cooperative alarm of the account also notifies (one per account:
 * alarm actions publish to a topic of their own account, and an encrypted topic of another
 * account would need that account's key policy to admit every cell), its key, and the
 * account's dashboard. Cooperative stacks are deployed after it and name the topic by the
 * name the plan derives, never by an export.
 */
export class MonitoringStack extends Stack {
  readonly key: kms.Key;
  readonly topic: AlarmTopic;
  readonly dashboard: CellDashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { plan, cell } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.key = new kms.Key(this, 'Key', {
      description: `coop-idc platform alarm topic of ${cell ? `cell ${cell.id}` : 'the data-lake account'}`,
      enableKeyRotation: true,
      policy: adminOnlyKeyPolicy(),
      removalPolicy,
    });
    this.topic = new AlarmTopic(this, 'PlatformAlarmTopic', { topicName: plan.platform.monitoring.platformAlarmTopic, key: this.key });
    this.dashboard = new CellDashboard(this, 'Dashboard', {
      dashboardName: id,
      title: cell ? `cell ${cell.id} (${cell.account})` : `data-lake account ${plan.platform.account}`,
      cooperatives: props.cooperatives,
      // Function and queue names start with their stack's name; search terms are alphanumeric words.
      resourceTerm: awsCooperativeStack('').split('-')[0],
    });
    Tags.of(this).add(TAG.cooperative, PLATFORM_OWNER);
    Tags.of(this).add(TAG.costCenter, PLATFORM_OWNER);
  }
}
