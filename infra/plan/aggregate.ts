/**
 * Level `aggregated` as statistics: the aggregate table of an agreement and the one SQL
 * statement that fills it.
 *
 * The SQL is written once in the subset both Athena (Trino) and DuckDB accept: quoted
 * identifiers, `date_trunc` cast to DATE, `substr`, `floor` over DOUBLE (Trino divides
 * integers as integers, DuckDB as reals), `count(DISTINCT …)` and `HAVING`. The tests run
 * this exact text on DuckDB over Parquet written by the ingestion pipeline.
 */
import type { AggregateConfig, FieldConfig } from '../config/schema';
import type { AggregatePlan, AggregateRefreshPlan, Generalization, MeasurePlan } from './types';

/** Everything {@link aggregatePlan} reads, resolved by the caller. */
export interface AggregateInput {
  readonly aggregate: AggregateConfig;
  readonly table: string;
  readonly source: { readonly database: string; readonly table: string };
  readonly timeColumn: string;
  /** Fields of the dataset by name. */
  readonly fields: ReadonlyMap<string, FieldConfig>;
  readonly memberField: string;
  /** The effective minimum cell size (platform default or the agreement's higher one). */
  readonly k: number;
  /** Glue type of each field type. */
  readonly glueType: (f: FieldConfig) => string;
  /** The scheduled job that refills the table (names from the plan's naming rules). */
  readonly refresh: AggregateRefreshPlan;
}

/**
 * When statistics tables are refilled: daily at 03:00 in Korea, after the night's uploads and
 * outside office hours. Every run recomputes the whole table, so a missed run is caught up by
 * the next one.
 */
export const AGGREGATE_REFRESH = { expression: 'cron(0 3 * * ? *)', timeZone: 'Asia/Seoul' } as const;

/** Parses `count`, `count distinct x`, `sum x`, … (the schema has checked the shape). */
export function parseMeasure(text: string): MeasurePlan {
  if (text === 'count') return { fn: 'count', name: 'count' };
  const distinct = /^count distinct (.+)$/.exec(text);
  if (distinct) return { fn: 'count_distinct', column: distinct[1], name: `count_distinct_${distinct[1]}` };
  const [fn, column] = text.split(' ') as [MeasurePlan['fn'], string];
  return { fn, column, name: `${fn}_${column}` };
}

/** The aggregate table and its SQL. Deterministic: the same agreement gives the same text. */
export function aggregatePlan(i: AggregateInput): AggregatePlan {
  const dimensions = i.aggregate.dimensions.map((column) => {
    const f = i.fields.get(column)!;
    return { column, type: f.type, ...(f.generalize ? { rule: f.generalize } : {}) };
  });
  const measures = i.aggregate.measures.map(parseMeasure);
  const grain = i.aggregate.grain;

  const select = [
    `CAST(date_trunc('${grain}', ${q(i.timeColumn)}) AS DATE) AS "period"`,
    ...dimensions.map((d) => `${d.rule ? generalize(q(d.column), d.rule) : q(d.column)} AS ${q(d.column)}`),
    ...measures.map((m) => `${measureSql(m)} AS ${q(m.name)}`),
  ];
  const groups = Array.from({ length: 1 + dimensions.length }, (_, n) => String(n + 1)).join(', ');
  const sql = [
    'SELECT',
    select.map((s) => `  ${s}`).join(',\n'),
    `FROM ${q(i.source.database)}.${q(i.source.table)}`,
    `WHERE ${q(i.timeColumn)} IS NOT NULL`,
    `GROUP BY ${groups}`,
    `HAVING count(DISTINCT ${q(i.memberField)}) >= ${i.k}`,
    `ORDER BY ${groups}`,
  ].join('\n');

  const columns = [
    { name: 'period', glueType: 'date' },
    ...dimensions.map((d) => ({ name: d.column, glueType: d.rule ? ruleType(d.rule, i.glueType(i.fields.get(d.column)!)) : i.glueType(i.fields.get(d.column)!) })),
    ...measures.map((m) => ({ name: m.name, glueType: measureType(m, m.column ? i.fields.get(m.column) : undefined, i.glueType) })),
  ];
  return { table: i.table, source: i.source, grain, timeColumn: i.timeColumn, dimensions, measures, k: i.k, memberField: i.memberField, columns, sql, refresh: i.refresh };
}

/** A quoted SQL identifier (names are snake_case by schema; quoting keeps reserved words safe). */
function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function generalize(expr: string, rule: Generalization): string {
  if ('truncate' in rule) return `substr(${expr}, 1, ${rule.truncate})`;
  if ('bucket' in rule) return `floor(CAST(${expr} AS DOUBLE) / ${rule.bucket}) * ${rule.bucket}`;
  return `CAST(date_trunc('${rule.dateTo}', ${expr}) AS DATE)`;
}

function ruleType(rule: Generalization, source: string): string {
  if ('truncate' in rule) return source;
  if ('bucket' in rule) return 'double';
  return 'date';
}

function measureSql(m: MeasurePlan): string {
  switch (m.fn) {
    case 'count':
      return 'count(*)';
    case 'count_distinct':
      return `count(DISTINCT ${q(m.column!)})`;
    default:
      return `${m.fn}(${q(m.column!)})`;
  }
}

function measureType(m: MeasurePlan, f: FieldConfig | undefined, glueType: (f: FieldConfig) => string): string {
  if (m.fn === 'count' || m.fn === 'count_distinct') return 'bigint';
  if (m.fn === 'avg') return 'double';
  const t = glueType(f!);
  if (m.fn === 'sum') return f!.type === 'double' ? 'double' : f!.type === 'decimal' ? t : 'bigint';
  return t;
}
