import { OrderedProgress, phaseLines, progressBar, unitLine, type UnitProgress } from '../../build/progress';
import { PEAK_RSS_PHASE } from '../../stacks/timer';

const units = [
  { unit: 'platform', stacks: 1 },
  { unit: 'cell/cell-01', stacks: 3 },
  { unit: 'cell/cell-02', stacks: 4 },
];

describe('OrderedProgress', () => {
  test('reports units in unit order whatever order they finish in', () => {
    const seen: UnitProgress[] = [];
    const p = new OrderedProgress(units, (x) => seen.push(x));
    p.done('cell/cell-02', 'built');
    p.done('cell/cell-01', 'restored');
    expect(seen).toEqual([]);
    p.done('platform', 'built');
    expect(seen.map((x) => unitLine(x, 'en'))).toEqual([
      'aws: platform: 1 stack built (1/3 units, 1/8 stacks)',
      'aws: cell/cell-01: 3 stacks restored from the build cache (2/3 units, 4/8 stacks)',
      'aws: cell/cell-02: 4 stacks built (3/3 units, 8/8 stacks)',
    ]);
  });

  test('says where a merged unit came from', () => {
    const seen: string[] = [];
    new OrderedProgress([units[0]], (x) => seen.push(unitLine(x, 'en'))).done('platform', 'merged');
    expect(seen).toEqual(['aws: platform: 1 stack taken from its shard (1/1 units, 1/1 stacks)']);
  });

  test('speaks the run\'s language, with the same counts', () => {
    const seen: UnitProgress[] = [];
    const p = new OrderedProgress(units, (x) => seen.push(x));
    p.done('platform', 'built');
    p.done('cell/cell-01', 'restored');
    p.done('cell/cell-02', 'merged');
    expect(seen.map((x) => unitLine(x, 'ko'))).toEqual([
      'aws: platform: 스택 1개 빌드 (단위 1/3, 스택 1/8)',
      'aws: cell/cell-01: 스택 3개 빌드 캐시에서 복원 (단위 2/3, 스택 4/8)',
      'aws: cell/cell-02: 스택 4개 샤드 출력에서 가져옴 (단위 3/3, 스택 8/8)',
    ]);
  });

  test('prints large counts without digit grouping, as the bar does', () => {
    const big: UnitProgress = { unit: 'cell/cell-09', stacks: 1, how: 'built', units: { done: 9, total: 9 }, stackCount: { done: 1108, total: 1108 } };
    expect(unitLine(big, 'en')).toBe('aws: cell/cell-09: 1 stack built (9/9 units, 1108/1108 stacks)');
  });
});

describe('progressBar', () => {
  const at = (done: number, stacksDone: number): UnitProgress => ({ unit: 'u', stacks: 1, how: 'built', units: { done, total: 4 }, stackCount: { done: stacksDone, total: 100 } });

  test('fills with the stacks done and estimates the time left from the built stacks', () => {
    // 25 stacks built in 50 s: 2 s each, 75 left.
    expect(progressBar(at(1, 25), 50_000, 25, 'en', 20)).toBe('aws [#####---------------] 1/4 units, 25/100 stacks, about 2:30 left');
  });

  test('gives no estimate before a stack was built (restored units take no time) nor at the end', () => {
    expect(progressBar(at(1, 50), 1_000, 0, 'en', 10)).toBe('aws [#####-----] 1/4 units, 50/100 stacks');
    expect(progressBar(at(4, 100), 9_000, 100, 'en', 10)).toBe('aws [##########] 4/4 units, 100/100 stacks');
  });

  test('speaks the run\'s language', () => {
    expect(progressBar(at(1, 25), 50_000, 25, 'ko', 20)).toBe('aws [#####---------------] 단위 1/4, 스택 25/100, 약 2:30 남음');
    expect(progressBar(at(4, 100), 9_000, 100, 'ko', 10)).toBe('aws [##########] 단위 4/4, 스택 100/100');
  });
});

describe('phaseLines (--verbose)', () => {
  test('prints durations in seconds and the unit processes peak memory in MB, never as seconds', () => {
    const lines = phaseLines({ 'cdk synth (+ checks)': 12_600, [`unit process 42${PEAK_RSS_PHASE}`]: 812.4 }, 'en');
    expect(lines).toEqual(['time: cdk synth (+ checks): 12.6s', 'memory: unit process 42: peak 812 MB']);
    expect(phaseLines({ [`unit process 42${PEAK_RSS_PHASE}`]: 812.4 }, 'ko')).toEqual(['메모리: unit process 42: 최대 812 MB']);
  });
});
