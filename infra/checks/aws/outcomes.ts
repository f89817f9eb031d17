import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, type IApplyRule, type NagPack } from 'cdk-nag';

/** A rule that passed on one resource. */
export interface RulePass {
  readonly pack: string;
  readonly rule: string;
  /** Construct path of the resource. */
  readonly path: string;
  /** The rule's description (for NIST rules it carries the control ids). */
  readonly info: string;
}

/**
 * cdk-nag 3 reports violations (and, through aws-cdk-lib, acknowledged ones) but not
 * passes. The audit report needs passes too, so each pack is subclassed to note every
 * COMPLIANT outcome as it is decided; nothing is evaluated twice.
 */
export class PassLog {
  private readonly items: RulePass[] = [];
  /** Passes in the order they were decided. */
  get passes(): readonly RulePass[] {
    return this.items;
  }
  /** @internal */
  add(p: RulePass): void {
    this.items.push(p);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PackClass = abstract new (...args: any[]) => NagPack;

/** A subclass of a cdk-nag pack that records its passes in `log`. */
export function recordingPasses<T extends PackClass>(Base: T, log: PassLog): T {
  abstract class Recording extends (Base as PackClass) {
    // One wrapper per rule, not per (rule, resource): applyRule runs ~250 rules × every
    // resource, millions of calls at 1,000 cooperatives.
    // Keyed by the rule function and what the pack says about it, since a pack may apply one
    // function under several suffixes.
    private readonly wrapped = new Map<IApplyRule['rule'], Map<string, IApplyRule['rule']>>();

    protected applyRule(params: IApplyRule): void {
      const rule = params.rule;
      const suffix = params.ruleSuffixOverride ?? rule.name;
      let byRule = this.wrapped.get(rule);
      if (!byRule) this.wrapped.set(rule, (byRule = new Map()));
      const key = `${suffix}\u0000${params.info}`;
      let wrapped = byRule.get(key);
      if (!wrapped) {
        const pack = this.readPackName;
        const id = `${pack}-${suffix}`;
        const info = params.info;
        wrapped = Object.defineProperty(
          (node: CfnResource) => {
            const result = rule(node);
            if (result === NagRuleCompliance.COMPLIANT || (Array.isArray(result) && result.length === 0)) {
              log.add({ pack, rule: id, path: node.node.path, info });
            }
            return result;
          },
          'name',
          { value: suffix },
        );
        byRule.set(key, wrapped);
      }
      // The pack builds a fresh params object per call; reusing it avoids a copy per call.
      (params as { rule: IApplyRule['rule'] }).rule = wrapped;
      super.applyRule(params);
    }
  }
  return Recording as unknown as T;
}
