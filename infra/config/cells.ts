/**
 * Cell rules: which cell account each cooperative is deployed to.
 *
 * A cell is one AWS account (an account-factory workload account) holding the keys, zones,
 * Glue databases, ingestion functions and roles of at most `capacity` cooperatives, so that
 * no account reaches an AWS service quota (docs/design/cells.md). Placement is explicit: a
 * cooperative's file names its cell, and nothing here ever chooses one, so adding or
 * removing a file never moves another cooperative to another account.
 */
import { bilingual, closest, type Diagnostic } from './diagnostics';
import { loadSources, type ConfigSources, type LoadedConfig, type Located } from './load';
import type { CellConfig } from './schema';
import type { DocPath } from './source';

/** Diagnostics of the cell rules over schema-valid configuration. */
export function checkCells(config: LoadedConfig): Diagnostic[] {
  const out: Diagnostic[] = [];
  const platform = config.platform;
  const p = platform.value;
  const platformFile = platform.source.source.displayPath;
  const err = (at: Located<unknown>, path: DocPath, code: string, message: string, hint: string, key = false) =>
    out.push({ file: at.source.source.displayPath, ...at.source.at(path, { key }), severity: 'error', code, message, hint });

  // Platform: ids and accounts are unique, and no cell shares the data-lake account.
  const accounts = new Map<string, string>([[p.environment.account, 'the data-lake account (environment.account)']]);
  const ids = new Set<string>();
  p.cells.forEach((c, i) => {
    if (ids.has(c.id)) {
      err(platform, ['cells', i, 'id'], 'duplicate-id', bilingual(`셀 id "${c.id}"가 두 번 선언되었습니다`, `cell id "${c.id}" is declared twice`), bilingual('셀마다 다른 id를 쓰세요', 'give each cell a unique id'));
    }
    ids.add(c.id);
    const other = accounts.get(c.account);
    if (other) {
      err(
        platform,
        ['cells', i, 'account'],
        'duplicate-account',
        bilingual(`셀 "${c.id}"의 계정 ${c.account}은(는) 이미 ${other}입니다`, `account ${c.account} of cell "${c.id}" is already ${other}`),
        bilingual('셀마다 자기 AWS 계정을 두세요 (서비스 할당량은 계정 단위입니다)', 'give each cell its own AWS account: service quotas are per account'),
      );
    } else {
      accounts.set(c.account, `cell "${c.id}"`);
    }
  });

  const cells = new Map<string, CellConfig>(p.cells.map((c) => [c.id, c]));
  const used = new Map<string, number>();
  // File name order, so the same files always report the same cooperative as the one that overfills.
  const files = [...config.cooperatives].sort((a, b) => (a.source.source.relativePath < b.source.source.relativePath ? -1 : a.source.source.relativePath > b.source.source.relativePath ? 1 : 0));
  for (const located of files) {
    const coop = located.value;
    if (coop.cell === undefined) {
      if (cells.size > 0) {
        const room = cellWithMostRoom(p.cells, files.map((f) => f.value)) ?? p.cells[0].id;
        err(
          located,
          ['id'],
          'cell-missing',
          bilingual(`이 협동조합이 배포될 셀(cell)이 없습니다. ${platformFile}에 셀이 선언되어 있으면 \`cell:\`이 필요합니다`, `no \`cell:\` says which cell account this cooperative is deployed to; it is required once ${platformFile} declares cells`),
          bilingual(`\`cell: ${room}\` 줄을 추가하세요 (여유가 가장 큰 셀)`, `add \`cell: ${room}\` (the cell with the most room); known: ${[...cells.keys()].sort().join(', ')}`),
          true,
        );
      }
      continue;
    }
    const cell = cells.get(coop.cell);
    if (!cell) {
      const known = [...cells.keys()].sort();
      const guess = closest(coop.cell, known);
      err(
        located,
        ['cell'],
        'unknown-cell',
        bilingual(`셀 "${coop.cell}"은(는) ${platformFile}에 선언되어 있지 않습니다`, `cell "${coop.cell}" is not declared in ${platformFile}`),
        known.length === 0
          ? bilingual('선언된 셀이 없습니다: `cell:` 줄을 지우거나 KBIZ 플랫폼 팀에 셀 추가를 요청하세요', 'no cells are declared: remove the `cell:` line or ask the KBIZ platform team to add cells')
          : bilingual(`${guess ? `"${guess}"을(를) 뜻했나요? ` : ''}선언된 셀: ${known.join(', ')}`, `${guess ? `did you mean "${guess}"? ` : ''}known: ${known.join(', ')}`),
      );
      continue;
    }
    const n = (used.get(cell.id) ?? 0) + 1;
    used.set(cell.id, n);
    if (n === cell.capacity + 1) {
      const free = p.cells.filter((c) => (used.get(c.id) ?? 0) < c.capacity).map((c) => c.id);
      err(
        located,
        ['cell'],
        'cell-full',
        bilingual(
          `셀 "${cell.id}"(계정 ${cell.account})은(는) 협동조합 ${cell.capacity}곳이 한도인데, 파일 이름 순서로 이 파일이 ${n}번째입니다`,
          `cell "${cell.id}" (account ${cell.account}) holds at most ${cell.capacity} cooperatives; in file name order this file is number ${n}`,
        ),
        bilingual(
          `${free.length ? `여유가 있는 셀(${free.join(', ')})을 지정하거나 ` : ''}KBIZ 플랫폼 팀에 셀 추가를 요청하세요 (docs/design/cells.md)`,
          `${free.length ? `place it in a cell with room (${free.join(', ')}) or ` : ''}ask the KBIZ platform team to add a cell (docs/design/cells.md)`,
        ),
      );
    }
  }
  return out;
}

/**
 * The cell with the most room (capacity minus cooperatives placed there), ties broken by
 * id: where `coop-idc new` writes a new cooperative. Counts every file that names a cell.
 */
export function cellWithMostRoom(cells: readonly CellConfig[], cooperatives: readonly { readonly cell?: string }[]): string | undefined {
  const used = new Map<string, number>();
  for (const c of cooperatives) if (c.cell !== undefined) used.set(c.cell, (used.get(c.cell) ?? 0) + 1);
  let best: CellConfig | undefined;
  for (const c of [...cells].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (!best || c.capacity - (used.get(c.id) ?? 0) > best.capacity - (used.get(best.id) ?? 0)) best = c;
  }
  return best?.id;
}

/** Line of the onboarding template that `coop-idc new` fills with the chosen cell. */
export const TEMPLATE_CELL_LINE = /^cell: __CELL__\n/m;

/**
 * The onboarding template for a new cooperative: its id, and the cell with the most room
 * written into its `cell:` line (the line and its comment dropped when no cells are
 * declared). Reads the platform file and every cooperative file that passes its schema;
 * undefined when the platform file itself is invalid (validate says why).
 */
export function fillTemplate(template: string, id: string, sources: ConfigSources): string | undefined {
  const loaded = loadSources(sources).config;
  if (!loaded) return undefined;
  const cell = cellWithMostRoom(loaded.platform.value.cells, loaded.cooperatives.map((c) => c.value));
  const withId = template.replace(/__ID__/g, id);
  return cell !== undefined ? withId.replace(TEMPLATE_CELL_LINE, `cell: ${cell}\n`) : withId.replace(/^#[^\n]*\n(?=cell: __CELL__\n)/m, '').replace(TEMPLATE_CELL_LINE, '');
}
