/**
 * The documentation of every key of the two config files, Korean first and English, with
 * examples and the meaning of every allowed value. `renderJsonSchemas` (json-schema.ts) puts
 * it into the JSON Schemas it derives from the zod schema, so an editor shows it on hover and
 * beside each completion. Keyed by the key's path as a person reads it: `datasets[].fields[].pii`
 * (`[]` an entry of a list, `*` any key of a mapping). A test walks the generated schemas and
 * fails on any key or value without both languages: a new key needs its line here.
 */
import { SERVICE_QUOTAS } from './service-quotas';

/** The documentation of one key. */
export interface KeyDoc {
  readonly ko: string;
  readonly en: string;
  /** Values a person might write, shown by editors. */
  readonly examples?: readonly unknown[];
  /** Each allowed value of an enumeration: [Korean, English]. */
  readonly values?: Readonly<Record<string, readonly [string, string]>>;
}

type Docs = Readonly<Record<string, KeyDoc>>;

const d = (ko: string, en: string, more: Omit<KeyDoc, 'ko' | 'en'> = {}): KeyDoc => ({ ko, en, ...more });

/** A Kubernetes quota block: the cooperative's `idc.quota` and a shared server's `quota`. */
function quotaDocs(at: string, whose: readonly [string, string]): Docs {
  return {
    [at]: d(`${whose[0]}의 IDC 자원 할당량(Kubernetes ResourceQuota). 모든 테넌트의 합이 클러스터 용량 안에 있어야 합니다.`, `IDC resource quota of ${whose[1]} (a Kubernetes ResourceQuota); all tenants together must fit the cluster's capacity.`),
    [`${at}.cpu`]: d('CPU 할당량(코어). "500m"은 0.5코어입니다.', 'CPU quota in cores; "500m" is half a core.', { examples: ['4', '500m'] }),
    [`${at}.memory`]: d('메모리 할당량(Ki, Mi, Gi, Ti).', 'Memory quota (Ki, Mi, Gi, Ti).', { examples: ['16Gi'] }),
    [`${at}.storage`]: d('영구 볼륨 저장 용량 합계.', 'Total persistent-volume storage.', { examples: ['100Gi', '2Ti'] }),
    [`${at}.pods`]: d('동시에 실행할 수 있는 파드 수.', 'Pods that may run at once.', { examples: [10] }),
    [`${at}.services`]: d('만들 수 있는 Kubernetes Service 수.', 'Kubernetes Services that may exist.'),
    [`${at}.pvcs`]: d('만들 수 있는 영구 볼륨 요청(PVC) 수.', 'Persistent volume claims that may exist.'),
    [`${at}.gpus`]: d('GPU 모델별 개수. 모델 이름은 platform.yaml idc.capacity.gpus 에 있어야 합니다.', 'GPUs by model; each model must be in platform.yaml idc.capacity.gpus.', { examples: [{ 'nvidia-l40s': 1 }] }),
    [`${at}.gpus.*`]: d('이 GPU 모델의 개수.', 'Number of GPUs of this model.'),
  };
}

const FIELD_TYPES: Readonly<Record<string, readonly [string, string]>> = {
  string: ['문자열', 'text'],
  int: ['32비트 정수', '32-bit whole number'],
  long: ['64비트 정수', '64-bit whole number'],
  double: ['실수(소수)', 'floating-point number'],
  decimal: ['고정소수점 숫자(금액 등)', 'exact decimal number (amounts)'],
  boolean: ['참/거짓(예/아니오)', 'true/false (yes/no)'],
  date: ['날짜 YYYY-MM-DD', 'date YYYY-MM-DD'],
  timestamp: ['날짜와 시각', 'date and time'],
};

/** Every key of `config/cooperatives/<id>.yaml`. */
export const COOPERATIVE_DOCS: Docs = {
  '': d('KBIZ 회원 협동조합 하나: 데이터, 데이터 공유 약정, IDC 컴퓨팅.', 'One KBIZ member cooperative: its data, sharing agreements and IDC compute.'),
  id: d('협동조합의 영구 id. 버킷·데이터베이스·네임스페이스 이름이 되며 파일 이름(.yaml 제외)과 같아야 합니다. 영문 소문자, 숫자, "-".', 'Permanent id of the cooperative: it names buckets, the database and the namespace, and must equal the file name without .yaml. Lowercase letters, digits and "-".', { examples: ['korea-furniture'] }),
  name: d('협동조합의 국문·영문 명칭.', 'The cooperative\'s Korean and English names.'),
  'name.ko': d('국문 명칭(정식 명칭).', 'Korean name (the registered name).', { examples: ['한국가구공업협동조합'] }),
  'name.en': d('영문 명칭.', 'English name.', { examples: ['Korea Furniture Industry Cooperative'] }),
  ksic: d('업종의 한국표준산업분류(KSIC) 코드: 대분류 문자 + 숫자 2-5자리. 사용할 수 있는 공용 서버를 정합니다.', 'Korean Standard Industrial Classification (KSIC) code of the industry: section letter then 2-5 digits. Decides which shared servers you may use.', { examples: ['C29', 'C13', 'C10'] }),
  costCenter: d('비용 배분용 코스트센터 코드(태그). 없으면 id.', 'Cost center code for cost allocation (a tag); the id when absent.', { examples: ['KBIZ-0042'] }),
  cell: d('클라우드 테넌시가 배치되는 셀(AWS 계정). `coop-idc new` 가 가장 여유 있는 셀을 적습니다. 바꾸지 마세요(바꾸면 데이터 이전).', 'Cell (AWS account) the cloud tenancy is deployed to. `coop-idc new` writes the cell with the most room. Do not change it (changing it means moving data).', { examples: ['cell-01'] }),
  contact: d('연락 창구. 사람이 아니라 직무만 적습니다(이 파일은 git에 남습니다).', 'Point of contact: a role, never a person (this file stays in git).'),
  'contact.role': d('직무 또는 부서. 이름·전화번호·이메일 금지.', 'A role or team. No names, phone numbers or e-mail addresses.', { examples: ['데이터 담당, 디지털전환팀', 'Data steward, Digital Transformation Team'] }),
  'contact.channel': d('부서 공용 창구(공용 메일함, 티켓 큐 등). 개인 연락처 금지.', 'A shared channel of the team (shared mailbox, ticket queue). No personal contact details.', { examples: ['KBIZ 서비스데스크 큐 DATA'] }),
  members: d('조합원사: 수(`count`) 또는 가명 id 목록(`ids`). 회사명 금지.', 'Member companies: a count (`count`) or pseudonymous ids (`ids`). Never company names.', { examples: [{ count: 187 }] }),
  'members.count': d('조합원사 수.', 'Number of member companies.', { examples: [187] }),
  'members.ids': d('조합원사의 가명 id 목록(m-0001 형식).', 'Pseudonymous ids of the member companies (m-0001 style).', { examples: [['m-0001', 'm-0002']] }),
  'members.ids[]': d('가명 id 하나.', 'One pseudonymous id.'),
  datasets: d('조합원사가 보내는 데이터셋 목록(최대 6개). 데이터셋마다 Glue 테이블 하나.', 'Datasets the members send (at most 6); one Glue table each.'),
  'datasets[]': d('데이터셋 하나.', 'One dataset.'),
  'datasets[].name': d('데이터셋 이름: 소문자 snake_case. 테이블 이름이 됩니다.', 'Dataset name, lowercase snake_case; it names the table.', { examples: ['sensor_readings'] }),
  'datasets[].description': d('데이터의 내용과 출처(감사 보고서에 표시). 개인정보 금지.', 'What the data is and where it comes from (shown in the audit report). No personal data.', { examples: ['설비 센서의 1분 단위 측정값(조합원사 MES)'] }),
  'datasets[].format': d('파일 형식.', 'File format.', { values: { csv: ['쉼표로 구분한 값(첫 줄이 머리글)', 'comma-separated values, header line first'], jsonl: ['한 줄에 JSON 객체 하나(JSON Lines)', 'one JSON object per line (JSON Lines)'] } }),
  'datasets[].encoding': d('파일의 문자 인코딩.', 'Character encoding of the files.', { values: { 'utf-8': ['UTF-8 (권장)', 'UTF-8 (recommended)'], cp949: ['CP949 — 한국어 Windows·Excel의 "ANSI"', 'CP949, "ANSI" of Korean Windows and Excel'], 'euc-kr': ['EUC-KR (CP949로 읽음)', 'EUC-KR (read as CP949)'] } }),
  'datasets[].timeZone': d('오프셋이 없는 시각의 시간대(IANA 이름).', 'IANA time zone of timestamps that carry no offset.', { examples: ['Asia/Seoul', 'UTC'] }),
  'datasets[].timestampField': d('측정 시각 필드. 이 날짜로 데이터를 분할합니다(timestamp 또는 date 유형).', 'The field saying when a record was measured; its date partitions the data (type timestamp or date).', { examples: ['measured_at'] }),
  'datasets[].memberField': d('레코드의 조합원사를 나타내는 필드. 통계에서 k개 미만 회원사의 칸을 숨기는 데 씁니다.', 'The field naming the member company of a record; statistics hide cells of fewer than k member companies.', { examples: ['member_company_id'] }),
  'datasets[].retentionDays': d('보존 기간(일). 지나면 삭제됩니다.', 'Retention in days; older data is deleted.', { examples: [1095] }),
  'datasets[].fields': d('데이터셋의 필드(컬럼) 목록, 최대 200개.', 'The dataset\'s fields (columns), at most 200.'),
  'datasets[].fields[]': d('필드(컬럼) 하나.', 'One field (column).'),
  'datasets[].fields[].name': d('컬럼 이름: 소문자 snake_case.', 'Column name, lowercase snake_case.', { examples: ['machine_id'] }),
  'datasets[].fields[].header': d('원본 파일의 머리글 그대로(예: 온도(°C)). `name` 과 다를 때만. 대소문자·공백·"-"는 무시하고 비교합니다.', 'The column exactly as the source file spells it (e.g. 온도(°C)), when it differs from `name`; compared ignoring case, spaces and dashes.', { examples: ['측정시각', '온도(°C)'] }),
  'datasets[].fields[].type': d('값의 유형.', 'Type of the values.', { values: FIELD_TYPES }),
  'datasets[].fields[].description': d('필드 설명. 개인정보 금지.', 'What the field holds. No personal data.'),
  'datasets[].fields[].pii': d('개인정보 등급. 가명처리와 공유 규칙을 정합니다.', 'Personal-data class; decides pseudonymization and what may be shared.', {
    values: {
      none: ['개인정보 아님', 'not personal data'],
      identifier: ['식별자: 사람이나 회사를 직접 식별(가명 공유 시 키 해시로 대체)', 'identifier: identifies a person or company directly (a keyed hash when shared pseudonymized)'],
      'quasi-identifier': ['준식별자: 조합하면 식별(지역, 나이 등; generalize 로 일반화)', 'quasi-identifier: identifies in combination (region, age; generalized by `generalize`)'],
      sensitive: ['민감정보(개인정보 보호법 제23조, 건강 등): 로그 보존 2년', 'sensitive (PIPA art. 23, e.g. health): logs kept two years'],
    },
  }),
  'datasets[].fields[].required': d('값이 꼭 있어야 하는지. 없으면 레코드를 격리합니다.', 'Whether a value must be present; a record without it is quarantined.'),
  'datasets[].fields[].unit': d('표준화 후 단위. 대소문자 구분 없음(kWh = kwh); 계획에는 한 가지 표기로 기록됩니다.', 'Unit after standardization; case-insensitive (kWh = kwh), recorded in one spelling in the plan.', { examples: ['celsius', 'mm', 'kwh'] }),
  'datasets[].fields[].convertFrom': d('원본이 보내는 단위. 수집 때 `unit` 으로 변환합니다.', 'Unit the source sends; converted to `unit` at ingestion.', {
    values: {
      fahrenheit: ['화씨 → celsius', 'Fahrenheit → celsius'],
      kelvin: ['켈빈 → celsius', 'kelvin → celsius'],
      inch: ['인치 → mm, cm, m', 'inch → mm, cm, m'],
      wh: ['와트시 → kwh', 'watt-hour → kwh'],
      mwh: ['메가와트시 → kwh', 'megawatt-hour → kwh'],
      psi: ['psi → kpa, bar', 'psi → kpa, bar'],
      bar: ['bar → kpa', 'bar → kpa'],
    },
  }),
  'datasets[].fields[].min': d('허용 최솟값(변환 후). 벗어난 레코드는 격리합니다.', 'Smallest allowed value (after conversion); records outside are quarantined.'),
  'datasets[].fields[].max': d('허용 최댓값(변환 후).', 'Largest allowed value (after conversion).'),
  'datasets[].fields[].generalize': d('준식별자·민감정보를 협동조합 밖으로 보내기 전 일반화하는 방법.', 'How a quasi-identifier or sensitive column is generalized before it leaves the cooperative.', { examples: [{ truncate: 5 }, { bucket: 10 }, { dateTo: 'month' }] }),
  'datasets[].fields[].generalize.truncate': d('앞에서 이만큼의 글자만 남깁니다(우편번호 → 시군구).', 'Keep this many leading characters (postcode → district).'),
  'datasets[].fields[].generalize.bucket': d('이 폭의 배수로 내림(나이 → 10세 단위).', 'Round down to a multiple of this width (age → 10-year band).'),
  'datasets[].fields[].generalize.dateTo': d('날짜를 월 또는 연으로 줄입니다.', 'Reduce a date to its month or year.', { values: { month: ['월', 'month'], year: ['연', 'year'] } }),
  sharing: d('데이터 공유 약정 목록(소비기관 하나, 데이터셋 하나씩). 없으면 [].', 'Data-sharing agreements (one consumer and one dataset each); [] when none.'),
  'sharing[]': d('공유 약정 하나.', 'One sharing agreement.'),
  'sharing[].consumer': d('소비기관 id(platform.yaml consumers).', 'Consumer id from platform.yaml consumers.', { examples: ['kiet', 'ibk-bank', 'mss'] }),
  'sharing[].dataset': d('공유할 데이터셋 이름(이 파일의 datasets).', 'Name of the dataset shared (from this file\'s datasets).'),
  'sharing[].purpose': d('소비기관이 데이터가 필요한 이유(감사 보고서에 표시). 10자 이상.', 'Why the consumer needs the data, for the audit report; at least 10 characters.', { examples: ['업종별 에너지 효율 통계 연구'] }),
  'sharing[].columns': d('소비기관이 볼 수 있는 컬럼.', 'Columns the consumer may see.'),
  'sharing[].columns[]': d('허용 컬럼 하나(데이터셋의 필드 이름).', 'One allowed column (a field name of the dataset).'),
  'sharing[].level': d('공유 수준.', 'Sharing level.', {
    values: {
      raw: ['원본 그대로(개인 컬럼이 있으면 연구기관만)', 'as ingested (research consumers only when personal columns are included)'],
      pseudonymized: ['가명처리: 식별자는 해시, 준식별자는 일반화(개인정보 보호법 제28조의2)', 'pseudonymized: identifiers hashed, quasi-identifiers generalized (PIPA art. 28-2)'],
      aggregated: ['통계만(소규모 칸 억제)', 'statistics only (small cells suppressed)'],
    },
  }),
  'sharing[].expires': d('약정 만료일 YYYY-MM-DD(따옴표). 다음 날부터 접근이 자동으로 끝납니다.', 'Expiry date YYYY-MM-DD, in quotes; access ends on its own the next day.', { examples: ['2027-12-31'] }),
  'sharing[].legalBasis': d('공유의 법적 근거.', 'Legal basis of the sharing.', { examples: ['PIPA art. 28-2 (pseudonymized data for scientific research)'] }),
  'sharing[].sensitiveBasis': d('민감 컬럼을 위한 별도 법적 근거(개인정보 보호법 제23조). 없으면 민감 컬럼은 나가지 않습니다.', 'Separate legal basis for sensitive columns (PIPA art. 23); without it they never leave.'),
  'sharing[].aggregate': d('aggregated 약정이 볼 수 있는 통계: 기간·차원별, 소규모 칸 억제.', 'What an aggregated agreement may see: statistics per period and dimensions, small cells suppressed.'),
  'sharing[].aggregate.dimensions': d('통계를 묶는 허용 컬럼.', 'Allowed columns the statistics are grouped by.'),
  'sharing[].aggregate.dimensions[]': d('묶음 컬럼 하나.', 'One grouping column.'),
  'sharing[].aggregate.grain': d('통계 기간(timestampField 기준).', 'Period of the statistics, from timestampField.', { values: { day: ['일', 'day'], month: ['월', 'month'], year: ['연', 'year'] } }),
  'sharing[].aggregate.measures': d('측정값: count, count distinct <컬럼>, sum|avg|min|max <숫자 컬럼>.', 'Measures: count, count distinct <column>, sum|avg|min|max <numeric column>.', { examples: [['count', 'sum quantity_kg']] }),
  'sharing[].aggregate.measures[]': d('측정값 하나.', 'One measure.'),
  'sharing[].aggregate.k': d('칸마다 최소 회원사 수. 플랫폼 기본값보다 클 때만.', 'Minimum member companies per cell; only higher than the platform\'s.'),
  idc: d('KBIZ IDC 클러스터의 컴퓨팅. 필요 없으면 지우세요.', 'Compute on the KBIZ IDC cluster; remove it if you need none.'),
  ...quotaDocs('idc.quota', ['협동조합 네임스페이스', 'the cooperative\'s namespace']),
  'idc.adminGroup': d('네임스페이스 관리자 Role 에 묶는 IdP 그룹. 기본 coop-<id>-admins.', 'IdP group bound to the namespace admin Role; default coop-<id>-admins.'),
  'idc.models': d('네임스페이스에서 서비스하는 AI 모델 목록.', 'AI models served in the namespace.'),
  'idc.models[]': d('AI 모델 하나.', 'One AI model.'),
  'idc.models[].name': d('모델 이름(소문자, 숫자, "-").', 'Model name (lowercase letters, digits, "-").', { examples: ['defect-detector'] }),
  'idc.models[].image': d('컨테이너 이미지. 허용 레지스트리(platform.yaml idc.allowedRegistries)에서, 다이제스트로 고정.', 'Container image, from an allowed registry (platform.yaml idc.allowedRegistries), pinned by digest.', { examples: ['registry.idc.kbiz.or.kr/coop/model@sha256:<64 hex>'] }),
  'idc.models[].replicas': d('복제 수.', 'Number of replicas.'),
  'idc.models[].port': d('컨테이너가 듣는 포트(1024 이상).', 'Port the container listens on (1024 or above).'),
  'idc.models[].cpu': d('복제 하나의 CPU 요청.', 'CPU request of one replica.', { examples: ['2', '500m'] }),
  'idc.models[].memory': d('복제 하나의 메모리 요청.', 'Memory request of one replica.', { examples: ['8Gi'] }),
  'idc.models[].gpu': d('복제 하나의 GPU.', 'GPUs of one replica.'),
  'idc.models[].gpu.model': d('GPU 모델(platform.yaml idc.capacity.gpus).', 'GPU model (platform.yaml idc.capacity.gpus).', { examples: ['nvidia-l40s'] }),
  'idc.models[].gpu.count': d('복제 하나의 GPU 개수.', 'GPUs per replica.'),
  'idc.models[].expose': d('클러스터 밖에서 <모델>.<협동조합>.<플랫폼 접미사> 로 접근 가능하게 합니다.', 'Reachable from outside the cluster at <model>.<cooperative>.<platform suffix>.'),
  'idc.models[].dataLakeEgress': d('플랫폼의 데이터 레이크 엔드포인트 호출을 허용합니다(그 밖의 외부는 불가).', 'May call the platform\'s data-lake endpoints (nothing else outside the namespace).'),
  'idc.models[].autoscale': d('CPU 사용률에 따라 min-max 사이로 복제 수 조정. 할당량은 max 를 감당해야 합니다.', 'Scale between min and max replicas on CPU use; the quota must hold max.'),
  'idc.models[].autoscale.min': d('최소 복제 수.', 'Fewest replicas.'),
  'idc.models[].autoscale.max': d('최대 복제 수.', 'Most replicas.'),
  'idc.models[].autoscale.cpuPercent': d('목표 평균 CPU 사용률(요청 대비 %).', 'Target average CPU use, in percent of the request.', { examples: [70] }),
  'idc.sharedServers': d('구독할 업종 공용 서버 id(platform.yaml sharedServers).', 'Shared industry servers to subscribe to (platform.yaml sharedServers).'),
  'idc.sharedServers[]': d('공용 서버 id 하나.', 'One shared-server id.', { examples: ['machinery-common-data'] }),
};

/** Every key of `config/platform.yaml`. */
export const PLATFORM_DOCS: Docs = {
  '': d('공용 KBIZ 데이터 플랫폼: 환경, 셀 계정, IDC 용량, 소비기관, 공용 서버. KBIZ 플랫폼팀만 수정합니다.', 'The shared KBIZ data platform: environment, cell accounts, IDC capacity, consumers, shared servers. Edited by the KBIZ platform team only.'),
  environment: d('환경과 데이터 레이크 계정.', 'The environment and the data-lake account.'),
  'environment.name': d('모든 파생 이름에 들어가는 짧은 환경 이름.', 'Short environment name used in every derived name.', { examples: ['prod', 'dev'] }),
  'environment.account': d('데이터 레이크 계정(12자리, 따옴표): 공유 영역, 소비기관, Athena, Lake Formation, 가명처리 키, 감사 기록.', 'The data-lake account (12 digits, in quotes): shared zone, consumers, Athena, Lake Formation, pseudonymization key, audit trail.', { examples: ['111122223333'] }),
  'environment.region': d('AWS 리전.', 'AWS Region.', { examples: ['ap-northeast-2'] }),
  audit: d('감사 기록 설정.', 'Audit settings.'),
  'audit.logRetentionDays': d('접근 기록 보존 일수. 데이터가 요구하는 최소(1년, 민감정보·5만 명 이상은 2년) 이상이어야 합니다.', 'Days access records are kept; at least what the data requires (1 year; 2 years for sensitive data or 50,000+ people).', { examples: [731] }),
  'audit.largeScalePersonalData': d('5만 명 이상의 개인정보를 처리하면 true: 로그 2년 보존.', 'True when personal data of 50,000+ people is processed: logs kept 2 years.'),
  lakeFormation: d('Lake Formation 관리.', 'Lake Formation administration.'),
  'lakeFormation.admins': d('데이터 레이크 관리자 IAM 역할 ARN.', 'IAM role ARNs of the data-lake administrators.'),
  'lakeFormation.admins[]': d('관리자 역할 ARN 하나.', 'One administrator role ARN.', { examples: ['arn:aws:iam::111122223333:role/kbiz-platform-data-admin'] }),
  idc: d('KBIZ IDC Kubernetes 클러스터.', 'The KBIZ IDC Kubernetes cluster.'),
  'idc.capacity': d('클러스터 전체 용량. 모든 할당량의 합이 이 안에 있어야 합니다.', 'Capacity of the whole cluster; all quotas together must fit.'),
  'idc.capacity.cpu': d('전체 CPU(코어).', 'Total CPU (cores).', { examples: ['512'] }),
  'idc.capacity.memory': d('전체 메모리.', 'Total memory.', { examples: ['4Ti'] }),
  'idc.capacity.storage': d('전체 영구 저장 용량.', 'Total persistent storage.', { examples: ['200Ti'] }),
  'idc.capacity.pods': d('전체 파드 수.', 'Total pods.'),
  'idc.capacity.gpus': d('GPU 모델별 개수(노드 라벨 이름).', 'GPUs by model (as labelled on the nodes).', { examples: [{ 'nvidia-a100-80gb': 16 }] }),
  'idc.capacity.gpus.*': d('이 모델의 GPU 개수.', 'GPUs of this model.'),
  'idc.dnsNamespace': d('클러스터 DNS 가 있는 네임스페이스(네트워크 정책이 허용).', 'Namespace of the cluster DNS (the network policy admits it).'),
  'idc.allowedRegistries': d('IDC 가 이미지를 받을 수 있는 레지스트리. 모델·공용 서버 이미지는 이 중 하나에서 다이제스트로 와야 하며, 클러스터의 승인 정책이 나머지를 거부합니다.', 'Registries the IDC pulls images from. Every model and shared-server image must come from one of them, by digest; the cluster\'s admission policy denies any other.'),
  'idc.allowedRegistries[]': d('레지스트리 호스트[:포트][/경로] 하나(https://, 끝의 / 없이).', 'One registry host[:port][/path] (no https://, no trailing /).', { examples: ['registry.idc.kbiz.or.kr'] }),
  'idc.ingress': d('모델(expose: true)로 들어오는 경로: Gateway API 게이트웨이 또는 ingress 클래스 중 하나.', 'The way into models (expose: true): a Gateway API gateway or an ingress class, exactly one.'),
  'idc.ingress.gateway': d('노출 모델의 HTTPRoute 가 붙는 Gateway.', 'Gateway the HTTPRoutes of exposed models attach to.'),
  'idc.ingress.gateway.name': d('Gateway 이름.', 'Name of the Gateway.'),
  'idc.ingress.gateway.namespace': d('Gateway 의 네임스페이스.', 'Namespace of the Gateway.'),
  'idc.ingress.ingressClass': d('Gateway 대신 Ingress 를 쓸 때의 IngressClass.', 'IngressClass of the Ingresses, when Ingress is used instead of a Gateway.'),
  'idc.ingress.proxyNamespace': d('요청을 모델로 전달하는 게이트웨이·ingress 컨트롤러 파드의 네임스페이스.', 'Namespace of the gateway or ingress-controller pods that forward requests.'),
  'idc.ingress.proxyPodLabels': d('그 파드의 라벨. 네트워크 정책이 정확히 이 파드만 허용합니다.', 'Labels of those pods; the network policy admits exactly them.'),
  'idc.ingress.proxyPodLabels.*': d('라벨 값.', 'Label value.'),
  'idc.ingress.hostSuffix': d('노출 모델 호스트 이름의 접미사.', 'Suffix of exposed models\' host names.', { examples: ['models.idc.kbiz.or.kr'] }),
  'idc.dataLakeEndpoints': d('dataLakeEgress 모델이 호출할 수 있는 데이터 레이크 엔드포인트.', 'Data-lake endpoints models with dataLakeEgress may call.'),
  'idc.dataLakeEndpoints[]': d('엔드포인트 하나.', 'One endpoint.'),
  'idc.dataLakeEndpoints[].cidr': d('IPv4 주소 범위(CIDR).', 'IPv4 address range (CIDR).', { examples: ['10.20.0.0/24'] }),
  'idc.dataLakeEndpoints[].port': d('포트.', 'Port.'),
  'idc.imagePullSecrets': d('모델 파드가 이미지를 받을 때 쓰는 Secret(플랫폼팀이 모든 테넌트 네임스페이스에 준비).', 'Secrets model pods pull images with (the platform team provisions them in every tenant namespace).'),
  'idc.imagePullSecrets[]': d('Secret 이름 하나.', 'One Secret name.', { examples: ['kbiz-registry-pull'] }),
  cells: d('협동조합을 담는 셀 계정(계정 팩토리의 워크로드 계정). 없으면 모두 데이터 레이크 계정.', 'Cell accounts (account-factory workload accounts) holding the cooperatives; without cells every cooperative is in the data-lake account.'),
  'cells[]': d('셀 하나: 협동조합의 키·영역·데이터베이스·수집 함수·역할을 담는 AWS 계정.', 'One cell: an AWS account holding its cooperatives\' keys, zones, databases, ingestion functions and roles.'),
  'cells[].id': d('셀의 영구 id. 협동조합 파일이 `cell:` 로 가리킵니다.', 'Permanent id of the cell; cooperative files name it in `cell:`.', { examples: ['cell-01'] }),
  'cells[].account': d('셀의 AWS 계정(12자리, 따옴표; 데이터 레이크 계정과 달라야 함).', 'The cell\'s AWS account (12 digits, in quotes; never the data-lake account).'),
  'cells[].capacity': d('셀이 담을 수 있는 최대 협동조합 수(모든 서비스 할당량 80% 이하).', 'Most cooperatives the cell may hold (every service quota under 80 %).', { examples: [125] }),
  aggregation: d('통계(aggregated) 공유 설정.', 'Settings of statistics (aggregated) sharing.'),
  'aggregation.k': d('통계 칸마다 최소 회원사 수(기본값). 약정은 올리기만 할 수 있습니다.', 'Default minimum member companies per statistics cell; agreements may only raise it.'),
  consumers: d('데이터를 받는 소비기관.', 'Organisations that consume data.'),
  'consumers[]': d('소비기관 하나.', 'One consumer.'),
  'consumers[].id': d('소비기관 id(협동조합의 sharing[].consumer).', 'Consumer id (a cooperative\'s sharing[].consumer).', { examples: ['kiet'] }),
  'consumers[].name': d('기관 이름.', 'Name of the organisation.'),
  'consumers[].kind': d('기관 종류. 무엇을 받을 수 있는지를 정합니다.', 'Kind of organisation; decides what it may receive.', {
    values: {
      research: ['연구기관', 'research institute'],
      finance: ['금융기관(식별자는 원본으로 받지 못함)', 'financial institution (never identifiers raw)'],
      government: ['정부기관(식별자는 원본으로 받지 못함)', 'government body (never identifiers raw)'],
    },
  }),
  'consumers[].scanLimitGb': d('쿼리 하나의 Athena 스캔 한도(GB).', 'Athena bytes-scanned limit per query, in GB.'),
  sharedServers: d('업종 공용 서버.', 'Shared industry servers.'),
  'sharedServers[]': d('공용 서버 하나.', 'One shared server.'),
  'sharedServers[].id': d('공용 서버 id.', 'Shared-server id.'),
  'sharedServers[].description': d('서버가 제공하는 것.', 'What the server offers.'),
  'sharedServers[].industries': d('구독할 수 있는 협동조합의 KSIC 접두어.', 'KSIC prefixes of cooperatives that may subscribe.', { examples: [['C24', 'C25', 'C29']] }),
  'sharedServers[].industries[]': d('KSIC 접두어 하나.', 'One KSIC prefix.'),
  'sharedServers[].image': d('컨테이너 이미지(허용 레지스트리, 다이제스트 고정).', 'Container image (allowed registry, pinned by digest).'),
  'sharedServers[].port': d('컨테이너 포트.', 'Container port.'),
  'sharedServers[].replicas': d('복제 수.', 'Number of replicas.'),
  'sharedServers[].cpu': d('복제 하나의 CPU 요청.', 'CPU request of one replica.'),
  'sharedServers[].memory': d('복제 하나의 메모리 요청.', 'Memory request of one replica.'),
  ...quotaDocs('sharedServers[].quota', ['공용 서버 네임스페이스', 'the shared server\'s namespace']),
  serviceQuotas: d('AWS 서비스 할당량 설정.', 'AWS service quota settings.'),
  'serviceQuotas.raised': d('AWS 가 승인한 할당량 증가(계정별). ServiceQuotas 검사는 기본값 대신 이 값의 80%까지 허용합니다.', 'Quota increases AWS approved, per account; the ServiceQuotas check allows 80 % of these instead of the defaults.'),
  'serviceQuotas.raised[]': d('승인된 증가 하나.', 'One approved increase.'),
  'serviceQuotas.raised[].quota': d('조정 가능한 할당량의 id.', 'Id of an adjustable quota.', {
    values: Object.fromEntries(SERVICE_QUOTAS.filter((q) => q.adjustable).map((q) => [q.id, [`${q.nameKo} (기본값 ${q.value})`, `${q.service}: ${q.name} (default ${q.value})`] as const])),
  }),
  'serviceQuotas.raised[].account': d('증가가 승인된 계정.', 'The account the increase is for.'),
  'serviceQuotas.raised[].value': d('승인된 값.', 'The approved value.'),
  'serviceQuotas.raised[].case': d('승인한 지원 케이스 또는 Service Quotas 요청 id(감사용).', 'Support case or Service Quotas request id that approved it, for the auditor.'),
};
