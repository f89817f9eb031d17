import { createHmac } from 'node:crypto';
import { AlreadyExistsException, CreatePartitionCommand, EntityNotFoundException, GetTableCommand } from '@aws-sdk/client-glue';
import { GenerateMacCommand } from '@aws-sdk/client-kms';
import { disclosureOf } from '../../infra/plan/disclosure';
import type { ColumnPlan } from '../../infra/plan/types';
import { GlueCatalog } from '../../lambdas/adapters/glue';
import { KmsPseudonymizer } from '../../lambdas/adapters/kms';
import { charsetOf, decodeStream, encodingOf, type DecodeState } from '../../lambdas/domain/decode';
import { ConfigurationError, isTransient, RetryableError } from '../../lambdas/domain/errors';
import { HmacPseudonymizer, sharedTransform, TokenCache } from '../../lambdas/domain/pseudonymize';
import { ZoneOffsets } from '../../lambdas/domain/time';
import { encodeCp949 } from './support/cp949';

async function decode(chunks: Uint8Array[], fallback: 'utf-8' | 'cp949' = 'utf-8') {
  const state: DecodeState = { sawReplacement: false };
  async function* src() {
    for (const c of chunks) yield c;
  }
  let text = '';
  for await (const t of decodeStream(src(), fallback, state)) text += t;
  return { text, state };
}

/** Every one-byte split of a buffer. */
const splits = (b: Buffer) => Array.from({ length: b.length + 1 }, (_, i) => [b.subarray(0, i), b.subarray(i)]);

describe('decoding', () => {
  test('CP949 decodes across every chunk boundary, including inside a two-byte character', async () => {
    const bytes = encodeCp949('공장,경남 창원시\r\n');
    for (const parts of splits(bytes)) expect((await decode(parts, 'cp949')).text).toBe('공장,경남 창원시\r\n');
  });

  test('a UTF-8 BOM wins over a declared CP949, whatever the chunking', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('온도,습도\n', 'utf8')]);
    for (const parts of splits(bytes)) {
      const { text, state } = await decode(parts, 'cp949');
      expect(text).toBe('온도,습도\n');
      expect(state.encoding).toBe('utf-8');
    }
  });

  test('UTF-16 with a BOM is recognised', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,나\n', 'utf16le')]);
    expect((await decode([bytes])).text).toBe('a,나\n');
  });

  test('invalid bytes are flagged, not dropped silently', async () => {
    const { text, state } = await decode([encodeCp949('냉동')], 'utf-8');
    expect(state.sawReplacement).toBe(true);
    expect(text).toContain('\uFFFD');
  });

  test('charset labels map to decoders', () => {
    expect(charsetOf('text/csv; charset="EUC-KR"')).toBe('EUC-KR');
    expect(encodingOf('EUC-KR')).toBe('cp949');
    expect(encodingOf('ks_c_5601-1987')).toBe('cp949');
    expect(encodingOf('latin1')).toBeUndefined();
  });
});

describe('pseudonymization', () => {
  const col = (c: Partial<ColumnPlan>): ColumnPlan => ({ name: 'c', type: 'string', glueType: 'string', pii: 'none', required: false, ...c });
  const seoul = new ZoneOffsets('Asia/Seoul');
  // The transform is the plan's disclosure of the column at level pseudonymized.
  const apply = (c: ColumnPlan, v: string | number | bigint) => {
    const d = disclosureOf({ level: 'pseudonymized' }, c);
    if (d.kind !== 'clear' && d.kind !== 'token' && d.kind !== 'generalized') throw new Error(`column refused: ${d.kind}`);
    const t = sharedTransform(c, d, seoul);
    return t.kind === 'generalize' ? t.apply(v) : t.kind;
  };

  test('the test HMAC is HMAC-SHA-256 hex, as KMS GenerateMac computes it', async () => {
    expect(await new HmacPseudonymizer('key').mac('M00001')).toBe(createHmac('sha256', 'key').update('M00001').digest('hex'));
  });

  test('generalizations follow the declaration', () => {
    expect(apply(col({ pii: 'identifier' }), 'x')).toBe('mac');
    expect(apply(col({ pii: 'none', generalize: { truncate: 2 } }), 'abc')).toBe('keep');
    expect(apply(col({ pii: 'quasi-identifier', generalize: { truncate: 2 } }), '서울 강남구')).toBe('서울');
    expect(apply(col({ pii: 'quasi-identifier', type: 'int', generalize: { bucket: 10 } }), 37)).toBe(30);
    expect(apply(col({ pii: 'quasi-identifier', type: 'long', generalize: { bucket: 10 } }), -1n)).toBe(-10n);
    expect(apply(col({ pii: 'quasi-identifier', type: 'decimal', generalize: { bucket: 10 } }), 37_500_000_000n)).toBe(30_000_000_000n);
    expect(apply(col({ pii: 'quasi-identifier', type: 'date', generalize: { dateTo: 'year' } }), Date.UTC(2026, 10, 27) / 86_400_000)).toBe(Date.UTC(2026, 0, 1) / 86_400_000);
    // 2026-12-01 00:30 in Seoul is still November in UTC; the month is taken in the dataset's zone.
    expect(new Date(apply(col({ pii: 'quasi-identifier', type: 'timestamp', generalize: { dateTo: 'month' } }), Date.UTC(2026, 10, 30, 15, 30)) as number).toISOString()).toBe('2026-11-30T15:00:00.000Z');
  });

  test('the token cache calls the key service once per distinct value', async () => {
    const inner = new HmacPseudonymizer('k');
    const cache = new TokenCache(inner);
    await cache.prepare(['a', 'b', 'a', 'a']);
    await cache.prepare(['b', 'c']);
    expect(cache.calls).toBe(3);
    expect(cache.get('a')).toBe(await inner.mac('a'));
    expect(() => cache.get('zzz')).toThrow(/before prepare/);
  });
});

describe('KMS adapter (KMS cannot run here: a stub client)', () => {
  test('sends GenerateMac with HMAC_SHA_256 under the key and returns hex', async () => {
    const sent: GenerateMacCommand[] = [];
    const kms = { send: async (c: GenerateMacCommand) => (sent.push(c), { Mac: new Uint8Array([0xab, 0x01]) }) };
    expect(await new KmsPseudonymizer(kms as never, 'arn:aws:kms:ap-northeast-2:111111111111:key/k').mac('M1')).toBe('ab01');
    expect(sent[0].input).toMatchObject({ KeyId: 'arn:aws:kms:ap-northeast-2:111111111111:key/k', MacAlgorithm: 'HMAC_SHA_256' });
    expect(Buffer.from(sent[0].input.Message!).toString()).toBe('M1');
  });

  test('throttling becomes a retryable error', async () => {
    const kms = { send: async () => { throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }); } };
    await expect(new KmsPseudonymizer(kms as never, 'k').mac('x')).rejects.toBeInstanceOf(RetryableError);
  });
});

describe('Glue adapter (Glue cannot run here: a stub client)', () => {
  const dataset = { name: 'd', columns: [] };
  const table = { Name: 'd', Parameters: { 'coopidc:dataset': JSON.stringify(dataset) }, StorageDescriptor: { Location: 's3://b/d/', Columns: [{ Name: 'x', Type: 'int' }] } };

  test('reads the dataset from the table parameter and creates partitions with the table storage descriptor', async () => {
    const sent: unknown[] = [];
    const glue = {
      send: async (c: unknown) => {
        sent.push(c);
        if (c instanceof GetTableCommand) return { Table: table };
        if (c instanceof CreatePartitionCommand) throw new AlreadyExistsException({ message: 'exists', $metadata: {} });
        return {};
      },
    };
    const cat = new GlueCatalog(glue as never);
    expect(await cat.getDataset('db', 'd')).toEqual(dataset);
    await cat.addPartition('db', 'd', '2026-11-27', 's3://b/d/dt=2026-11-27/');
    await cat.addPartition('db', 'd', '2026-11-27', 's3://b/d/dt=2026-11-27/');
    const creates = sent.filter((c) => c instanceof CreatePartitionCommand) as CreatePartitionCommand[];
    expect(creates).toHaveLength(1);
    expect(creates[0].input.PartitionInput).toEqual({ Values: ['2026-11-27'], StorageDescriptor: { Location: 's3://b/d/dt=2026-11-27/', Columns: [{ Name: 'x', Type: 'int' }] } });
    expect(sent.filter((c) => c instanceof GetTableCommand)).toHaveLength(1);
  });

  test('a missing table is an unknown dataset; a table without the parameter is a deployment fault', async () => {
    const missing = { send: async () => { throw new EntityNotFoundException({ message: 'no', $metadata: {} }); } };
    expect(await new GlueCatalog(missing as never).getDataset('db', 'x')).toBeUndefined();
    const bare = { send: async () => ({ Table: { ...table, Parameters: {} } }) };
    await expect(new GlueCatalog(bare as never).getDataset('db', 'd')).rejects.toThrow(ConfigurationError);
  });
});

describe('error classification', () => {
  test.each([
    [Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), true],
    [Object.assign(new Error('x'), { $metadata: { httpStatusCode: 503 } }), true],
    [new Error('AWS SDK error wrapper for TimeoutError: socket hang up'), true],
    [Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }), false],
    [new Error('bug'), false],
  ])('%s → retryable %s', (e, expected) => {
    expect(isTransient(e)).toBe(expected);
  });
});
