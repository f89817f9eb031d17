/**
 * One check over every physical name the plan derives: names that clash (two resources,
 * one name: a green build that cannot deploy), cooperative ids the platform's names reserve,
 * and column names Athena or the table layout reserve. Each problem is reported where it is
 * written, in every file that takes part in it.
 */
import { ATHENA_RESERVED_WORDS, findNameClashes, PARTITION_KEYS, type DerivedName, type Names, type NameSource, type UniqueKind } from '../plan/names';
import { bilingual, type Diagnostic } from './diagnostics';
import { renderPath, type LoadedConfig, type Located } from './load';
import type { CooperativeConfig } from './schema';
import type { DocPath } from './source';

const KIND_LABEL: Readonly<Record<UniqueKind, string>> = {
  bucket: 'S3 bucket',
  kmsAlias: 'KMS key alias',
  iamRole: 'IAM role',
  lambdaFunction: 'Lambda function',
  commonName: 'certificate common name (CN)',
  glueDatabase: 'Glue database',
  glueTable: 'Glue table',
  athenaWorkgroup: 'Athena workgroup',
  schedule: 'EventBridge Scheduler schedule',
  namespace: 'Kubernetes namespace',
  cfnStack: 'CloudFormation stack',
  terraformStack: 'Terraform stack',
};

/** Why a cooperative id cannot be used in this environment, if it cannot: the limits `validate` applies, for `coop-idc new`. */
export function cooperativeIdProblem(id: string, names: Names, env: string): { ko: string; en: string; hint: string } | undefined {
  const reserved = reservedIdProblem(id, names);
  if (reserved) return reserved;
  const length = names.idLength(id);
  if (length.name.length <= length.limit) return undefined;
  return {
    ko: `id 가 너무 깁니다: ${id.length}자, 최대 ${length.maxIdLength}자`,
    en: `"${id}" is ${id.length} characters; with environment "${env}" at most ${length.maxIdLength} fit: the ${KIND_LABEL[length.kind]} "${length.name}" would be ${length.name.length} characters; the limit is ${length.limit}`,
    hint: `choose an id of at most ${length.maxIdLength} characters`,
  };
}

/** The ids a cooperative may not take, with why: for `validate` and `coop-idc new`. */
export function reservedIdProblem(id: string, names: Names): { ko: string; en: string; hint: string } | undefined {
  const reserved = names.reservedCooperativeIds();
  if (!reserved.includes(id)) return undefined;
  return {
    ko: `예약된 id 입니다: "${id}"`,
    en: `cooperative id "${id}" is reserved: its buckets, roles, database or tags would be the platform's own`,
    hint: `choose another id; reserved: ${reserved.join(', ')}`,
  };
}

/** Diagnostics for reserved ids, clashing derived names and reserved column names. */
export function checkDerivedNames(config: LoadedConfig, names: Names): Diagnostic[] {
  const out: Diagnostic[] = [];
  const platform = config.platform;
  const p = platform.value;
  const at = (where: Located<unknown>, path: DocPath) => ({ file: where.source.source.displayPath, ...where.source.at(path) });

  const derived: DerivedName[] = names.platformNames({ consumers: p.consumers.map((c) => c.id), sharedServers: p.sharedServers.map((s) => s.id), cells: p.cells.map((c) => c.id) });
  const cellAccount = new Map(p.cells.map((c) => [c.id, c.account]));
  // Where each source is written. The first file of an id wins: a second one is a duplicate-id already.
  const coops = new Map<string, Located<CooperativeConfig>>();
  for (const located of config.cooperatives) {
    const coop = located.value;
    const reserved = reservedIdProblem(coop.id, names);
    if (reserved) {
      out.push({ ...at(located, ['id']), severity: 'error', code: 'reserved-id', message: bilingual(reserved.ko, reserved.en), hint: reserved.hint });
      continue;
    }
    coop.datasets.forEach((d, di) =>
      d.fields.forEach((f, fi) => {
        const problem = PARTITION_KEYS.includes(f.name)
          ? { ko: `필드 이름 "${f.name}" 은(는) 파티션 키와 같습니다`, en: `field "${f.name}" has the name of the partition key every table adds (${PARTITION_KEYS.join(', ')}, the day of timestampField)`, hint: `rename the field, e.g. "${f.name}_value"; the day is already kept in ${PARTITION_KEYS.join(', ')}` }
          : ATHENA_RESERVED_WORDS.has(f.name)
            ? { ko: `필드 이름 "${f.name}" 은(는) Athena 예약어입니다`, en: `field "${f.name}" is an Athena reserved word: every query would have to quote it`, hint: `rename the field, e.g. "${f.name}_value" (Athena reserved keywords: docs.aws.amazon.com/athena/latest/ug/reserved-words.html)` }
            : undefined;
        if (problem) out.push({ ...at(located, ['datasets', di, 'fields', fi, 'name']), severity: 'error', code: 'reserved-field', message: bilingual(problem.ko, problem.en), hint: problem.hint });
      }),
    );
    if (coops.has(coop.id)) continue;
    coops.set(coop.id, located);
    const sharedDatasets = [...new Set(coop.sharing.filter((s) => s.level !== 'raw' && coop.datasets.some((d) => d.name === s.dataset)).map((s) => s.dataset))];
    const account = coop.cell !== undefined ? cellAccount.get(coop.cell) : undefined;
    const aggregates = coop.sharing.filter((s) => s.level === 'aggregated' && coop.datasets.some((d) => d.name === s.dataset)).map((s) => ({ dataset: s.dataset, consumer: s.consumer }));
    derived.push(...names.cooperativeNames({ id: coop.id, idc: coop.idc !== undefined, sharedDatasets, aggregates, ...(account !== undefined ? { account } : {}) }));
  }

  const whereOf = (source: NameSource): { file: string; line: number; col: number; path: DocPath } => {
    const located = source.of === 'cooperative' ? coops.get(source.coop)! : platform;
    const path: DocPath =
      source.of === 'cooperative'
        ? source.dataset === undefined
          ? ['id']
          : ['datasets', coops.get(source.coop)!.value.datasets.findIndex((d) => d.name === source.dataset), 'name']
        : source.of === 'consumer'
          ? ['consumers', p.consumers.findIndex((c) => c.id === source.id), 'id']
          : source.of === 'sharedServer'
            ? ['sharedServers', p.sharedServers.findIndex((s) => s.id === source.id), 'id']
            : source.of === 'cell'
              ? ['cells', p.cells.findIndex((c) => c.id === source.id), 'id']
              : ['environment', 'name'];
    return { ...at(located, path), path };
  };
  for (const group of findNameClashes(derived)) {
    const places = group.map((n) => ({ name: n, where: whereOf(n.source) }));
    for (const { name, where } of places) {
      const others = places.filter((o) => o.where.file !== where.file || o.where.line !== where.line || o.where.col !== where.col);
      if (others.length === 0) continue;
      const scope = name.scope ? ` in database "${name.scope}"` : '';
      const also = others.map((o) => `${o.where.file}:${o.where.line}:${o.where.col} (\`${renderPath(o.where.path)}\`)`).join(', ');
      out.push({
        file: where.file,
        line: where.line,
        col: where.col,
        severity: 'error',
        code: 'name-clash',
        message: bilingual(`파생 이름 충돌: ${KIND_LABEL[name.kind]} "${name.name}"`, `the ${KIND_LABEL[name.kind]} "${name.name}"${scope} is also derived from ${also}; one of them cannot be created`),
        hint: bilingual('id 나 데이터셋 이름 중 하나를 바꾸세요', `rename one of them (ids and dataset names become permanent resource names${CASE_SENSITIVITY(name.kind)})`),
      });
    }
  }
  return out;
}

const CASE_SENSITIVITY = (kind: UniqueKind) => (kind === 'iamRole' || kind === 'glueDatabase' || kind === 'glueTable' || kind === 'terraformStack' ? '; names are compared ignoring case' : '');
