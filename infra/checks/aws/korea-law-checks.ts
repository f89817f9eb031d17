import type { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, type NagPackProps } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { KoreaLawRule } from './rule';
import { AuditObjectLock } from './rules/audit-object-lock';
import { logRetention } from './rules/log-retention';
import { NoWildcardDataResource } from './rules/no-wildcard-data-resource';
import { OwnCooperativeKey } from './rules/own-cooperative-key';

/** Properties of {@link KoreaLawChecks}. */
export interface KoreaLawChecksProps extends NagPackProps {
  /** Days access records must be kept (365, or 731 where the plan requires two years). */
  readonly requiredLogRetentionDays: number;
}

/** Name of the pack; rule ids are `KoreaLaw-<rule>`. */
export const KOREA_LAW_PACK = 'KoreaLaw';

/** The rules of the pack, for a given required log retention. */
export function koreaLawRules(requiredLogRetentionDays: number): readonly KoreaLawRule[] {
  return [OwnCooperativeKey, logRetention(requiredLogRetentionDays), AuditObjectLock, NoWildcardDataResource];
}

/**
 * Where cdk-nag's AwsSolutions and NIST packs are weaker than Korean law (PIPA, the
 * safety-measures standard for personal information, ISMS-P): a cdk-nag pack, run through
 * the same Validations API, acknowledged the same way.
 */
export class KoreaLawChecks extends NagPack {
  readonly name = KOREA_LAW_PACK;
  private readonly rules: readonly KoreaLawRule[];

  constructor(scope: IConstruct | undefined, props: KoreaLawChecksProps) {
    super(scope, props);
    this.packName = KOREA_LAW_PACK;
    this.rules = koreaLawRules(props.requiredLogRetentionDays);
  }

  protected checkResource(node: CfnResource): void {
    for (const r of this.rules) {
      this.applyRule({ ruleSuffixOverride: r.id, info: r.info, explanation: r.explanation, level: NagMessageLevel.ERROR, rule: r.rule, node });
    }
  }
}
