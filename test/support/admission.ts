/**
 * Evaluates ValidatingAdmissionPolicy objects the way the API server does, with a real CEL
 * evaluator (@bufbuild/cel: conformance-tested against cel-spec, RE2 for `matches` like
 * cel-go). No API server can run here, so this is how the rendered policies are tested.
 *
 * Kept to the semantics the guardrails use: variables in order (`variables.<name>`), each
 * validation must yield `true`; `false` denies with its message; an evaluation error counts
 * as a denial, as `failurePolicy: Fail` makes it. JSON integers become CEL ints, as the API
 * server converts them.
 */
import { celEnv, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';

/** What the policy saw: the object under admission and its namespace. */
export interface AdmissionInput {
  readonly object: unknown;
  readonly namespaceObject: unknown;
}

/** The policy's decision. */
export interface Verdict {
  readonly allowed: boolean;
  /** Messages of the validations that returned false. */
  readonly denied: readonly string[];
  /** Evaluation errors (each also denies). */
  readonly errors: readonly string[];
}

/** A JSON value as CEL input: whole numbers as CEL int (bigint). */
export function toCel(v: unknown): CelInput {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(toCel);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  return v as CelInput;
}

const env = celEnv();
const compiled = new Map<string, ReturnType<typeof plan>>();
function run(expression: string, bindings: Record<string, CelInput>): unknown {
  let fn = compiled.get(expression);
  if (!fn) {
    fn = plan(env, parse(expression));
    compiled.set(expression, fn);
  }
  return fn(bindings);
}

/** Evaluates one policy object (`spec.variables`, `spec.validations`) against one admission input. */
export function evaluatePolicy(policy: any, input: AdmissionInput): Verdict {
  const variables: Record<string, CelInput> = {};
  const errors: string[] = [];
  const base = { object: toCel(input.object), namespaceObject: toCel(input.namespaceObject) };
  for (const v of policy.spec.variables ?? []) {
    const r = run(v.expression, { ...base, variables });
    if (isCelError(r)) errors.push(`variable ${v.name}: ${r.message}`);
    else variables[v.name] = r as CelInput;
  }
  const denied: string[] = [];
  if (errors.length === 0) {
    for (const val of policy.spec.validations) {
      const r = run(val.expression, { ...base, variables });
      if (isCelError(r)) errors.push(`${val.expression}: ${r.message}`);
      else if (r !== true) denied.push(val.message);
    }
  }
  return { allowed: denied.length === 0 && errors.length === 0, denied, errors };
}

/** Whether the policy's matchConstraints select `resource` of `apiGroup` for `operation`. */
export function policyMatches(policy: any, apiGroup: string, resource: string, operation: string): boolean {
  return (policy.spec.matchConstraints?.resourceRules ?? []).some(
    (r: any) =>
      (r.apiGroups.includes(apiGroup) || r.apiGroups.includes('*')) &&
      (r.resources.includes(resource) || r.resources.includes('*')) &&
      (r.operations.includes(operation) || r.operations.includes('*')),
  );
}
