/**
 * The control catalogue: which regulatory controls the report gives evidence for, and
 * which check results and plan facts count as that evidence. Data, not logic, so an
 * auditor (and docs/audit.*.md) can review the mapping in one place.
 *
 * Titles follow the official Korean texts: the ISMS-P certification criteria (정보보호 및
 * 개인정보보호 관리체계 인증 등에 관한 고시, criteria as revised 2023-10-31), the Personal
 * Information Protection Act (개인정보 보호법) and the PIPC notice on safety measures for
 * personal information (개인정보의 안전성 확보조치 기준, 2023 revision). English titles are
 * our translations; the Korean title is authoritative.
 */
import type { CheckFinding } from '../checks/findings';

/** Regulatory framework a control belongs to. */
export type Framework = 'ISMS-P' | 'PIPA' | 'Safety measures standard';

/** Check results that count as evidence for a control, besides findings that cite it. */
export interface RuleMatcher {
  /** Exact pack name (`AwsSolutions`, `NIST.800.53.R5`, `KoreaLaw`, `K8sConformance`, `Capacity`). */
  readonly pack: string;
  /** Rule ids matched against `CheckFinding.rule`; absent means every rule of the pack. */
  readonly rule?: RegExp;
}

/** Which plan facts count as evidence (see `planEvidence` in model.ts). */
export type PlanFactKind =
  /** Every cooperative's data is under its own customer-managed key alias. */
  | 'cooperative-keys'
  /** The pseudonymization (HMAC) key is separate from every data key. */
  | 'pseudonymization-key'
  /** Audit log retention meets the derived legal minimum. */
  | 'log-retention'
  /** Every agreement names purpose, legal basis and an unexpired end date. */
  | 'agreements'
  /** Pseudonymized and aggregated grants read the shared zone, never the raw zone. */
  | 'shared-zone-grants'
  /** No identifier or sensitive column is granted raw to finance or government consumers. */
  | 'no-raw-personal'
  /** Every granted column's disclosure, recomputed with `disclosureOf`: none refused, as granted. */
  | 'disclosures'
  /** Each shared copy's record of pseudonymized processing, written into every ingestion manifest. */
  | 'pseudonymization-records'
  /** Data expires after its retention; offboarding cooperatives step by step (infra/report/offboarding.ts). */
  | 'destruction'
  /**
   * Erasure of one member company (PIPA art. 36): per dataset, whether an erasure request can
   * find its rows (its `memberField`), where requests go and where the records are written.
   */
  | 'erasure'
  /** Each statistics table's refresh job: its schedule, the schedule's end (the agreement's access end) and its function. */
  | 'statistics-refresh';

/** One regulatory control and where its evidence comes from. */
export interface ControlDefinition {
  /** Stable id, also the prefix findings cite in `controls[]`, e.g. `ISMS-P 2.7.1`. */
  readonly id: string;
  readonly framework: Framework;
  readonly title: { readonly ko: string; readonly en: string };
  /** How coop-idc meets the control, one sentence for the report. */
  readonly how: string;
  /** Other spellings findings may use to cite the control (case-insensitive prefixes). */
  readonly aliases: readonly string[];
  /** Rules whose findings are evidence even when they do not cite the control. */
  readonly rules: readonly RuleMatcher[];
  /** Plan facts shown as evidence. */
  readonly planFacts: readonly PlanFactKind[];
  /**
   * True when the plan facts alone establish the control (they are enforced by config
   * rules: no plan exists otherwise). False when they only give context and a check on the
   * synthesized output must confirm it, so that without check results the status is
   * "no evidence" rather than an unverified pass.
   */
  readonly planSufficient: boolean;
}

const NAG = 'AwsSolutions';
const NIST = 'NIST.800.53.R5';
const K8S = 'K8sConformance';

/** Public-access rules: network reachability of data stores. */
const PUBLIC_ACCESS: RuleMatcher[] = [
  { pack: NIST, rule: /^NIST\.800\.53\.R5-(S3BucketLevelPublicAccessProhibited|S3BucketPublicReadProhibited|S3BucketPublicWriteProhibited|LambdaInsideVPC)$/ },
];
const ENCRYPTION: RuleMatcher[] = [
  { pack: NAG, rule: /^AwsSolutions-(S10|ATH1|GL1|GL3|SNS2|SNS3|SQS2|SQS3|KDS3)$/ },
  { pack: NIST, rule: /^NIST\.800\.53\.R5-(S3DefaultEncryptionKMS|S3BucketServerSideEncryptionEnabled|S3BucketSSLRequestsOnly|CloudWatchLogGroupEncrypted|CloudTrailEncryptionEnabled)$/ },
];
const KEYS: RuleMatcher[] = [
  { pack: NAG, rule: /^AwsSolutions-KMS5$/ },
  { pack: NIST, rule: /^NIST\.800\.53\.R5-KMSBackingKeyRotationEnabled$/ },
];
const LOGGING: RuleMatcher[] = [
  { pack: NAG, rule: /^AwsSolutions-(S1|ATH1)$/ },
  { pack: NIST, rule: /^NIST\.800\.53\.R5-(S3BucketLoggingEnabled|CloudWatchLogGroupRetentionPeriod|CloudTrailLogFileValidationEnabled|CloudTrailCloudWatchLogsEnabled)$/ },
];

/** The controls the report covers, in the order it shows them. */
export const CONTROLS: readonly ControlDefinition[] = [
  {
    id: 'ISMS-P 2.6.1',
    framework: 'ISMS-P',
    title: { ko: '네트워크 접근', en: 'Network access' },
    how: 'Every tenant namespace starts from default-deny network policies and may reach only DNS and its subscribed shared servers; data buckets block public access.',
    aliases: [],
    rules: [{ pack: K8S, rule: /^(CIS-5\.3\.2|MTB-PL1-CC-TI-2|MTB-PL1-BC-HI-1-nodeport|MTB-PL1-BC-HI-3)/ }, ...PUBLIC_ACCESS],
    planFacts: [],
    planSufficient: false,
  },
  {
    id: 'ISMS-P 2.7.1',
    framework: 'ISMS-P',
    title: { ko: '암호정책 적용', en: 'Application of cryptographic policy' },
    how: 'Data at rest is encrypted with customer-managed KMS keys and every bucket refuses requests without TLS.',
    aliases: [],
    rules: ENCRYPTION,
    planFacts: ['cooperative-keys'],
    planSufficient: false,
  },
  {
    id: 'ISMS-P 2.7.2',
    framework: 'ISMS-P',
    title: { ko: '암호키 관리', en: 'Cryptographic key management' },
    how: 'One customer-managed key per cooperative with automatic rotation; the pseudonymization key is a separate key.',
    aliases: [],
    rules: KEYS,
    planFacts: ['cooperative-keys', 'pseudonymization-key'],
    planSufficient: false,
  },
  {
    id: 'ISMS-P 2.9.1',
    framework: 'ISMS-P',
    title: { ko: '변경관리', en: 'Change management' },
    how: 'What was reviewed is what runs: every rendered image is pinned by digest, and the IDC admission policy denies any image not pinned by digest in every tenant namespace.',
    aliases: [],
    rules: [{ pack: K8S, rule: /^(CIS-5\.5\.1|ADM-images)$/ }],
    planFacts: [],
    planSufficient: false,
  },
  {
    id: 'ISMS-P 2.9.2',
    framework: 'ISMS-P',
    title: { ko: '성능 및 장애관리', en: 'Performance and fault management' },
    how: 'The sum of all quotas fits the IDC cluster per resource and GPU model, and the admission policy lets a pod use only the GPU models its namespace is granted.',
    aliases: [],
    rules: [{ pack: 'Capacity' }, { pack: K8S, rule: /^ADM-gpu-models$/ }],
    planFacts: [],
    planSufficient: false,
  },
  {
    id: 'ISMS-P 2.9.4',
    framework: 'ISMS-P',
    title: { ko: '로그 및 접속기록 관리', en: 'Management of logs and access records' },
    how: 'Server access logs on every data bucket, kept in the audit bucket for at least the retention the law requires.',
    aliases: [],
    rules: LOGGING,
    planFacts: ['log-retention'],
    planSufficient: false,
  },
  {
    id: 'ISMS-P 2.10.2',
    framework: 'ISMS-P',
    title: { ko: '클라우드 보안', en: 'Cloud security' },
    how: 'Every cloud stack is held to the cdk-nag AWS Solutions and NIST 800-53 rev. 5 packs; a failure fails the build. On the IDC cluster (the platform’s private cloud) no tenant pod may be privileged or share the host’s network, PID or IPC namespace, paths or ports: checked on the rendered workloads and denied at admission in every tenant namespace.',
    aliases: [],
    rules: [{ pack: NAG }, { pack: NIST }, { pack: K8S, rule: /^(ADM-host-isolation|MTB-PL1-BC-CPI-5|MTB-PL1-BC-HI-1-hostpath|MTB-PL1-BC-HI-[345])$/ }],
    planFacts: [],
    planSufficient: false,
  },
  {
    id: 'ISMS-P 2.10.9',
    framework: 'ISMS-P',
    title: { ko: '악성코드 통제', en: 'Malware control' },
    how: 'Only images from the platform’s allowed registries (platform idc.allowedRegistries) run in tenant namespaces: configuration naming another registry is rejected and the admission policy denies it on the cluster.',
    aliases: [],
    rules: [{ pack: K8S, rule: /^ADM-images$/ }],
    planFacts: [],
    planSufficient: false,
  },
  {
    id: 'ISMS-P 3.2.5',
    framework: 'ISMS-P',
    title: { ko: '가명정보 처리', en: 'Processing of pseudonymized information' },
    how: 'Each column leaves as disclosureOf decides: identifiers as a keyed hash, quasi-identifiers and sensitive columns only generalized, aggregated consumers only statistics of at least k member companies; consumers read only the shared zone.',
    aliases: [],
    rules: [],
    planFacts: ['disclosures', 'shared-zone-grants', 'pseudonymization-key', 'statistics-refresh'],
    planSufficient: true,
  },
  {
    id: 'ISMS-P 3.3.1',
    framework: 'ISMS-P',
    title: { ko: '개인정보 제3자 제공', en: 'Provision of personal information to third parties' },
    how: 'Every consumer grant comes from a written agreement naming purpose, legal basis, columns and expiry; expired agreements fail validation.',
    aliases: [],
    rules: [],
    planFacts: ['agreements'],
    planSufficient: true,
  },
  {
    id: 'PIPA art. 21',
    framework: 'PIPA',
    title: { ko: '개인정보의 파기', en: 'Destruction of personal information' },
    how: 'Every zone expires each dataset after its declared retention; a leaving cooperative goes through offboarding (grants revoked, ingestion removed, shared copies expired, data read-only until retainUntil and then expired by S3 lifecycle rules, IDC scaled to zero) before its file may be removed, and report --since fails a file deleted without it.',
    aliases: ['PIPA 21', 'PIPA art 21', '개인정보 보호법 제21조'],
    rules: [],
    planFacts: ['destruction'],
    planSufficient: true,
  },
  {
    id: 'PIPA art. 28-2',
    framework: 'PIPA',
    title: { ko: '가명정보의 처리 등', en: 'Processing of pseudonymized information' },
    how: 'Pseudonymized data is provided only under an agreement stating the purpose (statistics, scientific research, public-interest archiving) and legal basis.',
    aliases: ['PIPA 28-2', 'PIPA art 28-2', '개인정보 보호법 제28조의2'],
    rules: [],
    planFacts: ['agreements', 'shared-zone-grants'],
    planSufficient: true,
  },
  {
    id: 'PIPA art. 28-3',
    framework: 'PIPA',
    title: { ko: '가명정보의 결합 제한', en: 'Restriction on combining pseudonymized information' },
    how: 'Each cooperative’s identifiers are pseudonymized in its own tables; combining across controllers must go through a designated combination agency and is not automated here.',
    aliases: ['PIPA 28-3', 'PIPA art 28-3', '개인정보 보호법 제28조의3'],
    rules: [],
    planFacts: [],
    planSufficient: false,
  },
  {
    id: 'PIPA art. 28-4',
    framework: 'PIPA',
    title: { ko: '가명정보에 대한 안전조치의무 등', en: 'Duty of safety measures for pseudonymized information' },
    how: 'The additional information (the HMAC key) is kept under a separate key apart from the data; every ingestion manifest records which columns were tokenised, generalised and dropped under which agreement, and access records are retained.',
    aliases: ['PIPA 28-4', 'PIPA art 28-4', '개인정보 보호법 제28조의4'],
    rules: [],
    planFacts: ['pseudonymization-records', 'pseudonymization-key', 'log-retention'],
    planSufficient: true,
  },
  {
    id: 'PIPA art. 28-5',
    framework: 'PIPA',
    title: { ko: '가명정보 처리 시 금지의무 등', en: 'Prohibitions in processing pseudonymized information' },
    how: 'Consumers never receive the key or raw identifiers; finance and government consumers cannot be granted personal columns raw; sensitive columns leave only with a separate legal basis, never raw.',
    aliases: ['PIPA 28-5', 'PIPA art 28-5', '개인정보 보호법 제28조의5'],
    rules: [],
    planFacts: ['no-raw-personal', 'disclosures', 'shared-zone-grants', 'statistics-refresh'],
    planSufficient: true,
  },
  {
    id: 'PIPA art. 36',
    framework: 'PIPA',
    title: { ko: '개인정보의 정정·삭제', en: 'Correction or erasure of personal information' },
    how: 'A request naming a member company (never a person) placed under _erasure/requests/ of the cooperative\'s curated bucket makes its erasure function rewrite every curated and shared Parquet file holding that member\'s rows without them; an erasure record under _erasure/records/ lists each file with rows removed and SHA-256 before and after, and the statistics tables to recompute (docs/runbook-erasure.md).',
    aliases: ['PIPA 36', 'PIPA art 36', '개인정보 보호법 제36조'],
    rules: [],
    planFacts: ['erasure'],
    planSufficient: true,
  },
  {
    id: 'Safety measures standard art. 7',
    framework: 'Safety measures standard',
    title: { ko: '개인정보의 암호화', en: 'Encryption of personal information' },
    how: 'Personal data is encrypted at rest with customer-managed keys and in transit with TLS.',
    aliases: ['safety-measures standard art. 7', 'Safety measures art. 7', '안전성 확보조치 기준 제7조'],
    rules: ENCRYPTION,
    planFacts: ['cooperative-keys'],
    planSufficient: false,
  },
  {
    id: 'Safety measures standard art. 8',
    framework: 'Safety measures standard',
    title: { ko: '접속기록의 보관 및 점검', en: 'Retention and inspection of access records' },
    how: 'Access records are kept for one year, or two years where 50,000+ data subjects or sensitive data are processed.',
    aliases: ['safety-measures standard art. 8', 'Safety measures art. 8', '안전성 확보조치 기준 제8조'],
    rules: LOGGING,
    planFacts: ['log-retention'],
    planSufficient: false,
  },
];

/**
 * Whether a `controls[]` entry cites the control: the id (or an alias) followed by the end
 * or a character that cannot continue the number, so `ISMS-P 2.7.1` never matches
 * `ISMS-P 2.7.10` and `PIPA art. 28-2` never matches `28-20`.
 */
export function citesControl(citation: string, control: ControlDefinition): boolean {
  const c = citation.trim().toLowerCase();
  return [control.id, ...control.aliases].some((id) => {
    const p = id.toLowerCase();
    if (!c.startsWith(p)) return false;
    const next = c.charAt(p.length);
    return next === '' || !/[0-9.\-]/.test(next) || (next === '.' && !/[0-9]/.test(c.charAt(p.length + 1)));
  });
}

/** Whether a finding is evidence for the control (it cites it, or its rule is mapped). */
export function isEvidenceFor(finding: Pick<CheckFinding, 'pack' | 'rule' | 'controls'>, control: ControlDefinition): boolean {
  if (finding.controls.some((c) => citesControl(c, control))) return true;
  return control.rules.some((m) => m.pack === finding.pack && (m.rule === undefined || m.rule.test(finding.rule)));
}
