/**
 * CDKTF entry point (`cdktf.json`): `npx cdktf synth`, then `cdktf diff`/`deploy` or plain
 * `terraform` in `cdktf.out/stacks/<stack>`. The only place besides the CLI and the CDK app
 * that reads the environment and the clock. Writes the same Terraform JSON (and provider
 * lock file) as `coop-idc build` and holds it to the same Kubernetes checks.
 *
 * Environment: CDKTF_OUTDIR (set by the cdktf CLI; default `cdktf.out`), COOP_IDC_CONFIG
 * (config folder, default `config`), COOP_IDC_TODAY (YYYY-MM-DD, default today).
 */
import { compile, formatDiagnostic, formatFailure, readConfigDir } from '../infra';
import { formatMessage, msg, resolveLang } from '../infra/config/messages';
import { synthesizeIdc } from '../stacks/idc/app';
import { checkIdc } from '../build/idc-step';
import { TerraformError, writeProviderLock } from '../build/terraform';

// An entry point: the language comes from the environment (LC_ALL, LANG), as the CLI's does.
const lang = resolveLang(undefined, process.env);

function main(): number {
  const configDir = process.env.COOP_IDC_CONFIG ?? 'config';
  const today = process.env.COOP_IDC_TODAY ?? new Date().toISOString().slice(0, 10);
  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const result = compile(readConfigDir(configDir, process.cwd()), { today });
  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d, lang)}\n`);
  if (!result.plan) return 1;
  const synthesized = synthesizeIdc(result.plan, outdir);
  const { stacks, findings } = checkIdc(result.plan, outdir, synthesized);
  writeProviderLock(outdir, synthesized.map((s, i) => ({ ...s, json: stacks[i].json })));
  const failures = findings.filter((f) => f.status === 'fail');
  for (const f of failures) process.stderr.write(`${formatFailure(f)}\n`);
  if (failures.length) {
    process.stderr.write(`${formatMessage(lang, msg('cdktf.k8s-failed', { n: failures.length }))}\n`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  if (err instanceof TerraformError) {
    process.stderr.write(`${formatMessage(lang, msg('cli.usage-prefix', { message: err.text }))}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`${formatMessage(lang, msg('cli.internal-error', { error: String((err as Error)?.stack ?? err) }))}\n`);
    process.exitCode = 70;
  }
}
