/**
 * One check over every physical name the plan derives: names that clash (two resources,
 * one name: a green build that cannot deploy), cooperative ids the platform's names reserve,
 * and column names Athena or the table layout reserve. Each problem is reported where it is
 * written, in every file that takes part in it.
 */
import { ATHENA_RESERVED_WORDS, findNameClashes, PARTITION_KEYS, type DerivedName, type Names, type NameSource, type UniqueKind } from '../plan/names';
import { diagnostic, type Diagnostic } from './diagnostics';
import type { LoadedConfig, Located } from './load';
import { msg, userPathOf, type MessageRef } from './messages';
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
export function cooperativeIdProblem(id: string, names: Names, env: string): IdProblem | undefined {
  const reserved = reservedIdProblem(id, names);
  if (reserved) return reserved;
  const length = names.idLength(id);
  if (length.name.length <= length.limit) return undefined;
  return {
    message: msg('names.id-too-long', { id, length: id.length, env, max: length.maxIdLength, kind: KIND_LABEL[length.kind], name: length.name, nameLength: length.name.length, limit: length.limit }),
    hint: msg('names.id-too-long.hint', { max: length.maxIdLength }),
  };
}

/** Why an id cannot be used, as catalogue messages. */
export interface IdProblem {
  readonly message: MessageRef;
  readonly hint: MessageRef;
}

/** The ids a cooperative may not take, with why: for `validate` and `coop-idc new`. */
export function reservedIdProblem(id: string, names: Names): IdProblem | undefined {
  const reserved = names.reservedCooperativeIds();
  if (!reserved.includes(id)) return undefined;
  return { message: msg('names.reserved-id', { id }), hint: msg('names.reserved-id.hint', { reserved: reserved.join(', ') }) };
}

/** Diagnostics for reserved ids, clashing derived names and reserved column names. */
export function checkDerivedNames(config: LoadedConfig, names: Names): Diagnostic[] {
  const out: Diagnostic[] = [];
  const platform = config.platform;
  const p = platform.value;
  const at = (where: Located<unknown>, path: DocPath) => ({ file: where.source.source.displayPath, ...where.source.at(path), value: where.value });

  const derived: DerivedName[] = names.platformNames({ consumers: p.consumers.map((c) => c.id), sharedServers: p.sharedServers.map((s) => s.id), cells: p.cells.map((c) => c.id) });
  const cellAccount = new Map(p.cells.map((c) => [c.id, c.account]));
  // Where each source is written. The first file of an id wins: a second one is a duplicate-id already.
  const coops = new Map<string, Located<CooperativeConfig>>();
  for (const located of config.cooperatives) {
    const coop = located.value;
    const reserved = reservedIdProblem(coop.id, names);
    if (reserved) {
      out.push(diagnostic(at(located, ['id']), 'error', 'reserved-id', reserved.message, reserved.hint));
      continue;
    }
    coop.datasets.forEach((d, di) =>
      d.fields.forEach((f, fi) => {
        const problem = PARTITION_KEYS.includes(f.name)
          ? { message: msg('names.partition-key', { name: f.name, keys: PARTITION_KEYS.join(', ') }), hint: msg('names.partition-key.hint', { name: f.name, keys: PARTITION_KEYS.join(', ') }) }
          : ATHENA_RESERVED_WORDS.has(f.name)
            ? { message: msg('names.athena-reserved', { name: f.name }), hint: msg('names.athena-reserved.hint', { name: f.name }) }
            : undefined;
        if (problem) out.push(diagnostic(at(located, ['datasets', di, 'fields', fi, 'name']), 'error', 'reserved-field', problem.message, problem.hint));
      }),
    );
    if (coops.has(coop.id)) continue;
    coops.set(coop.id, located);
    const sharedDatasets = [...new Set(coop.sharing.filter((s) => s.level !== 'raw' && coop.datasets.some((d) => d.name === s.dataset)).map((s) => s.dataset))];
    const account = coop.cell !== undefined ? cellAccount.get(coop.cell) : undefined;
    const aggregates = coop.sharing.filter((s) => s.level === 'aggregated' && coop.datasets.some((d) => d.name === s.dataset)).map((s) => ({ dataset: s.dataset, consumer: s.consumer }));
    derived.push(...names.cooperativeNames({ id: coop.id, idc: coop.idc !== undefined, sharedDatasets, aggregates, ...(account !== undefined ? { account } : {}) }));
  }

  const whereOf = (source: NameSource): { file: string; line: number; col: number; path: DocPath; value: unknown } => {
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
      const also = others.map((o) => msg('names.place', { place: `${o.where.file}:${o.where.line}:${o.where.col}`, path: userPathOf(o.where.path, o.where.value) }));
      out.push(
        diagnostic(
          where,
          'error',
          'name-clash',
          msg('names.clash', { kind: KIND_LABEL[name.kind], name: name.name, scope: name.scope ?? 'none', also: { list: also } }),
          msg('names.clash.hint', { ci: IGNORES_CASE(name.kind) ? 'yes' : 'no' }),
        ),
      );
    }
  }
  return out;
}

const IGNORES_CASE = (kind: UniqueKind) => kind === 'iamRole' || kind === 'glueDatabase' || kind === 'glueTable' || kind === 'terraformStack';
