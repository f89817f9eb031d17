/**
 * A small IAM policy evaluator for tests: identity policies of one principal, evaluated as
 * IAM does within one account (an explicit Deny wins, then any Allow, else implicit deny).
 * It knows `Action`/`Resource` with `*` and `?` wildcards and the condition operators our
 * policies use; anything else (NotAction, NotResource, an unknown operator or a condition key
 * the request does not carry) throws, so a test never passes on what it cannot evaluate.
 */

/** A request: an action on a resource ARN, with the condition keys' values. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  /** Condition keys, e.g. `aws:CurrentTime` (ISO 8601), `s3:prefix`. */
  readonly context: Readonly<Record<string, string>>;
}

/** The decision of {@link evaluate}. */
export type IamDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
  readonly NotAction?: unknown;
  readonly NotResource?: unknown;
}

/** A policy document with literal strings (resolve intrinsics before, see {@link resolveArns}). */
export interface PolicyDocument {
  readonly Statement: readonly Statement[];
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function wildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseInsensitive ? 'i' : '');
  return re.test(value);
}

function conditionHolds(operator: string, key: string, expected: string[], context: IamRequest['context']): boolean {
  const actual = context[key];
  if (operator === 'Null') return (actual === undefined) === (expected[0] === 'true');
  if (actual === undefined) throw new Error(`condition key ${key} is not in the request's context`);
  const date = (s: string) => {
    const t = Date.parse(s);
    if (Number.isNaN(t)) throw new Error(`${key}: "${s}" is no date`);
    return t;
  };
  switch (operator) {
    case 'StringEquals':
    case 'ArnEquals':
      return expected.includes(actual);
    case 'StringLike':
    case 'ArnLike':
      return expected.some((e) => wildcard(e, actual, false));
    case 'DateLessThan':
      return expected.some((e) => date(actual) < date(e));
    case 'DateLessThanEquals':
      return expected.some((e) => date(actual) <= date(e));
    case 'DateGreaterThan':
      return expected.some((e) => date(actual) > date(e));
    case 'DateGreaterThanEquals':
      return expected.some((e) => date(actual) >= date(e));
    default:
      throw new Error(`condition operator ${operator} is not supported by this evaluator`);
  }
}

function matches(s: Statement, r: IamRequest): boolean {
  if (s.NotAction !== undefined || s.NotResource !== undefined) throw new Error(`statement ${s.Sid ?? ''}: NotAction/NotResource are not supported by this evaluator`);
  if (!list(s.Action).some((a) => wildcard(a, r.action, true))) return false;
  if (!list(s.Resource).some((p) => typeof p === 'string' && wildcard(p, r.resource, false))) {
    for (const p of list(s.Resource)) if (typeof p !== 'string') throw new Error(`statement ${s.Sid ?? ''}: unresolved resource ${JSON.stringify(p)}`);
    return false;
  }
  for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
    for (const [key, expected] of Object.entries(keys)) if (!conditionHolds(operator, key, list(expected), r.context)) return false;
  }
  return true;
}

/** IAM's decision for `request` under `policies` (every identity policy of the principal). */
export function evaluate(policies: readonly PolicyDocument[], request: IamRequest): IamDecision {
  const statements = policies.flatMap((p) => list(p.Statement as Statement | Statement[]));
  if (statements.some((s) => s.Effect === 'Deny' && matches(s, request))) return 'explicit-deny';
  return statements.some((s) => s.Effect === 'Allow' && matches(s, request)) ? 'allow' : 'implicit-deny';
}

/**
 * Replaces CloudFormation intrinsics by values: `Ref` of the pseudo parameters and of the
 * given references, `Fn::Join`, and `Fn::GetAtt` of the given attributes (`Id.Attr`).
 */
export function resolveArns(v: unknown, values: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(v)) return v.map((x) => resolveArns(x, values));
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('Ref' in o) return value(String(o.Ref), values);
    if ('Fn::GetAtt' in o) {
      const a = o['Fn::GetAtt'];
      return value(Array.isArray(a) ? a.join('.') : String(a), values);
    }
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => resolveArns(p, values)).join(sep);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolveArns(x, values)]));
  }
  return v;
}

const PSEUDO: Readonly<Record<string, string>> = { 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };

function value(name: string, values: Readonly<Record<string, string>>): string {
  const v = values[name] ?? PSEUDO[name];
  if (v === undefined) throw new Error(`no value for ${name}`);
  return v;
}
