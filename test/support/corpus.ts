/**
 * The config regression corpus (test/infra/config/corpus/): a fixture platform and
 * cooperative of its own, so no test depends on what config/ holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, readConfigDir, type CompileResult, type ConfigSources } from '../../infra';

/** The corpus folder. */
export const CORPUS_DIR = join(__dirname, '..', 'infra', 'config', 'corpus');
/** The fixture config root (platform.yaml, cooperatives/base-coop.yaml). */
export const BASE_DIR = join(CORPUS_DIR, 'base');
/** A date before the fixture agreement expires. */
export const CORPUS_TODAY = '2026-12-05';
/** Display path of the fixture cooperative. */
export const BASE_COOP = 'cooperatives/base-coop.yaml';

/** The fixture sources, paths shown relative to the fixture root. */
export function baseSources(): ConfigSources {
  return readConfigDir(BASE_DIR, BASE_DIR);
}

/** Text of the fixture cooperative or platform file. */
export function baseText(file: 'platform.yaml' | typeof BASE_COOP): string {
  return readFileSync(join(BASE_DIR, file), 'utf8');
}

/** The fixture with the cooperative's text replaced and further cooperatives added (`id` → text). */
export function withCooperatives(coop: string, extra: Readonly<Record<string, string>> = {}, platform?: string): ConfigSources {
  const base = baseSources();
  const file = (id: string, text: string) => ({ displayPath: `cooperatives/${id}.yaml`, relativePath: `cooperatives/${id}.yaml`, text });
  return {
    platform: platform === undefined ? base.platform : { ...base.platform, text: platform },
    cooperatives: [file('base-coop', coop), ...Object.entries(extra).map(([id, text]) => file(id, text))],
  };
}

/** Compiles at the corpus date. */
export function compileCorpus(sources: ConfigSources): CompileResult {
  return compile(sources, { today: CORPUS_TODAY });
}
