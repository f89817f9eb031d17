/**
 * Erasure bench: `npm run bench:erase`.
 *
 * Ingests ERASE_BENCH_ROWS rows (default 200,000; 50 member companies over 30 days, in 4
 * uploads) with the real ingestion into a folder standing in for S3, then measures in
 * separate child processes — so each peak RSS is its own —
 *   baseline: the pipeline writing the same files (runPipeline over the same 4 inputs);
 *   erase:    eraseMember of one member over those files (manifests, read, match by id and
 *             token, rewrite, SHA-256, record), on a fresh copy of the folder.
 * Prints rows/s of each (dataset rows: each is written to a curated and a shared file), the erase/baseline ratio and peak RSS.
 * A bench, not a test: nothing here asserts.
 */
import { spawn } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { compile, type TenancyPlan } from '../infra';
import { eraseMember, type ErasureStore } from '../lambdas/domain/erase';
import { ingestObject } from '../lambdas/domain/ingest';
import { runPipeline } from '../lambdas/domain/pipeline';
import { InMemoryCatalog, type StoredObject } from '../lambdas/domain/ports';
import { HmacPseudonymizer, TokenCache } from '../lambdas/domain/pseudonymize';
import { agreement, sharingSources } from '../test/support/sharing-fixture';

const ROWS = Number(process.env.ERASE_BENCH_ROWS ?? 200_000);
const UPLOADS = 4;
const KEY = 'bench-key';

/** Object storage on a local folder: `<root>/<bucket>/<key>`. */
class FolderStore implements ErasureStore {
  constructor(private readonly root: string) {}
  private path(bucket: string, key: string): string {
    return join(this.root, bucket, key);
  }
  async get(bucket: string, key: string): Promise<StoredObject> {
    return { body: createReadStream(this.path(bucket, key)) };
  }
  async putFile(bucket: string, key: string, path: string): Promise<void> {
    await mkdir(dirname(this.path(bucket, key)), { recursive: true });
    await copyFile(path, this.path(bucket, key));
  }
  async putText(bucket: string, key: string, text: string): Promise<void> {
    await mkdir(dirname(this.path(bucket, key)), { recursive: true });
    await writeFile(this.path(bucket, key), text);
  }
  async exists(bucket: string, key: string): Promise<boolean> {
    return existsSync(this.path(bucket, key));
  }
  async list(bucket: string, prefix: string): Promise<string[]> {
    const base = join(this.root, bucket);
    const out: string[] = [];
    const walk = (d: string) => {
      if (!existsSync(d)) return;
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else out.push(relative(base, p).split('\\').join('/'));
      }
    };
    walk(base);
    return out.filter((k) => k.startsWith(prefix)).sort();
  }
}

function planOf(): TenancyPlan {
  const compiled = compile(sharingSources(agreement({ level: 'pseudonymized', columns: 'machine_id, member_company_id, measured_at, factory_region, energy_kwh' })), { today: '2026-12-01' });
  if (!compiled.plan) throw new Error('bench config does not compile');
  return compiled.plan;
}

function csv(part: number): string {
  const lines = ['machine_id,member_company_id,measured_at,energy_kwh,factory_region,postcode,owner_age,health_flag'];
  const n = Math.floor(ROWS / UPLOADS);
  for (let i = 0; i < n; i++) {
    const r = part * n + i;
    const day = 1 + (r % 30);
    const sec = r % 86400;
    const t = `2026-11-${String(day).padStart(2, '0')} ${String(Math.floor(sec / 3600)).padStart(2, '0')}:${String(Math.floor(sec / 60) % 60).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}`;
    lines.push(`M-${r % 200},m-${String(r % 50).padStart(4, '0')},${t},${(r % 1000) / 10},서울 강남구,0${6000 + (r % 900)},${20 + (r % 50)},${r % 2 === 0}`);
  }
  return lines.join('\n') + '\n';
}

function targetsOf(plan: TenancyPlan) {
  const c = plan.cooperatives[0];
  return { cooperative: c.id, database: c.cloud.database, curatedBucket: c.cloud.buckets.curated, quarantineBucket: c.cloud.buckets.quarantine, sharedBucket: plan.platform.sharedZone.bucket, sharedDatabase: plan.platform.sharedZone.database };
}

async function childMain(mode: string, dir: string): Promise<void> {
  const plan = planOf();
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let rows = 0;
  if (mode === 'baseline') {
    const dataset = JSON.parse(JSON.stringify(plan.cooperatives[0].datasets[0]));
    for (let p = 0; p < UPLOADS; p++) {
      const workDir = mkdtempSync(join(tmpdir(), 'erase-bench-pipe-'));
      try {
        const text = readFileSync(join(dir, 'inputs', `upload-${p}.csv`));
        const r = await runPipeline({ dataset, source: (async function* () { yield text; })(), format: 'csv', encoding: 'utf-8', workDir, tokens: new TokenCache(new HmacPseudonymizer(KEY)) });
        rows += r.rowsWritten;
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
    }
  } else {
    const t = targetsOf(plan);
    const store = new FolderStore(join(dir, 'store'));
    const r = await eraseMember({
      store, catalog: InMemoryCatalog.fromPlan(plan), pseudonymizer: new HmacPseudonymizer(KEY),
      targets: { cooperative: t.cooperative, database: t.database, curatedBucket: t.curatedBucket, sharedBucket: t.sharedBucket },
    }, { bucket: t.curatedBucket, key: '_erasure/requests/ER-BENCH-1.json' });
    if (r.status !== 'erased') throw new Error(`erase: ${r.status}`);
    // Dataset rows scanned (each is in a curated and a shared file), as the baseline counts rows it writes to both.
    rows = (await Promise.all((await store.list(t.curatedBucket, '_manifests/')).map(async (k) => JSON.parse(readFileSync(join(dir, 'store', t.curatedBucket, k), 'utf8')).rowsWritten as number))).reduce((a, b) => a + b, 0);
    process.stderr.write(`  erase: ${r.record!.filesExamined} files examined, ${r.record!.files.length} rewritten, ${r.record!.rowsRemoved.curated} curated and ${r.record!.rowsRemoved.shared} shared rows removed\n`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, rows, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

function runChild(mode: string, dir: string): Promise<{ seconds: number; cpuSeconds: number; rows: number; maxRssMb: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, __filename, mode, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`${mode} exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'erase-bench-'));
  try {
    const plan = planOf();
    const t = targetsOf(plan);
    const store = new FolderStore(join(dir, 'store'));
    const catalog = InMemoryCatalog.fromPlan(plan);
    mkdirSync(join(dir, 'inputs'), { recursive: true });
    for (let p = 0; p < UPLOADS; p++) {
      const key = `readings/upload-${p}.csv`;
      writeFileSync(join(dir, 'inputs', `upload-${p}.csv`), csv(p));
      await store.putFile('raw', key, join(dir, 'inputs', `upload-${p}.csv`));
      const r = await ingestObject({ store, catalog, pseudonymizer: new HmacPseudonymizer(KEY), targets: t }, { bucket: 'raw', key, versionId: 'v1' });
      if (r.status !== 'processed') throw new Error(`ingest: ${r.status}`);
    }
    await store.putText(t.curatedBucket, '_erasure/requests/ER-BENCH-1.json', JSON.stringify({ memberId: 'm-0007', cooperative: t.cooperative, reason: 'bench', requestRef: 'ER-BENCH-1' }));
    const pristine = join(dir, 'pristine');
    cpSync(join(dir, 'store'), pristine, { recursive: true });
    console.log(`erase bench: ${ROWS.toLocaleString('en-US')} rows, 50 member companies, 30 days, ${UPLOADS} uploads; one member erased (2 % of rows)`);
    const base = await runChild('baseline', dir);
    rmSync(join(dir, 'store'), { recursive: true, force: true });
    cpSync(pristine, join(dir, 'store'), { recursive: true });
    const erase = await runChild('erase', dir);
    const line = (name: string, r: typeof base) => `  ${name.padEnd(9)} ${r.seconds.toFixed(2).padStart(6)} s  cpu ${r.cpuSeconds.toFixed(2).padStart(6)} s  ${Math.round(r.rows / r.seconds).toLocaleString('en-US').padStart(10)} rows/s  ${Math.round(r.rows / r.cpuSeconds).toLocaleString('en-US').padStart(10)} rows/cpu-s  peak RSS ${r.maxRssMb.toFixed(0)} MB  (${r.rows.toLocaleString('en-US')} rows)`;
    console.log(line('baseline', base));
    console.log(line('erase', erase));
    console.log(`  ratio erase/baseline: ${((erase.rows / erase.seconds) / (base.rows / base.seconds)).toFixed(2)}× rows/s (wall), ${((erase.rows / erase.cpuSeconds) / (base.rows / base.cpuSeconds)).toFixed(2)}× rows per CPU second, ${(erase.maxRssMb / base.maxRssMb).toFixed(2)}× peak RSS`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'baseline' || process.argv[2] === 'erase') {
  childMain(process.argv[2], process.argv[3]).catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  });
}
