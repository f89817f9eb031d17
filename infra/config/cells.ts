/**
 * Cell rules: which cell account each cooperative is deployed to.
 *
 * A cell is one AWS account (an account-factory workload account) holding the keys, zones,
 * Glue databases, ingestion functions and roles of at most `capacity` cooperatives, so that
 * no account reaches an AWS service quota (docs/design/cells.md). Placement is explicit: a
 * cooperative's file names its cell, and nothing here ever chooses one, so adding or
 * removing a file never moves another cooperative to another account.
 */
import { closest, diagnostic, type Diagnostic } from './diagnostics';
import { msg, type MessageRef } from './messages';
import { loadSources, type ConfigSources, type LoadedConfig, type Located } from './load';
import type { CellConfig } from './schema';
import type { DocPath } from './source';

/** Diagnostics of the cell rules over schema-valid configuration. */
export function checkCells(config: LoadedConfig): Diagnostic[] {
  const out: Diagnostic[] = [];
  const platform = config.platform;
  const p = platform.value;
  const platformFile = platform.source.source.displayPath;
  const err = (at: Located<unknown>, path: DocPath, code: string, message: MessageRef, hint: MessageRef, key = false) =>
    out.push(diagnostic({ file: at.source.source.displayPath, ...at.source.at(path, { key }) }, 'error', code, message, hint));

  // Platform: ids and accounts are unique, and no cell shares the data-lake account.
  const accounts = new Map<string, MessageRef>([[p.environment.account, msg('cells.data-lake-account')]]);
  const ids = new Set<string>();
  p.cells.forEach((c, i) => {
    if (ids.has(c.id)) {
      err(platform, ['cells', i, 'id'], 'duplicate-id', msg('cells.duplicate-id', { id: c.id }), msg('cells.duplicate-id.hint'));
    }
    ids.add(c.id);
    const other = accounts.get(c.account);
    if (other) {
      err(
        platform,
        ['cells', i, 'account'],
        'duplicate-account',
        msg('cells.duplicate-account', { id: c.id, account: c.account, other }),
        msg('cells.duplicate-account.hint'),
      );
    } else {
      accounts.set(c.account, msg('cells.cell', { id: c.id }));
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
          msg('cells.missing', { file: platformFile }),
          msg('cells.missing.hint', { room, known: { list: [...cells.keys()].sort() } }),
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
        msg('cells.unknown', { cell: coop.cell, file: platformFile }),
        known.length === 0 ? msg('cells.unknown.none') : msg('common.known', { guess: guess ? msg('common.did-you-mean', { guess }) : '', known: { list: known } }),
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
        msg('cells.full', { id: cell.id, account: cell.account, capacity: cell.capacity, n }),
        msg('cells.full.hint', { free: free.length ? free.join(', ') : 'none' }),
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
