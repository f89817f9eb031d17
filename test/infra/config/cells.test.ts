import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cellWithMostRoom, fillTemplate, type ConfigSources } from '../../../infra';
import { generateSources } from '../../../infra/testing/synthetic';
import { compileAt, patch, positionOf, replaceOnce, SAMPLE_DIR, sampleSources, korean } from '../../support/config';

const PLATFORM = 'config/platform.yaml';
const TEXTILE = 'config/cooperatives/korea-textile.yaml';
const HANGUL = /^[^/]*[가-힣]/;

/** Compiles, expects no plan, and returns the diagnostics of one code. */
function errorsOf(sources: ConfigSources, code: string) {
  const result = compileAt(sources);
  expect(result.plan).toBeUndefined();
  return result.diagnostics.filter((d) => d.code === code);
}

function editPlatform(sources: ConfigSources, from: string, to: string) {
  let text = '';
  return { sources: patch(sources, 'platform', (t) => (text = replaceOnce(t, from, to))), text: () => text };
}

const CELL_01 = '  - { id: cell-01, account: "444455556666", capacity: 96, trustAnchor: { acmPcaArn: "arn:aws:acm-pca:ap-northeast-2:444455556666:certificate-authority/5f2b9c1e-7a40-4d3b-9e61-0a8c3f7d2b01" } }';
const CELL_02 = '  - { id: cell-02, account: "777788889999", capacity: 96, trustAnchor: { acmPcaArn: "arn:aws:acm-pca:ap-northeast-2:777788889999:certificate-authority/8d41e6a2-3c95-4f70-b218-6e9d0f4a7c32" } }';

describe('cells', () => {
  test('the samples place every cooperative in a declared cell', () => {
    const { plan, diagnostics } = compileAt(sampleSources());
    expect(diagnostics).toEqual([]);
    for (const c of plan!.cooperatives) expect(plan!.platform.cells.map((x) => x.id)).toContain(c.cell);
  });

  test('fails when a cooperative names an unknown cell, at its line, with a suggestion', () => {
    let text = '';
    const sources = patch(sampleSources(), 'korea-textile', (t) => (text = replaceOnce(t, 'cell: cell-01', 'cell: cell-1')));
    const [d, ...rest] = errorsOf(sources, 'unknown-cell');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ file: TEXTILE, ...positionOf(text, 'cell-1\n') });
    expect(korean(d).message).toBe('셀 "cell-1"은(는) config/platform.yaml에 선언되어 있지 않습니다');
    expect(d.message).toContain('cell "cell-1" is not declared in config/platform.yaml');
    expect(d.hint).toContain('did you mean "cell-01"?');
  });

  test('fails when a cooperative names a cell but the platform declares none', () => {
    const { sources } = editPlatform(sampleSources(), `cells:\n${CELL_01}\n${CELL_02}\n`, '');
    const found = errorsOf(sources, 'unknown-cell');
    expect(found).toHaveLength(5);
    expect(found[0].hint).toContain('no cells are declared');
  });

  test('fails when a cell is full, at the line of the cooperative that overfills it (file name order)', () => {
    // cell-01 holds kbiz-federation, korea-food and korea-textile: the third in name order overfills a capacity of 2.
    const { sources } = editPlatform(sampleSources(), CELL_01, CELL_01.replace('capacity: 96', 'capacity: 2'));
    const [d, ...rest] = errorsOf(sources, 'cell-full');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ file: TEXTILE, ...positionOf(readFileSync(join(SAMPLE_DIR, 'cooperatives/korea-textile.yaml'), 'utf8'), 'cell-01') });
    expect(korean(d).message).toMatch(HANGUL);
    expect(d.message).toContain('cell "cell-01" (account 444455556666) holds at most 2 cooperatives; in file name order this file is number 3');
    expect(d.hint).toContain('place it in a cell with room (cell-02)');
  });

  test('reports the same overfilling cooperative whatever order the files are read in', () => {
    const base = editPlatform(sampleSources(), CELL_01, CELL_01.replace('capacity: 96', 'capacity: 2')).sources;
    const reversed = { ...base, cooperatives: [...base.cooperatives].reverse() };
    expect(errorsOf(reversed, 'cell-full').map((d) => d.file)).toEqual([TEXTILE]);
  });

  test('fails when cells are declared and a cooperative names none, with the cell that has the most room', () => {
    let text = '';
    const sources = patch(sampleSources(), 'korea-textile', (t) => (text = replaceOnce(t, 'cell: cell-01\n', '')));
    const [d, ...rest] = errorsOf(sources, 'cell-missing');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ file: TEXTILE, ...positionOf(text, 'id:') });
    expect(korean(d).message).toMatch(HANGUL);
    // cell-01 then holds 2 of 96, cell-02 2 of 96: ties go to the first id.
    expect(d.hint).toContain('add `cell: cell-01`');
  });

  test('fails when a cell shares the data-lake account', () => {
    const edit = editPlatform(sampleSources(), CELL_01, CELL_01.replace('444455556666', '111122223333'));
    const [d] = errorsOf(edit.sources, 'duplicate-account');
    expect(d).toMatchObject({ file: PLATFORM, ...positionOf(edit.text(), '"111122223333", capacity') });
    expect(d.message).toContain('is already the data-lake account');
  });

  test('fails when two cells share an account', () => {
    const edit = editPlatform(sampleSources(), '"777788889999"', '"444455556666"');
    const [d] = errorsOf(edit.sources, 'duplicate-account');
    expect(d.message).toContain('account 444455556666 of cell "cell-02" is already cell "cell-01"');
  });

  test('fails when a cell id is declared twice', () => {
    const edit = editPlatform(sampleSources(), 'id: cell-02', 'id: cell-01');
    const [d] = errorsOf(edit.sources, 'duplicate-id');
    expect(d).toMatchObject({ file: PLATFORM, ...positionOf(edit.text(), 'cell-01, account: "777788889999"') });
  });

  test('fails when a cell id is not a DNS label', () => {
    const edit = editPlatform(sampleSources(), 'id: cell-02', 'id: Cell_02');
    expect(errorsOf(edit.sources, 'schema').map((d) => d.file)).toContain(PLATFORM);
  });
});

describe('the plan of cells', () => {
  const plan = compileAt(sampleSources()).plan!;
  const coop = (id: string) => plan.cooperatives.find((c) => c.id === id)!;

  test('carries each cooperative\'s cell and account, and names its buckets in that account', () => {
    expect(coop('korea-machinery')).toMatchObject({ cell: 'cell-02', account: '777788889999' });
    expect(coop('korea-machinery').cloud.buckets.raw).toBe('kbiz-prod-korea-machinery-raw-777788889999');
    expect(coop('korea-food')).toMatchObject({ cell: 'cell-01', account: '444455556666' });
  });

  test('lists each cell\'s cooperatives and ingestion role ARNs', () => {
    expect(plan.platform.cells).toEqual([
      {
        id: 'cell-01',
        account: '444455556666',
        capacity: 96,
        cooperatives: ['kbiz-federation', 'korea-food', 'korea-textile'],
        ingestionRoles: ['kbiz-federation', 'korea-food', 'korea-textile'].map((c) => `arn:aws:iam::444455556666:role/kbiz-prod-${c}-ingestion`),
        sharedBucket: 'kbiz-prod-shared-cell-01-111122223333',
        sharedKeyAlias: 'alias/kbiz/prod/shared/cell-01',
        statsRolePattern: 'arn:aws:iam::444455556666:role/kbiz-prod-*-stats',
        erasureRolePattern: 'arn:aws:iam::444455556666:role/kbiz-prod-*-erasure',
        trustAnchor: { acmPcaArn: 'arn:aws:acm-pca:ap-northeast-2:444455556666:certificate-authority/5f2b9c1e-7a40-4d3b-9e61-0a8c3f7d2b01' },
        names: { ingestApi: 'kbiz-prod-cell-01-ingest', gatewayTrustAnchor: 'kbiz-prod-cell-01-gateways' },
      },
      {
        id: 'cell-02',
        account: '777788889999',
        capacity: 96,
        cooperatives: ['korea-electronics', 'korea-machinery'],
        ingestionRoles: ['korea-electronics', 'korea-machinery'].map((c) => `arn:aws:iam::777788889999:role/kbiz-prod-${c}-ingestion`),
        sharedBucket: 'kbiz-prod-shared-cell-02-111122223333',
        sharedKeyAlias: 'alias/kbiz/prod/shared/cell-02',
        statsRolePattern: 'arn:aws:iam::777788889999:role/kbiz-prod-*-stats',
        erasureRolePattern: 'arn:aws:iam::777788889999:role/kbiz-prod-*-erasure',
        trustAnchor: { acmPcaArn: 'arn:aws:acm-pca:ap-northeast-2:777788889999:certificate-authority/8d41e6a2-3c95-4f70-b218-6e9d0f4a7c32' },
        names: { ingestApi: 'kbiz-prod-cell-02-ingest', gatewayTrustAnchor: 'kbiz-prod-cell-02-gateways' },
      },
    ]);
  });

  test('reads raw grants from the cooperative\'s cell catalog and shared ones from the data-lake catalog', () => {
    for (const g of plan.grants) expect(g.catalog).toBe(g.level === 'raw' ? coop(g.cooperative).account : plan.platform.account);
    expect(plan.grants.some((g) => g.level !== 'raw')).toBe(true);
  });

  test('without cells, every cooperative deploys to the data-lake account', () => {
    const sources = generateSources({ n: 3, seed: 5, cellCapacity: 0 });
    const p = compileAt(sources).plan!;
    expect(p.platform.cells).toEqual([]);
    for (const c of p.cooperatives) {
      expect(c.cell).toBeUndefined();
      expect(c.account).toBe(p.platform.account);
    }
  });
});

describe('placing a new cooperative', () => {
  const template = readFileSync(join(SAMPLE_DIR, 'templates/cooperative.yaml'), 'utf8');

  test('writes the cell with the most room', () => {
    // cell-01 holds 3, cell-02 holds 2 of 96 each.
    const text = fillTemplate(template, 'korea-furniture', sampleSources())!;
    expect(text).toMatch(/^cell: cell-02$/m);
    expect(text).toMatch(/^id: korea-furniture$/m);
    expect(text).not.toContain('__');
  });

  test('writes no cell line when no cells are declared', () => {
    const { sources } = editPlatform(sampleSources(), `cells:\n${CELL_01}\n${CELL_02}\n`, '');
    const text = fillTemplate(template, 'korea-furniture', sources)!;
    expect(text).not.toMatch(/cell/);
  });

  test('ties go to the first cell id; a full cell has no room', () => {
    const cells = [
      { id: 'b', account: '000000000002', capacity: 2 },
      { id: 'a', account: '000000000001', capacity: 2 },
    ];
    expect(cellWithMostRoom(cells, [])).toBe('a');
    expect(cellWithMostRoom(cells, [{ cell: 'a' }])).toBe('b');
    expect(cellWithMostRoom(cells, [{ cell: 'a' }, { cell: 'b' }, { cell: 'b' }])).toBe('a');
  });
});

describe('generated cooperatives', () => {
  test('are spread over enough cells, none above its capacity', () => {
    const { plan, diagnostics } = compileAt(generateSources({ n: 260, seed: 2, cellCapacity: 100 }));
    expect(diagnostics).toEqual([]);
    expect(plan!.platform.cells.map((c) => [c.id, c.cooperatives.length])).toEqual([
      ['cell-01', 87],
      ['cell-02', 87],
      ['cell-03', 86],
    ]);
  });

  test('1,000 in one cell of capacity 1,000 validate (the quota check, not validation, rejects them)', () => {
    const { plan, diagnostics } = compileAt(generateSources({ n: 1000, seed: 1, cellCapacity: 1000 }));
    expect(diagnostics).toEqual([]);
    expect(plan!.platform.cells).toHaveLength(1);
    expect(plan!.platform.cells[0].cooperatives).toHaveLength(1000);
  });
});
