/**
 * `CfnLimits`: every synthesized CloudFormation template stays clear of CloudFormation's
 * hard quotas, so a deploy never fails half-way for size. A stack fails the check at 80 %
 * of a quota, early enough to split it or tighten the config limits before it breaks.
 *
 * Reads only the written templates (no aws-cdk-lib): the size CloudFormation sees is the
 * file CDK uploads.
 */
import type { CheckFinding } from '../findings';

/** CloudFormation quotas per stack (AWS CloudFormation User Guide, "Quotas"). */
export const CFN_QUOTAS = {
  resources: 500,
  /** Bytes of a template uploaded through S3 (CDK uploads through the bootstrap bucket). */
  templateBytes: 1_000_000,
  outputs: 200,
  parameters: 200,
  mappings: 200,
} as const;

/** Share of a quota at which a stack fails the check. */
export const CFN_LIMIT_THRESHOLD = 0.8;

/** Pack name of the findings. */
export const CFN_LIMITS_PACK = 'CfnLimits';

/** One synthesized template. */
export interface TemplateInput {
  /** Stack name (the template's artifact id). */
  readonly stack: string;
  /** Cooperative owning the stack; undefined for platform stacks. */
  readonly cooperative?: string;
  /** Size of the template file in bytes. */
  readonly bytes: number;
  readonly template: { readonly Resources?: object; readonly Outputs?: object; readonly Parameters?: object; readonly Mappings?: object };
}

const FIXES: Record<keyof typeof CFN_QUOTAS, string> = {
  resources:
    'Split the stack (move resources of a cooperative into their own stack), or lower the per-cooperative maximums in infra/config/schema.ts (COOPERATIVE_LIMITS) so the largest allowed cooperative fits.',
  templateBytes:
    'Shrink the template (Glue table columns and the coopidc:dataset parameter dominate: fewer datasets or fields per cooperative, see COOPERATIVE_LIMITS in infra/config/schema.ts), or split the stack.',
  outputs: 'Export fewer values from the stack (pass constructs between stacks in the same app instead of outputs), or split the stack.',
  parameters: 'Use fewer CloudFormation parameters (decide at synth time with a plain `if`), or split the stack.',
  mappings: 'Use fewer mappings (resolve values at synth time), or split the stack.',
};

const LABELS: Record<keyof typeof CFN_QUOTAS, string> = {
  resources: 'resources',
  templateBytes: 'template bytes',
  outputs: 'outputs',
  parameters: 'parameters',
  mappings: 'mappings',
};

const RULES: Record<keyof typeof CFN_QUOTAS, string> = {
  resources: 'CfnLimits-Resources',
  templateBytes: 'CfnLimits-TemplateSize',
  outputs: 'CfnLimits-Outputs',
  parameters: 'CfnLimits-Parameters',
  mappings: 'CfnLimits-Mappings',
};

/** What CloudFormation's per-stack quotas count in one template: all the check reads of it. */
export type CfnFigures = Readonly<Record<keyof typeof CFN_QUOTAS, number>>;

/** The figures of one template (`bytes`: its file's size). */
export function cfnFiguresOf(template: TemplateInput['template'], bytes: number): CfnFigures {
  return {
    resources: Object.keys(template.Resources ?? {}).length,
    templateBytes: bytes,
    outputs: Object.keys(template.Outputs ?? {}).length,
    parameters: Object.keys(template.Parameters ?? {}).length,
    mappings: Object.keys(template.Mappings ?? {}).length,
  };
}

/** One stack's figures, with its name and owner: what {@link checkCfnLimitFigures} reads. */
export interface CfnFiguresInput {
  readonly stack: string;
  readonly cooperative?: string;
  readonly figures: CfnFigures;
}

/** One pass or fail per stack and quota. */
export function checkCfnLimits(templates: readonly TemplateInput[], threshold: number = CFN_LIMIT_THRESHOLD): CheckFinding[] {
  return checkCfnLimitFigures(
    templates.map((t) => ({ stack: t.stack, ...(t.cooperative !== undefined ? { cooperative: t.cooperative } : {}), figures: cfnFiguresOf(t.template, t.bytes) })),
    threshold,
  );
}

/**
 * {@link checkCfnLimits} from each stack's figures ({@link cfnFiguresOf}), which a build keeps
 * with each stack it caches, so that a stack restored from the cache is not parsed again.
 */
export function checkCfnLimitFigures(stacks: readonly CfnFiguresInput[], threshold: number = CFN_LIMIT_THRESHOLD): CheckFinding[] {
  const out: CheckFinding[] = [];
  for (const t of stacks) {
    const values = t.figures;
    for (const key of Object.keys(CFN_QUOTAS) as (keyof typeof CFN_QUOTAS)[]) {
      const quota = CFN_QUOTAS[key];
      const value = values[key];
      const limit = Math.floor(quota * threshold);
      const pct = ((value / quota) * 100).toFixed(1);
      const base = {
        pack: CFN_LIMITS_PACK,
        rule: RULES[key],
        controls: [],
        stack: t.stack,
        resource: t.stack,
        ...(t.cooperative !== undefined ? { cooperative: t.cooperative } : {}),
      };
      if (value > limit) {
        out.push({
          ...base,
          status: 'fail',
          message: `${value} ${LABELS[key]} is ${pct} % of CloudFormation's quota of ${quota}; the build allows at most ${limit} (${threshold * 100} %)`,
          fix: FIXES[key],
        });
      } else {
        out.push({ ...base, status: 'pass', message: `${value} ${LABELS[key]}, ${pct} % of CloudFormation's quota of ${quota} (fails above ${threshold * 100} %)` });
      }
    }
  }
  return out;
}
