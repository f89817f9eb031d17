/**
 * Rules of the rate card (`cost:` of platform.yaml) that the schema cannot see: every GPU
 * model a quota reserves has a rate, rates name only models the cluster has, fixed items
 * are unique, and a split by stored volume has volumes to split by.
 */
import { bilingual, type Diagnostic } from './diagnostics';
import type { LoadedConfig, Located } from './load';
import type { DocPath } from './source';

/** Diagnostics of the rate card; none when no `cost:` block is declared. */
export function checkCostRules(config: LoadedConfig): Diagnostic[] {
  const platform = config.platform;
  const cost = platform.value.cost;
  if (!cost) return [];
  const out: Diagnostic[] = [];
  const report = (at: Located<unknown>, path: DocPath, severity: Diagnostic['severity'], code: string, message: string, hint: string, key = false) =>
    out.push({ file: at.source.source.displayPath, ...at.source.at(path, { key }), severity, code, message, hint });
  const platformFile = platform.source.source.displayPath;
  const rated = new Set(Object.keys(cost.idc.gpuMonth));

  // A GPU reserved without a rate would be charged to nobody: report it where it is reserved.
  const gpuUse = (at: Located<unknown>, path: DocPath, model: string, count: number, who: { ko: string; en: string }) => {
    if (count <= 0 || rated.has(model)) return;
    report(
      at,
      path,
      'error',
      'cost-rate-missing',
      bilingual(`${who.ko}이(가) GPU "${model}"을(를) 예약하지만 요금표에 단가가 없습니다`, `${who.en} reserves GPU model "${model}" but the rate card has no price for it (${platformFile} cost.idc.gpuMonth)`),
      bilingual(`${platformFile} 의 cost.idc.gpuMonth 에 "${model}: <원>" 을 추가하세요`, `add "${model}: <KRW per GPU per month>" to cost.idc.gpuMonth in ${platformFile}`),
      true,
    );
  };
  for (const c of config.cooperatives) {
    for (const [model, n] of Object.entries(c.value.idc?.quota.gpus ?? {})) gpuUse(c, ['idc', 'quota', 'gpus', model], model, n, { ko: `협동조합 ${c.value.id}`, en: `cooperative ${c.value.id}` });
  }
  platform.value.sharedServers.forEach((s, i) => {
    for (const [model, n] of Object.entries(s.quota.gpus)) gpuUse(platform, ['sharedServers', i, 'quota', 'gpus', model], model, n, { ko: `공동 서버 ${s.id}`, en: `shared server ${s.id}` });
  });

  const capacity = new Set(Object.keys(platform.value.idc.capacity.gpus));
  for (const model of Object.keys(cost.idc.gpuMonth)) {
    if (capacity.has(model)) continue;
    report(
      platform,
      ['cost', 'idc', 'gpuMonth', model],
      'error',
      'unknown-gpu-model',
      bilingual(`단가가 있는 GPU "${model}"이(가) idc.capacity.gpus 에 없습니다`, `GPU model "${model}" has a rate but is not in idc.capacity.gpus`),
      bilingual('모델 이름을 idc.capacity.gpus 와 같게 고치거나 이 단가를 지우세요', `spell it as in idc.capacity.gpus (${[...capacity].sort().join(', ') || 'none'}) or remove the rate`),
      true,
    );
  }

  const seen = new Set<string>();
  cost.platform.fixedMonthly.forEach((f, i) => {
    if (seen.has(f.item)) {
      report(platform, ['cost', 'platform', 'fixedMonthly', i, 'item'], 'error', 'duplicate-id', bilingual(`고정비 항목 "${f.item}"이(가) 두 번 있습니다`, `fixed cost item "${f.item}" is declared twice`), bilingual('한 항목으로 합치세요', 'merge them into one item'));
    }
    seen.add(f.item);
  });

  if (cost.platform.split === 'byStoredVolume' && config.cooperatives.length > 0 && !config.cooperatives.some((c) => c.value.datasets.some((d) => (d.expectedGbPerMonth ?? 0) > 0))) {
    report(
      platform,
      ['cost', 'platform', 'split'],
      'warning',
      'cost-split-empty',
      bilingual('저장량 기준 배분이지만 expectedGbPerMonth 를 적은 데이터셋이 없어 플랫폼 비용이 모두 미배분입니다', 'the platform split is byStoredVolume but no dataset declares expectedGbPerMonth: every platform cost stays unallocated'),
      bilingual('데이터셋에 expectedGbPerMonth 를 적거나 split 을 evenly/byMembers 로 바꾸세요', 'declare expectedGbPerMonth on the datasets, or split evenly or byMembers'),
    );
  }
  return out;
}
