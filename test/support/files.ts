import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every file under `dir` by its path relative to `dir`, read as `encoding` (`latin1` keeps
 * each byte as one character, for byte-for-byte comparisons of binary files).
 */
export function readTree(dir: string, encoding: BufferEncoding = 'utf8'): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, encoding);
    }
  };
  walk(dir);
  return out;
}
