/**
 * The shape of a Kubernetes conformance rule and the runner that turns outcomes into
 * findings. A rule is a pure function of one stack's Terraform JSON; it never reads the
 * plan or the construct tree, so it checks what will actually be applied.
 */
import { compareFindings, type CheckFinding } from '../findings';
import { baseType, block, containersOf, isWorkload, namespaceOf, podSpecOf, resourcesOf, type ContainerRef, type StackInput, type TfObject, type TfResource } from './terraform-json';

/** The pack name under which conformance findings are recorded. */
export const KUBERNETES_PACK = 'K8sConformance';

/** The verdict of a rule on one resource. */
export interface RuleOutcome {
  /** Terraform address. */
  readonly resource: string;
  readonly status: 'pass' | 'fail';
  readonly message: string;
}

/** A conformance rule. */
export interface KubernetesRule {
  /** E.g. `CIS-5.1.3`, `PSS-restricted-seccomp`, `MTB-PL1-BC-HI-4`. */
  readonly id: string;
  /** Controls the rule implements, e.g. `CIS Kubernetes 5.1.3`. */
  readonly controls: readonly string[];
  /** What the rule requires, for the report. */
  readonly description: string;
  /** How to fix a failure. */
  readonly fix: string;
  /** Outcomes for every resource the rule applies to in the stack. */
  evaluate(stack: StackInput): RuleOutcome[];
}

/** A rule's verdict from a list of problems: pass when there are none. */
export function outcome(resource: string, problems: readonly string[], passMessage: string): RuleOutcome {
  return problems.length === 0
    ? { resource, status: 'pass', message: passMessage }
    : { resource, status: 'fail', message: problems.join('; ') };
}

/** Applies `check` to every workload's pod spec. */
export function eachWorkload(stack: StackInput, check: (pod: TfObject, r: TfResource) => string[], passMessage: string): RuleOutcome[] {
  return resourcesOf(stack.json)
    .filter(isWorkload)
    .map((r) => outcome(r.address, check(podSpecOf(r), r), passMessage));
}

/** Applies `check` to every container of every workload; problems are prefixed with the container. */
export function eachContainer(stack: StackInput, check: (c: ContainerRef, pod: TfObject) => string[], passMessage: string): RuleOutcome[] {
  return eachWorkload(
    stack,
    (pod) => containersOf(pod).flatMap((c) => check(c, pod).map((p) => `${c.kind} "${c.name}": ${p}`)),
    passMessage,
  );
}

/** A namespace created by the stack, with the stack's resources placed in it. */
export interface NamespaceRef {
  readonly name: string;
  readonly resource: TfResource;
  readonly members: readonly TfResource[];
}

/** Namespaces the stack creates, each with its members. */
export function namespacesOf(stack: StackInput): NamespaceRef[] {
  const all = resourcesOf(stack.json);
  return all
    .filter((r) => baseType(r.type) === 'kubernetes_namespace')
    .map((r) => {
      const name = String(block(r.body.metadata).name ?? '');
      return { name, resource: r, members: all.filter((m) => namespaceOf(m) === name) };
    });
}

/** Applies `check` to every namespace the stack creates. */
export function eachNamespace(stack: StackInput, check: (ns: NamespaceRef) => string[], passMessage: string): RuleOutcome[] {
  return namespacesOf(stack).map((ns) => outcome(ns.resource.address, check(ns), passMessage));
}

/** Resources of the given base types (`kubernetes_role`, ...), any version. */
export function resourcesOfType(stack: StackInput, ...types: string[]): TfResource[] {
  return resourcesOf(stack.json).filter((r) => types.includes(baseType(r.type)));
}

/** Runs rules over stacks and returns sorted findings, passes included. */
export function checkStacks(stacks: readonly StackInput[], rules: readonly KubernetesRule[]): CheckFinding[] {
  const findings: CheckFinding[] = [];
  for (const stack of stacks) {
    for (const rule of rules) {
      for (const o of rule.evaluate(stack)) {
        findings.push({
          pack: KUBERNETES_PACK,
          rule: rule.id,
          controls: rule.controls,
          status: o.status,
          ...(stack.cooperative !== undefined ? { cooperative: stack.cooperative } : {}),
          stack: stack.stack,
          resource: o.resource,
          message: o.message,
          ...(o.status === 'fail' ? { fix: rule.fix } : {}),
        });
      }
    }
  }
  return findings.sort(compareFindings);
}
