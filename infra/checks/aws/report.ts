import { compareFindings, type CheckFinding } from '../findings';
import type { KoreaLawRule } from './rule';
import type { RulePass } from './outcomes';

/** One violating construct in aws-cdk-lib's validation report. */
export interface ReportConstruct {
  readonly constructPath: string;
}

/** One violation in aws-cdk-lib's validation report (`validation-report.json`). */
export interface ReportViolation {
  readonly ruleName: string;
  readonly description: string;
  readonly severity?: string;
  readonly fix?: string;
  readonly violatingConstructs: readonly ReportConstruct[];
  /** Set on suppressed violations: the acknowledgement's reason. */
  readonly reason?: string;
  readonly acknowledgedAt?: string;
}

/** aws-cdk-lib's validation report, the parts coop-idc reads. */
export interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly conclusion: string;
    readonly violations: readonly ReportViolation[];
    readonly suppressedViolations?: readonly ReportViolation[];
  }[];
}

/** What the conversion needs to know about the app. */
export interface FindingContext {
  /** Cooperative owning a stack (by stack construct id); undefined for platform stacks. */
  cooperativeOf(stack: string): string | undefined;
  /** The KoreaLaw rules that ran, for their controls and fixes. */
  readonly koreaLawRules: readonly KoreaLawRule[];
}

const NIST_CONTROLS = /\s*-?\s*\(Control IDs: ([^)]*(?:\([^)]*\)[^)]*)*)\)\.?\s*$/;

/** The rule's text without its trailing control list, and the controls it names. */
export function splitControls(pack: string, description: string): { message: string; controls: string[] } {
  const m = NIST_CONTROLS.exec(description);
  if (!m) return { message: description, controls: [] };
  const ids = [...new Set(m[1].split(',').map((s) => s.trim()).filter(Boolean))];
  const prefix = pack.startsWith('NIST.800.53.R5') ? 'NIST 800-53 R5 ' : `${pack} `;
  return { message: `${description.slice(0, m.index).trim()}.`.replace(/\.\.$/, '.'), controls: ids.map((i) => `${prefix}${i}`) };
}


/**
 * Turns the validation report plus the recorded passes into check findings: failures from
 * `violations`, acknowledgements (with their reasons) from `suppressedViolations`, passes
 * from the pass log. Sorted for byte-identical output.
 */
export function findingsFromReport(report: ValidationReport, passes: readonly RulePass[], ctx: FindingContext): CheckFinding[] {
  const korea = new Map(ctx.koreaLawRules.map((r) => [`KoreaLaw-${r.id}`, r]));
  const where = (path: string) => {
    const [stack, ...rest] = path.split('/');
    const cooperative = ctx.cooperativeOf(stack);
    return { stack, resource: rest.join('/') || stack, ...(cooperative !== undefined ? { cooperative } : {}) };
  };
  const controlsOf = (pack: string, rule: string, description: string) => {
    const base = rule.replace(/\[.*\]$/, '');
    const k = korea.get(base);
    if (k) return { message: k.info, controls: [...k.controls], fix: k.fix };
    const { message, controls } = splitControls(pack, description);
    return {
      message,
      controls,
      fix: `Change the resource to satisfy ${base} (cdk-nag RULES.md), or acknowledge it with acknowledge(construct, '${rule}', reason) where an auditor would accept the exception.`,
    };
  };
  const out: CheckFinding[] = [];
  for (const plugin of report.pluginReports) {
    const pack = plugin.pluginName;
    for (const v of plugin.violations) {
      const c = controlsOf(pack, v.ruleName, v.description);
      for (const r of v.violatingConstructs) {
        out.push({ pack, rule: v.ruleName, controls: c.controls, status: 'fail', ...where(r.constructPath), message: c.message, fix: v.fix ?? c.fix });
      }
    }
    for (const v of plugin.suppressedViolations ?? []) {
      const c = controlsOf(pack, v.ruleName, v.description);
      for (const r of v.violatingConstructs) {
        out.push({ pack, rule: v.ruleName, controls: c.controls, status: 'acknowledged', ...where(r.constructPath), message: c.message, reason: v.reason ?? '' });
      }
    }
  }
  const seen = new Set<string>();
  for (const p of passes) {
    const key = `${p.rule}\u0000${p.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const c = controlsOf(p.pack, p.rule, p.info);
    out.push({ pack: p.pack, rule: p.rule, controls: c.controls, status: 'pass', ...where(p.path), message: `passed (the rule checks: ${c.message})` });
  }
  return out.sort(compareFindings);
}
