import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { generateSources, writeSources } from '../../infra/testing/synthetic';
import { PLATFORM_STACK, synthesizeIdc } from '../../stacks/idc/app';
import { compileAt } from '../support/config';
import { tempDirs } from '../support/files';
import { KUBERNETES_PROVIDER_LOCK, TERRAFORM_LOCK_FILE } from '../../infra/idc/provider-lock';

const root = join(__dirname, '..', '..');
const tmp = tempDirs();

describe('cdktf.out/manifest.json', () => {
  test('every cooperative stack depends on the platform stack (guardrails and shared servers first)', () => {
    const plan = compileAt(generateSources({ n: 5, seed: 2 })).plan!;
    const out = tmp('idc-manifest-');
    const stacks = synthesizeIdc(plan, out);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.stacks[PLATFORM_STACK].dependencies).toEqual([]);
    const coops = stacks.filter((s) => s.cooperative !== undefined);
    expect(coops.length).toBeGreaterThan(0);
    for (const s of coops) expect([s.stack, manifest.stacks[s.stack].dependencies]).toEqual([s.stack, [PLATFORM_STACK]]);
  });
});

describe('cdktf.json', () => {
  const config = JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8'));

  test('names a TypeScript app and the output folder, with the provider pinned as the build uses it', () => {
    expect(config).toMatchObject({ language: 'typescript', app: 'npx tsx cli/cdktf-app.ts', output: 'cdktf.out' });
    expect(config.terraformProviders).toEqual(['hashicorp/kubernetes@2.38.0']);
  });

  test('its app synthesizes the config it is pointed at into CDKTF_OUTDIR and exits 0', () => {
    const config = tmp('idc-cli-config-');
    writeSources(generateSources({ n: 3, seed: 4 }), config);
    const out = tmp('idc-cli-out-');
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'cli', 'cdktf-app.ts')], {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: out, COOP_IDC_CONFIG: config, COOP_IDC_TODAY: '2026-11-27' },
      encoding: 'utf8',
    });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).stacks[PLATFORM_STACK]).toBeDefined();
    // `cdktf deploy` runs terraform init in each stack: with the repository's lock file there.
    expect(readFileSync(join(out, 'stacks', PLATFORM_STACK, TERRAFORM_LOCK_FILE)).equals(readFileSync(KUBERNETES_PROVIDER_LOCK))).toBe(true);
  });

  test('fails with exit 1 and file:line:col diagnostics on invalid config, never a stack trace', () => {
    const config = tmp('idc-cli-bad-');
    const sources = generateSources({ n: 2, seed: 4 });
    const platform = parse(sources.platform.text);
    delete platform.idc.allowedRegistries;
    writeSources({ ...sources, platform: { ...sources.platform, text: stringify(platform) } }, config);
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'cli', 'cdktf-app.ts')], {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: tmp('idc-cli-bad-out-'), COOP_IDC_CONFIG: config, COOP_IDC_TODAY: '2026-11-27' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/platform\.yaml:\d+:\d+ error /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
