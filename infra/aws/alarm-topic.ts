import { ArnFormat, Stack, aws_iam as iam, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Properties of an {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /** Physical name, from the plan: operators subscribe to it by name, outside git. */
  readonly topicName: string;
  /** The key encrypting its messages; its policy is given a statement for CloudWatch alarms. */
  readonly key: kms.IKey;
  /**
   * Names of the alarms that may publish to it (`kbiz-prod-x-*`), in this account.
   * @default - every alarm of this account
   */
  readonly alarmNamePattern?: string;
}

/** What CloudWatch alarms need of an encrypted topic's key (AWS re:Post, "cloudwatch-configure-alarm-sns"). */
export const ALARM_TOPIC_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'] as const;

/**
 * An SNS topic CloudWatch alarms notify: encrypted with a customer-managed key (alarms
 * cannot publish to a topic under the AWS-managed `aws/sns` key, whose policy cannot admit
 * them), TLS-only, and publishable only by alarms of this account whose names match. The
 * key admits CloudWatch only for this topic, by SNS's encryption context. Subscriptions are
 * made outside git (operators' addresses are not configuration).
 */
export class AlarmTopic extends Construct {
  /** The topic. */
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.topic = new sns.Topic(this, 'Resource', { topicName: props.topicName, masterKey: props.key, enforceSSL: true });
    const cloudwatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const alarms = stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: props.alarmNamePattern ?? '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PublishByAlarmsOfThisAccount',
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': alarms } },
      }),
    );
    // The topic's ARN from its name, not a reference: the topic already refers to the key.
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToAlarmTopic',
        principals: [cloudwatch],
        actions: [...ALARM_TOPIC_KEY_ACTIONS],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': stack.formatArn({ service: 'sns', resource: props.topicName }) } },
      }),
    );
  }
}
