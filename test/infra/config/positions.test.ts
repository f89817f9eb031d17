/**
 * Positions cost a second parse (infra/config/source.ts: the `yaml` syntax tree), so a file is
 * given one only when something in it is reported: at 1,000 cooperatives building every file's
 * tree took half of `validate`. The parser is wrapped to count its calls; the values and
 * positions are the real ones.
 */
jest.mock('yaml', () => {
  const actual = jest.requireActual('yaml');
  return { ...actual, parseDocument: jest.fn(actual.parseDocument) };
});
import { parseDocument } from 'yaml';
import { compile } from '../../../infra';
import { generateSources } from '../../../infra/testing/synthetic';
import { patch, positionOf, TODAY } from '../../support/config';

const parses = parseDocument as unknown as jest.Mock;

test('a valid configuration is read without building any syntax tree; a finding builds one, for its file, with its position', () => {
  const sources = generateSources({ n: 12, seed: 5 });
  parses.mockClear();
  expect(compile(sources, { today: TODAY }).diagnostics).toEqual([]);
  expect(parses).not.toHaveBeenCalled();

  const bad = patch(sources, 'coop-0003', (t) => t.replace('role: Synthetic data steward', 'role: 홍길동 과장'));
  const text = bad.cooperatives.find((c) => c.relativePath.endsWith('/coop-0003.yaml'))!.text;
  parses.mockClear();
  const found = compile(bad, { today: TODAY }).diagnostics;
  expect(found.map((d) => ({ code: d.code, file: d.file, line: d.line, col: d.col }))).toEqual([{ code: 'personal-data', file: bad.cooperatives.find((c) => c.text === text)!.displayPath, ...positionOf(text, '홍길동') }]);
  expect(parses.mock.calls.map((c) => c[0])).toEqual([text]);
});
