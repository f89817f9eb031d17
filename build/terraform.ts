/**
 * Terraform over the synthesized IDC output: the provider lock file copied into every stack,
 * and `coop-idc tf plan|apply`, which runs Terraform stack by stack in the order
 * `cdktf.out/manifest.json` gives. Reads only the synthesized output (never cdktf), so it
 * stays as it is when the renderer is replaced by another writer of the same files.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { KUBERNETES_PROVIDER_ADDRESS, KUBERNETES_PROVIDER_LOCK, TERRAFORM_LOCK_FILE } from '../infra/idc/provider-lock';
import { DEFAULT_LANG, formatMessage, msg, type Lang, type MessageRef } from '../infra/config/messages';

/** The manifest CDKTF writes beside the stacks. */
export const CDKTF_MANIFEST = 'manifest.json';
/** The saved plan `tf plan` writes in each stack's working directory and `tf apply` applies. */
export const TF_PLAN_FILE = 'tfplan';
/** Environment variable naming the Terraform binary; else `terraform` is looked up on PATH. */
export const TERRAFORM_ENV = 'COOP_IDC_TERRAFORM';

/** A problem that stops `tf` or the lock-file copy, as a catalogue message (both languages). */
export class TerraformError extends Error {
  constructor(readonly text: MessageRef) {
    // Both languages in the error text (a log); the CLI shows the one the run chose.
    super(`${formatMessage('ko', text)} / ${formatMessage('en', text)}`);
    this.name = 'TerraformError';
  }

  /** The text in one language, the one the run chose. */
  inLang(lang: Lang): string {
    return formatMessage(lang, this.text);
  }
}

/** The version a lock file pins for `provider`, or undefined when it has no such block. */
export function lockedProviderVersion(lockText: string, provider = KUBERNETES_PROVIDER_ADDRESS): string | undefined {
  const start = lockText.indexOf(`provider "${provider}" {`);
  if (start < 0) return undefined;
  const block = lockText.slice(start, lockText.indexOf('\n}', start));
  return /^\s*version\s*=\s*"([^"]+)"/m.exec(block)?.[1];
}

/** A synthesized stack {@link writeProviderLock} puts the lock file beside. */
export interface LockTarget {
  readonly stack: string;
  /** Its Terraform JSON, relative to `cdktf.out`. */
  readonly file: string;
  /**
   * That JSON, already parsed.
   * @default - read from `file` (parsing every stack again costs ~1 s at 1,000 stacks)
   */
  readonly json?: unknown;
}

/**
 * Copies the repository's provider lock file into the working directory of every
 * synthesized stack (`<cdktfOut>/<dir of file>`), byte for byte, after checking that it pins
 * the provider version each stack requires: a provider upgrade without a new lock file fails
 * the build here rather than at `terraform init` on the cluster engineer's machine.
 */
export function writeProviderLock(cdktfOut: string, stacks: readonly LockTarget[], lockFile = KUBERNETES_PROVIDER_LOCK): void {
  const locked = lockedProviderVersion(readFileSync(lockFile, 'utf8'));
  for (const s of stacks) {
    const json = (s.json ?? JSON.parse(readFileSync(join(cdktfOut, s.file), 'utf8'))) as { terraform?: { required_providers?: Record<string, { version?: string }> } };
    const required = json.terraform?.required_providers?.kubernetes?.version;
    if (required !== undefined && required !== locked) {
      throw new TerraformError(msg('tf.lock-mismatch', { stack: s.stack, required, lockFile: TERRAFORM_LOCK_FILE, locked: locked ?? '-' }));
    }
    copyFileSync(lockFile, join(cdktfOut, dirname(s.file), TERRAFORM_LOCK_FILE));
  }
}

/** One stack of the synthesized app, as the manifest describes it. */
export interface TerraformStackDir {
  readonly name: string;
  /** Absolute working directory of the stack. */
  readonly dir: string;
  /** Stacks Terraform must apply before this one. */
  readonly dependencies: readonly string[];
}

interface Manifest {
  readonly stacks?: Record<string, { readonly workingDirectory?: string; readonly dependencies?: readonly string[] }>;
}

/**
 * The stacks of `<cdktfOut>/manifest.json` in an order that applies every stack after the
 * stacks it depends on (the platform stack before the cooperatives'); stacks whose turn
 * comes together are taken by name, so the order is the same on every run.
 */
export function stackOrder(cdktfOut: string): TerraformStackDir[] {
  const file = join(cdktfOut, CDKTF_MANIFEST);
  if (!existsSync(file)) {
    throw new TerraformError(msg('tf.manifest-missing', { file }));
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    throw new TerraformError(msg('tf.manifest-unreadable', { file, problem: (e as Error).message }));
  }
  const entries = Object.entries(manifest.stacks ?? {});
  const byName = new Map(entries.map(([name, s]) => [name, { name, dir: resolve(cdktfOut, s.workingDirectory ?? join('stacks', name)), dependencies: [...(s.dependencies ?? [])] }]));
  for (const s of byName.values()) {
    const unknown = s.dependencies.filter((d) => !byName.has(d));
    if (unknown.length) throw new TerraformError(msg('tf.unknown-dependency', { file, stack: s.name, missing: unknown.join(', ') }));
  }
  const order: TerraformStackDir[] = [];
  const done = new Set<string>();
  while (done.size < byName.size) {
    const ready = [...byName.values()].filter((s) => !done.has(s.name) && s.dependencies.every((d) => done.has(d))).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (!ready.length) {
      const left = [...byName.keys()].filter((n) => !done.has(n)).sort();
      throw new TerraformError(msg('tf.dependency-cycle', { file, stacks: left.join(', ') }));
    }
    for (const s of ready) {
      order.push(s);
      done.add(s.name);
    }
  }
  return order;
}

/**
 * The Terraform binary: `COOP_IDC_TERRAFORM` when set, else the first executable
 * `terraform` on PATH; undefined when there is none.
 */
export function findTerraform(env: Readonly<Record<string, string | undefined>>, cwd: string): string | undefined {
  const named = env[TERRAFORM_ENV];
  if (named) return isAbsolute(named) ? named : resolve(cwd, named);
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(resolve(cwd, dir), process.platform === 'win32' ? 'terraform.exe' : 'terraform');
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there or not executable: the next PATH entry.
    }
  }
  return undefined;
}

/** What `tf plan` or `tf apply` does. */
export type TerraformAction = 'plan' | 'apply';

/** Options of {@link runTerraform}. */
export interface TerraformRun {
  readonly action: TerraformAction;
  /** The `cdktf.out` folder of a build output. */
  readonly cdktfOut: string;
  /** The Terraform binary (see {@link findTerraform}). */
  readonly terraform: string;
  /** Environment of the Terraform processes (TF_VAR_*, TF_PLUGIN_CACHE_DIR, HOME, PATH). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory of the Terraform processes (each is told its stack with `-chdir`). */
  readonly cwd: string;
  /**
   * Only this stack.
   * @default - every stack of the manifest, in dependency order
   */
  readonly stack?: string;
  /**
   * Extra arguments of `terraform plan` (e.g. `-var kubeconfig_context=idc-prod`).
   * @default - none
   */
  readonly planArgs?: readonly string[];
  /** Progress lines for the person running it. */
  /**
   * The language of the progress lines.
   * @default DEFAULT_LANG
   */
  readonly lang?: Lang;
  readonly log: (line: string) => void;
}

/** What {@link runTerraform} did. */
export interface TerraformOutcome {
  /** Stacks that went through, in order. */
  readonly done: readonly string[];
  /** Set when Terraform failed: the stack, the command and what was not run. */
  readonly failure?: { readonly stack: string; readonly command: string; readonly status: number; readonly notRun: readonly string[] };
}

/**
 * The stacks `tf` runs, checked before any Terraform process starts: `stack` must be in the
 * manifest; `apply` needs the saved plan of every stack it applies, and with one stack,
 * the state of every stack it depends on (the platform stack applied before).
 */
export function selectStacks(run: Pick<TerraformRun, 'action' | 'cdktfOut' | 'stack'>): TerraformStackDir[] {
  const all = stackOrder(run.cdktfOut);
  let selected = all;
  if (run.stack !== undefined) {
    const one = all.find((s) => s.name === run.stack);
    if (!one) {
      const names = all.map((s) => s.name).join(', ');
      throw new TerraformError(msg('tf.no-such-stack', { stack: run.stack, manifest: join(run.cdktfOut, CDKTF_MANIFEST), names }));
    }
    selected = [one];
    if (run.action === 'apply') {
      for (const dep of one.dependencies) {
        const state = localStatePath(all.find((s) => s.name === dep)!);
        if (state !== undefined && !existsSync(state)) {
          throw new TerraformError(msg('tf.dependency-not-applied', { stack: one.name, dep, state }));
        }
      }
    }
  }
  if (run.action === 'apply') {
    const missing = selected.filter((s) => !existsSync(join(s.dir, TF_PLAN_FILE))).map((s) => s.name);
    if (missing.length) {
      throw new TerraformError(msg('tf.no-saved-plan', { plan: TF_PLAN_FILE, stacks: missing.join(', ') }));
    }
  }
  return selected;
}

/**
 * The state file of a stack's local backend, resolved from its working directory;
 * undefined when it has none (another backend: then the order is the engineer's to keep).
 */
function localStatePath(stack: TerraformStackDir): string | undefined {
  try {
    const json = JSON.parse(readFileSync(join(stack.dir, 'cdk.tf.json'), 'utf8')) as { terraform?: { backend?: { local?: { path?: string } } } };
    const path = json.terraform?.backend?.local?.path;
    return path === undefined ? undefined : resolve(stack.dir, path);
  } catch {
    return undefined;
  }
}

/**
 * Runs `terraform init` and then `plan -out=tfplan` or `apply tfplan` in each selected
 * stack, in dependency order, and stops at the first command that fails. Terraform's own
 * output goes straight to the terminal.
 */
export function runTerraform(run: TerraformRun): TerraformOutcome {
  const stacks = selectStacks(run);
  const done: string[] = [];
  for (const [i, s] of stacks.entries()) {
    const commands: string[][] = [
      ['init', '-input=false'],
      run.action === 'plan' ? ['plan', '-input=false', `-out=${TF_PLAN_FILE}`, ...(run.planArgs ?? [])] : ['apply', '-input=false', TF_PLAN_FILE],
    ];
    run.log(formatMessage(run.lang ?? DEFAULT_LANG, msg('tf.stack', { action: run.action, stack: s.name, i: i + 1, n: stacks.length })));
    for (const args of commands) {
      const argv = [`-chdir=${s.dir}`, ...args];
      const r = spawnSync(run.terraform, argv, { cwd: run.cwd, env: { ...run.env } as NodeJS.ProcessEnv, stdio: 'inherit' });
      if (r.error) {
        throw new TerraformError(msg('tf.cannot-run', { terraform: run.terraform, problem: r.error.message }));
      }
      if (r.status !== 0) {
        return { done, failure: { stack: s.name, command: `terraform ${argv.join(' ')}`, status: r.status ?? 1, notRun: stacks.slice(i + 1).map((x) => x.name) } };
      }
    }
    done.push(s.name);
  }
  return { done };
}
