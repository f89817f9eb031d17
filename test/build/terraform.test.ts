/**
 * The provider lock file the build puts in every IDC stack, the stack order of
 * cdktf.out/manifest.json, and `coop-idc tf plan|apply`.
 *
 * Terraform itself cannot run here: `terraform init` needs the provider registry, which this
 * machine cannot reach. So `tf` runs a small stand-in `terraform` (a shell script first on
 * PATH) that records its arguments and working directory, writes `tfplan` on `plan` as the
 * real one does, and fails when told to; tests never depend on a real Terraform being there.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runIdc } from '../../build/idc-step';
import { findTerraform, lockedProviderVersion, stackOrder, TerraformError, writeProviderLock } from '../../build/terraform';
import { main } from '../../cli/main';
import { KUBERNETES_PROVIDER_ADDRESS, KUBERNETES_PROVIDER_LOCK, TERRAFORM_LOCK_FILE } from '../../infra/idc/provider-lock';
import { IDC_PLATFORM_STACK, idcCooperativeStack } from '../../infra/plan/names';
import { generateSources } from '../../infra/testing/synthetic';
import { synthesizeIdc } from '../../stacks/idc/app';
import { compileAt } from '../support/config';
import { tempDirs } from '../support/files';

const root = join(__dirname, '..', '..');
const tmp = tempDirs();

const plan = compileAt(generateSources({ n: 3, seed: 7 })).plan!;
const coopIds = plan.cooperatives.filter((c) => c.idc).map((c) => c.id);
const coopStacks = coopIds.map(idcCooperativeStack).sort();

/** A build output folder holding the IDC output (`out/cdktf.out`), fresh for each use. */
function buildOutput(): string {
  const out = tmp('tf-out-');
  runIdc(plan, out);
  return out;
}

describe('provider lock file', () => {
  const lock = readFileSync(KUBERNETES_PROVIDER_LOCK, 'utf8');

  test('pins the provider version the CDKTF bindings were generated for', () => {
    const bindings = JSON.parse(readFileSync(join(root, 'node_modules', '@cdktf', 'provider-kubernetes', 'package.json'), 'utf8')).cdktf.provider;
    expect(bindings.name).toBe(KUBERNETES_PROVIDER_ADDRESS);
    expect(lockedProviderVersion(lock)).toBe(bindings.version);
    const cdktfJson = JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8'));
    expect(cdktfJson.terraformProviders).toEqual([`hashicorp/kubernetes@${bindings.version}`]);
  });

  test('carries real checksums: zh: for every platform package, h1: for unpacked ones', () => {
    const hashes = [...lock.matchAll(/"((?:h1|zh):[^"]+)"/g)].map((m) => m[1]);
    const zh = hashes.filter((h) => h.startsWith('zh:'));
    const h1 = hashes.filter((h) => h.startsWith('h1:'));
    expect(zh.length).toBeGreaterThanOrEqual(10);
    expect(h1.length).toBeGreaterThanOrEqual(1);
    for (const h of zh) expect(h).toMatch(/^zh:[0-9a-f]{64}$/);
    for (const h of h1) expect(h).toMatch(/^h1:[A-Za-z0-9+/]{43}=$/);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  test('the build copies it, byte for byte, into every stack, beside Terraform JSON requiring the same version', () => {
    const out = buildOutput();
    const stacks = synthesizeIdc(plan, tmp('tf-synth-'));
    expect(stacks.length).toBe(coopIds.length + 1);
    const source = readFileSync(KUBERNETES_PROVIDER_LOCK);
    for (const s of stacks) {
      const dir = join(out, 'cdktf.out', dirname(s.file));
      expect([s.stack, readFileSync(join(dir, TERRAFORM_LOCK_FILE)).equals(source)]).toEqual([s.stack, true]);
      const json = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8'));
      expect(json.terraform.required_providers.kubernetes.version).toBe(lockedProviderVersion(source.toString('utf8')));
    }
  });

  test('fails when the lock file pins another version than the stacks require', () => {
    const cdktfOut = tmp('tf-stale-');
    const stacks = synthesizeIdc(plan, cdktfOut);
    const stale = join(tmp('tf-lock-'), TERRAFORM_LOCK_FILE);
    writeFileSync(stale, readFileSync(KUBERNETES_PROVIDER_LOCK, 'utf8').replace(/version\s*=\s*"2\.38\.0"/, 'version     = "2.37.1"'));
    expect(() => writeProviderLock(cdktfOut, stacks, stale)).toThrow(/requires the kubernetes provider 2\.38\.0 but the lock file \(\.terraform\.lock\.hcl\) pins 2\.37\.1/);
    expect(() => writeProviderLock(cdktfOut, stacks, stale)).toThrow(/잠금 파일/);
    expect(existsSync(join(cdktfOut, dirname(stacks[0].file), TERRAFORM_LOCK_FILE))).toBe(false);
  });

  test('lockedProviderVersion reads only the named provider', () => {
    const text = 'provider "registry.terraform.io/hashicorp/random" {\n  version     = "3.7.2"\n}\n';
    expect(lockedProviderVersion(text)).toBeUndefined();
    expect(lockedProviderVersion(text, 'registry.terraform.io/hashicorp/random')).toBe('3.7.2');
  });
});

describe('stack order', () => {
  test('a cooperative stack is named as tf --coop finds it', () => {
    const stacks = synthesizeIdc(plan, tmp('tf-names-'));
    for (const s of stacks.filter((x) => x.cooperative !== undefined)) expect(s.stack).toBe(idcCooperativeStack(s.cooperative!));
  });

  test('the platform stack first, then the cooperatives by name, from manifest.json', () => {
    const out = buildOutput();
    const order = stackOrder(join(out, 'cdktf.out'));
    expect(order.map((s) => s.name)).toEqual([IDC_PLATFORM_STACK, ...coopStacks]);
    expect(order[0].dir).toBe(resolve(out, 'cdktf.out', 'stacks', IDC_PLATFORM_STACK));
    for (const s of order.slice(1)) expect(s.dependencies).toEqual([IDC_PLATFORM_STACK]);
  });

  const manifest = (stacks: Record<string, string[]>) => {
    const d = tmp('tf-manifest-');
    writeFileSync(join(d, 'manifest.json'), JSON.stringify({ stacks: Object.fromEntries(Object.entries(stacks).map(([n, deps]) => [n, { workingDirectory: `stacks/${n}`, dependencies: deps }])) }));
    return d;
  };

  test('follows dependencies, not names', () => {
    expect(stackOrder(manifest({ a: ['b'], b: ['c'], c: [], d: [] })).map((s) => s.name)).toEqual(['c', 'd', 'b', 'a']);
  });

  test('fails on a dependency cycle, a missing stack or a missing manifest, in Korean and English', () => {
    expect(() => stackOrder(manifest({ a: ['b'], b: ['a'], c: [] }))).toThrow(/순환.*form a cycle \(a, b\)/);
    expect(() => stackOrder(manifest({ a: ['zz'] }))).toThrow(/depends on missing stack\(s\) zz/);
    const none = tmp('tf-none-');
    expect(() => stackOrder(none)).toThrow(TerraformError);
    expect(() => stackOrder(none)).toThrow(/먼저 'coop-idc build'.*run 'coop-idc build' first/);
  });
});

/** A stand-in `terraform` on PATH; what it was asked is in `calls()`. */
function fakeTerraform() {
  const bin = tmp('tf-bin-');
  const log = join(bin, 'calls.log');
  const script = [
    '#!/bin/sh',
    // One line per call: working directory, then each argument, tab-separated.
    'line="$PWD"; for a in "$@"; do line="$line\t$a"; done; printf "%s\\n" "$line" >> "$FAKE_TF_LOG"',
    'dir=""; for a in "$@"; do case "$a" in -chdir=*) dir="${a#-chdir=}";; esac; done',
    'if [ "$FAKE_TF_FAIL" = "${dir##*/}:$2" ]; then echo "fake terraform: failing as told" >&2; exit 1; fi',
    'if [ "$2" = plan ]; then : > "$dir/tfplan"; fi',
    'exit 0',
  ].join('\n');
  writeFileSync(join(bin, 'terraform'), `${script}\n`);
  chmodSync(join(bin, 'terraform'), 0o755);
  return {
    bin,
    log,
    calls: (): { cwd: string; args: string[] }[] =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .trimEnd()
            .split('\n')
            .map((l) => {
              const [cwd, ...args] = l.split('\t');
              return { cwd, args };
            })
        : [],
  };
}

async function tf(cwd: string, env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['tf', ...argv], { cwd, today: '2026-11-27', env: { LANG: 'en_US.UTF-8', ...env }, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('coop-idc tf', () => {
  let project: string;
  let fake: ReturnType<typeof fakeTerraform>;
  let env: Record<string, string>;
  beforeEach(() => {
    project = tmp('tf-project-');
    const out = buildOutput();
    // The output folder as `build` leaves it: <project>/out.
    renameSync(out, join(project, 'out'));
    fake = fakeTerraform();
    env = { PATH: fake.bin, FAKE_TF_LOG: fake.log };
  });
  const dirOf = (stack: string) => join(project, 'out', 'cdktf.out', 'stacks', stack);

  test('plan: init and plan -out=tfplan per stack, the platform first, with -chdir, in the working directory', async () => {
    const r = await tf(project, env, 'plan');
    expect([r.code, r.err]).toEqual([0, '']);
    const expected = [IDC_PLATFORM_STACK, ...coopStacks].flatMap((s) => [
      [`-chdir=${dirOf(s)}`, 'init', '-input=false'],
      [`-chdir=${dirOf(s)}`, 'plan', '-input=false', '-out=tfplan'],
    ]);
    expect(fake.calls().map((c) => c.args)).toEqual(expected);
    expect(fake.calls().every((c) => c.cwd === project)).toBe(true);
    expect(r.out).toContain(`tf plan: ${coopStacks.length + 1} stacks done`);
  });

  test('plan passes the options after -- to terraform plan only', async () => {
    expect((await tf(project, env, 'plan', '--', '-var', 'kubeconfig_context=idc-prod')).code).toBe(0);
    const calls = fake.calls().map((c) => c.args.slice(1));
    expect(calls.filter((a) => a[0] === 'init').every((a) => a.length === 2)).toBe(true);
    expect(calls.filter((a) => a[0] === 'plan').every((a) => a.join(' ') === 'plan -input=false -out=tfplan -var kubeconfig_context=idc-prod')).toBe(true);
  });

  test('apply applies the saved plans in the same order', async () => {
    expect((await tf(project, env, 'plan')).code).toBe(0);
    rmSync(fake.log);
    const r = await tf(project, env, 'apply');
    expect([r.code, r.err]).toEqual([0, '']);
    expect(fake.calls().map((c) => c.args)).toEqual(
      [IDC_PLATFORM_STACK, ...coopStacks].flatMap((s) => [
        [`-chdir=${dirOf(s)}`, 'init', '-input=false'],
        [`-chdir=${dirOf(s)}`, 'apply', '-input=false', 'tfplan'],
      ]),
    );
  });

  test('fails when apply finds a stack without a saved plan: nothing runs', async () => {
    expect((await tf(project, env, 'plan')).code).toBe(0);
    rmSync(join(dirOf(coopStacks[1]), 'tfplan'));
    rmSync(fake.log);
    const r = await tf(project, env, 'apply');
    expect(r.code).toBe(1);
    expect(fake.calls()).toEqual([]);
    expect(r.err).toContain(`nothing applied: no saved plan (tfplan) for ${coopStacks[1]}; run 'coop-idc tf plan' first`);
  });

  test('fails at the first stack Terraform fails in: exit 1, later stacks not run, named in the language of the run', async () => {
    const second = coopStacks[0];
    const r = await tf(project, { ...env, FAKE_TF_FAIL: `${second}:plan` }, 'plan');
    expect(r.code).toBe(1);
    expect(fake.calls().map((c) => `${c.args[0].split('/').pop()} ${c.args[1]}`)).toEqual([`${IDC_PLATFORM_STACK} init`, `${IDC_PLATFORM_STACK} plan`, `${second} init`, `${second} plan`]);
    const notRun = coopStacks.slice(1).join(', ');
    expect(r.err).toContain(`terraform failed in stack ${second} (exit 1): terraform -chdir=${dirOf(second)} plan -input=false -out=tfplan; not run: ${notRun}`);
    expect(r.err).not.toMatch(/[가-힣]/);
    const ko = await tf(project, { ...env, LANG: 'ko_KR.UTF-8', FAKE_TF_FAIL: `${second}:plan` }, 'plan');
    expect(ko.code).toBe(1);
    expect(ko.err).toContain(`${second} 스택에서 terraform이 실패했습니다(종료 코드 1)`);
    expect(ko.err).toContain(`실행하지 않은 스택: ${notRun}`);
    expect(ko.err).not.toContain('terraform failed');
  });

  test('--coop runs only that cooperative\'s stack', async () => {
    const r = await tf(project, env, 'plan', '--coop', coopIds[0]);
    expect(r.code).toBe(0);
    expect(fake.calls().map((c) => c.args[0])).toEqual([`-chdir=${dirOf(idcCooperativeStack(coopIds[0]))}`, `-chdir=${dirOf(idcCooperativeStack(coopIds[0]))}`]);
  });

  test('apply --coop refuses until the platform stack has state, then applies only that stack', async () => {
    const id = coopIds[0];
    expect((await tf(project, env, 'plan', '--coop', id)).code).toBe(0);
    rmSync(fake.log);
    const refused = await tf(project, env, 'apply', '--coop', id);
    expect(refused.code).toBe(1);
    expect(fake.calls()).toEqual([]);
    expect(refused.err).toContain(`must be applied after ${IDC_PLATFORM_STACK}, which has no state yet`);
    // The local backend of the platform stack: idc-state/ beside the output folder.
    const state = join(project, 'idc-state', `${IDC_PLATFORM_STACK}.tfstate`);
    mkdirSync(dirname(state), { recursive: true });
    writeFileSync(state, '{}');
    const r = await tf(project, env, 'apply', '--coop', id);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(fake.calls().map((c) => c.args.slice(1).join(' '))).toEqual(['init -input=false', 'apply -input=false tfplan']);
  });

  test('fails on --coop naming no stack, listing those there are', async () => {
    const r = await tf(project, env, 'plan', '--coop', 'nope');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`no stack coop-nope in`);
    expect(r.err).toContain(IDC_PLATFORM_STACK);
    expect(fake.calls()).toEqual([]);
  });

  test('finds Terraform through COOP_IDC_TERRAFORM before PATH, and says so when there is none', async () => {
    // On PATH, a terraform that always fails: taking it would make the run fail.
    const onPath = tmp('tf-path-');
    writeFileSync(join(onPath, 'terraform'), '#!/bin/sh\nexit 3\n');
    chmodSync(join(onPath, 'terraform'), 0o755);
    expect((await tf(project, { PATH: onPath, FAKE_TF_LOG: fake.log, COOP_IDC_TERRAFORM: join(fake.bin, 'terraform') }, 'plan')).code).toBe(0);
    expect(fake.calls().length).toBe(2 * (coopStacks.length + 1));
    expect((await tf(project, { PATH: onPath }, 'plan')).code).toBe(1);
    const r = await tf(project, { PATH: tmp('tf-empty-') }, 'plan');
    expect(r.code).toBe(1);
    expect(r.err).toContain('terraform not found: install Terraform 1.5 or later on PATH, or set COOP_IDC_TERRAFORM');
    expect(findTerraform({ PATH: `${tmp('tf-empty-')}:${fake.bin}` }, project)).toBe(join(fake.bin, 'terraform'));
  });

  test('fails without a build output', async () => {
    const r = await tf(project, env, 'plan', '--out', 'elsewhere');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/manifest\.json does not exist/);
    expect(fake.calls()).toEqual([]);
  });

  test.each([[[]], [['destroy']], [['plan', 'extra']], [['apply', '--', '-var', 'x=1']], [['plan', '--bogus']]])('usage error (exit 2) for tf %j', async (argv) => {
    const r = await tf(project, env, ...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain("Run 'coop-idc tf --help' for usage.");
    expect(fake.calls()).toEqual([]);
  });
});
