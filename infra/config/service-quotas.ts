/**
 * The AWS service quotas coop-idc's design touches: data, in the core, because
 * `config/platform.yaml` may record an approved increase of an adjustable one (validated
 * against this list) and the `ServiceQuotas` check (infra/checks/aws/service-quotas.ts)
 * evaluates every one over the synthesized templates. Values are AWS's defaults as its pages
 * give them (2026); each entry names its page.
 */

/**
 * What a quota counts over: every stack of one account (IAM is global), every stack of one
 * account and Region, or one resource (a policy document's size, a bucket's rules).
 */
export type QuotaScope = 'account' | 'region' | 'resource';

/** One AWS service quota of the model. */
export interface ServiceQuota {
  /** Stable id, used in rule ids (`SQ-<id>`) and in `platform.yaml`'s raised quotas. */
  readonly id: string;
  readonly service: string;
  /** The quota's name as the AWS page gives it. */
  readonly name: string;
  /** Korean name, for the report. */
  readonly nameKo: string;
  readonly scope: QuotaScope;
  /** The default value. */
  readonly value: number;
  /** Unit of the count, e.g. `roles`, `characters`. */
  readonly unit: string;
  /** Whether AWS raises it on request (Service Quotas or a support case). */
  readonly adjustable: boolean;
  /** The AWS page the value comes from. */
  readonly source: string;
  /** How to get under it. */
  readonly fix: string;
}

const IAM_QUOTAS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html';
const APIGW_QUOTAS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html';
const HTTP_API_QUOTAS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html';
const LAMBDA_QUOTAS = 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html';
const CFN_QUOTAS = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html';
const S3_BUCKET_QUOTAS = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html';
const S3_LIFECYCLE = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html';
const S3_BUCKET_POLICY = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html';
const KMS_QUOTAS = 'https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html';
const GLUE_QUOTAS = 'https://docs.aws.amazon.com/general/latest/gr/glue.html';
const ATHENA_QUOTAS = 'https://docs.aws.amazon.com/athena/latest/ug/service-limits.html';
const SNS_FEATURES = 'https://aws.amazon.com/sns/features/';
const CLOUDWATCH_QUOTAS = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html';
const SCHEDULER_QUOTAS = 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html';

const ADD_CELL = 'Place some cooperatives in another cell account (`cell:` in their files), or add a cell to config/platform.yaml.';

/**
 * The model. Lake Formation is not in it: its quotas page lists LF-Tag and data-filter
 * quotas, and this design grants by named table, using neither. Nor are CloudWatch alarms:
 * the CloudWatch quotas page states no limit on the number of alarms per account.
 */
export const SERVICE_QUOTAS: readonly ServiceQuota[] = [
  { id: 'iam-roles', service: 'IAM', name: 'Roles in an AWS account', nameKo: '계정당 IAM 역할 수', scope: 'account', value: 1000, unit: 'roles', adjustable: true, source: IAM_QUOTAS, fix: ADD_CELL },
  { id: 'iam-managed-policies', service: 'IAM', name: 'Customer managed policies in an AWS account', nameKo: '계정당 고객 관리형 정책 수', scope: 'account', value: 1500, unit: 'policies', adjustable: true, source: IAM_QUOTAS, fix: ADD_CELL },
  { id: 'iam-inline-policy-size', service: 'IAM', name: 'Role policy size (all inline policies of a role)', nameKo: '역할의 인라인 정책 크기 합계', scope: 'resource', value: 10240, unit: 'characters', adjustable: false, source: IAM_QUOTAS, fix: 'Narrow the role\'s statements (fewer per-table resources: let Lake Formation grants carry the table scope), or move statements into managed policies under their own size quota.' },
  { id: 'iam-managed-policy-size', service: 'IAM', name: 'Managed policy size', nameKo: '관리형 정책 크기', scope: 'resource', value: 6144, unit: 'characters', adjustable: false, source: IAM_QUOTAS, fix: 'Split the managed policy, or narrow its statements.' },
  { id: 'iam-trust-policy-size', service: 'IAM', name: 'Role trust policy length', nameKo: '역할 신뢰 정책 길이', scope: 'resource', value: 2048, unit: 'characters', adjustable: true, source: IAM_QUOTAS, fix: 'Trust fewer principals per role (one role per caller), or record an approved increase in config/platform.yaml.' },
  { id: 'iam-managed-policies-per-role', service: 'IAM', name: 'Managed policies attached to an IAM role', nameKo: '역할당 연결된 관리형 정책 수', scope: 'resource', value: 10, unit: 'policies', adjustable: true, source: IAM_QUOTAS, fix: 'Merge managed policies of the role, or record an approved increase in config/platform.yaml.' },
  { id: 'apigateway-regional-apis', service: 'API Gateway', name: 'Regional APIs per Region (all API types)', nameKo: '리전당 리전 API 수', scope: 'region', value: 600, unit: 'APIs', adjustable: false, source: APIGW_QUOTAS, fix: `Serve several cooperatives from one API (routes by cooperative). ${ADD_CELL}` },
  { id: 'apigateway-http-routes', service: 'API Gateway', name: 'Routes per HTTP API', nameKo: 'HTTP API당 라우트 수', scope: 'resource', value: 300, unit: 'routes', adjustable: true, source: HTTP_API_QUOTAS, fix: 'Use fewer routes per API (a path parameter per dataset), or record an approved increase in config/platform.yaml.' },
  { id: 'lambda-concurrency', service: 'Lambda', name: 'Concurrent executions (every function of the account and Region, each able to run at least once)', nameKo: '동시 실행 수 (함수마다 최소 1개)', scope: 'region', value: 1000, unit: 'concurrent executions', adjustable: true, source: LAMBDA_QUOTAS, fix: `${ADD_CELL} Or record an approved increase in config/platform.yaml.` },
  { id: 'lambda-code-storage', service: 'Lambda', name: 'Function and layer storage', nameKo: '함수 및 레이어 저장 용량', scope: 'region', value: 75_000_000_000, unit: 'bytes', adjustable: true, source: LAMBDA_QUOTAS, fix: `Share one bundle across functions, or shrink the bundles. ${ADD_CELL}` },
  { id: 'cloudformation-stacks', service: 'CloudFormation', name: 'Stacks per account and Region', nameKo: '계정·리전당 스택 수', scope: 'region', value: 2000, unit: 'stacks', adjustable: true, source: CFN_QUOTAS, fix: ADD_CELL },
  { id: 's3-buckets', service: 'S3', name: 'General purpose buckets per account', nameKo: '계정당 범용 버킷 수', scope: 'account', value: 10000, unit: 'buckets', adjustable: true, source: S3_BUCKET_QUOTAS, fix: ADD_CELL },
  { id: 's3-lifecycle-rules', service: 'S3', name: 'Lifecycle configuration rules per bucket', nameKo: '버킷당 수명 주기 규칙 수', scope: 'resource', value: 1000, unit: 'rules', adjustable: false, source: S3_LIFECYCLE, fix: 'Group the rules (one per retention period, not one per table), or spread the tables over several buckets.' },
  { id: 's3-bucket-policy-size', service: 'S3', name: 'Bucket policy size', nameKo: '버킷 정책 크기', scope: 'resource', value: 20480, unit: 'bytes', adjustable: false, source: S3_BUCKET_POLICY, fix: 'Name fewer principals in the bucket policy (grant through roles), or spread the data over several buckets.' },
  { id: 'kms-key-policy-size', service: 'KMS', name: 'Key policy document size', nameKo: 'KMS 키 정책 크기', scope: 'resource', value: 32768, unit: 'bytes', adjustable: false, source: KMS_QUOTAS, fix: 'Name fewer principals in the key policy (grant through roles or grants), or use one key per group of principals.' },
  { id: 'kms-keys', service: 'KMS', name: 'AWS KMS keys per account and Region', nameKo: '계정·리전당 KMS 키 수', scope: 'region', value: 100000, unit: 'keys', adjustable: true, source: KMS_QUOTAS, fix: ADD_CELL },
  { id: 'glue-databases', service: 'Glue', name: 'Databases per account', nameKo: '계정당 Glue 데이터베이스 수', scope: 'region', value: 10000, unit: 'databases', adjustable: true, source: GLUE_QUOTAS, fix: ADD_CELL },
  { id: 'glue-tables', service: 'Glue', name: 'Tables per account', nameKo: '계정당 Glue 테이블 수', scope: 'region', value: 1_000_000, unit: 'tables', adjustable: true, source: GLUE_QUOTAS, fix: ADD_CELL },
  { id: 'sns-topics', service: 'SNS', name: 'Standard topics per account', nameKo: '계정당 표준 SNS 주제 수', scope: 'region', value: 100_000, unit: 'topics', adjustable: true, source: SNS_FEATURES, fix: ADD_CELL },
  { id: 'cloudwatch-alarm-actions', service: 'CloudWatch', name: 'Actions per alarm (per state)', nameKo: '경보(상태)당 작업 수', scope: 'resource', value: 5, unit: 'actions', adjustable: false, source: CLOUDWATCH_QUOTAS, fix: 'Notify fewer topics from one alarm: fan out from one topic with SNS subscriptions instead.' },
  // Value as the page gave it when written; not re-read from here (no network): unverified.
  { id: 'scheduler-schedules', service: 'EventBridge Scheduler', name: 'Schedules per account and Region', nameKo: '계정·리전당 EventBridge Scheduler 일정 수', scope: 'region', value: 1_000_000, unit: 'schedules', adjustable: true, source: SCHEDULER_QUOTAS, fix: ADD_CELL },
  { id: 'athena-workgroups', service: 'Athena', name: 'Workgroups per account', nameKo: '계정당 Athena 작업 그룹 수', scope: 'region', value: 1000, unit: 'workgroups', adjustable: true, source: ATHENA_QUOTAS, fix: ADD_CELL },
];

/** An increase AWS approved for one account, recorded in `platform.yaml`. */
export interface RaisedQuota {
  /** {@link ServiceQuota.id}; only adjustable quotas can be raised. */
  readonly quota: string;
  readonly account: string;
  /** The approved value. */
  readonly value: number;
  /** The support case or Service Quotas request that approved it. */
  readonly case: string;
}

/** Ids of the quotas AWS raises on request: the only ones `platform.yaml` may record an increase of. */
export const ADJUSTABLE_QUOTA_IDS = SERVICE_QUOTAS.filter((q) => q.adjustable).map((q) => q.id);
