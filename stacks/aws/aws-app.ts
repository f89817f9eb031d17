/**
 * Composition of the AWS app from a tenancy plan: one platform stack, one stack per
 * cooperative, the compliance packs. Used by the CDK entry point (app.ts), the build
 * step and the tests, so all three synthesize exactly the same thing.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, AssetStaging, CfnResource, CloudFormationValidatePlugin, Fn, Validations, type IPolicyValidationContext, type IPolicyValidationPlugin, type IStackSynthesizer, type Stack } from 'aws-cdk-lib';
import { CURRENTLY_RECOMMENDED_FLAGS, ENABLE_ADDITIONAL_METADATA_COLLECTION } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, NIST80053R5Checks, type NagPack } from 'cdk-nag';
import type { CheckFinding, TenancyPlan } from '../../infra';
import type { IngestionCode } from '../../infra/aws';
import { KoreaLawChecks, PassLog, findingsFromReport, koreaLawRules, recordingPasses, type ValidationReport } from '../../infra/checks/aws';
import type { PhaseTimer } from '../timer';
import { CooperativeStack } from './cooperative-stack';
import { CellSharedZoneStack } from './cell-shared-zone-stack';
import { OffboardingCooperativeStack } from './offboarding-cooperative-stack';
import { MonitoringStack } from './monitoring-stack';
import { GATEWAY_TRUST_ANCHOR_OUTPUT, GatewayTrustStack } from './gateway-trust-stack';
import { IngestionApiStack } from './ingestion-api-stack';
import { PlatformStack } from './platform-stack';
import { SharedCatalogStack } from './shared-catalog-stack';
import { awsStackLayout } from './layout';

export * from './layout';

/** Options of {@link buildAwsApp}. */
export interface AwsAppOptions {
  /**
   * Cloud assembly folder.
   * @default - CDK's default (`CDK_OUTDIR` when run by the CLI, a temp folder otherwise)
   */
  readonly outdir?: string;
  /**
   * aws-cdk-lib's built-in CloudFormation template validation. Keep it on in builds;
   * unit tests turn it off for speed.
   * @default true
   */
  readonly builtinValidation?: boolean;
  /**
   * Run the AwsSolutions, NIST 800-53 R5 and KoreaLaw packs at synth.
   * @default true
   */
  readonly checks?: boolean;
  /**
   * Ingestion handler code; when absent, no Lambda is synthesized.
   * @default - no ingestion functions
   */
  readonly ingestion?: IngestionCode;
  /** Extra context (e.g. from cdk.json via the CLI is read automatically). @default - none */
  readonly context?: Readonly<Record<string, unknown>>;
  /**
   * The built-in CloudFormation validation, run elsewhere: the build runs it on a worker
   * thread in parallel with construct building, synthesis and cdk-nag
   * (build/parallel-validation.ts). Same plugin, same report; only where it runs changes.
   * Disposed and unused when `builtinValidation` is false.
   * @default - aws-cdk-lib's own plugin, in this thread
   */
  readonly validation?: AppValidation;
  /**
   * Wraps each check pack's class, e.g. with the build's per-stack result cache
   * (build/nag-cache.ts), which replays a pack's results for a stack whose template,
   * resources and acknowledgements are unchanged.
   * @default - every pack runs on every stack
   */
  readonly decoratePacks?: PackDecorator;
  /** Times construct building, synthesis and each check pack. @default - not timed */
  readonly timer?: PhaseTimer;
  /**
   * Builds only the stacks of these units ({@link AwsStackLayout}); dependencies on stacks
   * of other units are left to whoever assembles the units (build/aws-cells.ts).
   * @default - every stack
   */
  readonly units?: ReadonlySet<string>;
  /**
   * Stacks of the built units to leave out: the build restores them from its cache. No stack
   * reads another's constructs (a cooperative reads its trust anchor by output name, and the
   * order between stacks is the layout's), so the others come out the same without them.
   * @default - none
   */
  readonly skipStacks?: ReadonlySet<string>;
}

/** A cdk-nag pack's class. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PackClass = abstract new (...args: any[]) => NagPack;

/** Wraps a pack's class (that records its passes in `passes`) into one with the same results. */
export type PackDecorator = <T extends PackClass>(Pack: T, passes: PassLog) => T;

/**
 * CloudFormation validation run outside aws-cdk-lib's plugin: the app warms it with every
 * resource type it can hold before the constructs exist, gives each stack its synthesizer
 * (which hands the template over as soon as it is written), starts it with the first pack
 * and registers its plugin in place of the built-in one.
 */
export interface AppValidation {
  warm(resourceTypes: Iterable<string>): void;
  synthesizer(): IStackSynthesizer;
  start(context: IPolicyValidationContext): void;
  plugin(): IPolicyValidationPlugin;
  /** Stops it (when the app is never synthesized, or synthesis failed). */
  dispose(): void;
}

/** The synthesizable app and handles on its parts. */
export interface AwsApp {
  readonly app: App;
  /** The platform stack; throws when its unit is not built (`units`). */
  readonly platform: PlatformStack;
  /** Each cell's shared zone (data-lake account), by cell id. */
  readonly cellZones: ReadonlyMap<string, CellSharedZoneStack>;
  /** Shared-table stacks of the cells (data-lake account), by stack id. */
  readonly sharedCatalogs: ReadonlyMap<string, SharedCatalogStack>;
  /** Cooperative stacks by cooperative id, in plan order. */
  readonly cooperatives: ReadonlyMap<string, CooperativeStack>;
  /** Stacks of offboarding cooperatives (in place of their cooperative stack), by cooperative id. */
  readonly offboarding: ReadonlyMap<string, OffboardingCooperativeStack>;
  /** Monitoring stack of each account holding cooperatives, by stack id. */
  readonly monitoring: ReadonlyMap<string, MonitoringStack>;
  /** Ingestion API stacks by cell id (`undefined`: the data-lake account's), with ingestion functions only. */
  readonly ingestionApis: ReadonlyMap<string | undefined, IngestionApiStack>;
  /** Gateways' trust-anchor stacks by cell id (`undefined`: the data-lake account's), where a CA is declared. */
  readonly gatewayTrusts: ReadonlyMap<string | undefined, GatewayTrustStack>;
  /** Passes recorded by the packs, filled during synth. */
  readonly passes: PassLog;
  /** Cooperative owning a stack, by stack id. */
  cooperativeOf(stackId: string): string | undefined;
  /** The validation run outside aws-cdk-lib's plugin, when there is one. */
  readonly validation?: AppValidation;
  /** Checks run on each stack: the cdk-nag packs and CloudFormation validation, when on. */
  readonly checksPerStack: number;
  readonly timer?: PhaseTimer;
}

/**
 * Every CloudFormation resource type the app's constructs create, whatever the plan. The
 * validation worker initializes its engine for these before the constructs exist (rules of
 * absent types find nothing, so the report is the same); a type missing here only costs a
 * second initialization once the app's own types are known. A test keeps the list complete.
 */
export const APP_RESOURCE_TYPES: readonly string[] = [
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Stage',
  'AWS::RolesAnywhere::Profile',
  'AWS::RolesAnywhere::TrustAnchor',
  'AWS::Athena::WorkGroup',
  'AWS::CloudFormation::WaitConditionHandle',
  'AWS::CloudTrail::Trail',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::Glue::Database',
  'AWS::Glue::Table',
  'AWS::IAM::Policy',
  'AWS::IAM::Role',
  'AWS::KMS::Alias',
  'AWS::KMS::Key',
  'AWS::LakeFormation::DataLakeSettings',
  'AWS::LakeFormation::PrincipalPermissions',
  'AWS::LakeFormation::Resource',
  'AWS::Lambda::Function',
  'AWS::Lambda::Permission',
  'AWS::Logs::LogGroup',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::Scheduler::Schedule',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'Custom::S3BucketNotifications',
];

/** Builds the app; nothing is synthesized until `app.synth()` or {@link synthAwsApp}. */
export function buildAwsApp(plan: TenancyPlan, options: AwsAppOptions = {}): AwsApp {
  const timer = options.timer;
  const time = <T>(phase: string, run: () => T): T => (timer ? timer.time(phase, run) : run());
  const builtinValidation = options.builtinValidation ?? true;
  // Started first, and warmed for every type the app can hold, so that its engine
  // initializes while the constructs are built.
  const validation = builtinValidation ? options.validation : undefined;
  if (!validation) options.validation?.dispose();
  validation?.warm(APP_RESOURCE_TYPES);
  // aws-cdk-lib remembers staged assets process-wide by source and output folder, and skips
  // the copy for a pair it saw: a second build in one process into the same staging folder
  // would find no asset folder in its assembly.
  AssetStaging.clearAssetHashCache();
  const app = new App({
    ...(options.outdir !== undefined ? { outdir: options.outdir } : {}),
    // With the worker, the plugin is registered explicitly below; aws-cdk-lib then adds no second one.
    builtinCloudFormationValidation: builtinValidation && !validation,
    // Stack traces put absolute paths into the assembly and cost memory at 1,000 stacks.
    stackTraces: false,
    // tree.json (36 MB at 1,000 cooperatives) only feeds the CDK CLI's construct browser; the
    // deployment, the checks and the report do not read it.
    treeMetadata: false,
    analyticsReporting: false,
    // `aws:cdk:path` metadata (what the CDK CLI turns on) lets auditors and the report tie a
    // finding's construct path to the logical id in the template; the CLI is not in this process.
    // Creation stack traces would put this machine's absolute paths into *.metadata.json.
    // Usage-data collection (construct props and method calls as `aws:cdk:analytics:*`
    // metadata, ~15 % of construct time) only feeds AWS's telemetry, which is off above.
    context: {
      ...CURRENTLY_RECOMMENDED_FLAGS,
      [ENABLE_ADDITIONAL_METADATA_COLLECTION]: false,
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:disable-creation-stack-traces': true,
      ...(options.context ?? {}),
    },
  });
  return time('cdk constructs', () => compose(app, plan, options, validation, timer, builtinValidation));
}

function compose(app: App, plan: TenancyPlan, options: AwsAppOptions, validation: AppValidation | undefined, timer: PhaseTimer | undefined, builtinValidation: boolean): AwsApp {
  // With the worker, each stack hands its template over as soon as it is written.
  const synthesizer = () => (validation ? { synthesizer: validation.synthesizer() } : {});
  const region = plan.platform.region;
  const env = { account: plan.platform.account, region };
  const environment = plan.platform.environment;
  let platform: PlatformStack | undefined;
  const cellZones = new Map<string, CellSharedZoneStack>();
  const sharedCatalogs = new Map<string, SharedCatalogStack>();
  const cooperatives = new Map<string, CooperativeStack>();
  const offboarding = new Map<string, OffboardingCooperativeStack>();
  const monitoring = new Map<string, MonitoringStack>();
  const owners = new Map<string, string>();
  const built = new Map<string, Stack>();
  const trustStacks = new Map<string | undefined, GatewayTrustStack>();
  const ingestionApis = new Map<string | undefined, IngestionApiStack>();
  for (const s of awsStackLayout(plan, { ingestion: options.ingestion !== undefined })) {
    if (options.units !== undefined && !options.units.has(s.unit)) continue;
    if (options.skipStacks?.has(s.id)) continue;
    let stack: Stack;
    switch (s.kind) {
      case 'platform':
        stack = platform = new PlatformStack(app, s.id, { env, ...synthesizer(), slice: s.slice, description: `coop-idc ${environment}: audit trail, shared zone, consumers (platform)` });
        break;
      case 'cell-zone': {
        const zone = new CellSharedZoneStack(app, s.id, { env, ...synthesizer(), plan: s.plan, cell: s.cell, description: `coop-idc ${environment}: shared zone of cell ${s.cell.id} (data-lake account)` });
        cellZones.set(s.cell.id, zone);
        stack = zone;
        break;
      }
      case 'shared-catalog': {
        const catalog = new SharedCatalogStack(app, s.id, {
          env,
          ...synthesizer(),
          plan: s.plan,
          cooperatives: s.cooperatives,
          description: `coop-idc ${environment}: shared tables and grants of ${s.cooperatives.length} cooperatives of cell ${s.cell} (data-lake account)`,
        });
        sharedCatalogs.set(s.id, catalog);
        stack = catalog;
        break;
      }
      case 'cooperative': {
        const coop = s.cooperative;
        if (coop.lifecycle) {
          // Same stack id: deploying it updates the cooperative's stack in place.
          stack = new OffboardingCooperativeStack(app, s.id, { env: { account: coop.account, region }, ...synthesizer(), plan: s.plan, cooperative: coop, description: `coop-idc ${environment}: cloud tenancy of ${coop.id}, offboarding since ${coop.lifecycle.since}` });
          offboarding.set(coop.id, stack as OffboardingCooperativeStack);
          owners.set(s.id, coop.id);
          break;
        }
        const stackOfCoop = new CooperativeStack(app, s.id, {
          env: { account: coop.account, region },
          ...synthesizer(),
          plan: s.plan,
          cooperative: coop,
          ...(options.ingestion ? { ingestion: options.ingestion } : {}),
          ...(s.trustStack !== undefined ? { gatewayTrustAnchorArn: Fn.getStackOutput(s.trustStack, GATEWAY_TRUST_ANCHOR_OUTPUT, region) } : {}),
          description: `coop-idc ${environment}: cloud tenancy of ${coop.id}${coop.cell !== undefined ? ` (cell ${coop.cell})` : ''}`,
        });
        cooperatives.set(coop.id, stackOfCoop);
        owners.set(s.id, coop.id);
        stack = stackOfCoop;
        break;
      }
      case 'monitoring': {
        const m = new MonitoringStack(app, s.id, {
          env: { account: s.cell?.account ?? plan.platform.account, region },
          ...synthesizer(),
          plan: s.plan,
          cooperatives: s.cooperatives,
          ...(s.cell ? { cell: s.cell } : {}),
          description: `coop-idc ${environment}: platform alarm topic and dashboard of ${s.cell ? `cell ${s.cell.id}` : 'the cooperatives in the data-lake account'}`,
        });
        monitoring.set(s.id, m);
        stack = m;
        break;
      }
      case 'gateway-trust': {
        const trust = new GatewayTrustStack(app, s.id, {
          env: { account: s.account, region },
          ...synthesizer(),
          names: s.names,
          trustAnchor: s.trustAnchor,
          description: `coop-idc ${environment}: IAM Roles Anywhere trust anchor of the factory gateways${s.cell !== undefined ? ` of cell ${s.cell}` : ''}`,
        });
        trustStacks.set(s.cell, trust);
        stack = trust;
        break;
      }
      case 'ingestion-api': {
        const api = new IngestionApiStack(app, s.id, {
          env: { account: s.account, region },
          ...synthesizer(),
          plan: s.plan,
          names: s.names,
          cooperatives: s.cooperatives,
          description: `coop-idc ${environment}: ingestion API of ${s.cooperatives.length} cooperatives${s.cell !== undefined ? ` of cell ${s.cell}` : ''}`,
        });
        ingestionApis.set(s.cell, api);
        stack = api;
        break;
      }
    }
    // A dependency on a stack of a unit not built here is the build's to restore (build/aws-cells.ts).
    for (const d of s.dependsOn) {
      const target = built.get(d);
      if (target) stack.addStackDependency(target);
    }
    built.set(s.id, stack);
  }

  const passes = new PassLog();
  const plugins: IPolicyValidationPlugin[] = [];
  const checks = options.checks ?? true;
  if (checks) {
    const pack = <T extends typeof AwsSolutionsChecks | typeof NIST80053R5Checks | typeof KoreaLawChecks>(Base: T): T => {
      const Recording = recordingPasses(Base, passes);
      return options.decoratePacks ? options.decoratePacks(Recording, passes) : Recording;
    };
    const Aws = pack(AwsSolutionsChecks);
    const Nist = pack(NIST80053R5Checks);
    const Korea = pack(KoreaLawChecks);
    plugins.push(new Aws(app), new Nist(app), new Korea(app, { requiredLogRetentionDays: plan.platform.audit.requiredRetentionDays }));
  }
  if (validation) {
    validation.warm(app.node.findAll().filter(CfnResource.isCfnResource).map((r) => r.cfnResourceType));
    // aws-cdk-lib runs the plugins in order after every template is written: the first one
    // hands the templates to the worker, which validates them while the packs run here.
    const first = plugins[0];
    if (first) {
      const validate = first.validate.bind(first);
      first.validate = (context) => (validation.start(context), validate(context));
    }
    plugins.push(validation.plugin());
  }
  if (timer) {
    for (const p of plugins) {
      if (p instanceof CloudFormationValidatePlugin) continue;
      const validate = p.validate.bind(p);
      p.validate = (context) => timer.time(`cdk-nag ${p.name}`, () => validate(context));
    }
  }
  if (plugins.length) Validations.of(app).addPlugins(...plugins);
  // The built-in validation is one check whether it runs outside (in `plugins`) or not.
  const checksPerStack = plugins.length + (builtinValidation && !validation ? 1 : 0);
  const platformStack = platform;
  return {
    app,
    get platform(): PlatformStack {
      if (!platformStack) throw new Error(`the platform stack is not in this app (units: ${[...(options.units ?? [])].join(', ')})`);
      return platformStack;
    },
    cellZones, sharedCatalogs, cooperatives, offboarding, monitoring, ingestionApis, gatewayTrusts: trustStacks, passes, cooperativeOf: (s) => owners.get(s), ...(validation ? { validation } : {}), checksPerStack, ...(timer ? { timer } : {}) };
}

/** aws-cdk-lib's validation report inside the cloud assembly. */
export const VALIDATION_REPORT = 'validation-report.json';

/** Thrown when synthesis ran and checks failed; carries every finding. */
export class ComplianceFailure extends Error {
  constructor(readonly findings: readonly CheckFinding[]) {
    super(`${findings.filter((f) => f.status === 'fail').length} failed checks`);
    this.name = 'ComplianceFailure';
  }
}

/** Result of a synthesis with checks. */
export interface AwsSynthResult {
  /** Cloud assembly folder. */
  readonly outdir: string;
  /** Every finding (pass, acknowledged, fail), sorted. */
  readonly findings: readonly CheckFinding[];
}

/**
 * Synthesizes the app and turns the validation report into findings. Throws
 * {@link ComplianceFailure} (with all findings) when a check failed; any other error is a
 * bug and propagates.
 */
export function synthAwsApp(aws: AwsApp, plan: TenancyPlan): AwsSynthResult {
  const outdir = aws.app.outdir;
  const reportFile = join(outdir, VALIDATION_REPORT);
  const readReport = (): ValidationReport | undefined => (existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : undefined);
  rmSync(reportFile, { force: true }); // a report left by an earlier run must not be mistaken for this one's
  let failed = false;
  try {
    if (aws.timer) aws.timer.time('cdk synth (+ checks)', () => aws.app.synth());
    else aws.app.synth();
  } catch (e) {
    // A failed policy validation leaves its report behind; anything else is a bug.
    if (!readReport()?.pluginReports.some((r) => r.conclusion === 'failure')) throw e;
    failed = true;
  } finally {
    // A synth that failed before validation would otherwise leave the worker's engine running.
    aws.validation?.dispose();
  }
  const report: ValidationReport = readReport() ?? { pluginReports: [] };
  const findings = findingsFromReport(report, aws.passes.passes, {
    cooperativeOf: (s) => aws.cooperativeOf(s),
    koreaLawRules: koreaLawRules(plan.platform.audit.requiredRetentionDays),
  });
  if (failed || findings.some((f) => f.status === 'fail')) throw new ComplianceFailure(findings);
  return { outdir, findings };
}
