// Which CLI entry to run: the compiled JavaScript in dist/ (`npm run build`) when it is at
// least as new as every TypeScript source, else none (the shim then runs the sources
// through tsx). Loading compiled JavaScript skips tsx's per-module work (~1.7 s CPU on
// `coop-idc build --coop`); a stale dist/ is never run, so editing a rule and running the
// CLI still runs the edit.
'use strict';
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

/** Folders whose TypeScript the CLI runs. */
const SOURCE_DIRS = ['infra', 'stacks', 'build', 'cli', 'lambdas'];
/** Written by `npm run build` when compilation starts, kept only if it succeeds. */
const STAMP = join('dist', '.stamp');

/** True when a file or folder under `dir` changed after `since` (ms since the epoch). */
function changedSince(dir, since) {
  const entries = readdirSync(dir, { withFileTypes: true });
  // A folder's own time changes when a file is added, removed or renamed in it.
  if (statSync(dir).mtimeMs > since) return true;
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (changedSince(path, since)) return true;
    } else if (e.name.endsWith('.ts') && statSync(path).mtimeMs > since) {
      return true;
    }
  }
  return false;
}

/**
 * The compiled entry (`<root>/dist/cli/main.js`) when `npm run build` completed after
 * the last change to any source under `root`; undefined otherwise.
 */
function compiledMain(root) {
  let built;
  try {
    built = statSync(join(root, STAMP)).mtimeMs;
  } catch {
    return undefined;
  }
  if (SOURCE_DIRS.some((d) => changedSince(join(root, d), built))) return undefined;
  return join(root, 'dist', 'cli', 'main.js');
}

module.exports = { compiledMain, STAMP };
