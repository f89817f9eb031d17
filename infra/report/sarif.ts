/**
 * SARIF 2.1.0 (OASIS) output, for CI: GitHub code scanning shows each result at its file and
 * line on the pull request. Two producers: configuration diagnostics (`validate --format
 * sarif`) and the build's check findings (`checks.sarif` in the output folder). Rule help is
 * Korean first, then English, as every user-facing text.
 */
import type { CheckFinding } from '../checks/findings';
import { diagnosticText, type Diagnostic } from '../config/diagnostics';
import type { Lang } from '../config/messages';
import { ruleHelp } from '../config/rule-help';
import type { TenancyPlan } from '../plan/types';

/** The SARIF version written and its schema, as `$schema` names it. */
export const SARIF_VERSION = '2.1.0';
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The parts of SARIF this module writes (a subset of the 2.1.0 object model). */
export interface SarifLog {
  readonly $schema: string;
  readonly version: typeof SARIF_VERSION;
  readonly runs: readonly SarifRun[];
}
/** One tool's run. */
export interface SarifRun {
  readonly tool: { readonly driver: { readonly name: string; readonly version: string; readonly informationUri?: string; readonly rules: readonly SarifRule[] } };
  readonly automationDetails?: { readonly id: string };
  readonly results: readonly SarifResult[];
}
/** A rule (`reportingDescriptor`). */
export interface SarifRule {
  readonly id: string;
  readonly name?: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly help: { readonly text: string; readonly markdown: string };
  readonly properties?: Readonly<Record<string, unknown>>;
}
/** A result. */
export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: 'error' | 'warning' | 'note';
  readonly message: { readonly text: string };
  readonly locations: readonly {
    readonly physicalLocation: { readonly artifactLocation: { readonly uri: string }; readonly region: { readonly startLine: number; readonly startColumn: number } };
    readonly logicalLocations?: readonly { readonly fullyQualifiedName: string; readonly kind: string }[];
  }[];
  readonly partialFingerprints?: Readonly<Record<string, string>>;
}

/** Options of both producers. */
export interface SarifOptions {
  /** coop-idc's version, for `tool.driver.version`. */
  readonly toolVersion: string;
  /**
   * The language of messages and rule help (`validate --lang`).
   * @default - rule help in Korean, then English; messages as the diagnostics' English text
   */
  readonly lang?: Lang;
}

/** A URI as SARIF wants it: forward slashes, each segment percent-encoded (Korean file names too). */
function toUri(path: string): string {
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}

function rule(id: string, name: string | undefined, help: { ko: string; en: string; fixKo: string; fixEn: string }, properties?: Record<string, unknown>, lang?: Lang): SarifRule {
  if (lang) {
    const [what, fix, label] = lang === 'ko' ? [help.ko, help.fixKo, '해결'] : [help.en, help.fixEn, 'Fix'];
    return {
      id,
      ...(name ? { name } : {}),
      shortDescription: { text: what },
      fullDescription: { text: `${what} — ${fix}` },
      help: { text: `${what}\n${label}: ${fix}`, markdown: `**${what}**\n\n${label}: ${fix}` },
      ...(properties ? { properties } : {}),
    };
  }
  return {
    id,
    ...(name ? { name } : {}),
    shortDescription: { text: `${help.ko} / ${help.en}` },
    fullDescription: { text: `${help.ko} — ${help.fixKo} / ${help.en} — ${help.fixEn}` },
    help: {
      text: `${help.ko}\n해결: ${help.fixKo}\n\n${help.en}\nFix: ${help.fixEn}`,
      markdown: `**${help.ko}**\n\n해결: ${help.fixKo}\n\n**${help.en}**\n\nFix: ${help.fixEn}`,
    },
    ...(properties ? { properties } : {}),
  };
}

function log(run: SarifRun): SarifLog {
  return { $schema: SARIF_SCHEMA, version: SARIF_VERSION, runs: [run] };
}

/** Rules used by results, in first-use order sorted by id, and each result's index into them. */
function indexRules<T>(items: readonly T[], idOf: (t: T) => string): Map<string, number> {
  const ids = [...new Set(items.map(idOf))].sort();
  return new Map(ids.map((id, i) => [id, i]));
}

/**
 * Configuration diagnostics as SARIF: one result per diagnostic at its file, line and
 * column; each rule code with its help (the onboarding guides' table), in `options.lang` or
 * in Korean and English.
 */
export function diagnosticsToSarif(diagnostics: readonly Diagnostic[], options: SarifOptions): SarifLog {
  const index = indexRules(diagnostics, (d) => d.code);
  return log({
    tool: {
      driver: {
        name: 'coop-idc',
        version: options.toolVersion,
        rules: [...index.keys()].map((code) => rule(code, code, ruleHelp(code), undefined, options.lang)),
      },
    },
    automationDetails: { id: 'coop-idc/validate/' },
    results: diagnostics.map((d) => {
      const text = diagnosticText(d, options.lang ?? 'en');
      return {
        ruleId: d.code,
        ruleIndex: index.get(d.code)!,
        level: d.severity,
        message: { text: text.hint ? `${text.message} (${text.hint})` : text.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: toUri(d.file) }, region: { startLine: d.line, startColumn: d.col } } }],
      };
    }),
  });
}

/** Options of {@link findingsToSarif}. */
export interface FindingsSarifOptions extends SarifOptions {
  /** The config folder as the repository names it (e.g. `config`): findings point at its files. */
  readonly configRoot: string;
  /** The platform file, relative to the config folder. */
  readonly platformFile: string;
}

/**
 * The build's failed check findings as SARIF. A finding belongs to a resource, not a line:
 * it is placed at the first line of the file that caused it (the cooperative's file, else the
 * platform file), the stack and resource given as its logical location. Passes and
 * acknowledgements are left out: tens of thousands at scale, above what code scanning takes
 * in one run, and the audit report lists them with their reasons.
 */
export function findingsToSarif(findings: readonly CheckFinding[], plan: Pick<TenancyPlan, 'cooperatives'>, options: FindingsSarifOptions): SarifLog {
  const shown = findings.filter((f) => f.status === 'fail');
  const index = indexRules(shown, (f) => f.rule);
  const first = new Map<string, CheckFinding>();
  for (const f of shown) if (!first.has(f.rule)) first.set(f.rule, f);
  const sourceOf = new Map(plan.cooperatives.map((c) => [c.id, c.source]));
  const root = options.configRoot.replace(/[\\/]+$/, '');
  const fileOf = (f: CheckFinding) => `${root ? `${root}/` : ''}${(f.cooperative !== undefined ? sourceOf.get(f.cooperative) : undefined) ?? options.platformFile}`;
  return log({
    tool: {
      driver: {
        name: 'coop-idc checks',
        version: options.toolVersion,
        rules: [...index.keys()].map((id) => {
          const f = first.get(id)!;
          return rule(id, undefined, {
            ko: `${f.pack} 규칙 ${id}`,
            en: `${f.pack} rule ${id}${f.controls.length ? ` (${f.controls.join(', ')})` : ''}`,
            fixKo: f.fix ?? '보고서(report/index.html)의 해당 통제 항목을 참고하세요',
            fixEn: f.fix ?? 'see the control in the audit report (report/index.html)',
          }, { pack: f.pack, controls: [...f.controls] });
        }),
      },
    },
    automationDetails: { id: 'coop-idc/build/' },
    results: shown.map((f) => ({
      ruleId: f.rule,
      ruleIndex: index.get(f.rule)!,
      level: 'error',
      message: { text: `${f.stack}/${f.resource}: ${f.message}${f.fix ? ` (fix: ${f.fix})` : ''}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: toUri(fileOf(f)) }, region: { startLine: 1, startColumn: 1 } },
          logicalLocations: [{ fullyQualifiedName: `${f.stack}/${f.resource}`, kind: 'resource' }],
        },
      ],
      // Stable across builds, so code scanning tracks one alert per rule and resource.
      partialFingerprints: { 'coopIdcFinding/v1': `${f.pack}/${f.rule}/${f.stack}/${f.resource}` },
    })),
  });
}
