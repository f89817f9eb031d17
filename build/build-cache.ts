/**
 * The build cache's housekeeping: where it lives, how long and how much of it is kept, and
 * pruning it after each build (the way ccache, Go's build cache or Gradle's build cache do).
 *
 * Entries are content-addressed, so an intact entry is never stale, only unused: the stack
 * it was computed for changed, or the code, aws-cdk-lib or cdk-nag did (every key then
 * changes). Whether an entry is intact is checked on every read ({@link openEntry}): each
 * records its key and a checksum, and one that does not match is a miss.
 * Nothing else ever removes them, so the policy is least-recently-used on the entries' mtime,
 * which a build refreshes on every hit ({@link touchEntry}; new entries are born fresh):
 * 1. an entry no build used for longer than the maximum age goes;
 * 2. then, while the rest is larger than the size cap, the least recently used one goes
 *    (but a stored file used within the hour: a build may still copy it into its output);
 * 3. a temporary file older than an hour (left by a build killed between writing an entry
 *    and renaming it into place) goes.
 * Only files named as the cache names them (`<sha-256>.json`, `<sha-256>.json.<pid>-<thread>.tmp`)
 * in its own folders are ever removed: the cache folder can be moved anywhere
 * (`COOP_IDC_CACHE_DIR`), so anything else found there belongs to someone else.
 *
 * Two builds may share a cache: a file may vanish between listing and removal (the other
 * build pruned it) and is then skipped; an entry removed under a build's feet is a miss for
 * that build, which computes it again.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, utimesSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { UsageError } from './errors';
import { DEFAULT_LANG, formatMessage, msg, type Lang, type MessageRef } from '../infra/config/messages';

/** Folder of the CloudFormation validation reports inside the build cache. */
export const VALIDATION_CACHE = 'cfn-validate';

/** Folder of the cdk-nag results inside the build cache. */
export const NAG_CACHE = 'cdk-nag';

/** Folder of whole units of the AWS app (the platform, each cell) inside the build cache (build/aws-units.ts). */
export const UNIT_CACHE = 'aws-units';

/** Folder of single cooperative stacks of the AWS app, cut from the units they were built in (build/aws-units.ts). */
export const STACK_CACHE = 'aws-stacks';

/** Folder of the IDC app's stacks, one entry each, inside the build cache (build/idc-step.ts). */
export const IDC_CACHE = 'idc-stacks';

/** Folder of the Lambda bundles, one entry per handler, inside the build cache (build/lambda-bundles.ts). */
export const LAMBDA_CACHE = 'lambda-bundles';

/**
 * Folder of the AWS units' and stacks' large files (templates, metadata), each stored once
 * under the SHA-256 of its bytes and named by it in the entries (build/aws-units.ts).
 */
export const FILE_CACHE = 'aws-files';

/** Folder of the report's inventories of the CloudFormation templates, by template hash (build/report-inventories.ts). */
export const INVENTORY_CACHE = 'report-inventories';

/** The cache's own folders: nothing outside them is ever removed. */
export const CACHE_FOLDERS: readonly string[] = [VALIDATION_CACHE, NAG_CACHE, UNIT_CACHE, STACK_CACHE, IDC_CACHE, LAMBDA_CACHE, FILE_CACHE, INVENTORY_CACHE];

/** The cache folder when `COOP_IDC_CACHE_DIR` is not set, relative to the project. */
export const DEFAULT_CACHE_DIR = join('node_modules', '.cache', 'coop-idc');

/** An entry: the SHA-256 of what it depends on, as the writers name it. */
const ENTRY = /^[0-9a-f]{64}\.json$/;
/** An entry being written: `<entry>.<pid>-<threadId>.tmp`, renamed into place when whole. */
const TMP = /^[0-9a-f]{64}\.json\.\d+-\d+\.tmp$/;

const DAY_MS = 24 * 60 * 60 * 1000;
const MB = 1_000_000;

/**
 * Version of the entry format both caches write (see {@link sealEntry}). Part of every key, so
 * entries of another format are never looked up; the validation worker, which cannot import
 * this module, is handed it.
 */
export const ENTRY_FORMAT = 'coop-idc-cache/3';

/**
 * A cache entry as stored: the result (`content`), the inputs it was computed from (`key`:
 * what the file name is the SHA-256 of) and a SHA-256 over both. Reading checks all three
 * ({@link openEntry}), so a damaged, truncated or edited entry, or one renamed or copied over
 * another, is a miss and is computed again. The checksum catches corruption and naive edits,
 * not a forger who recomputes it: `--verify-cache` recomputes every replayed result.
 */
export interface SealedEntry<C = unknown> {
  readonly format: string;
  /** Which cache: {@link VALIDATION_CACHE}, {@link NAG_CACHE} or {@link UNIT_CACHE}. */
  readonly kind: string;
  /** The inputs the content was computed from (hashes and versions), as the reader expects them. */
  readonly key: unknown;
  /** SHA-256 (hex) of `[format, kind, key, content]` as JSON. */
  readonly checksum: string;
  readonly content: C;
}

/**
 * `JSON.stringify` with every character outside ASCII escaped (`\uXXXX`), as the entries are
 * written: the same value to `JSON.parse`, and pure ASCII, which V8 decodes into a one-byte
 * string. A unit's entry (~31 MB at 1,000 cooperatives) holds a dozen Korean characters; with
 * them its text decoded ~3× slower, into a string twice the size. The validation worker
 * escapes the same way.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The checksum of an entry: SHA-256 of `[format, kind, key, content]` as {@link asciiJson} (the validation worker computes it the same way). */
export function entryChecksum(kind: string, key: unknown, content: unknown): string {
  return createHash('sha256').update(asciiJson([ENTRY_FORMAT, kind, key, content])).digest('hex');
}

/** An entry of `kind` holding `content`, computed from `key`. */
export function sealEntry<C>(kind: string, key: unknown, content: C): SealedEntry<C> {
  return { format: ENTRY_FORMAT, kind, key, checksum: entryChecksum(kind, key, content), content };
}

/**
 * The bytes of {@link sealEntry}'s entry as {@link asciiJson} writes it, with the content
 * serialized and encoded once for both the checksum and the file: a unit's content is ~31 MB
 * of JSON at 1,000 cooperatives.
 */
export function sealedEntryBytes(kind: string, key: unknown, content: unknown): Buffer {
  const body = Buffer.from(asciiJson(content));
  return Buffer.concat([Buffer.from(entryTextHead(kind, key, contentChecksum(kind, key, body))), body, Buffer.from('}')]);
}

/** {@link sealedEntryBytes} as text. */
export function sealedEntryText(kind: string, key: unknown, content: unknown): string {
  return sealedEntryBytes(kind, key, content).toString('utf8');
}

/** `{"format":…,"kind":…,"key":…,"checksum":…,"content":` — the entry's text before its content. */
function entryTextHead(kind: string, key: unknown, checksum: string): string {
  return `{"format":${asciiJson(ENTRY_FORMAT)},"kind":${asciiJson(kind)},"key":${asciiJson(key)},"checksum":${JSON.stringify(checksum)},"content":`;
}

/**
 * {@link entryChecksum} over the content's JSON text as it stands: `[format,kind,key,content]`
 * hashed in parts. The text as its UTF-8 bytes when there are: hashing a string encodes it
 * first, which for a unit's ~31 MB cost six times the hash itself.
 */
function contentChecksum(kind: string, key: unknown, body: string | Uint8Array): string {
  return createHash('sha256').update(`[${asciiJson(ENTRY_FORMAT)},${asciiJson(kind)},${asciiJson(key)},`).update(body).update(']').digest('hex');
}

/**
 * Writes the entry of `kind` for `key` into `<dir>/<kind>/`: whole, then renamed, so a reader
 * never sees half an entry. A cache that cannot be written only costs the next build the work.
 */
export function writeEntry(dir: string, kind: string, key: unknown, content: unknown): void {
  const folder = join(dir, kind);
  const file = join(folder, entryFileName(key));
  try {
    mkdirSync(folder, { recursive: true });
    const tmp = `${file}.${process.pid}-${threadId}.tmp`;
    writeFileSync(tmp, sealedEntryBytes(kind, key, content));
    renameSync(tmp, file);
  } catch {
    // best effort
  }
}

/** SHA-256 (hex) of `bytes`: the name a stored file is filed under. */
export function fileHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The path of the stored file of hash `sha256` in the cache folder `dir` ({@link storeFile}). */
export function storedFilePath(dir: string, sha256: string): string {
  return join(dir, FILE_CACHE, `${sha256}.json`);
}

/**
 * Stores `bytes` in `<dir>/aws-files/` under their SHA-256, unless a file of that hash is
 * there (stored by content, a file is written once however many entries name it), and gives
 * the hash; undefined when it could not be written, so that no entry names a file that is
 * not there. Written whole, then renamed, as entries are. `copyFrom`: a stored file of the
 * same bytes elsewhere (another cache or a shard's output), copied rather than written.
 */
export function storeFile(dir: string, bytes: Uint8Array | { readonly sha256: string; readonly copyFrom: string }): string | undefined {
  const sha256 = 'copyFrom' in bytes ? bytes.sha256 : fileHash(bytes);
  const file = storedFilePath(dir, sha256);
  if (existsSync(file)) return sha256;
  try {
    mkdirSync(join(dir, FILE_CACHE), { recursive: true });
    const tmp = `${file}.${process.pid}-${threadId}.tmp`;
    if ('copyFrom' in bytes) copyFileSync(bytes.copyFrom, tmp);
    else writeFileSync(tmp, bytes);
    renameSync(tmp, file);
    return sha256;
  } catch {
    return undefined;
  }
}

/**
 * Checks the stored file of hash `sha256` in `dir`: whether it is there and its bytes still
 * hash to its name (a damaged or edited file is `rejected`, and removed). A hit refreshes its mtime, so that
 * pruning keeps the files the entries in use name.
 */
export function checkStoredFile(dir: string, sha256: string): { readonly path: string } | { readonly missing: true } | { readonly rejected: string } {
  const path = storedFilePath(dir, sha256);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { rejected: `its stored file is unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  if (fileHash(bytes) !== sha256) {
    // Removed, so that the entry built again stores the file anew: a file is never rewritten
    // while one of its name is there.
    try {
      unlinkSync(path);
    } catch {
      // best effort: the next read rejects it again
    }
    return { rejected: 'its stored file does not match its hash' };
  }
  touchEntry(path);
  return { path };
}

/** The file name of the entry for `key`: `<sha-256 of the key>.json`. */
export function entryFileName(key: unknown): string {
  return `${createHash('sha256').update(JSON.stringify(key)).digest('hex')}.json`;
}

/** What reading an entry gave: its content, no entry at all, or an entry that was rejected. */
export type EntryRead<C> = { readonly content: C } | { readonly missing: true } | { readonly rejected: string };

/**
 * Reads the entry of `kind` for `key` from `file` and checks it: the format, the kind, the
 * recorded key (a swapped or copied entry names another key), the checksum and the shape of
 * the content (`isContent`). A missing file is a plain miss; anything else that fails is
 * `rejected`, with the reason.
 */
export function openEntry<C>(file: string, kind: string, key: unknown, isContent: (c: unknown) => c is C): EntryRead<C> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { rejected: `unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  const text = bytes.toString('utf8');
  let entry: Partial<SealedEntry>;
  try {
    entry = JSON.parse(text) as Partial<SealedEntry>;
  } catch {
    return { rejected: 'not JSON (truncated or damaged)' };
  }
  if (entry === null || typeof entry !== 'object' || entry.format !== ENTRY_FORMAT || entry.kind !== kind) return { rejected: 'not an entry of this format' };
  if (JSON.stringify(entry.key) !== JSON.stringify(key)) return { rejected: 'its recorded key is not the key it is filed under' };
  if (!sealedAsWritten(bytes, text, kind, entry) && entry.checksum !== entryChecksum(kind, entry.key, entry.content)) return { rejected: 'its checksum does not match its content' };
  if (!isContent(entry.content)) return { rejected: 'its content has the wrong shape' };
  return { content: entry.content };
}

/**
 * Whether `text` (decoded from `bytes`) is exactly what {@link sealedEntryText} writes for
 * `entry` and its checksum holds over the content's text as written: then the content needs
 * no serializing again to be checked (a unit's is ~31 MB at 1,000 cooperatives). The bytes
 * between the head and the closing brace are hashed as read: for bytes that decode without
 * loss they are the UTF-8 of that text; bytes that do not (damage) cannot match a checksum
 * the writer made from text. When not, the checksum is checked the long way.
 */
function sealedAsWritten(bytes: Buffer, text: string, kind: string, entry: Partial<SealedEntry>): boolean {
  if (typeof entry.checksum !== 'string') return false;
  const head = entryTextHead(kind, entry.key, entry.checksum);
  if (!text.startsWith(head) || !text.endsWith('}')) return false;
  return contentChecksum(kind, entry.key, bytes.subarray(Buffer.byteLength(head), bytes.length - 1)) === entry.checksum;
}

/** One replayed result that `--verify-cache` found different from its recomputation. */
export interface CacheMismatch {
  /** The stack's construct path. */
  readonly stack: string;
  /** `CloudFormation validation`, `cdk-nag <pack>` or the cached unit, in the run's language. */
  readonly check: MessageRef;
  /** What differed, in one line, shown in the run's language. */
  readonly difference: MessageRef;
}

/** The parts of a policy violation {@link describeDifference} reads. */
interface ViolationLike {
  readonly ruleName: string;
  readonly violatingResources: readonly { readonly resourceLogicalId?: string; readonly constructPath?: string }[];
}

/**
 * One line saying how a recomputed result differs from the cached one: the violations
 * (rule on resource) each side has, else the number of recorded passes, else that they
 * differ in detail (a description, severity or fix).
 */
export function describeDifference(cached: readonly ViolationLike[], computed: readonly ViolationLike[], passes?: { readonly cached: number; readonly computed: number }): MessageRef {
  const items = (vs: readonly ViolationLike[]) =>
    vs.flatMap((v) => v.violatingResources.map((r) => [v.ruleName, r.constructPath ?? r.resourceLogicalId] as const));
  const a = items(cached);
  const b = items(computed);
  const one = ([rule, resource]: readonly [string, string | undefined]) => (resource === undefined ? msg('cache.violation-stack', { rule }) : msg('cache.violation', { rule, resource }));
  const shown = (xs: typeof a) => msg('cache.violations', { n: xs.length, list: { list: [...xs.slice(0, 3).map(one), ...(xs.length > 3 ? ['…'] : [])] } });
  if (JSON.stringify(a) !== JSON.stringify(b)) return msg('cache.differ-violations', { cached: shown(a), computed: shown(b) });
  if (passes && passes.cached !== passes.computed) return msg('cache.differ-passes', { cached: passes.cached, computed: passes.computed });
  return msg('cache.differ-details', { n: a.length });
}

/** How long and how much of the cache is kept. */
export interface CachePolicy {
  /** An entry no build used for longer than this is removed. */
  readonly maxAgeMs: number;
  /** Then the least recently used entries are removed until the total is at most this. */
  readonly maxBytes: number;
  /**
   * A temporary file older than this is left over from a killed build. Writing an entry
   * takes milliseconds, so an hour leaves a wide margin for a build still running.
   */
  readonly tmpAgeMs: number;
}

/**
 * The defaults. A complete set of entries (every unit, cooperative stack, check result, IDC
 * stack and Lambda bundle of one config and code) took 235 MB at 300 generated cooperatives,
 * so ~800 MB at 1,000 (docs/build-output-and-cache.md); a build that keeps its stacks
 * refreshes them all, so what ages out was superseded:
 * - 30 days: longer than a pull request or release branch usually lives and a scheduled
 *   monthly build, so switching back to them still hits; longer than Go's 5 days and
 *   Gradle's 7, which serve a single developer, because CI runners restore the cache.
 * - 2,000 MB: two complete sets at 1,000 cooperatives with room for what one change adds
 *   (main and one branch with other code stay warm): below that, the least recently used
 *   entries removed after a build would be the current set's own, and the next build would
 *   miss them. A fifth of a GitHub Actions repository's 10 GB cache quota.
 */
export const DEFAULT_CACHE_POLICY: CachePolicy = { maxAgeMs: 30 * DAY_MS, maxBytes: 2000 * MB, tmpAgeMs: 60 * 60 * 1000 };

/** The environment variables that set the policy, with their bounds. */
const LIMITS = {
  COOP_IDC_CACHE_MAX_AGE_DAYS: { unit: 'days', max: 36_500, default: DEFAULT_CACHE_POLICY.maxAgeMs / DAY_MS, example: 14 },
  COOP_IDC_CACHE_MAX_MB: { unit: 'MB', max: 10_000_000, default: DEFAULT_CACHE_POLICY.maxBytes / MB, example: 2000 },
} as const;

/**
 * The policy set by `COOP_IDC_CACHE_MAX_AGE_DAYS` and `COOP_IDC_CACHE_MAX_MB` (whole
 * numbers, at least 1: a cache that keeps nothing is `--no-cache`, and 0 means "unlimited"
 * in ccache, so it is refused rather than guessed). Unset or empty: the default.
 * @throws UsageError (exit 2, no stack trace) for any other value, naming the variable, the
 *   value, what is allowed and how to fix it
 */
export function cachePolicyOf(env: Readonly<Record<string, string | undefined>>, command = 'build'): CachePolicy {
  const read = (name: keyof typeof LIMITS): number => {
    const raw = env[name];
    const limit = LIMITS[name];
    if (raw === undefined || raw.trim() === '') return limit.default;
    const value = Number(raw.trim());
    if (!/^\d+$/.test(raw.trim()) || value < 1 || value > limit.max) {
      throw new UsageError(msg('cache.env-limit', { name, unit: limit.unit, max: limit.max.toLocaleString('en-US'), value: raw, example: limit.example, fallback: limit.default }), command);
    }
    return value;
  };
  return { maxAgeMs: read('COOP_IDC_CACHE_MAX_AGE_DAYS') * DAY_MS, maxBytes: read('COOP_IDC_CACHE_MAX_MB') * MB, tmpAgeMs: DEFAULT_CACHE_POLICY.tmpAgeMs };
}

/** The cache folder: `COOP_IDC_CACHE_DIR` (relative to `cwd`) or {@link DEFAULT_CACHE_DIR}. */
export function cacheDirOf(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  // `||`, not `??`: an empty variable (a CI template's unset value) would make the project
  // root the cache folder.
  return resolve(cwd, env.COOP_IDC_CACHE_DIR || DEFAULT_CACHE_DIR);
}

/**
 * Marks an entry as used now, so that pruning keeps it. Called on every hit. Best effort:
 * an entry that cannot be touched (read-only cache, removed meanwhile) was still read
 * correctly, and at worst is pruned and computed again.
 */
export function touchEntry(file: string, now: Date = new Date()): void {
  try {
    utimesSync(file, now, now);
  } catch {
    // best effort, see above
  }
}

/** The file-system calls pruning makes; tests wrap the real ones to race them. */
export interface CacheFs {
  readdirSync(dir: string): string[];
  lstatSync(path: string): Stats;
  unlinkSync(path: string): void;
}

const REAL_FS: CacheFs = { readdirSync: (d) => readdirSync(d), lstatSync: (p) => lstatSync(p), unlinkSync };

/** What a prune removed, by reason, and what it could not remove. */
export interface PruneResult {
  /** Entries no build used within the maximum age. */
  readonly expired: Tally;
  /** Least recently used entries removed to get under the size cap. */
  readonly evicted: Tally;
  /** Temporary files of killed builds. */
  readonly abandoned: Tally;
  /** Entries left after pruning. */
  readonly kept: Tally;
  /** Files that could not be removed (other than vanished ones), with the first error. */
  readonly failed: { readonly files: number; readonly error?: string };
}

/** A number of files and their size on disk. */
export interface Tally {
  readonly files: number;
  readonly bytes: number;
}

/** Options of {@link pruneCache}. */
export interface PruneOptions {
  /** @default - the current time */
  readonly now?: number;
  /** @default - node:fs */
  readonly fs?: CacheFs;
}

interface Found {
  readonly path: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

/**
 * Applies `policy` to the cache in `dir` (see the file's comment). Never throws for the
 * file system: a cache that cannot be pruned costs disk space, not the build. Deterministic:
 * entries are evicted oldest first, ties broken by path.
 */
export function pruneCache(dir: string, policy: CachePolicy, options: PruneOptions = {}): PruneResult {
  const now = options.now ?? Date.now();
  const fs = options.fs ?? REAL_FS;
  const { entries, tmps } = scan(dir, fs);
  const failures: string[] = [];
  // Another build may have used an entry since it was listed: then it stays.
  const remove = (found: readonly Found[]) => removeFiles(fs, found, true, failures);
  const abandoned = remove(tmps.filter((t) => now - t.mtimeMs > policy.tmpAgeMs));
  const expired = remove(entries.filter((e) => now - e.mtimeMs > policy.maxAgeMs));
  const fresh = entries.filter((e) => now - e.mtimeMs <= policy.maxAgeMs).sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const freshBytes = fresh.reduce((s, e) => s + e.bytes, 0);
  // A stored file a build read within the hour may be one it has yet to copy into its output
  // (an entry, once read, is in that build's memory; a stored file is copied later): it is
  // not evicted for size, even if the cache then stays over the cap until the next prune.
  const files = join(dir, FILE_CACHE);
  const inUse = (e: Found) => now - e.mtimeMs <= policy.tmpAgeMs && dirname(e.path) === files;
  let total = freshBytes;
  const evictable: Found[] = [];
  for (const e of fresh) {
    if (total <= policy.maxBytes) break;
    if (inUse(e)) continue;
    evictable.push(e);
    total -= e.bytes;
  }
  const evicted = remove(evictable);
  return {
    expired,
    evicted,
    abandoned,
    kept: { files: fresh.length - evicted.files, bytes: freshBytes - evicted.bytes },
    failed: failed(failures),
  };
}

/** The entries of the cache in `dir` now (`coop-idc cache`). */
export function cacheUsage(dir: string, fs: CacheFs = REAL_FS): Tally {
  const { entries } = scan(dir, fs);
  return { files: entries.length, bytes: entries.reduce((s, e) => s + e.bytes, 0) };
}

/** The cache's own files in its own folders, by kind, in path order. */
function scan(dir: string, fs: CacheFs): { entries: Found[]; tmps: Found[] } {
  const entries: Found[] = [];
  const tmps: Found[] = [];
  for (const folder of CACHE_FOLDERS) {
    let names: string[];
    try {
      names = fs.readdirSync(join(dir, folder));
    } catch {
      continue; // no such folder (yet), or not a folder: nothing of ours
    }
    for (const name of names.sort()) {
      const kind = ENTRY.test(name) ? entries : TMP.test(name) ? tmps : undefined;
      if (!kind) continue;
      const path = join(dir, folder, name);
      const stat = statOf(fs, path);
      // Only regular files: a symbolic link or folder of that name is not ours to follow or remove.
      if (stat?.isFile()) kind.push({ path, bytes: diskBytes(stat), mtimeMs: stat.mtimeMs });
    }
  }
  return { entries, tmps };
}

/** What {@link cleanCache} removed and could not remove. */
export interface CleanResult {
  readonly removed: Tally;
  readonly failed: PruneResult['failed'];
}

/**
 * Removes every entry and temporary file of the cache in `dir` (`coop-idc cache clean`),
 * whatever its age, then its own folders if that left them empty; anything else is left.
 */
export function cleanCache(dir: string, fs: CacheFs = REAL_FS): CleanResult {
  const { entries, tmps } = scan(dir, fs);
  const failures: string[] = [];
  const removed = removeFiles(fs, [...entries, ...tmps], false, failures);
  for (const folder of CACHE_FOLDERS) {
    try {
      rmdirSync(join(dir, folder));
    } catch {
      // not empty (someone else's files, an entry written meanwhile) or already gone
    }
  }
  return { removed, failed: failed(failures) };
}

/**
 * Removes `found`, skipping files that vanished meanwhile and, with `recheck`, files whose
 * mtime changed since they were listed; notes any other failure in `failures`.
 */
function removeFiles(fs: CacheFs, found: readonly Found[], recheck: boolean, failures: string[]): Tally {
  let files = 0;
  let bytes = 0;
  for (const f of found) {
    if (recheck && statOf(fs, f.path)?.mtimeMs !== f.mtimeMs) continue;
    try {
      fs.unlinkSync(f.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') failures.push(`${f.path}: ${(e as Error).message}`);
      continue;
    }
    files++;
    bytes += f.bytes;
  }
  return { files, bytes };
}

function failed(failures: readonly string[]): PruneResult['failed'] {
  return { files: failures.length, ...(failures.length ? { error: failures[0] } : {}) };
}

/**
 * One line about what a prune removed, or undefined when it removed nothing (a build that
 * only used the cache says nothing about it).
 */
export function formatPrune(result: PruneResult, policy: CachePolicy, lang: Lang = DEFAULT_LANG): string | undefined {
  const parts: MessageRef[] = [];
  if (result.expired.files) parts.push(msg('cache.pruned-expired', { tally: tallyOf(result.expired), days: daysOf(policy) }));
  if (result.evicted.files) parts.push(msg('cache.pruned-evicted', { tally: tallyOf(result.evicted), mb: megabytes(policy.maxBytes) }));
  if (result.abandoned.files) parts.push(msg('cache.pruned-abandoned', { tally: tallyOf(result.abandoned, 'cache.tally-unfinished') }));
  const failed = result.failed.files ? formatMessage(lang, msg('cache.prune-failed', { files: result.failed.files, error: result.failed.error ?? '' })) : '';
  if (!parts.length && !failed) return undefined;
  return formatMessage(lang, msg('cache.pruned', { parts: parts.length ? { list: parts } : msg('cache.pruned-nothing'), failed }));
}

/** `entries not used for 30 days, then the least recently used above 500.0 MB`. */
export function formatPolicy(policy: CachePolicy, lang: Lang = DEFAULT_LANG): string {
  return formatMessage(lang, msg('cache.policy', { days: daysOf(policy), mb: megabytes(policy.maxBytes) }));
}

/** `1,234 entries (45.6 MB)`. */
export function formatTally(t: Tally, lang: Lang = DEFAULT_LANG): string {
  return formatMessage(lang, tallyOf(t));
}

function tallyOf(t: Tally, id: 'cache.tally' | 'cache.tally-unfinished' = 'cache.tally'): MessageRef {
  return msg(id, { files: t.files, mb: megabytes(t.bytes) });
}

function daysOf(policy: CachePolicy): MessageRef {
  return msg('cache.days', { n: policy.maxAgeMs / DAY_MS });
}

/** Megabytes with one decimal, as a number the messages print with their unit. */
function megabytes(bytes: number): string {
  return (bytes / MB).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

function statOf(fs: CacheFs, path: string): Stats | undefined {
  try {
    return fs.lstatSync(path);
  } catch {
    // Vanished (another build pruned it) or unreadable: either way not one to remove.
    return undefined;
  }
}

/**
 * The space a file takes on disk, which is what the cap protects: a 62-byte validation
 * report still takes a 4 KiB block on ext4.
 */
function diskBytes(stat: Stats): number {
  return Math.max(stat.size, Number.isFinite(stat.blocks) ? stat.blocks * 512 : 0);
}
