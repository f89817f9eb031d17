/**
 * What each rule code means and how to fix it, in Korean and English: the help text of the
 * SARIF output (`validate --format sarif`, the build's `checks.sarif`), which GitHub shows
 * beside a finding on the pull request. The rule-code tables of docs/onboarding.ko.md and
 * docs/onboarding.en.md say the same; a test holds the two to each other.
 */

/** Help for one rule code. */
export interface RuleHelp {
  /** What the code means, in Korean. */
  readonly ko: string;
  /** What the code means, in English. */
  readonly en: string;
  /** How to fix it, in Korean. */
  readonly fixKo: string;
  /** How to fix it, in English. */
  readonly fixEn: string;
}

/** Every configuration rule code a user can see, with its help (the docs' rule-code table). */
export const RULE_HELP: Readonly<Record<string, RuleHelp>> = {
  "yaml-syntax": { ko: "YAML 문법 오류(들여쓰기, 괄호, 중복 키)", en: "the file is not valid YAML (indentation, brackets, repeated key)", fixKo: "표시된 줄 수정, 들여쓰기는 공백으로", fixEn: "fix the line shown; indent with spaces" },
  "empty-file": { ko: "내용이 없는 파일", en: "the file has no content", fixKo: "템플릿에서 시작", fixEn: "start from the template" },
  "missing-file": { ko: "지정한 파일 또는 플랫폼 파일이 없음", en: "a named file or the platform file does not exist", fixKo: "경로 확인", fixEn: "check the path" },
  "file-exists": { ko: "`coop-idc new` 가 기존 파일을 덮어쓰게 됨", en: "`coop-idc new` would overwrite a file", fixKo: "다른 id 를 쓰거나 파일 수정", fixEn: "choose another id or edit the file" },
  "schema": { ko: "값의 유형·형식 오류", en: "a value has the wrong type or format", fixKo: "메시지와 템플릿 참고", fixEn: "follow the message; see the template" },
  "unknown-key": { ko: "스키마에 없는 키(대개 오타)", en: "a key the schema does not know (often a typo)", fixKo: "제안된 키 사용", fixEn: "use the suggested key" },
  "missing-key": { ko: "필수 키 누락", en: "a required key is missing", fixKo: "추가", fixEn: "add it" },
  "id-mismatch": { ko: "`id` 와 파일 이름이 다름", en: "`id` differs from the file name", fixKo: "파일 이름 또는 id 수정", fixEn: "rename the file or change the id" },
  "duplicate-id": { ko: "협동조합(또는 이용기관·서버) id 중복", en: "two cooperatives (or consumers, servers) share an id", fixKo: "다른 id 사용", fixEn: "choose another id" },
  "duplicate-name": { ko: "데이터셋·필드·모델 이름 중복", en: "a dataset, field or model name repeats", fixKo: "하나의 이름 변경", fixEn: "rename one" },
  "duplicate-header": { ko: "정규화 후 두 필드가 같은 원본 컬럼(`header:` 또는 이름)을 읽음", en: "two fields read the same source column (`header:`, or a name) once normalised", fixKo: "필드마다 파일에 적힌 대로 고유한 `header:` 지정", fixEn: "give each field its own `header:` as the file spells it" },
  "duplicate-agreement": { ko: "같은 이용기관·데이터셋·수준의 협약이 둘", en: "two agreements for the same consumer, dataset and level", fixKo: "컬럼을 하나로 합치기", fixEn: "merge their columns" },
  "unknown-consumer": { ko: "`platform.yaml` 에 없는 이용기관", en: "the agreement names a consumer not in `platform.yaml`", fixKo: "등록된 이용기관 id 사용", fixEn: "use a listed consumer id" },
  "unknown-dataset": { ko: "파일에 없는 데이터셋", en: "the agreement names a dataset not in your file", fixKo: "데이터셋 선언 또는 이름 수정", fixEn: "declare the dataset or fix the name" },
  "unknown-column": { ko: "공유 컬럼이나 `timestampField` 가 필드에 없음", en: "a shared column or `timestampField` is not a field", fixKo: "선언된 필드 사용", fixEn: "use a declared field" },
  "invalid-timestamp-field": { ko: "`timestampField` 가 timestamp/date 가 아님", en: "`timestampField` is not a timestamp or date", fixKo: "측정 시각 필드 지정", fixEn: "point it at the measurement time" },
  "invalid-time-zone": { ko: "IANA 시간대가 아님", en: "not an IANA time zone", fixKo: "예: `Asia/Seoul`", fixEn: "e.g. `Asia/Seoul`" },
  "agreement-expired": { ko: "만료일이 지남: 30일간 경고, 이후 오류", en: "the expiry date has passed: a warning for 30 days, an error after", fixKo: "새 만료일로 갱신 또는 삭제", fixEn: "renew with a new date or remove the agreement" },
  "pii-raw-share": { ko: "식별자 컬럼을 금융·정부 기관에 원본 공유", en: "identifier column shared raw with a finance or government consumer", fixKo: "가명·통계 수준으로 공유하거나 컬럼 제외", fixEn: "share it pseudonymized or aggregated, or drop the column" },
  "sensitive-without-basis": { ko: "`sensitiveBasis` 없이 민감정보 컬럼 공유(제23조)", en: "sensitive column shared without `sensitiveBasis` (PIPA art. 23)", fixKo: "컬럼 제외 또는 별도 법적 근거 기재", fixEn: "drop the column or name the separate legal basis" },
  "sensitive-raw": { ko: "민감정보 컬럼을 raw 수준으로 공유", en: "sensitive column at level raw", fixKo: "가명(범주화)·통계 수준으로 공유", fixEn: "share it pseudonymized (generalized) or aggregated" },
  "not-generalized": { ko: "`generalize` 규칙 없는 준식별자·민감정보 컬럼을 가명 수준으로 공유", en: "quasi-identifier or sensitive column at pseudonymized without a `generalize` rule", fixKo: "필드에 `generalize:` 추가 또는 컬럼 제외", fixEn: "add `generalize:` to the field or drop the column" },
  "invalid-aggregate": { ko: "`aggregate:` 없는 `aggregated`(또는 반대), 허용되지 않은 집계 기준·측정 컬럼, 숫자가 아닌 컬럼의 `sum`/`avg`, 허용되지 않은 기간 컬럼", en: "`aggregated` without `aggregate:` (or the reverse), a dimension or measure column not allowed, `sum`/`avg` of a non-number, period column not allowed", fixKo: "메시지에 따라 수정", fixEn: "follow the message" },
  "aggregate-identifier": { ko: "식별자를 집계 기준으로 쓰거나 `count distinct` 외로 집계", en: "an identifier as a dimension or measured other than `count distinct`", fixKo: "`count distinct <식별자>` 사용", fixEn: "use `count distinct <identifier>`" },
  "aggregate-needs-member-field": { ko: "통계 약정의 데이터셋에 `memberField`가 없음", en: "the dataset of an aggregated agreement has no `memberField`", fixKo: "회원사 컬럼을 `memberField:`로 지정", fixEn: "add `memberField:` naming the member-company column" },
  "k-below-platform": { ko: "약정의 `k`가 플랫폼 `aggregation.k`보다 작음", en: "the agreement's `k` is below the platform's `aggregation.k`", fixKo: "`k` 삭제 또는 상향", fixEn: "remove `k` or raise it" },
  "name-too-long": { ko: "파생 이름(버킷 63, IAM 역할 64, 네임스페이스 63자) 초과", en: "a derived name (bucket 63, IAM role 64, namespace 63) is too long", fixKo: "표시된 글자 수만큼 id 단축", fixEn: "shorten the id by the amount shown" },
  "capacity-exceeded": { ko: "전체 쿼터 합이 IDC 용량 초과(사용 현황 표 출력)", en: "all quotas together exceed the IDC cluster (a table shows who reserves what)", fixKo: "쿼터 축소 또는 KBIZ 에 증설 요청", fixEn: "lower quotas or ask KBIZ to add capacity" },
  "unknown-gpu-model": { ko: "클러스터에 없는 GPU 모델", en: "a GPU model the cluster does not have", fixKo: "`platform.yaml` 의 모델 사용", fixEn: "use a model listed in `platform.yaml`" },
  "image-registry-not-allowed": { ko: "모델(또는 공용 서버) 이미지가 `platform.yaml` `idc.allowedRegistries` 의 레지스트리가 아님; 클러스터가 거부함", en: "a model (or shared-server) image is not from a registry in `platform.yaml` `idc.allowedRegistries`; the cluster would refuse it", fixKo: "허용된 레지스트리에 이미지를 올리고 다이제스트로 지정", fixEn: "push the image to an allowed registry and pin its digest" },
  "invalid-autoscale": { ko: "모델의 `autoscale.min` 이 `autoscale.max` 보다 큼", en: "a model's `autoscale.min` is greater than `autoscale.max`", fixKo: "min 을 max 이하로", fixEn: "set min to at most max" },
  "ingress-not-enabled": { ko: "모델에 `expose: true` 가 있으나 `platform.yaml` 에 `idc.ingress` 가 없음", en: "a model has `expose: true` but `platform.yaml` enables no `idc.ingress`", fixKo: "플랫폼팀에 요청하거나 `expose` 삭제", fixEn: "ask the platform team, or remove `expose`" },
  "data-lake-not-enabled": { ko: "모델에 `dataLakeEgress: true` 가 있으나 `platform.yaml` 에 `idc.dataLakeEndpoints` 가 없음", en: "a model has `dataLakeEgress: true` but `platform.yaml` declares no `idc.dataLakeEndpoints`", fixKo: "플랫폼팀에 요청하거나 `dataLakeEgress` 삭제", fixEn: "ask the platform team, or remove `dataLakeEgress`" },
  "invalid-ingress": { ko: "(플랫폼팀) `idc.ingress` 에 `gateway` 와 `ingressClass` 가 둘 다 있거나 둘 다 없음", en: "(platform team) `idc.ingress` names both or neither of `gateway` and `ingressClass`", fixKo: "하나만 남기기", fixEn: "keep exactly one" },
  "model-exceeds-quota": { ko: "모델 요청량이 쿼터 초과", en: "your models request more than your quota", fixKo: "쿼터 상향 또는 replicas/요청량 축소", fixEn: "raise the quota or lower replicas/requests" },
  "unknown-shared-server": { ko: "제공되지 않는 공용 서버", en: "subscription to a server that is not offered", fixKo: "등록된 서버 id 사용", fixEn: "use a listed server id" },
  "shared-server-not-eligible": { ko: "다른 업종(KSIC) 전용 서버", en: "the server serves other industries (KSIC)", fixKo: "해당 업종 서버 선택", fixEn: "choose a server of your industry" },
  "retention-too-short": { ko: "접속기록 보관기간이 데이터 요건 미달", en: "platform log retention below what the data requires", fixKo: "(플랫폼팀) `audit.logRetentionDays` 상향", fixEn: "(platform team) raise `audit.logRetentionDays`" },
  "invalid-range": { ko: "`min` 이 `max` 보다 큼", en: "`min` greater than `max`", fixKo: "범위 수정", fixEn: "correct the bounds" },
  "invalid-field": { ko: "숫자가 아닌 필드의 숫자 옵션, 또는 목표 단위 없는 변환", en: "numeric options on a non-numeric field, or conversion without a target unit", fixKo: "필드 수정", fixEn: "fix the field" },
  "invalid-conversion": { ko: "두 단위 간 변환 불가", en: "no conversion between the two units", fixKo: "지원되는 조합 사용", fixEn: "use a supported pair" },
  "unknown-cell": { ko: "`cell:` 이 `platform.yaml` 에 없는 셀", en: "`cell:` names a cell not declared in `platform.yaml`", fixKo: "등록된 셀 id 사용(`coop-idc new` 가 쓴 값 유지)", fixEn: "use a listed cell id (keep the one `coop-idc new` wrote)" },
  "cell-missing": { ko: "`platform.yaml` 에 셀이 있는데 파일에 `cell:` 이 없음", en: "`platform.yaml` declares cells but your file has no `cell:`", fixKo: "힌트의 `cell:` 줄 추가(여유가 가장 큰 셀)", fixEn: "add the `cell:` line the hint shows (the cell with the most room)" },
  "cell-full": { ko: "파일 이름 순서로 이 파일이 셀의 정원을 넘김", en: "your file is the one (in file name order) that puts its cell over its capacity", fixKo: "힌트에 나온 여유 있는 셀 사용 또는 KBIZ 에 셀 추가 요청", fixEn: "use a cell with room, as the hint lists, or ask KBIZ to add a cell" },
  "duplicate-account": { ko: "(플랫폼팀) 두 셀, 또는 셀과 데이터레이크 계정이 같은 AWS 계정", en: "(platform team) two cells, or a cell and the data-lake account, share an AWS account", fixKo: "셀마다 별도 계정 사용", fixEn: "give each cell its own account" },
  "invalid-platform": { ko: "`platform.yaml` 이 잘못되어 `coop-idc new` 가 셀을 고를 수 없음", en: "`coop-idc new` cannot choose a cell because `platform.yaml` is invalid", fixKo: "`coop-idc validate` 로 플랫폼 파일 먼저 수정", fixEn: "run `coop-idc validate` and fix the platform file first" },
  "invalid-generalization": { ko: "준식별자·민감정보가 아닌 필드의 범주화 또는 유형 불일치", en: "generalization on a column that is neither quasi-identifier nor sensitive, or of the wrong kind", fixKo: "문자열은 `truncate`, 숫자는 `bucket`, 날짜는 `dateTo`", fixEn: "`truncate` strings, `bucket` numbers, `dateTo` dates" },
  "unreadable-file": { ko: "파일 자리에 읽을 수 있는 파일이 아닌 것이 있음: `x.yaml` 이라는 폴더, 자기 자신을 가리키는 링크, 없는 파일을 가리키는 링크, 읽기 권한 없는 파일", en: "something other than a readable file sits where one is expected: a folder named `x.yaml`, a symbolic link loop, a link to a missing file, a file without read permission", fixKo: "실제 파일을 두거나 폴더를 옮기기, `chmod a+r`", fixEn: "put the file itself there (or move the folder away); `chmod a+r` the file" },
  "wrong-encoding": { ko: "파일이 UTF-8 이 아님(대개 한글 윈도 도구가 저장한 CP949/EUC-KR). 첫 잘못된 바이트 위치 표시", en: "the file is not UTF-8 (often CP949/EUC-KR, saved by Korean Windows tools); reported at the first bad byte", fixKo: "편집기에서 UTF-8로 다시 저장", fixEn: "re-save the file as UTF-8" },
  "too-deep": { ko: "괄호(`[ ]`, `{ }`) 중첩이 32단계 초과(대개 닫지 않은 괄호)", en: "brackets (`[ ]`, `{ }`) nested more than 32 levels (usually brackets left open)", fixKo: "연 괄호 닫기", fixEn: "close the brackets you opened" },
  "token-string": { ko: "값에 aws-cdk-lib·cdktf 가 토큰으로 해석하는 표식(`${Token[…]}`, `#{Token[…]}`, `${TfToken[…]}`, `&{TfToken[…]}`, `-1.8…e+289` 숫자)이 있음: 합성 시 다른 값으로 바뀜", en: "a value holds what aws-cdk-lib or cdktf take for a token (`${Token[…]}`, `#{Token[…]}`, `${TfToken[…]}`, `&{TfToken[…]}`, a `-1.8…e+289` number): it would be replaced at synthesis", fixKo: "표식 삭제", fixEn: "remove the marker" },
  "name-clash": { ko: "두 리소스가 같은 실제 이름(버킷, 키 별칭, IAM 역할, Glue 데이터베이스·테이블, 공유 테이블, Athena 작업그룹, 네임스페이스, 스택. 셀의 공유 버킷·키 별칭·데이터레이크 스택 포함)을 갖게 됨. 예: id `a--x` + 데이터셋 `y` 와 id `a` + 데이터셋 `x__y` 는 둘 다 공유 테이블 `a__x__y`. 관련된 모든 파일에 표시", en: "two resources would get one physical name (bucket, key alias, IAM role, Glue database or table, shared table, Athena workgroup, namespace, stack; cells' shared buckets, key aliases and data-lake stacks too), e.g. ids `a--x` + dataset `y` and id `a` + dataset `x__y` both give the shared table `a__x__y`; reported in every file involved", fixKo: "둘 중 하나의 이름 변경", fixEn: "rename one of them" },
  "reserved-id": { ko: "플랫폼이 쓰는 이름과 겹치는 id: `shared`(공유 영역 Glue 데이터베이스), `platform`(플랫폼 리소스의 소유자 태그)", en: "the id would take a platform name: `shared` (the shared zone's Glue database), `platform` (the owner tag of platform resources)", fixKo: "다른 id 사용", fixEn: "choose another id" },
  "reserved-field": { ko: "필드 이름이 파티션 키 `dt` 이거나 Athena 예약어(`date`, `timestamp`, `select` 등)", en: "a field is named like the partition key `dt` or is an Athena reserved word (`date`, `timestamp`, `select`, ...)", fixKo: "필드 이름 변경(예: `date_value`)", fixEn: "rename the field, e.g. `date_value`" },
  "template-placeholder": { ko: "템플릿의 예시 문구가 그대로 남음(협동조합 이름, 데이터 설명, 공유 목적)", en: "a text is still the template's placeholder (the names, a dataset's description, a purpose)", fixKo: "실제 내용으로 바꾸기", fixEn: "replace it with your own text" },
  "personal-data": { ko: "자유 입력란에 개인정보로 보이는 값(휴대전화·전화번호, 이메일, 주민등록번호, 사람 이름과 직함)", en: "a free-text value looks like personal data (mobile or landline number, e-mail, resident registration number, a name next to a job title)", fixKo: "직무·부서와 부서 공용 창구로 바꾸기", fixEn: "write a role or team and a shared team channel instead" },
  "lifecycle-date-without-offboarding": { ko: "`status` 가 active 인데 `since` 나 `retainUntil` 이 있음", en: "`since` or `retainUntil` on an active cooperative", fixKo: "그 줄을 지우거나 `status: offboarding` 추가", fixEn: "remove the line, or add `status: offboarding`" },
  "lifecycle-date-missing": { ko: "`status: offboarding`/`removed` 에 `since` 나 `retainUntil` 이 없음", en: "`status: offboarding` or `removed` without `since` or `retainUntil`", fixKo: "두 날짜를 추가", fixEn: "add both dates" },
  "offboarding-in-future": { ko: "`since` 가 오늘(`--today`)보다 뒤", en: "`since` is after today (`--today`)", fixKo: "오프보딩을 시작하는 날 병합하고 그날을 적기", fixEn: "merge on the day offboarding begins, with that date" },
  "retain-until-before-since": { ko: "`retainUntil` 이 `since` 보다 앞섬", en: "`retainUntil` is before `since`", fixKo: "`since` 이후 날짜로", fixEn: "a date on or after `since`" },
  "retain-until-too-short": { ko: "`retainUntil` 이 `since` + 가장 긴 데이터셋 `retentionDays` 보다 앞섬", en: "`retainUntil` is before `since` + the longest dataset `retentionDays`", fixKo: "메시지가 알려 주는 날짜 이후로", fixEn: "the date the message gives, or later" },
  "removed-before-retain-until": { ko: "`retainUntil` 이 지나기 전에 `status: removed`", en: "`status: removed` before `retainUntil` has passed", fixKo: "그 다음 날까지 `offboarding` 유지", fixEn: "keep `offboarding` until the day after" },
  "deleted-without-offboarding": { ko: "(`report --since`) `removed` 를 거치지 않고 파일을 삭제: 아무것도 회수되지 않음", en: "(`report --since`) a file deleted before it said `removed`: nothing was revoked", fixKo: "파일을 되살리고 런북대로 offboarding → removed 후 삭제", fixEn: "restore it; offboarding, then removed, then delete (runbook)" },
  "removed-without-offboarding": { ko: "(`report --since`) `active` 에서 바로 `removed`", en: "(`report --since`) `active` straight to `removed`", fixKo: "먼저 `offboarding` 으로 배포", fixEn: "deploy `offboarding` first" },
  "cost-rate-missing": { ko: "쿼터(또는 공용 서버 쿼터)가 예약한 GPU 모델의 단가가 요금표(`platform.yaml` `cost.idc.gpuMonth`)에 없음", en: "your quota (or a shared server's) reserves a GPU model the rate card (`platform.yaml` `cost.idc.gpuMonth`) has no price for", fixKo: "(플랫폼팀) 그 모델의 월 단가 추가", fixEn: "(platform team) add the model's monthly rate" },
  "cost-rates-missing": { ko: "`coop-idc cost` 를 실행했으나 `platform.yaml` 에 요금표(`cost:`)가 없음", en: "`coop-idc cost` was run but `platform.yaml` declares no rate card (`cost:`)", fixKo: "(플랫폼팀) `cost:` 블록 추가 (docs/cost.ko.md)", fixEn: "(platform team) add a `cost:` block (docs/cost.en.md)" },
  "cost-split-empty": { ko: "(경고, 플랫폼팀) `cost.platform.split: byStoredVolume` 인데 `expectedGbPerMonth` 를 적은 데이터셋이 없어 플랫폼 비용이 모두 미배분", en: "(warning, platform team) `cost.platform.split: byStoredVolume` but no dataset declares `expectedGbPerMonth`: platform costs stay unallocated", fixKo: "적재량을 적거나 evenly/byMembers 로 배분", fixEn: "declare volumes, or split evenly or byMembers" },
  "invalid-duration": { ko: "`expectedEvery` 가 5m~7d 기간이 아님(1d 초과는 일 단위)", en: "`expectedEvery` is not a duration of 5m to 7d (whole days above 1d)", fixKo: "`6h`, `2d` 처럼 적거나 삭제", fixEn: "write e.g. `6h` or `2d`, or remove it" },
};

/** The help of a code; a generic text for a code the table does not know yet. */
export function ruleHelp(code: string): RuleHelp {
  return (
    RULE_HELP[code] ?? {
      ko: `규칙 ${code}`,
      en: `rule ${code}`,
      fixKo: '메시지의 안내를 따르세요(docs/onboarding.ko.md 규칙 코드)',
      fixEn: 'follow the message (docs/onboarding.en.md, rule codes)',
    }
  );
}
