/**
 * Rules of the rate card (`cost:` of platform.yaml) that the schema cannot see: every GPU
 * model a quota reserves has a rate, rates name only models the cluster has, fixed items
 * are unique, and a split by stored volume has volumes to split by.
 */
import { diagnostic, type Diagnostic } from './diagnostics';
import { msg, type MessageRef } from './messages';
import type { LoadedConfig, Located } from './load';
import type { DocPath } from './source';

/** Diagnostics of the rate card; none when no `cost:` block is declared. */
export function checkCostRules(config: LoadedConfig): Diagnostic[] {
  const platform = config.platform;
  const cost = platform.value.cost;
  if (!cost) return [];
  const out: Diagnostic[] = [];
  const report = (at: Located<unknown>, path: DocPath, severity: Diagnostic['severity'], code: string, message: MessageRef, hint: MessageRef, key = false) =>
    out.push(diagnostic({ file: at.source.source.displayPath, ...at.source.at(path, { key }) }, severity, code, message, hint));
  const platformFile = platform.source.source.displayPath;
  const rated = new Set(Object.keys(cost.idc.gpuMonth));

  // A GPU reserved without a rate would be charged to nobody: report it where it is reserved.
  const gpuUse = (at: Located<unknown>, path: DocPath, model: string, count: number, who: MessageRef) => {
    if (count <= 0 || rated.has(model)) return;
    report(
      at,
      path,
      'error',
      'cost-rate-missing',
      msg('cost.rate-missing', { who, model, file: platformFile }),
      msg('cost.rate-missing.hint', { model, file: platformFile }),
      true,
    );
  };
  for (const c of config.cooperatives) {
    for (const [model, n] of Object.entries(c.value.idc?.quota.gpus ?? {})) gpuUse(c, ['idc', 'quota', 'gpus', model], model, n, msg('cost.who-coop', { id: c.value.id }));
  }
  platform.value.sharedServers.forEach((s, i) => {
    for (const [model, n] of Object.entries(s.quota.gpus)) gpuUse(platform, ['sharedServers', i, 'quota', 'gpus', model], model, n, msg('cost.who-server', { id: s.id }));
  });

  const capacity = new Set(Object.keys(platform.value.idc.capacity.gpus));
  for (const model of Object.keys(cost.idc.gpuMonth)) {
    if (capacity.has(model)) continue;
    report(
      platform,
      ['cost', 'idc', 'gpuMonth', model],
      'error',
      'unknown-gpu-model',
      msg('cost.rate-unknown-gpu', { model }),
      msg('cost.rate-unknown-gpu.hint', { known: [...capacity].sort().join(', ') || 'none' }),
      true,
    );
  }

  const seen = new Set<string>();
  cost.platform.fixedMonthly.forEach((f, i) => {
    if (seen.has(f.item)) {
      report(platform, ['cost', 'platform', 'fixedMonthly', i, 'item'], 'error', 'duplicate-id', msg('cost.duplicate-item', { item: f.item }), msg('cost.duplicate-item.hint'));
    }
    seen.add(f.item);
  });

  if (cost.platform.split === 'byStoredVolume' && config.cooperatives.length > 0 && !config.cooperatives.some((c) => c.value.datasets.some((d) => (d.expectedGbPerMonth ?? 0) > 0))) {
    report(
      platform,
      ['cost', 'platform', 'split'],
      'warning',
      'cost-split-empty',
      msg('cost.split-empty'),
      msg('cost.split-empty.hint'),
    );
  }
  return out;
}
