/**
 * `coop-idc tf plan|apply`: Terraform over the IDC stacks of a build output, stack by
 * stack in dependency order (build/terraform.ts does the work; this file parses argv).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { idcCooperativeStack } from '../infra/plan/names';
import { OUTPUT } from '../infra/shared-names';
import { findTerraform, runTerraform, TERRAFORM_ENV, TerraformError, TF_PLAN_FILE, type TerraformAction } from '../build/terraform';
import { msg } from '../infra/config/messages';
import { EXIT, langOf, t, UsageError, type CliIo } from './io';

/** Help text of `coop-idc tf`. */
export const TF_HELP = `사용법 / Usage: coop-idc tf plan|apply [--out dir] [--coop id] [-- <terraform plan options>]

빌드 출력(기본: out)의 ${OUTPUT.cdktfOut}/manifest.json 이 정한 의존 순서대로(플랫폼 스택 먼저,
그다음 협동조합 스택) 스택마다 Terraform 을 실행합니다. 처음 실패한 스택에서 멈추고 종료 코드 1 을
돌려주며, 실행하지 않은 스택을 알려 줍니다.
  plan    스택마다 'terraform init -input=false' 와 'terraform plan -input=false -out=${TF_PLAN_FILE}'
  apply   스택마다 'terraform init -input=false' 와 'terraform apply -input=false ${TF_PLAN_FILE}':
          plan 이 저장한 계획만 적용하며, 계획이 없는 스택이 하나라도 있으면 아무것도 하지 않습니다

Runs Terraform in each IDC stack of a build output (default: out), in the order of
${OUTPUT.cdktfOut}/manifest.json (the platform stack, then the cooperatives'). Stops at the first
stack that fails, exit 1, naming the stacks not run.
  plan    per stack: 'terraform init -input=false', 'terraform plan -input=false -out=${TF_PLAN_FILE}'
  apply   per stack: 'terraform init -input=false', 'terraform apply -input=false ${TF_PLAN_FILE}':
          applies only the plan that 'tf plan' saved, and nothing at all when a stack has none

  --out <dir>   빌드 출력 폴더 / the build output folder
  --coop <id>   이 협동조합의 스택만 / only this cooperative's stack. apply --coop first checks
                that the platform stack has state (it was applied before)
  -- <options>  plan 에만, terraform plan 에 그대로 전달 / plan only, passed to terraform plan,
                e.g. -- -var kubeconfig_context=idc-prod (or TF_VAR_kubeconfig_context)

Terraform: ${TERRAFORM_ENV} (path of the binary), else 'terraform' on PATH (≥ 1.5). Each stack
keeps the provider lock file the build copied from infra/idc/terraform/.terraform.lock.hcl.`;

/** Runs `coop-idc tf <args>`; returns the exit code. */
export function tfCommand(args: readonly string[], io: CliIo): number {
  const dash = args.indexOf('--');
  const own = dash < 0 ? args : args.slice(0, dash);
  const planArgs = dash < 0 ? [] : args.slice(dash + 1);
  let parsed;
  try {
    parsed = parseArgs({ args: [...own], options: { out: { type: 'string' }, coop: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0], 'tf');
  }
  const { values, positionals } = parsed;
  if (values.help) return io.out(TF_HELP), EXIT.ok;
  const [action, ...extra] = positionals;
  if (action !== 'plan' && action !== 'apply') throw new UsageError(action === undefined ? msg('tf.needs-action') : msg('tf.unknown-action', { action }), 'tf');
  if (extra.length) throw new UsageError(msg('tf.unexpected-arg', { action, arg: extra[0] }), 'tf');
  if (action === 'apply' && planArgs.length) throw new UsageError(msg('tf.apply-options'), 'tf');
  const out = values.out ?? 'out';
  if (out.trim() === '') throw new UsageError(msg('tf.out-empty'), 'tf');
  const cdktfOut = join(resolve(io.cwd, out), OUTPUT.cdktfOut);
  return run(action, cdktfOut, values.coop, planArgs, io);
}

function run(action: TerraformAction, cdktfOut: string, coop: string | undefined, planArgs: readonly string[], io: CliIo): number {
  try {
    const terraform = findTerraform(io.env, io.cwd);
    if (!terraform) {
      throw new TerraformError(msg('tf.not-found', { env: TERRAFORM_ENV }));
    }
    const outcome = runTerraform({
      action,
      cdktfOut,
      terraform,
      env: io.env,
      cwd: io.cwd,
      ...(coop !== undefined ? { stack: idcCooperativeStack(coop) } : {}),
      planArgs,
      lang: langOf(io),
      log: (l) => io.out(l),
    });
    if (outcome.failure) {
      const f = outcome.failure;
      const notRun = f.notRun.length ? f.notRun.join(', ') : '-';
      io.err(t(io, 'tf.failed', { action, stack: f.stack, status: String(f.status), command: f.command, notRun }));
      return EXIT.invalid;
    }
    io.out(t(io, 'tf.done', { action, n: outcome.done.length, stacks: outcome.done.join(', ') }));
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof TerraformError)) throw e;
    io.err(t(io, 'tf.error', { action, error: e.inLang(langOf(io)) }));
    return EXIT.invalid;
  }
}
