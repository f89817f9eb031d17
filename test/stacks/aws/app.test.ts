import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template, Match } from 'aws-cdk-lib/assertions';
import type { CheckFinding, TenancyPlan } from '../../../infra';
import { DATASET_PARAMETER } from '../../../infra/aws';
import { buildAwsApp, cellZoneStackId, sharedCatalogStackId, synthAwsApp, type AwsApp } from '../../../stacks/aws/aws-app';
import { compileAt, sampleSources } from '../../support/config';

/** A handler directory as the ingestion helper will ship it: index.js exporting handler. */
function handlerDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coopidc-handler-'));
  writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => ({ statusCode: 202 });\n');
  return dir;
}

let plan: TenancyPlan;
let aws: AwsApp;
let findings: readonly CheckFinding[];
let machinery: Template;
let platform: Template;

beforeAll(() => {
  plan = compileAt(sampleSources()).plan!;
  const dir = handlerDir();
  aws = buildAwsApp(plan, {
    outdir: mkdtempSync(join(tmpdir(), 'coopidc-cdk-')),
    builtinValidation: false,
    ingestion: { objectHandlerCodeDir: dir, apiHandlerCodeDir: dir, statsHandlerCodeDir: dir },
  });
  findings = synthAwsApp(aws, plan).findings;
  machinery = Template.fromStack(aws.cooperatives.get('korea-machinery')!);
  platform = Template.fromStack(aws.platform);
});

const coop = () => plan.cooperatives.find((c) => c.id === 'korea-machinery')!;
const sharedCatalog = () => Template.fromStack(aws.sharedCatalogs.get(sharedCatalogStackId('cell-02', 'korea-machinery'))!);

describe('compliance', () => {
  test('has no failed check and records passes', () => {
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
    expect(findings.filter((f) => f.status === 'pass').length).toBeGreaterThan(100);
  });
  test('every acknowledgement carries a reason of substance', () => {
    const acks = findings.filter((f) => f.status === 'acknowledged');
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) expect((a.reason ?? '').length).toBeGreaterThan(60);
  });
  test('KoreaLaw rules ran and passed with their legal controls', () => {
    const korea = findings.filter((f) => f.pack === 'KoreaLaw');
    expect(new Set(korea.map((f) => f.rule.replace(/\[.*\]$/, '')))).toEqual(
      new Set(['KoreaLaw-OwnCooperativeKey', 'KoreaLaw-LogRetention', 'KoreaLaw-AuditObjectLock', 'KoreaLaw-NoWildcardDataResource']),
    );
    expect(korea.find((f) => f.rule === 'KoreaLaw-OwnCooperativeKey')!.controls).toContain('PIPA art. 29');
  });
  test('findings name the cooperative of cooperative stacks only', () => {
    expect(findings.find((f) => f.stack === 'CoopIdc-Coop-korea-food')!.cooperative).toBe('korea-food');
    expect(findings.find((f) => f.stack === 'CoopIdc-Platform')!.cooperative).toBeUndefined();
  });
});

describe('CooperativeStack defaults', () => {
  test('pins the logical ids of stateful resources', () => {
    const ids = (type: string) => Object.keys(machinery.findResources(type)).sort();
    expect(ids('AWS::S3::Bucket')).toEqual(['CuratedZoneF586D5DB', 'QuarantineZone94411592', 'RawZoneA7E2C7F3']);
    expect(ids('AWS::KMS::Key')).toEqual(['Key961B73FD']);
    expect(ids('AWS::Glue::Database')).toEqual(['Database']);
    // In a cell the statistics tables, like the shared tables, live in the data-lake account.
    expect(ids('AWS::Glue::Table')).toEqual(['TablemaintenanceeventsEE88930D', 'TablespindletelemetryC5C42D85']);
    expect(Object.keys(sharedCatalog().findResources('AWS::Glue::Table')).filter((i) => i.startsWith('AggregateTablekoreamachinery'))).toEqual(['AggregateTablekoreamachinerymaintenanceeventsibkbank58D9DA02']);
  });
  test('encrypts each zone with the cooperative key and locks it down', () => {
    for (const [zone, name] of Object.entries(coop().cloud.buckets)) {
      machinery.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          BucketName: name,
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] } } }] },
          VersioningConfiguration: { Status: 'Enabled' },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          LoggingConfiguration: { DestinationBucketName: plan.platform.audit.accessLogBucket, LogFilePrefix: `korea-machinery/${zone}/` },
        }),
      });
    }
  });
  test('expires each dataset prefix after its retention', () => {
    machinery.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: coop().cloud.buckets.raw,
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'spindle_telemetry/', ExpirationInDays: 1825 })]) },
    });
    machinery.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: coop().cloud.buckets.quarantine,
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'maintenance_events/', ExpirationInDays: 90 })]) },
    });
  });
  test('gives the admin an enforced workgroup and Lake Formation grants on its own tables only', () => {
    const c = coop();
    machinery.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: c.cloud.roles.admin,
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        ResultConfiguration: Match.objectLike({
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^CuratedZone') }, '/_athena-results/']] },
          EncryptionConfiguration: Match.objectLike({ EncryptionOption: 'SSE_KMS' }),
        }),
      }),
    });
    const admin = Object.entries(machinery.findResources('AWS::IAM::Role')).find(([, r]) => r.Properties.RoleName === c.cloud.roles.admin)![0];
    const grants = Object.values(machinery.findResources('AWS::LakeFormation::PrincipalPermissions')).filter((r) => JSON.stringify(r.Properties.Principal).includes(admin));
    expect(grants.map((g) => [g.Properties.Resource, g.Properties.Permissions])).toEqual([
      [{ Database: { CatalogId: c.account, Name: c.cloud.database } }, ['DESCRIBE']],
      [{ Table: { CatalogId: c.account, DatabaseName: c.cloud.database, TableWildcard: {} } }, ['DESCRIBE', 'SELECT']],
    ]);
    machinery.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: c.cloud.buckets.curated,
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: '_athena-results/', ExpirationInDays: 30 })]) },
    });
  });
  test('rotates the cooperative key and names the alias from the plan', () => {
    machinery.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    machinery.hasResourceProperties('AWS::KMS::Alias', { AliasName: coop().cloud.keyAlias });
  });
  test('derives one Parquet table per dataset, partitioned by dt, carrying the dataset plan', () => {
    const d = coop().datasets.find((x) => x.name === 'spindle_telemetry')!;
    machinery.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: coop().cloud.database,
      TableInput: Match.objectLike({
        Name: 'spindle_telemetry',
        PartitionKeys: [{ Name: 'dt', Type: 'string' }],
        Parameters: Match.objectLike({ [DATASET_PARAMETER]: JSON.stringify(d) }),
        StorageDescriptor: Match.objectLike({
          Location: `s3://${coop().cloud.buckets.curated}/spindle_telemetry/`,
          SerdeInfo: Match.objectLike({ SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' }),
          Columns: Match.arrayWith([{ Name: 'spindle_rpm', Type: 'int' }]),
        }),
      }),
    });
  });
  test('grants consumers only the agreed columns, in the shared zone (data-lake account) for pseudonymized data', () => {
    const g = plan.grants.find((x) => x.cooperative === 'korea-machinery' && x.consumer === 'kiet')!;
    machinery.resourcePropertiesCountIs('AWS::LakeFormation::PrincipalPermissions', { Permissions: ['SELECT'] }, 0);
    sharedCatalog().hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Catalog: plan.platform.account,
      Permissions: ['SELECT'],
      Principal: { DataLakePrincipalIdentifier: `arn:aws:iam::${plan.platform.account}:role/kbiz-prod-consumer-kiet` },
      Resource: { TableWithColumns: Match.objectLike({ DatabaseName: plan.platform.sharedZone.database, Name: 'korea_machinery__spindle_telemetry', ColumnNames: [...g.grantedColumns] }) },
    });
  });
  test('grants an aggregated consumer its statistics table only, in the data-lake account', () => {
    const g = plan.grants.find((x) => x.cooperative === 'korea-machinery' && x.level === 'aggregated')!;
    const granted = Object.values(sharedCatalog().findResources('AWS::LakeFormation::PrincipalPermissions'))
      .filter((r) => r.Properties.Principal.DataLakePrincipalIdentifier.endsWith(`/${plan.platform.consumers.find((c) => c.id === g.consumer)!.role}`))
      .map((r) => r.Properties.Resource.TableWithColumns)
      .filter((t) => t.Name.startsWith('korea_machinery__'));
    expect(granted).toEqual([expect.objectContaining({ CatalogId: plan.platform.account, DatabaseName: plan.platform.sharedZone.database, Name: g.aggregate!.table, ColumnNames: [...g.grantedColumns] })]);
  });
  test('the uploader may only put objects into the raw zone', () => {
    const policies = machinery.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^UploaderRole') }] } });
    const text = JSON.stringify(policies);
    expect(text).toContain('RawZone');
    expect(text).not.toMatch(/CuratedZone|QuarantineZone|s3:GetObject/);
  });
  test('tags every resource with cooperative, cost center and classification', () => {
    machinery.hasResourceProperties('AWS::S3::Bucket', {
      Tags: Match.arrayWith([
        { Key: 'coopidc:cooperative', Value: 'korea-machinery' },
        { Key: 'coopidc:cost-center', Value: coop().costCenter },
        { Key: 'coopidc:data-classification', Value: coop().classification },
      ]),
    });
  });
});

describe('ingestion seam', () => {
  test('triggers the object handler on objects created in the raw zone', () => {
    machinery.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: 'RawZoneA7E2C7F3' },
      NotificationConfiguration: { LambdaFunctionConfigurations: [Match.objectLike({ Events: ['s3:ObjectCreated:*'] })] },
    });
  });
  test('passes the contract environment to both handlers', () => {
    machinery.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: Match.stringLikeRegexp('^nodejs2[0-9]'),
      Environment: { Variables: Match.objectLike({ COOP_ID: 'korea-machinery', GLUE_DATABASE: coop().cloud.database, CURATED_BUCKET: Match.anyValue(), QUARANTINE_BUCKET: Match.anyValue(), SHARED_BUCKET: coop().cloud.sharedBucket, SHARED_DATABASE: plan.platform.sharedZone.database, PSEUDONYMIZATION_KEY_ARN: Match.anyValue() }) },
    });
    machinery.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ COOP_ID: 'korea-machinery', RAW_BUCKET: Match.anyValue(), DATASETS: 'maintenance_events,spindle_telemetry', MAX_BODY_BYTES: '4194304', ALLOWED_PRINCIPAL_ARNS: Match.anyValue() }) },
    });
  });
  test('holds no API of its own (its cell\'s ingestion API routes to its named push handler) and reserves each function\'s concurrency', () => {
    expect(Object.keys(machinery.findResources('AWS::ApiGatewayV2::Api'))).toEqual([]);
    machinery.hasResourceProperties('AWS::Lambda::Function', { FunctionName: coop().cloud.pushFunction, ReservedConcurrentExecutions: plan.platform.ingestion.concurrency.pushHandler });
    machinery.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1769, ReservedConcurrentExecutions: plan.platform.ingestion.concurrency.objectHandler });
  });
  test('builds one asset per handler for the whole app', () => {
    const hashes = new Set<string>();
    for (const s of aws.cooperatives.values()) {
      for (const f of Object.values(Template.fromStack(s).findResources('AWS::Lambda::Function'))) {
        const key = (f as any).Properties.Code?.S3Key;
        if (typeof key === 'string') hashes.add(key);
      }
    }
    expect(hashes.size).toBe(1);
  });
});

describe('PlatformStack defaults', () => {
  test('pins the logical ids of stateful resources', () => {
    const ids = (type: string) => Object.keys(platform.findResources(type)).sort();
    expect(ids('AWS::S3::Bucket')).toEqual(['AccessLogs247031D9', 'AthenaResultsEDB65DC0', 'AuditTrailBucketA91FD435', 'SharedZoneBucket7C3AF472'].sort());
    expect(ids('AWS::KMS::Key')).toEqual(['AuditTrailKeyA4D56A7A', 'PseudonymizationKey9053FB77', 'SharedZoneKeyECA063CC'].sort());
  });
  test('locks the audit bucket for the configured retention in compliance mode', () => {
    platform.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: plan.platform.audit.bucket,
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: plan.platform.audit.logRetentionDays } } },
    });
  });
  test('trails management and S3 data events, validated and encrypted', () => {
    platform.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      KMSKeyId: Match.anyValue(),
      EventSelectors: Match.absent(),
      AdvancedEventSelectors: Match.arrayWith([{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }]),
    });
  });
  test('logs S3 data events of the data buckets but never of its own bucket or the access-log bucket', () => {
    const trail = Object.values(platform.findResources('AWS::CloudTrail::Trail'))[0].Properties;
    const bucketId = (name: string) => Object.entries(platform.findResources('AWS::S3::Bucket')).find(([, r]) => r.Properties.BucketName === name)![0];
    expect(s3ObjectEventsLogged(trail, bucketId(plan.platform.audit.bucket))).toBe(false);
    expect(s3ObjectEventsLogged(trail, bucketId(plan.platform.audit.accessLogBucket))).toBe(false);
    expect(s3ObjectEventsLogged(trail, bucketId(plan.platform.sharedZone.bucket))).toBe(true);
    expect(s3ObjectEventsLogged(trail, bucketId(plan.platform.athenaResultsBucket))).toBe(true);
  });
  test('fails when the trail logs every bucket (logAllS3DataEvents)', () => {
    const everything = { EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }, { DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::'] }] }] };
    expect(s3ObjectEventsLogged(everything, 'AuditTrailBucket')).toBe(true);
  });
  test('keeps the pseudonymization key apart, as an HMAC key usable only by ingestion roles', () => {
    platform.hasResourceProperties('AWS::KMS::Key', {
      KeySpec: 'HMAC_256',
      KeyUsage: 'GENERATE_VERIFY_MAC',
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kms:GenerateMac', Condition: { StringEquals: { 'aws:PrincipalTag/coopidc:role': ['ingestion', 'erasure'] } } })]) },
    });
  });
  test('gives each consumer an enforced, encrypted, limited workgroup', () => {
    for (const c of plan.platform.consumers) {
      platform.hasResourceProperties('AWS::Athena::WorkGroup', {
        Name: c.workgroup,
        WorkGroupConfiguration: Match.objectLike({
          EnforceWorkGroupConfiguration: true,
          BytesScannedCutoffPerQuery: c.scanLimitBytes,
          ResultConfiguration: Match.objectLike({
            EncryptionConfiguration: Match.objectLike({ EncryptionOption: 'SSE_KMS' }),
            OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: 'AthenaResultsEDB65DC0' }, `/${c.id}/`]] },
          }),
        }),
      });
    }
  });
  test('sets Lake Formation admins from config and no IAM-only defaults', () => {
    platform.hasResourceProperties('AWS::LakeFormation::DataLakeSettings', {
      Admins: plan.platform.lakeFormationAdmins.map((a) => ({ DataLakePrincipalIdentifier: a })),
      CreateDatabaseDefaultPermissions: [],
      CreateTableDefaultPermissions: [],
    });
  });
  test('holds no per-cooperative tables (they live in the cells\' shared-table stacks, in the shared database)', () => {
    platform.resourceCountIs('AWS::Glue::Table', 0);
    machinery.resourcePropertiesCountIs('AWS::Glue::Table', { DatabaseName: plan.platform.sharedZone.database }, 0);
    sharedCatalog().hasResourceProperties('AWS::Glue::Table', {
      CatalogId: plan.platform.account,
      DatabaseName: plan.platform.sharedZone.database,
      TableInput: Match.objectLike({ Name: 'korea_machinery__spindle_telemetry', StorageDescriptor: Match.objectLike({ Location: 's3://kbiz-prod-shared-cell-02-111122223333/korea_machinery__spindle_telemetry/' }) }),
    });
  });
});

describe('cells: cross-account flows', () => {
  const cell = () => plan.platform.cells.find((c) => c.id === 'cell-02')!;
  const zone = () => Template.fromStack(aws.cellZones.get('cell-02')!);
  const ingestionArns = ['korea-electronics', 'korea-machinery'].map((c) => `arn:aws:iam::777788889999:role/kbiz-prod-${c}-ingestion`);

  test('deploys each cooperative stack to its cell account and the data lake to the data-lake account', () => {
    expect(aws.cooperatives.get('korea-machinery')!.account).toBe('777788889999');
    expect(aws.cooperatives.get('korea-food')!.account).toBe('444455556666');
    for (const s of [aws.platform, ...aws.cellZones.values(), ...aws.sharedCatalogs.values()]) expect(s.account).toBe(plan.platform.account);
    expect(aws.cellZones.get('cell-02')!.stackName).toBe(cellZoneStackId('cell-02'));
  });

  test('no template imports a value exported by another stack', () => {
    for (const s of aws.app.node.children.filter((c): c is import('aws-cdk-lib').Stack => c instanceof (require('aws-cdk-lib').Stack))) {
      expect(JSON.stringify(Template.fromStack(s).toJSON())).not.toContain('Fn::ImportValue');
    }
  });

  test('the cell\'s shared bucket admits exactly its ingestion roles, from its account, to write objects', () => {
    const policy = zone().findResources('AWS::S3::BucketPolicy');
    const statements = Object.values(policy).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const write = statements.find((x: any) => x.Sid === 'WriteByThisCellsIngestionRoles');
    expect(write).toMatchObject({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::777788889999:root' },
      Action: ['s3:PutObject', 's3:PutObjectTagging'],
      Condition: { ArnEquals: { 'aws:PrincipalArn': ingestionArns }, Null: { 's3:RequestObjectTag/coopidc:retention-days': 'false' } },
    });
    // The roles are named once: every statement naming them counts against S3's 20 KB policy size.
    expect(statements.filter((x: any) => JSON.stringify(x).includes(ingestionArns[0]))).toHaveLength(1);
    expect(cell().ingestionRoles).toEqual(ingestionArns);
    // `*` principals appear only in the TLS-only denials.
    for (const st of statements.filter((x: any) => x.Effect === 'Allow')) expect(JSON.stringify(st.Principal)).not.toContain('*');
  });

  test('the cell\'s shared bucket expires objects by their retention tag: one rule per distinct retention, not per table', () => {
    const bucket = Object.values(zone().findResources('AWS::S3::Bucket'))[0] as any;
    const tagged = bucket.Properties.LifecycleConfiguration.Rules.filter((r: any) => r.TagFilters);
    const cellTables = plan.platform.sharedZone.tables.filter((t) => t.bucket === cell().sharedBucket);
    const days = [...new Set(cellTables.map((t) => plan.cooperatives.find((c) => c.id === t.cooperative)!.datasets.find((d) => d.name === t.dataset)!.retentionDays))].sort((a, b) => a - b);
    expect(tagged.map((r: any) => [r.Id, r.TagFilters, r.ExpirationInDays])).toEqual(days.map((d) => [`expire-tagged-${d}d`, [{ Key: 'coopidc:retention-days', Value: String(d) }], d]));
    expect(bucket.Properties.LifecycleConfiguration.Rules.filter((r: any) => r.Prefix !== undefined)).toEqual([]);
  });

  test('the cell\'s shared key admits exactly its ingestion roles, to encrypt only', () => {
    const key = Object.values(zone().findResources('AWS::KMS::Key'))[0] as any;
    const use = key.Properties.KeyPolicy.Statement.find((x: any) => x.Sid === 'UseByThisCellsIngestionRoles');
    expect(use).toMatchObject({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Condition: { ArnEquals: { 'aws:PrincipalArn': ingestionArns } } });
  });

  test('the ingestion role reaches data-lake keys only through their plan aliases, and writes only its own shared tables', () => {
    const policies = Object.values(machinery.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^IngestionRole') }] } })) as any[];
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const sid = (x: string) => statements.find((st: any) => st.Sid === x);
    expect(sid('Pseudonymize')).toMatchObject({ Action: 'kms:GenerateMac', Resource: 'arn:aws:kms:ap-northeast-2:111122223333:key/*', Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/kbiz/prod/pseudonymization'] } } });
    expect(sid('EncryptOwnSharedTables')).toMatchObject({ Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/kbiz/prod/shared/cell-02'] } } });
    const writes = statements.filter((st: any) => String(st.Sid).startsWith('WriteOwnSharedTables'));
    const telemetry = writes.find((st: any) => JSON.stringify(st.Resource).includes('kbiz-prod-shared-cell-02-111122223333/korea_machinery__spindle_telemetry/*'));
    // Only with the dataset's retention tag (1,825 days), and no other tag.
    expect(telemetry).toMatchObject({
      Action: ['s3:PutObject', 's3:PutObjectTagging'],
      Condition: { StringEquals: { 's3:RequestObjectTag/coopidc:retention-days': '1825' }, 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['coopidc:retention-days'] } },
    });
    expect(JSON.stringify(statements)).not.toContain('korea_electronics');
  });

  test('grants the cell\'s ingestion role its shared tables across accounts, by ARN', () => {
    sharedCatalog().hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Catalog: plan.platform.account,
      Principal: { DataLakePrincipalIdentifier: 'arn:aws:iam::777788889999:role/kbiz-prod-korea-machinery-ingestion' },
      Permissions: ['ALTER', 'DESCRIBE', 'INSERT'],
      Resource: { Table: { CatalogId: plan.platform.account, DatabaseName: plan.platform.sharedZone.database, Name: 'korea_machinery__spindle_telemetry' } },
    });
  });

  test('the pseudonymization key admits each cell\'s ingestion roles (by name pattern and role tag) and no other principal', () => {
    const key = Object.values(platform.findResources('AWS::KMS::Key', { Properties: { KeySpec: 'HMAC_256' } }))[0] as any;
    const statements = key.Properties.KeyPolicy.Statement.filter((x: any) => (x.Action === 'kms:GenerateMac'));
    expect(statements.map((x: any) => x.Condition.ArnLike?.['aws:PrincipalArn'] ?? 'own account').sort()).toEqual([
      'arn:aws:iam::444455556666:role/kbiz-prod-*-ingestion',
      'arn:aws:iam::777788889999:role/kbiz-prod-*-ingestion',
      'own account',
    ]);
    // In its own account the erasure functions too compute the one token they erase (infra/aws/erasure-function.ts).
    for (const x of statements) expect(x.Condition.StringEquals).toEqual({ 'aws:PrincipalTag/coopidc:role': x.Condition.ArnLike ? 'ingestion' : ['ingestion', 'erasure'] });
  });
});

/**
 * Whether a trail's selectors record object-level events of the bucket with this logical id:
 * a basic selector covering every bucket (`arn:aws:s3:::`), or an advanced S3 data selector
 * whose `resources.ARN NotStartsWith` does not name the bucket's objects.
 */
function s3ObjectEventsLogged(trail: { EventSelectors?: unknown[]; AdvancedEventSelectors?: unknown[] }, bucketLogicalId: string): boolean {
  type Basic = { DataResources?: { Type: string; Values: string[] }[] };
  if ((trail.EventSelectors as Basic[] | undefined)?.some((s) => s.DataResources?.some((d) => d.Type === 'AWS::S3::Object' && d.Values.includes('arn:aws:s3:::')))) return true;
  type Field = { Field: string; Equals?: string[]; NotStartsWith?: unknown[] };
  return ((trail.AdvancedEventSelectors ?? []) as { FieldSelectors: Field[] }[]).some((s) => {
    const f = (name: string) => s.FieldSelectors.find((x) => x.Field === name);
    if (!f('eventCategory')?.Equals?.includes('Data') || !f('resources.type')?.Equals?.includes('AWS::S3::Object')) return false;
    const excluded = (f('resources.ARN')?.NotStartsWith ?? []).map((v) => JSON.stringify(v));
    return !excluded.some((v) => v.includes(`"${bucketLogicalId}"`) && v.includes('"/"'));
  });
}
