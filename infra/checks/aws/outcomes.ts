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
    // function under several suffixes. Nested maps rather than one concatenated key: the
    // suffix and info are the packs' constant strings, whose hashes V8 keeps, while a fresh
    // concatenation would be flattened and hashed on every call (~1 s per 100 cooperatives).
    private readonly wrapped = new Map<IApplyRule['rule'], Map<string, Map<string, IApplyRule['rule']>>>();

    protected applyRule(params: IApplyRule): void {
      const rule = params.rule;
      const suffix = params.ruleSuffixOverride ?? rule.name;
      const info = params.info;
      let bySuffix = this.wrapped.get(rule);
      if (!bySuffix) this.wrapped.set(rule, (bySuffix = new Map()));
      let byInfo = bySuffix.get(suffix);
      if (!byInfo) bySuffix.set(suffix, (byInfo = new Map()));
      let wrapped = byInfo.get(info);
      if (!wrapped) {
        const pack = this.readPackName;
        const id = `${pack}-${suffix}`;
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
        byInfo.set(info, wrapped);
      }
      // The pack builds a fresh params object per call; reusing it avoids a copy per call.
      (params as { rule: IApplyRule['rule'] }).rule = wrapped;
      super.applyRule(params);
    }
  }
  return Recording as unknown as T;
}
