/**
 * `coop-idc tf plan|apply`: Terraform over the IDC stacks of a build output, stack by
 * stack in dependency order (build/terraform.ts does the work; this file parses argv).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { idcCooperativeStack } from '../infra/plan/names';
import { OUTPUT } from '../infra/shared-names';
import { findTerraform, runTerraform, TERRAFORM_ENV, TerraformError, type TerraformAction } from '../build/terraform';
import { msg } from '../infra/config/messages';
import { EXIT, langOf, t, UsageError, type CliIo } from './io';
import { helpText } from './help';

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
  if (values.help) return io.out(helpText('tf', langOf(io))), EXIT.ok;
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
