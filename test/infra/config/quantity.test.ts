import { formatBytes, formatCpu, parseBytes, parseCpuMillis } from '../../../infra';

describe('quantities', () => {
  test.each([
    ['500m', 500],
    ['4', 4000],
    [2, 2000],
    ['0.5', 500],
    ['1.5m', undefined],
    ['4Gi', undefined],
    ['four', undefined],
  ])('parseCpuMillis(%p) = %p', (input, expected) => {
    expect(parseCpuMillis(input)).toBe(expected);
  });

  test.each([
    ['16Gi', 16 * 2 ** 30],
    ['2Ti', 2 * 2 ** 40],
    ['512Mi', 512 * 2 ** 20],
    ['1G', 1e9],
    ['100', 100],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['500m', undefined],
    ['16GB', undefined],
  ])('parseBytes(%p) = %p', (input, expected) => {
    expect(parseBytes(input)).toBe(expected);
  });

  test('formats round-trip', () => {
    expect(formatCpu(4000)).toBe('4');
    expect(formatCpu(250)).toBe('250m');
    expect(formatBytes(16 * 2 ** 30)).toBe('16Gi');
    expect(formatBytes(1536 * 2 ** 20)).toBe('1536Mi');
    expect(formatBytes(1e9)).toBe('1000000000');
    for (const q of ['16Gi', '2Ti', '300Mi']) expect(formatBytes(parseBytes(q)!)).toBe(q);
  });
});
