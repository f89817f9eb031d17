import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { NagRules, type NagRuleResult } from 'cdk-nag';

/** A KoreaLaw rule, written like a cdk-nag rule: a pure function of one resource, plus what an auditor reads. */
export interface KoreaLawRule {
  /** Rule id suffix; the finding id is `KoreaLaw-<id>`. */
  readonly id: string;
  /** Why the rule was triggered (shown on failure). */
  readonly info: string;
  /** Why the rule exists. */
  readonly explanation: string;
  /** Korean legal and ISMS-P controls it implements. */
  readonly controls: readonly string[];
  /** How to fix a failure. */
  readonly fix: string;
  /** The check. */
  readonly rule: (node: CfnResource) => NagRuleResult;
}

/** Tags of a resource as rendered at synth (after the Tags aspect ran). */
export function tagsOf(node: CfnResource): Record<string, string> {
  return TagManager.isTaggable(node) ? node.tags.tagValues() : {};
}

/** The CloudFormation properties of a resource, resolved. */
export function propsOf(node: CfnResource): Record<string, any> {
  const stack = Stack.of(node);
  const cfn = stack.resolve((node as unknown as { _toCloudFormation(): any })._toCloudFormation());
  const [only] = Object.values(cfn.Resources ?? {}) as any[];
  return only?.Properties ?? {};
}

/** The resource of the same stack a `Ref`/`Fn::GetAtt` value points to, if any. */
export function referencedResource(node: CfnResource, value: unknown): CfnResource | undefined {
  if (value === undefined || value === null) return undefined;
  const id = NagRules.resolveResourceFromIntrinsic(node, value);
  if (typeof id !== 'string') return undefined;
  const stack = Stack.of(node);
  return stack.node.findAll().find((c): c is CfnResource => CfnResource.isCfnResource(c) && stack.getLogicalId(c) === id);
}
