/**
 * Writes N generated cooperatives as a config folder, to run the real CLI on them:
 * `npm run synthetic-config -- 1000 /tmp/coops && node bin/coop-idc.js build --config /tmp/coops`.
 */
import { generateSources, writeSources } from '../infra/testing/synthetic';

const [n, dir, seed] = process.argv.slice(2);
if (!n || !dir) {
  console.error('usage: npm run synthetic-config -- <n> <dir> [seed]');
  process.exit(2);
}
const sources = generateSources({ n: Number(n), seed: seed ? Number(seed) : 1 });
writeSources(sources, dir);
console.log(`wrote ${sources.cooperatives.length} cooperatives to ${dir}`);
