/**
 * Progress of a long build, unit by unit (the platform, each cell): one line per unit when
 * the output is not a terminal (CI logs: the same lines in the same order every run), and a
 * bar with counts and an estimate of the time left on a terminal.
 *
 * Units are reported in unit order, each as soon as it and every unit before it are done, so
 * that the lines do not depend on which process finished first.
 */
import { formatMessage, msg, type Lang, type MessageArgs } from '../infra/config/messages';
import { PEAK_RSS_PHASE } from '../stacks/timer';

/** One unit done. */
/**
 * The `--verbose` lines of a build's phases, sorted by name: durations in seconds, and the
 * unit processes' peak memory (entries named with {@link PEAK_RSS_PHASE}) in MB.
 */
export function phaseLines(phases: Readonly<Record<string, number>>, lang: Lang): string[] {
  return Object.entries(phases)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([phase, value]) =>
      phase.endsWith(PEAK_RSS_PHASE)
        ? formatMessage(lang, msg('cli.peak-rss', { process: phase.slice(0, -PEAK_RSS_PHASE.length), mb: value.toFixed(0) }))
        : formatMessage(lang, msg('cli.time', { phase, seconds: (value / 1000).toFixed(1) })),
    );
}

export interface UnitProgress {
  readonly unit: string;
  readonly stacks: number;
  /** Built in this build, restored from the build cache, or taken from a CI shard's output. */
  readonly how: 'built' | 'restored' | 'merged';
  /** Units and stacks reported so far (this one included), and in all. */
  readonly units: { readonly done: number; readonly total: number };
  readonly stackCount: { readonly done: number; readonly total: number };
}

/** The line of one unit, e.g. `aws: cell/cell-01: 126 stacks built (3/9 units, 380/1108 stacks)`. */
export function unitLine(p: UnitProgress, lang: Lang): string {
  return formatMessage(lang, msg('build.unit-line', { unit: p.unit, stacks: p.stacks, how: p.how, ...counts(p) }));
}

/**
 * The bar of a terminal: `aws [########------------] 3/9 units, 380/1108 stacks, about 1:05 left`.
 * The estimate is the time per built stack so far times the stacks left; none before a stack was built.
 */
export function progressBar(p: UnitProgress, elapsedMs: number, builtStacks: number, lang: Lang, width = 24): string {
  const filled = Math.round((p.stackCount.done / Math.max(1, p.stackCount.total)) * width);
  const left = p.stackCount.total - p.stackCount.done;
  const eta = builtStacks > 0 && left > 0 ? clock((elapsedMs / builtStacks) * left) : 'none';
  return formatMessage(lang, msg('build.progress-bar', { bar: `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`, left: eta, ...counts(p) }));
}

function counts(p: UnitProgress): MessageArgs {
  return { units: p.units.done, unitsTotal: p.units.total, done: p.stackCount.done, total: p.stackCount.total };
}

function clock(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Reports units in `order` as they are done: {@link done} may be called in any order; `report`
 * is called in unit order.
 */
export class OrderedProgress {
  private readonly finished = new Map<string, UnitProgress['how']>();
  private next = 0;
  private stacksDone = 0;
  private readonly total: number;

  constructor(
    private readonly order: readonly { readonly unit: string; readonly stacks: number }[],
    private readonly report: (p: UnitProgress) => void,
  ) {
    this.total = order.reduce((n, u) => n + u.stacks, 0);
  }

  /** Marks `unit` done. */
  done(unit: string, how: UnitProgress['how']): void {
    this.finished.set(unit, how);
    while (this.next < this.order.length) {
      const u = this.order[this.next];
      const h = this.finished.get(u.unit);
      if (h === undefined) return;
      this.next++;
      this.stacksDone += u.stacks;
      this.report({ unit: u.unit, stacks: u.stacks, how: h, units: { done: this.next, total: this.order.length }, stackCount: { done: this.stacksDone, total: this.total } });
    }
  }
}
