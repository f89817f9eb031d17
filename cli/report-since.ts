/**
 * The configuration as it was at a git ref, read straight from the object database
 * (`git ls-tree` + one `git cat-file --batch`), so `coop-idc report --since main` needs no
 * checkout and leaves the working tree alone. git runs without a shell; arguments are
 * passed as an array and a ref is never interpreted as an option.
 */
import { execFileSync } from 'node:child_process';
import { join, relative, resolve, sep } from 'node:path';
import { LAYOUT, type ConfigSources, type SourceFile } from '../infra';
import { formatMessage, msg, type MessageRef } from '../infra/config/messages';
import { UsageError } from './io';

/** The config folder at a ref. */
export interface ConfigAtRef {
  readonly sources: ConfigSources;
  /** The full commit id the ref resolved to. */
  readonly commit: string;
  /** The config folder relative to the repository root (`config`). */
  readonly configPath: string;
}

function git(cwd: string, args: readonly string[], input?: Buffer): Buffer {
  try {
    return execFileSync('git', [...args], { cwd, input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string; code?: string };
    if (err.code === 'ENOENT') throw new UsageError(msg('report.no-git'), 'report');
    const text = err.stderr?.toString('utf8').trim() || err.message;
    throw new GitError(msg('report.git-failed', { command: args[0], error: text.split('\n')[0] }));
  }
}

/** A git command failed (not a repository, unknown ref); `message` is the English of {@link GitError.text}. */
export class GitError extends Error {
  constructor(public readonly text: MessageRef) {
    super(formatMessage('en', text));
    this.name = 'GitError';
  }
}

/**
 * Reads `<configDir>/platform.yaml` and `<configDir>/cooperatives/*.yaml` as they were at
 * `ref`. Display paths are the same as the working tree's (relative to `cwd`), so
 * diagnostics of both sides compare by file.
 */
export function readConfigAtRef(configDir: string, ref: string, cwd: string): ConfigAtRef {
  if (ref.startsWith('-')) throw new UsageError(msg('report.since-ref', { ref }), 'report');
  const abs = resolve(cwd, configDir);
  const top = git(abs, ['rev-parse', '--show-toplevel']).toString('utf8').trim();
  const configPath = relative(top, abs).split(sep).join('/');
  const commit = git(top, ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]).toString('utf8').trim();
  const prefix = configPath ? `${configPath}/` : '';
  const listed = git(top, ['ls-tree', '-r', '-z', '--name-only', commit, '--', `${prefix}${LAYOUT.platform}`, `${prefix}${LAYOUT.cooperatives}/`])
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  const platformPath = `${prefix}${LAYOUT.platform}`;
  if (!listed.includes(platformPath)) throw new GitError(msg('report.since-no-platform', { file: platformPath, ref, commit: commit.slice(0, 12) }));
  const coopPaths = listed
    .filter((p) => p.startsWith(`${prefix}${LAYOUT.cooperatives}/`))
    .filter((p) => {
      const name = p.slice(`${prefix}${LAYOUT.cooperatives}/`.length);
      return !name.includes('/') && /\.ya?ml$/.test(name) && !name.startsWith('_') && !name.startsWith('.');
    })
    .sort();
  const texts = catFiles(top, commit, [platformPath, ...coopPaths]);
  const source = (path: string, text: string): SourceFile => ({
    displayPath: relative(cwd, join(top, path)) || path,
    relativePath: path.slice(prefix.length),
    text,
  });
  return {
    commit,
    configPath: configPath || '.',
    sources: { platform: source(platformPath, texts[0]), cooperatives: coopPaths.map((p, i) => source(p, texts[i + 1])) },
  };
}

/** Reads blobs `<commit>:<path>` in one `git cat-file --batch` process. */
function catFiles(top: string, commit: string, paths: readonly string[]): string[] {
  const out = git(top, ['cat-file', '--batch'], Buffer.from(paths.map((p) => `${commit}:${p}\n`).join(''), 'utf8'));
  const texts: string[] = [];
  let at = 0;
  for (const p of paths) {
    const nl = out.indexOf(0x0a, at);
    const header = out.subarray(at, nl).toString('utf8');
    const m = /^([0-9a-f]+) blob (\d+)$/.exec(header);
    if (!m) throw new GitError(msg('report.since-unreadable', { file: p, commit: commit.slice(0, 12), header }));
    const size = Number(m[2]);
    texts.push(out.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    at = nl + 1 + size + 1;
  }
  return texts;
}
