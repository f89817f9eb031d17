/**
 * A content-addressed cache of each cdk-nag pack's results per stack: the violations the
 * pack reports for the stack's resources and the passes it records (see PassLog), so that a
 * later build checks again only the stacks that changed.
 *
 * cdk-nag 3 does not read the templates: its `validate` walks the construct tree
 * (`context.appConstruct`, `NagPack.walkTree`) and runs every rule on each `CfnResource`
 * object; a rule resolves the resource's L1 properties with `Stack.of(node).resolve` and may
 * look at other resources of the same stack (`Stack.of(node).node.findAll()`, the sibling
 * constructs of a VPC); `NagPack.isAcknowledged` reads `aws:cdk:acknowledged-rules`
 * construct metadata on the resource and every ancestor (the App included). So a stack's
 * results are keyed by:
 * - the stack's synthesized template (the resolved properties, options and metadata of
 *   every resource, exactly what the rules resolve), its construct path, account and region;
 * - the construct path and class of every `CfnResource` of the stack in walk order (the
 *   order of the violations, and what `instanceof` rules test);
 * - every acknowledgement on the stack's constructs and their ancestors, with its reason;
 * - the pack (its class, name and constructor options);
 * - the versions of aws-cdk-lib, constructs and cdk-nag, a hash of every source file under
 *   `infra/`, `stacks/` and `build/` (our rules, the constructs that build the L1 objects, this file),
 *   and the format of the entries.
 * A stack whose template cannot stand for its L1 objects is always checked: one holding a
 * resource with escape-hatch overrides (`addPropertyOverride`: the template then differs
 * from what the rules read), a nested stack or stage, or one the validation context does
 * not list.
 *
 * Replaying per stack gives exactly the pack's report over the whole app: the pack walks the
 * App's children in order and groups violations by rule id in order of first appearance,
 * appending resources in walk order; the stacks' reports are merged the same way, in the
 * same order, and the passes are added to the log in the order the walk decided them.
 * Entries are written whole and renamed into place, sealed with the key they were computed
 * from and a checksum (build-cache.ts `sealEntry`); one that does not open is a miss, counted
 * as rejected, computed again and rewritten. A hit refreshes the entry's mtime, which is what
 * pruning keeps the recently used entries by. With `verify` (`--verify-cache`) every hit is
 * also computed again and compared; the computed result is the one used.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { CfnResource, Stack, Stage, Validations, type IPolicyValidationContext, type PolicyValidationPluginReport, type PolicyViolation } from 'aws-cdk-lib';
import type { NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { PassLog, RulePass } from '../infra/checks/aws';
import { sourceHash } from './source-files';
import { describeDifference, entryFileName, NAG_CACHE, openEntry, sealedEntryBytes, touchEntry, type CacheMismatch } from './build-cache';
import { msg } from '../infra/config/messages';

/** Version of the entries' content; part of every key. */
const CACHE_FORMAT = 'cdk-nag/2';

/** What one pack found on one stack: its violations and its passes, in the order decided. */
interface Entry {
  readonly violations: readonly PolicyViolation[];
  /** Strings of the passes, each once. */
  readonly strings: readonly string[];
  /** Passes as indexes into `strings`: pack, rule, path, info. */
  readonly passes: readonly (readonly [number, number, number, number])[];
}

/**
 * The per-stack cache of cdk-nag results in one folder (see the file's comment for what a
 * result depends on). One instance per build: it remembers each stack's digest so that the
 * three packs hash a template once.
 */
export class NagCache {
  private readonly salt: { readonly format: string; readonly versions: Readonly<Record<string, string>>; readonly sources: string };
  private readonly digests = new Map<IConstruct, string | undefined>();
  private hitCount = 0;
  private missCount = 0;
  private rejectedCount = 0;
  private verifiedCount = 0;
  private readonly found: CacheMismatch[] = [];
  private madeDir = false;

  /**
   * @param dir the cache folder
   * @param sources hash of the code the results depend on (tests pass another to show that
   *   a change of the rules misses); by default {@link sourceHash}
   * @param verify recompute every hit and compare (`--verify-cache`)
   */
  constructor(
    private readonly dir: string,
    sources: string = sourceHash(),
    private readonly verify = false,
  ) {
    this.salt = { format: CACHE_FORMAT, versions: { 'aws-cdk-lib': versionOf('aws-cdk-lib'), constructs: versionOf('constructs'), 'cdk-nag': versionOf('cdk-nag') }, sources };
  }

  /**
   * Stack results taken from the cache (`hits`; with `verify`, `verified` of them recomputed
   * and equal), computed and stored (`misses`), and entries that were there but did not open
   * (`rejected`, counted among the misses), over every pack.
   */
  get counts(): { readonly hits: number; readonly misses: number; readonly rejected: number; readonly verified: number } {
    return { hits: this.hitCount, misses: this.missCount, rejected: this.rejectedCount, verified: this.verifiedCount };
  }

  /** Hits that differed from their recomputation (only with `verify`). */
  get mismatches(): readonly CacheMismatch[] {
    return this.found;
  }

  /**
   * Runs `pack` over the app of `context` stack by stack, taking each cacheable stack's
   * results from the cache when there; same report and same passes as `pack.validate`.
   */
  validate(pack: NagPack, packKey: string, context: IPolicyValidationContext, log: PassLog, uncached: () => PolicyValidationPluginReport): PolicyValidationPluginReport {
    const root = (context as { appConstruct?: IConstruct }).appConstruct;
    // Without the tree the pack itself fails with its own message. Its own walk starts at
    // the root, which is never a resource (an App or Stage).
    if (!root || CfnResource.isCfnResource(root)) return uncached();
    const violations: PolicyViolation[] = [];
    const merge = (vs: readonly PolicyViolation[]) => {
      for (const v of vs) {
        const existing = violations.find((x) => x.ruleName === v.ruleName);
        if (existing) existing.violatingResources.push(...v.violatingResources);
        else violations.push({ ...v, violatingResources: [...v.violatingResources] });
      }
    };
    for (const child of root.node.children) {
      const digest = this.digestOf(child, context);
      const key = digest !== undefined ? { ...this.salt, pack: packKey, stack: child.node.path, digest } : undefined;
      const file = key !== undefined ? join(this.dir, entryFileName(key)) : undefined;
      const read = file !== undefined ? openEntry(file, NAG_CACHE, key, isEntry) : undefined;
      if (read && 'rejected' in read) this.rejectedCount++;
      const entry = read && 'content' in read ? read.content : undefined;
      if (entry && file !== undefined && !this.verify) {
        this.hitCount++;
        // Used now: pruning after the build keeps it (see build-cache.ts).
        touchEntry(file);
        merge(entry.violations);
        for (const p of passesOf(entry)) log.add(p);
        continue;
      }
      const before = log.passes.length;
      const report = pack.validateScope(child);
      const passes = log.passes.slice(before);
      if (entry && file !== undefined) {
        this.hitCount++;
        touchEntry(file);
        const cached = passesOf(entry);
        if (JSON.stringify([entry.violations, cached]) === JSON.stringify([report.violations, passes])) this.verifiedCount++;
        else {
          this.found.push({ stack: child.node.path, check: msg('cache.check-nag', { pack: pack.readPackName }), difference: describeDifference(entry.violations, report.violations, { cached: cached.length, computed: passes.length }) });
          this.store(file, key, report.violations, passes);
        }
      } else if (file !== undefined) {
        this.missCount++;
        this.store(file, key, report.violations, passes);
      }
      merge(report.violations);
    }
    return { success: violations.length === 0, violations };
  }

  private store(file: string, key: unknown, violations: readonly PolicyViolation[], passes: readonly RulePass[]): void {
    if (!this.madeDir) {
      try {
        mkdirSync(this.dir, { recursive: true });
      } catch {
        // the entry's write below fails too, and is skipped
      }
      this.madeDir = true;
    }
    writeEntry(file, key, violations, passes);
  }

  /**
   * What a pack's results on `child` depend on besides the pack and the code, or undefined
   * when they cannot be cached.
   */
  private digestOf(child: IConstruct, context: IPolicyValidationContext): string | undefined {
    if (this.digests.has(child)) return this.digests.get(child);
    const digest = stackDigest(child, context);
    this.digests.set(child, digest);
    return digest;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PackClass = abstract new (...args: any[]) => NagPack;

/**
 * A subclass of a cdk-nag pack (one that records its passes in `log`, see
 * `recordingPasses`) whose `validate` takes each unchanged stack's results from `cache`.
 * The pack's name and constructor options (everything but the scope) are part of the key.
 */
export function cachingResults<T extends PackClass>(Base: T, log: PassLog, cache: NagCache): T {
  abstract class Caching extends (Base as PackClass) {
    private readonly options: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      super(...args);
      this.options = JSON.stringify(args.slice(1));
    }

    override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
      const key = JSON.stringify([this.name, this.readPackName, this.options]);
      return cache.validate(this, key, context, log, () => super.validate(context));
    }
  }
  return Caching as unknown as T;
}

function stackDigest(child: IConstruct, context: IPolicyValidationContext): string | undefined {
  if (!Stack.isStack(child)) return undefined;
  const where = context.stackTemplates.find((s) => s.stackConstructPath === child.node.path);
  if (!where) return undefined;
  const resources: [string, string][] = [];
  const acks: [string, unknown][] = [];
  const ackKey = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
  const noteAcks = (c: IConstruct) => {
    for (const m of c.node.metadata) if (m.type === ackKey) acks.push([c.node.path, m.data ?? null]);
  };
  for (let a = child.node.scope; a; a = a.node.scope) noteAcks(a);
  // The pack's walk: pre-order, children in order.
  const walk = (c: IConstruct): boolean => {
    if (c !== child && (Stack.isStack(c) || Stage.isStage(c))) return false;
    noteAcks(c);
    if (CfnResource.isCfnResource(c)) {
      const overrides = (c as unknown as { rawOverrides?: unknown }).rawOverrides;
      if (typeof overrides !== 'object' || overrides === null || Object.keys(overrides).length > 0) return false;
      resources.push([c.node.path, c.constructor.name]);
    }
    for (const k of c.node.children) if (!walk(k)) return false;
    return true;
  };
  if (!walk(child)) return undefined;
  let template: Buffer;
  try {
    template = readFileSync(where.templatePath);
  } catch {
    return undefined;
  }
  return createHash('sha256')
    .update(JSON.stringify([where.stackConstructPath, where.accountId ?? null, where.region ?? null, resources, acks]))
    .update('\0')
    .update(template)
    .digest('hex');
}

/** The shape of an entry's content: violations, and passes indexing into `strings`. */
function isEntry(c: unknown): c is Entry {
  const entry = c as Entry;
  return (
    entry !== null &&
    typeof entry === 'object' &&
    Array.isArray(entry.violations) &&
    entry.violations.every((v) => v && typeof v.ruleName === 'string' && Array.isArray(v.violatingResources)) &&
    Array.isArray(entry.strings) &&
    Array.isArray(entry.passes) &&
    entry.passes.every((p) => Array.isArray(p) && p.length === 4 && p.every((i) => typeof entry.strings[i] === 'string'))
  );
}

function passesOf(entry: Entry): RulePass[] {
  return entry.passes.map(([pack, rule, path, info]) => ({ pack: entry.strings[pack], rule: entry.strings[rule], path: entry.strings[path], info: entry.strings[info] }));
}

function writeEntry(file: string, key: unknown, violations: readonly PolicyViolation[], passes: readonly RulePass[]): void {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const at = (s: string) => {
    let i = index.get(s);
    if (i === undefined) index.set(s, (i = strings.push(s) - 1));
    return i;
  };
  const entry: Entry = { violations, strings, passes: passes.map((p) => [at(p.pack), at(p.rule), at(p.path), at(p.info)] as const) };
  // Written whole, then renamed: a reader never sees half an entry. A cache that cannot be
  // written only costs the next build the work.
  try {
    const tmp = `${file}.${process.pid}-${threadId}.tmp`;
    writeFileSync(tmp, sealedEntryBytes(NAG_CACHE, key, entry));
    renameSync(tmp, file);
  } catch {
    // best effort
  }
}

function versionOf(pkg: string): string {
  return (require(`${pkg}/package.json`) as { version: string }).version;
}
