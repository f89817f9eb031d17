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
    protected applyRule(params: IApplyRule): void {
      const suffix = params.ruleSuffixOverride ?? params.rule.name;
      const pack = this.readPackName;
      const rule = params.rule;
      super.applyRule({
        ...params,
        ruleSuffixOverride: suffix,
        rule: (node: CfnResource) => {
          const result = rule(node);
          if (result === NagRuleCompliance.COMPLIANT || (Array.isArray(result) && result.length === 0)) {
            log.add({ pack, rule: `${pack}-${suffix}`, path: node.node.path, info: params.info });
          }
          return result;
        },
      });
    }
  }
  return Recording as unknown as T;
}
