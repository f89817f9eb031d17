import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cachePolicyOf,
  cleanCache,
  DEFAULT_CACHE_POLICY,
  describeDifference,
  entryFileName,
  formatPrune,
  FILE_CACHE,
  NAG_CACHE,
  openEntry,
  pruneCache,
  sealedEntryText,
  asciiJson,
  sealEntry,
  touchEntry,
  VALIDATION_CACHE,
  writeEntry,
  type CacheFs,
  type CachePolicy,
} from '../../build/build-cache';
import fc from 'fast-check';
import { formatMessage } from '../../infra/config/messages';
import { UsageError } from '../../cli/io';

const DAY = 24 * 60 * 60 * 1000;
/** The clock of every test: pruning runs "now", files are dated relative to it. */
const NOW = Date.UTC(2026, 10, 27, 12);
/** 4 KiB: one block on ext4 and tmpfs, so the size on disk is the size written. */
const BLOCK = 4096;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coopidc-evict-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An entry name as the caches write them. */
const key = (seed: string) => `${createHash('sha256').update(seed).digest('hex')}.json`;

/** Writes `folder/name` last used `ageMs` before NOW; returns its path. */
function file(folder: string, name: string, ageMs: number, bytes = BLOCK): string {
  const path = join(dir, folder, name);
  mkdirSync(join(dir, folder), { recursive: true });
  writeFileSync(path, 'x'.repeat(bytes));
  const at = new Date(NOW - ageMs);
  utimesSync(path, at, at);
  return path;
}

const policy = (p: Partial<CachePolicy> = {}): CachePolicy => ({ ...DEFAULT_CACHE_POLICY, ...p });
const left = (folder: string) => (existsSync(join(dir, folder)) ? readdirSync(join(dir, folder)).sort() : []);

describe('pruning by age', () => {
  test('removes entries not used for longer than the maximum age, in both folders, and keeps the others', () => {
    const old = [file(VALIDATION_CACHE, key('a'), 31 * DAY), file(NAG_CACHE, key('b'), 40 * DAY)];
    const recent = [file(VALIDATION_CACHE, key('c'), 29 * DAY), file(NAG_CACHE, key('d'), 1000)];
    const result = pruneCache(dir, policy({ maxAgeMs: 30 * DAY }), { now: NOW });
    expect(old.filter(existsSync)).toEqual([]);
    expect(recent.filter(existsSync)).toEqual(recent);
    expect(result.expired).toEqual({ files: 2, bytes: 2 * BLOCK });
    expect(result.kept).toEqual({ files: 2, bytes: 2 * BLOCK });
  });

  test('says what it pruned in one line, and nothing when it pruned nothing', () => {
    for (let i = 0; i < 1234; i++) file(NAG_CACHE, key(`old${i}`), 31 * DAY);
    const result = pruneCache(dir, policy({ maxAgeMs: 30 * DAY }), { now: NOW });
    expect(formatPrune(result, policy({ maxAgeMs: 30 * DAY }), 'en')).toBe('cache: pruned 1,234 entries (5.1 MB) not used for 30 days');
    expect(formatPrune(pruneCache(dir, policy(), { now: NOW }), policy(), 'en')).toBeUndefined();
  });

  test('does nothing to a cache folder that does not exist yet', () => {
    const result = pruneCache(join(dir, 'none'), policy(), { now: NOW });
    expect(result.kept).toEqual({ files: 0, bytes: 0 });
    expect(formatPrune(result, policy(), 'en')).toBeUndefined();
  });
});

describe('pruning by size', () => {
  test('removes the least recently used entries until the cache is under the cap', () => {
    // Five entries of one block, used 5..1 hours ago; room for three.
    const byAge = [5, 4, 3, 2, 1].map((h) => file(h % 2 ? NAG_CACHE : VALIDATION_CACHE, key(`e${h}`), h * 3_600_000));
    const result = pruneCache(dir, policy({ maxBytes: 3 * BLOCK }), { now: NOW });
    expect(byAge.map(existsSync)).toEqual([false, false, true, true, true]);
    expect(result.evicted).toEqual({ files: 2, bytes: 2 * BLOCK });
    expect(result.kept).toEqual({ files: 3, bytes: 3 * BLOCK });
    expect(formatPrune(result, policy({ maxBytes: 3 * BLOCK }), 'en')).toBe('cache: pruned 2 entries (0.0 MB) least recently used, to stay under 0.0 MB');
  });

  test('keeps a stored file a build read within the hour, which it may not have copied into its output yet', () => {
    // Oldest first: an entry (3 h), a stored file used 2 h ago, one used 10 minutes ago, an entry (1 min).
    const entry = file(NAG_CACHE, key('old'), 3 * 3_600_000);
    const stale = file(FILE_CACHE, key('stale'), 2 * 3_600_000);
    const reading = file(FILE_CACHE, key('reading'), 10 * 60_000);
    const recent = file(VALIDATION_CACHE, key('recent'), 60_000);
    const result = pruneCache(dir, policy({ maxBytes: BLOCK }), { now: NOW });
    expect([entry, stale, reading, recent].map(existsSync)).toEqual([false, false, true, false]);
    expect(result.evicted).toEqual({ files: 3, bytes: 3 * BLOCK });
  });

  test('counts the space on disk: a small entry still takes a block', () => {
    const small = [1, 2, 3].map((h) => file(VALIDATION_CACHE, key(`s${h}`), h * 3_600_000, 62));
    const used = lstatSync(small[0]).blocks * 512;
    expect(used).toBeGreaterThanOrEqual(62);
    pruneCache(dir, policy({ maxBytes: 2 * used }), { now: NOW });
    expect(small.map(existsSync)).toEqual([true, true, false]);
  });

  test('breaks ties in age by name, so that every run removes the same entries', () => {
    const names = ['c', 'a', 'b'].map((s) => key(s));
    for (const n of names) file(NAG_CACHE, n, DAY);
    pruneCache(dir, policy({ maxBytes: BLOCK }), { now: NOW });
    expect(left(NAG_CACHE)).toEqual([[...names].sort()[2]]);
  });
});

describe('a hit keeps an entry', () => {
  test('touchEntry marks the entry as used now', () => {
    const path = file(NAG_CACHE, key('hit'), 40 * DAY);
    touchEntry(path, new Date(NOW));
    expect(statSync(path).mtimeMs).toBe(NOW);
  });

  test('an entry used by the last build survives age and size pruning; the others go', () => {
    const used = file(NAG_CACHE, key('used'), 40 * DAY);
    const unused = file(NAG_CACHE, key('unused'), 20 * DAY);
    touchEntry(used, new Date(NOW - 1000));
    pruneCache(dir, policy({ maxAgeMs: 30 * DAY, maxBytes: BLOCK }), { now: NOW });
    expect([existsSync(used), existsSync(unused)]).toEqual([true, false]);
  });

  test('touchEntry ignores an entry that vanished', () => {
    expect(() => touchEntry(join(dir, NAG_CACHE, key('gone')))).not.toThrow();
  });
});

describe('what pruning may remove', () => {
  test('never touches files it did not write, however old or large', () => {
    const foreign = [
      file(NAG_CACHE, 'README.md', 400 * DAY, 10 * BLOCK),
      file(NAG_CACHE, 'notes.json', 400 * DAY),
      file(NAG_CACHE, key('upper').toUpperCase().replace('.JSON', '.json'), 400 * DAY),
      file(NAG_CACHE, `${key('bak')}.bak`, 400 * DAY),
      file(VALIDATION_CACHE, `x${key('prefix')}`, 400 * DAY),
      file(VALIDATION_CACHE, `${key('tmp').replace('.json', '')}.tmp`, 400 * DAY),
      file('other-tool', key('other'), 400 * DAY),
      file('.', key('root'), 400 * DAY),
    ];
    // A folder and a symbolic link named like entries: not regular files of ours.
    mkdirSync(join(dir, NAG_CACHE, key('folder')));
    const target = file('outside', 'precious.json', 400 * DAY);
    symlinkSync(target, join(dir, VALIDATION_CACHE, key('link')));
    const result = pruneCache(dir, policy({ maxAgeMs: DAY, maxBytes: 1 }), { now: NOW });
    expect(foreign.filter((f) => !existsSync(f))).toEqual([]);
    expect(existsSync(join(dir, NAG_CACHE, key('folder')))).toBe(true);
    expect(lstatSync(join(dir, VALIDATION_CACHE, key('link'))).isSymbolicLink()).toBe(true);
    expect(existsSync(target)).toBe(true);
    expect(result).toMatchObject({ expired: { files: 0 }, evicted: { files: 0 }, abandoned: { files: 0 } });
  });

  test('cleanCache removes every entry, however recent, and leaves the rest', () => {
    const ours = [file(NAG_CACHE, key('n'), 0), file(VALIDATION_CACHE, key('v'), 0), file(VALIDATION_CACHE, `${key('t')}.123-0.tmp`, 0)];
    const theirs = file(NAG_CACHE, 'keep-me.txt', 0);
    const result = cleanCache(dir);
    expect(ours.filter(existsSync)).toEqual([]);
    expect(result.removed).toEqual({ files: 3, bytes: 3 * BLOCK });
    expect(existsSync(theirs)).toBe(true);
    // Its own folder went once empty; the one holding a foreign file stays.
    expect([existsSync(join(dir, VALIDATION_CACHE)), existsSync(join(dir, NAG_CACHE))]).toEqual([false, true]);
  });
});

describe('temporary files of killed builds', () => {
  test('are removed after an hour; younger ones may still be renamed into place', () => {
    const stale = file(NAG_CACHE, `${key('s')}.4242-0.tmp`, 2 * 3_600_000);
    const writing = file(VALIDATION_CACHE, `${key('w')}.4243-1.tmp`, 60_000);
    const result = pruneCache(dir, policy(), { now: NOW });
    expect([existsSync(stale), existsSync(writing)]).toEqual([false, true]);
    expect(formatPrune(result, policy(), 'en')).toBe('cache: pruned 1 unfinished file (0.0 MB) of interrupted builds');
  });
});

describe('two builds sharing a cache', () => {
  /** The real file system, with `before` run on each call: the other build acting in between. */
  function racing(before: { readdir?: (dir: string) => void; lstat?: (path: string) => void; unlink?: (path: string) => void }): CacheFs {
    return {
      readdirSync: (d) => (before.readdir?.(d), readdirSync(d)),
      lstatSync: (p) => (before.lstat?.(p), lstatSync(p)),
      unlinkSync: (p) => (before.unlink?.(p), unlinkSync(p)),
    };
  }

  test('an entry removed between listing and stat, or between stat and unlink, is skipped', () => {
    const a = file(NAG_CACHE, key('a'), 40 * DAY);
    const b = file(NAG_CACHE, key('b'), 40 * DAY);
    const c = file(NAG_CACHE, key('c'), 40 * DAY);
    const fs = racing({ lstat: (p) => p === a && existsSync(a) && unlinkSync(a), unlink: (p) => p === b && unlinkSync(b) });
    const result = pruneCache(dir, policy({ maxAgeMs: 30 * DAY }), { now: NOW, fs });
    expect(result.expired).toEqual({ files: 1, bytes: BLOCK });
    expect(result.failed).toEqual({ files: 0 });
    expect([a, b, c].filter(existsSync)).toEqual([]);
  });

  test('a folder removed before listing is skipped', () => {
    file(NAG_CACHE, key('a'), 40 * DAY);
    const fs = racing({ readdir: (d) => rmSync(d, { recursive: true, force: true }) });
    expect(pruneCache(dir, policy(), { now: NOW, fs }).failed).toEqual({ files: 0 });
  });

  test('an entry the other build used after it was listed is kept', () => {
    const a = file(NAG_CACHE, key('a'), 40 * DAY);
    let listed = 0;
    // The second lstat of `a` is the check right before removal: the other build hit it just before.
    const fs = racing({ lstat: (p) => p === a && ++listed === 2 && touchEntry(a, new Date(NOW)) });
    const result = pruneCache(dir, policy({ maxAgeMs: 30 * DAY }), { now: NOW, fs });
    expect(existsSync(a)).toBe(true);
    expect(result.expired.files).toBe(0);
  });

  test('a file that cannot be removed is reported, not thrown', () => {
    const a = file(NAG_CACHE, key('a'), 40 * DAY);
    const denied: CacheFs = {
      readdirSync,
      lstatSync,
      unlinkSync: () => {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      },
    };
    const result = pruneCache(dir, policy({ maxAgeMs: 30 * DAY }), { now: NOW, fs: denied });
    expect(existsSync(a)).toBe(true);
    expect(result.failed).toEqual({ files: 1, error: `${a}: EACCES: permission denied` });
    expect(formatPrune(result, policy({ maxAgeMs: 30 * DAY }), 'en')).toBe(`cache: pruned nothing; could not remove 1 file (${a}: EACCES: permission denied)`);
  });
});

describe('the policy from the environment', () => {
  test('defaults to 30 days and 2,000 MB', () => {
    expect(cachePolicyOf({})).toEqual({ maxAgeMs: 30 * DAY, maxBytes: 2_000_000_000, tmpAgeMs: 3_600_000 });
    expect(cachePolicyOf({ COOP_IDC_CACHE_MAX_AGE_DAYS: '', COOP_IDC_CACHE_MAX_MB: ' ' })).toEqual(DEFAULT_CACHE_POLICY);
  });

  test('takes whole days and megabytes', () => {
    expect(cachePolicyOf({ COOP_IDC_CACHE_MAX_AGE_DAYS: '7', COOP_IDC_CACHE_MAX_MB: '2000' })).toMatchObject({ maxAgeMs: 7 * DAY, maxBytes: 2_000_000_000 });
  });

  test.each([
    ['COOP_IDC_CACHE_MAX_AGE_DAYS', 'thirty'],
    ['COOP_IDC_CACHE_MAX_AGE_DAYS', '0'],
    ['COOP_IDC_CACHE_MAX_AGE_DAYS', '-5'],
    ['COOP_IDC_CACHE_MAX_AGE_DAYS', '1.5'],
    ['COOP_IDC_CACHE_MAX_MB', '512MB'],
    ['COOP_IDC_CACHE_MAX_MB', '99999999'],
  ])('fails when %s is %p, saying what is allowed and how to fix it', (name, value) => {
    const read = () => cachePolicyOf({ [name]: value });
    expect(read).toThrow(UsageError);
    expect(read).toThrow(new RegExp(`^${name} must be a whole number of (days|MB) from 1 to [\\d,]+, got "${value}" \\(set e\\.g\\. ${name}=\\d+, or unset it for the default \\d+; use --no-cache to build without the cache\\)$`));
  });
});

describe('sealedEntryText', () => {
  test('is sealEntry as asciiJson writes it: pure ASCII, the same value to JSON.parse, whatever the content', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.string({ unit: 'binary' }), (key, content, kind) => {
        const text = sealedEntryText(kind, key, content);
        expect(text).toBe(asciiJson(sealEntry(kind, key, content)));
        expect(/^[\x00-\x7f]*$/.test(text)).toBe(true);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(sealEntry(kind, key, content))));
      }),
    );
  });

  test('drops undefined members as JSON.stringify does, and opens as a sealed entry', () => {
    const content = { files: { 'a.json': '{"한":1}\n' }, gone: undefined, list: [1, undefined] };
    const text = sealedEntryText(NAG_CACHE, { stack: 'S' }, content);
    expect(text).toBe(asciiJson(sealEntry(NAG_CACHE, { stack: 'S' }, content)));
    expect(text).toContain('{\\"\\ud55c\\":1}');
    const file = join(dir, 'e.json');
    writeFileSync(file, text);
    expect(openEntry(file, NAG_CACHE, { stack: 'S' }, (c): c is unknown => typeof c === 'object')).toEqual({ content: { files: { 'a.json': '{"한":1}\n' }, list: [1, null] } });
  });

  test('opens an entry written another way (indented) the long way, and rejects one whose content changed either way', () => {
    const isObject = (c: unknown): c is unknown => typeof c === 'object';
    const content = { files: { 'a.json': 'x' } };
    const file = join(dir, 'e.json');
    writeFileSync(file, JSON.stringify(sealEntry(NAG_CACHE, 'k', content), undefined, 2));
    expect(openEntry(file, NAG_CACHE, 'k', isObject)).toEqual({ content });
    writeFileSync(file, sealedEntryText(NAG_CACHE, 'k', content).replace('"x"', '"y"'));
    expect(openEntry(file, NAG_CACHE, 'k', isObject)).toEqual({ rejected: 'its checksum does not match its content' });
    writeFileSync(file, JSON.stringify(sealEntry(NAG_CACHE, 'k', content), undefined, 2).replace('"x"', '"y"'));
    expect(openEntry(file, NAG_CACHE, 'k', isObject)).toEqual({ rejected: 'its checksum does not match its content' });
  });
});

describe('entries with text beyond ASCII (the checksum is taken over the bytes read)', () => {
  const isObject = (c: unknown): c is unknown => typeof c === 'object';
  const content = { files: { 'CoopIdc-Coop-a.template.json': '{"Description":"한국 기계 협동조합 — 설비 센서"}' } };

  test('writeEntry writes the bytes of sealedEntryText, all ASCII, and the entry opens with the Korean text', () => {
    writeEntry(dir, NAG_CACHE, 'ko', content);
    const file = join(dir, NAG_CACHE, entryFileName('ko'));
    const bytes = readFileSync(file);
    expect(bytes.equals(Buffer.from(sealedEntryText(NAG_CACHE, 'ko', content)))).toBe(true);
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    expect(openEntry(file, NAG_CACHE, 'ko', isObject)).toEqual({ content });
  });

  test('an escaped character changed to another is rejected', () => {
    const file = join(dir, 'ko.json');
    const text = sealedEntryText(NAG_CACHE, 'ko', content);
    expect(text).toContain('\\ud55c'); // 한
    writeFileSync(file, text.replace('\\ud55c', '\\ud559')); // 학
    expect(openEntry(file, NAG_CACHE, 'ko', isObject)).toEqual({ rejected: 'its checksum does not match its content' });
  });

  test('an entry with the Korean text as UTF-8 (another writer) opens; a byte damaged inside a character, or one changed to another, is rejected', () => {
    const file = join(dir, 'ko.json');
    const bytes = Buffer.from(JSON.stringify(sealEntry(NAG_CACHE, 'ko', content)));
    writeFileSync(file, bytes);
    expect(openEntry(file, NAG_CACHE, 'ko', isObject)).toEqual({ content });
    const at = bytes.indexOf(Buffer.from('한'));
    const broken = Buffer.from(bytes);
    broken[at + 1] = 0xff;
    writeFileSync(file, broken);
    expect(openEntry(file, NAG_CACHE, 'ko', isObject)).toEqual({ rejected: 'its checksum does not match its content' });
    writeFileSync(file, bytes.toString('utf8').replace('한', '학'));
    expect(openEntry(file, NAG_CACHE, 'ko', isObject)).toEqual({ rejected: 'its checksum does not match its content' });
  });
});

describe('describeDifference', () => {
  const v = (ruleName: string, ...resources: (string | undefined)[]) => ({ ruleName, violatingResources: resources.map((r) => (r === undefined ? {} : { constructPath: r })) });
  const both = (ref: ReturnType<typeof describeDifference>) => [formatMessage('en', ref), formatMessage('ko', ref)];

  test('names the violations each side has, up to three, in the run\'s language', () => {
    expect(both(describeDifference([], [v('R1', 'A/Resource', 'B/Resource', 'C/Resource', 'D/Resource')]))).toEqual([
      'cached: no violation; recomputed: 4 violations (R1 on A/Resource, R1 on B/Resource, R1 on C/Resource, …)',
      '캐시: 위반 없음; 다시 계산: 위반 4개 (A/Resource의 R1, B/Resource의 R1, C/Resource의 R1, …)',
    ]);
    expect(formatMessage('en', describeDifference([v('R2', undefined)], []))).toBe('cached: 1 violation (R2 on the stack); recomputed: no violation');
  });

  test('else the recorded passes, else that the details differ', () => {
    expect(both(describeDifference([v('R', 'A')], [v('R', 'A')], { cached: 3, computed: 4 }))).toEqual(['cached: 3 recorded passes; recomputed: 4', '캐시: 기록된 통과 3개; 다시 계산: 4개']);
    expect(formatMessage('en', describeDifference([v('R', 'A')], [v('R', 'A')]))).toBe('cached and recomputed name the same violations (1) but differ in their details or passes');
  });
});
