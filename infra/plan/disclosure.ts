/**
 * What leaves a cooperative, column by column: the one decision that validation, the plan,
 * the ingestion's shared copy, the aggregate SQL and the audit report all read.
 *
 * Pure and total: every (agreement, column) pair gets exactly one disclosure, and a refusal
 * carries the rule code and reason validation reports at the column's line. Nothing else
 * in coop-idc decides how a personal column is shared.
 */
import type { ConsumerKind, PiiClass, ShareLevel } from '../config/schema';
import type { ColumnPlan, DatasetPlan, Disclosure, Generalization, RefusalCode } from './types';

/** Codes of the refusals; each is a validation rule documented in docs/onboarding.*.md. */
export type { Disclosed, Disclosure, RefusalCode } from './types';

/** What of an agreement the disclosure depends on. */
export interface DisclosureTerms {
  readonly level: ShareLevel;
  /** The agreement's separate legal basis for sensitive data (PIPA art. 23), when it names one. */
  readonly sensitiveBasis?: string;
  /** The consumer's kind; finance and government never receive identifiers raw. */
  readonly consumerKind?: ConsumerKind;
}

/** What of a column the disclosure depends on. */
export interface DisclosureColumn {
  readonly name: string;
  readonly pii: PiiClass;
  readonly generalize?: Generalization;
}

/** Consumer kinds that never receive personal columns raw (PIPA art. 28-2, 28-5). */
const NO_RAW_PERSONAL: ReadonlySet<ConsumerKind> = new Set(['finance', 'government']);

/** The disclosure of one column under one agreement. */
export function disclosureOf(agreement: DisclosureTerms, column: DisclosureColumn): Disclosure {
  const { level } = agreement;
  const rule = column.generalize;
  switch (column.pii) {
    case 'none':
      return level === 'aggregated' ? { kind: 'aggregate-only', use: 'any' } : { kind: 'clear' };
    case 'identifier':
      if (level === 'aggregated') return { kind: 'aggregate-only', use: 'count-distinct' };
      if (level === 'pseudonymized') return { kind: 'token' };
      if (agreement.consumerKind !== undefined && NO_RAW_PERSONAL.has(agreement.consumerKind)) {
        return refused('pii-raw-share',
          `column "${column.name}" is identifier data and cannot be shared raw with a ${agreement.consumerKind} consumer`,
          `식별자 컬럼 "${column.name}"은(는) ${agreement.consumerKind === 'finance' ? '금융' : '정부'} 이용기관에 원본으로 제공할 수 없습니다`,
          'share it at level pseudonymized (token) or aggregated (count distinct), or drop the column (PIPA art. 28-2, 28-5)');
      }
      return { kind: 'clear' };
    case 'quasi-identifier':
      if (level === 'aggregated') return { kind: 'aggregate-only', use: 'any', ...(rule ? { rule } : {}) };
      if (level === 'pseudonymized') {
        return rule
          ? { kind: 'generalized', rule }
          : refused('not-generalized',
            `quasi-identifier column "${column.name}" has no generalize rule, so it cannot be shared pseudonymized`,
            `준식별자 컬럼 "${column.name}"에 일반화 규칙(generalize)이 없어 가명 수준으로 제공할 수 없습니다`,
            'add `generalize:` to the field ({truncate: N}, {bucket: N} or {dateTo: month|year}) or drop the column');
      }
      return { kind: 'clear' };
    case 'sensitive':
      if (agreement.sensitiveBasis === undefined) {
        return refused('sensitive-without-basis',
          `column "${column.name}" is sensitive data (PIPA art. 23) and this agreement names no separate legal basis for it`,
          `민감정보 컬럼 "${column.name}"은(는) 별도의 법적 근거(sensitiveBasis) 없이 제공할 수 없습니다 (개인정보 보호법 제23조)`,
          'drop the column, or add `sensitiveBasis:` naming the separate consent or law that allows it');
      }
      if (level === 'raw') {
        return refused('sensitive-raw',
          `column "${column.name}" is sensitive data and is never shared raw, even with a separate legal basis`,
          `민감정보 컬럼 "${column.name}"은(는) 법적 근거가 있어도 원본으로 제공할 수 없습니다`,
          'share it at level pseudonymized (generalized) or aggregated, or drop the column');
      }
      if (level === 'aggregated') return { kind: 'aggregate-only', use: 'any', ...(rule ? { rule } : {}) };
      return rule
        ? { kind: 'generalized', rule }
        : refused('not-generalized',
          `sensitive column "${column.name}" has no generalize rule, so it cannot be shared pseudonymized`,
          `민감정보 컬럼 "${column.name}"에 일반화 규칙(generalize)이 없어 가명 수준으로 제공할 수 없습니다`,
          'add `generalize:` to the field, share it at level aggregated, or drop the column');
  }
}

function refused(code: RefusalCode, reason: string, reasonKo: string, hint: string): Disclosure {
  return { kind: 'refused', code, reason, reasonKo, hint };
}

/**
 * The columns of a dataset's row-level shared copy, in dataset order, as its Glue table and
 * Parquet files declare them: tokens are strings whatever the source type.
 */
export function sharedColumnPlans(dataset: Pick<DatasetPlan, 'columns' | 'sharedColumns'>): ColumnPlan[] {
  const byName = new Map(dataset.columns.map((c) => [c.name, c]));
  return (dataset.sharedColumns ?? []).map((sc) => {
    const c = byName.get(sc.name);
    if (!c) throw new Error(`shared column "${sc.name}" is not a column of the dataset`);
    return sc.disclosure.kind === 'token' ? { ...c, type: 'string', glueType: 'string' } : c;
  });
}

/**
 * The record of pseudonymized processing (PIPA art. 28-4) of a dataset's shared copy: which
 * columns are tokenised, generalised (by which rule), kept or dropped, under which
 * agreements. The ingestion writes it into every manifest; the report reads the same.
 */
export interface SharedCopyRecord {
  readonly tokenised: readonly { readonly column: string; readonly agreements: readonly string[] }[];
  readonly generalised: readonly { readonly column: string; readonly rule: string; readonly agreements: readonly string[] }[];
  readonly kept: readonly { readonly column: string; readonly agreements: readonly string[] }[];
  /** Columns of the dataset left out of the shared copy. */
  readonly dropped: readonly string[];
}

/** The {@link SharedCopyRecord} of a dataset, from its plan. */
export function sharedCopyRecord(dataset: Pick<DatasetPlan, 'columns' | 'sharedColumns' | 'sharedAgreements'>): SharedCopyRecord {
  const all = dataset.sharedAgreements ?? [];
  const shared = (dataset.sharedColumns ?? []).map((c) => ({ ...c, agreements: c.agreements.map((i) => all[i]) }));
  const of = (kind: string) => shared.filter((c) => c.disclosure.kind === kind);
  const names = new Set(shared.map((c) => c.name));
  return {
    tokenised: of('token').map((c) => ({ column: c.name, agreements: c.agreements })),
    generalised: of('generalized').map((c) => ({ column: c.name, rule: c.disclosure.kind === 'generalized' ? ruleLabel(c.disclosure.rule) : '', agreements: c.agreements })),
    kept: of('clear').map((c) => ({ column: c.name, agreements: c.agreements })),
    dropped: dataset.columns.filter((c) => !names.has(c.name)).map((c) => c.name),
  };
}

/** A short, stable label of a disclosure for tables: `clear`, `token`, `generalized(truncate 3)`, … */
export function disclosureLabel(d: Disclosure): string {
  switch (d.kind) {
    case 'generalized':
      return `generalized(${ruleLabel(d.rule)})`;
    case 'aggregate-only':
      return d.use === 'count-distinct' ? 'aggregate-only(count distinct)' : d.rule ? `aggregate-only(${ruleLabel(d.rule)})` : 'aggregate-only';
    case 'refused':
      return `refused(${d.code})`;
    default:
      return d.kind;
  }
}

/** `truncate 3`, `bucket 10`, `dateTo month`. */
export function ruleLabel(rule: Generalization): string {
  const [kind, value] = Object.entries(rule)[0];
  return `${kind} ${value}`;
}
