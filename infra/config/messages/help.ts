/**
 * The help of `coop-idc` and of each command (`--help`), in Korean and English: part of the
 * catalogue (`CATALOGUE` in catalogue.ts spreads it, and its type checks these entries; an
 * import of its entry type here would be a cycle), in a file of its own because each entry
 * is a page. Both languages give the same synopsis, options, environment variables and files
 * (test/cli/help.test.ts compares them). Values the code owns (the version, paths, file
 * names) are placeholders, filled in by cli/help.ts.
 */

/** Every help text, by `help.<command>` (`help.main`: the tool's). */
export const HELP_MESSAGES = {
  'help.main': {
    ko: `coop-idc {version} — KBIZ 협동조합 데이터센터를 코드로 관리하는 도구

사용법: coop-idc <command> [options]

명령:
  validate [dir | file...]   설정을 검사합니다. 협동조합 파일은 다른 파일과 함께 검사합니다
  plan                       테넌시 계획(이름, 할당량, 권한)을 보여 줍니다
  new <id>                   템플릿으로 config/cooperatives/<id>.yaml을 만듭니다
  build                      검사하고 계획을 세워 모든 결과를 출력 폴더에 씁니다
  report                     출력 폴더의 감사 보고서. --since <ref>: PR의 접근 권한 변경
  cost                       협동조합별 월 비용 추정(요금표)
  cache [clean]              빌드 캐시를 보여 주거나 비웁니다
  tf plan|apply              IDC 스택마다 terraform 실행(의존 순서대로)
  --version                  버전을 출력하고 끝냅니다

공통 옵션:
  --lang ko|en     메시지 언어(모든 명령. 기본값: LC_ALL, 그다음 LANG. 예:
                   ko_KR.UTF-8 → ko, en_US.UTF-8 → en; C, C.UTF-8 또는 없음 → ko)
  --config <dir>   platform.yaml과 cooperatives/가 있는 설정 폴더(기본값: config)
  --today <date>   협정 만료 검사의 기준 날짜, YYYY-MM-DD(기본값: 오늘; 환경 변수 COOP_IDC_TODAY)
  -h, --help       명령의 도움말
  -v, --version    버전을 출력합니다

종료 코드: 0 정상, 1 잘못된 설정 또는 실패한 검사, 2 사용법 오류.
명령별 옵션은 ''coop-idc <command> --help''로 확인하세요.`,
    en: `coop-idc {version} — KBIZ cooperative data center as code

Usage: coop-idc <command> [options]

Commands:
  validate [dir | file...]   check configuration; a cooperative file is checked against the others
  plan                       show the tenancy plan (names, quotas, grants)
  new <id>                   create config/cooperatives/<id>.yaml from the template
  build                      validate, plan and write everything to the output folder
  report                     audit report of the output folder; --since <ref>: access changes for a PR
  cost                       monthly cost estimate per cooperative (rate card)
  cache [clean]              show or empty the build cache
  tf plan|apply              terraform per IDC stack, in dependency order
  --version                  print the version and exit

Common options:
  --lang ko|en     language of messages (any command; default: LC_ALL, then LANG, e.g.
                   ko_KR.UTF-8 → ko, en_US.UTF-8 → en; C, C.UTF-8 or none → ko)
  --config <dir>   config folder holding platform.yaml and cooperatives/ (default: config)
  --today <date>   date for agreement expiry checks, YYYY-MM-DD (default: today; env COOP_IDC_TODAY)
  -h, --help       help for a command
  -v, --version    print the version

Exit codes: 0 ok, 1 invalid configuration or failed checks, 2 usage error.
Run ''coop-idc <command> --help'' for a command''s options.`,
  },
  'help.validate': {
    ko: `사용법: coop-idc validate [dir | file...] [--today YYYY-MM-DD] [--format text|json|sarif]

설정 폴더(기본값: config) 또는 협동조합 파일 하나 이상을 검사합니다. 협동조합 파일은 플랫폼
파일과 같은 설정 폴더의 다른 모든 협동조합 파일과 함께 검사하고(중복 id, 공유 용량), 그 파일의
문제와 공유된 문제만 보여 줍니다. 온보딩 풀 리퀘스트를 열기 전에 자기 파일로 실행하세요.

문제마다 한 줄로 출력합니다: file:line:col error <code> <메시지> (<고치는 방법>)
  --format text    그 줄들을 stderr로(기본값)
  --format json    stdout에 JSON 문서 하나: '{version, errors, warnings, valid, diagnostics}'
  --format sarif   stdout에 SARIF 2.1.0 로그 하나(파일, 줄, 열, 규칙 id, 한국어와 영어 도움말).
                   GitHub 코드 스캐닝용: github/codeql-action/upload-sarif로 올리면 문제마다
                   해당 줄에 표시됩니다
종료 코드는 어느 형식이든 같습니다.`,
    en: `Usage: coop-idc validate [dir | file...] [--today YYYY-MM-DD] [--format text|json|sarif]

Checks a config folder (default: config), or one or more cooperative files. A cooperative
file is checked with the platform file and every other cooperative of its config folder
(for duplicate ids and shared capacity), and only its own problems and shared ones are shown:
run it on your file before opening an onboarding pull request.

Each problem is printed as: file:line:col error <code> <message> (<how to fix>)
  --format text    those lines on stderr (default)
  --format json    one JSON document on stdout: '{version, errors, warnings, valid, diagnostics}'
  --format sarif   one SARIF 2.1.0 log on stdout (file, line, column, rule id, Korean and
                   English help), for GitHub code scanning: upload it with
                   github/codeql-action/upload-sarif to see each problem on its line
The exit code is the same in every format.`,
  },
  'help.plan': {
    ko: `사용법: coop-idc plan [--config dir] [--coop id] [--json]

테넌시 계획을 보여 줍니다: coop-idc가 만들 이름, 할당량, 권한.
  --coop <id>   이 협동조합만, 파생되는 모든 이름과 함께
  --json        계획을 JSON으로(렌더러, 검사, 보고서가 받는 입력 그대로)`,
    en: `Usage: coop-idc plan [--config dir] [--coop id] [--json]

Shows the tenancy plan: the names, quotas and grants coop-idc will create.
  --coop <id>   only this cooperative, with every derived name
  --json        the plan as JSON (the exact input of the renderers, checks and report)`,
  },
  'help.new': {
    ko: `사용법: coop-idc new <id> [--config dir] [--force]

config/templates/cooperative.yaml로 <config>/cooperatives/<id>.yaml을 만듭니다.
<id>는 DNS-1123 레이블(영문 소문자, 숫자, "-")이어야 합니다. 버킷, 데이터베이스, 네임스페이스의
이름이 되어 나중에 바꿀 수 없으니 신중히 고르세요. ''validate''와 같은 한도가 적용됩니다: 여기서
파생되는 모든 이름이 각 공급자의 길이 한도에 맞아야 하고(최대 길이는 플랫폼의 환경에 따라 다르며
메시지에 나옵니다), 플랫폼이 쓰는 id(shared, platform)는 쓸 수 없습니다.
  --force   이미 있는 파일을 덮어씁니다`,
    en: `Usage: coop-idc new <id> [--config dir] [--force]

Creates <config>/cooperatives/<id>.yaml from config/templates/cooperative.yaml.
<id> must be a DNS-1123 label (lowercase letters, digits, "-"); it names your buckets,
database and namespace for good, so choose it with care. It is held to the same limits as
in ''validate'': every name derived from it must fit its provider''s limit (the maximum
length depends on the platform''s environment and is stated), and ids the platform''s own
names take (shared, platform) are refused.
  --force   overwrite an existing file`,
  },
  'help.report': {
    ko: `사용법: coop-idc report [--out dir] [--today YYYY-MM-DD] [--pdf [--chromium path]]
        coop-idc report --since <git-ref> [--config dir] [--out dir] [--baseline-checks dir]

빌드 출력 폴더(기본값: out)의 감사 보고서를 그 폴더에 씁니다:
  report/index.html   한 파일로 된 페이지(네트워크 필요 없음), 데이터 흐름도와 용량 그림 포함
  report.md           같은 내용의 Markdown
  report.json         같은 내용의 데이터(도구용)
plan.json, checks/*.json, cdk.out/, cdktf.out/, build.json(빌드가 계산한 검사 결과와 캐시에서
재사용한 검사 결과의 수)을 빌드가 남긴 그대로 읽고 아무것도 다시 계산하지 않습니다. 빠진 부분은
보고서에 적으며 통과로 치지 않습니다. --today로부터 30일 안에 끝나는 협정을 표시합니다.
''coop-idc build''는 마지막 단계로 보고서를 씁니다.

--pdf는 첫 페이지와 협동조합 페이지마다 PDF(A4, 인쇄용 스타일: 모든 증거를 펼친 상태)로 인쇄해
report/pdf/에 씁니다. Debian의 Chromium을 씁니다(--chromium <path>, 기본값 {chromium};
설치: apt-get install chromium fonts-nanum). PDF에는 인쇄한 시각이 아니라 보고서의 날짜가
들어가므로 같은 보고서는 같은 바이트로 인쇄됩니다.

--since <git-ref>는 그 ref의 설정과 작업 트리 사이에 바뀐 것을 풀 리퀘스트 댓글용 Markdown으로
출력합니다: 얻거나 잃은 접근 권한(이용기관, 데이터셋, 컬럼, 수준), 추가되거나 제거된 테넌트,
할당량과 용량의 변화, 새로 생기거나 사라진 설정 규칙 위반. status offboarding과 removed를 거치기
전에 삭제된(또는 active에서 바로 removed가 된) 협동조합 파일은 오류입니다: 맨 앞에 나오고 진단으로
출력되며 종료 코드는 1입니다.
  --baseline-checks <dir>   --out의 현재 checks/를 이 검사 폴더(예: 기준 브랜치 빌드의 것)와도
                            비교합니다: 새로 실패한 것, 새로 승인된 것, 해결된 것`,
    en: `Usage: coop-idc report [--out dir] [--today YYYY-MM-DD] [--pdf [--chromium path]]
       coop-idc report --since <git-ref> [--config dir] [--out dir] [--baseline-checks dir]

Writes the audit report of a build output folder (default: out) into it:
  report/index.html   self-contained page (no network needed), with data-flow and capacity diagrams
  report.md           the same as Markdown
  report.json         the same as data, for tools
It reads plan.json, checks/*.json, cdk.out/, cdktf.out/ and build.json (how many check
results the build computed and how many it replayed from its cache) as the build left them
and recomputes nothing; a missing part is stated in the report, never taken as a pass.
Agreements ending within 30 days of --today are flagged. ''coop-idc build'' writes the
report as its last step.

--pdf also prints the index and every cooperative page to PDF (A4, print stylesheet: all
evidence open) into report/pdf/, through Debian''s Chromium (--chromium <path>, default
{chromium}; install: apt-get install chromium fonts-nanum). The PDFs carry the
report''s date, not the time of printing: the same report prints to the same bytes.

--since <git-ref> prints, as Markdown for a pull-request comment, what changed between
the configuration at that ref and the working tree: access gained or lost (consumer,
dataset, columns, level), tenants added or removed, quota and capacity changes, and
configuration-rule findings that appeared or disappeared. A cooperative file deleted
before it went through status offboarding and removed (or turned from active straight to
removed) is an error: it is listed first, printed as a diagnostic, and the exit code is 1.
  --baseline-checks <dir>   also compare the current checks/ of --out with this checks
                            folder (e.g. from a build of the base branch): newly failing,
                            newly acknowledged and resolved findings`,
  },
  'help.tf': {
    ko: `사용법: coop-idc tf plan|apply [--out dir] [--coop id] [-- <terraform plan options>]

빌드 출력(기본: out)의 {cdktfOut}/manifest.json 이 정한 의존 순서대로(플랫폼 스택 먼저,
그다음 협동조합 스택) 스택마다 Terraform 을 실행합니다. 처음 실패한 스택에서 멈추고 종료 코드 1 을
돌려주며, 실행하지 않은 스택을 알려 줍니다.
  plan    스택마다 ''terraform init -input=false'' 와 ''terraform plan -input=false -out={planFile}''
  apply   스택마다 ''terraform init -input=false'' 와 ''terraform apply -input=false {planFile}'':
          plan 이 저장한 계획만 적용하며, 계획이 없는 스택이 하나라도 있으면 아무것도 하지 않습니다

  --out <dir>   빌드 출력 폴더
  --coop <id>   이 협동조합의 스택만. apply --coop 은 먼저 플랫폼 스택에 상태가 있는지(전에
                적용했는지) 확인합니다
  -- <options>  plan 에만, terraform plan 에 그대로 전달합니다.
                예: -- -var kubeconfig_context=idc-prod (또는 TF_VAR_kubeconfig_context)

Terraform: {env}(실행 파일 경로), 없으면 PATH 의 ''terraform''(1.5 이상).
각 스택은 빌드가 infra/idc/terraform/.terraform.lock.hcl 에서 복사한 공급자 잠금 파일을 씁니다.`,
    en: `Usage: coop-idc tf plan|apply [--out dir] [--coop id] [-- <terraform plan options>]

Runs Terraform in each IDC stack of a build output (default: out), in the order of
{cdktfOut}/manifest.json (the platform stack, then the cooperatives''). Stops at the first
stack that fails, exit 1, naming the stacks not run.
  plan    per stack: ''terraform init -input=false'', ''terraform plan -input=false -out={planFile}''
  apply   per stack: ''terraform init -input=false'', ''terraform apply -input=false {planFile}'':
          applies only the plan that ''tf plan'' saved, and nothing at all when a stack has none

  --out <dir>   the build output folder
  --coop <id>   only this cooperative''s stack. apply --coop first checks that the platform
                stack has state (it was applied before)
  -- <options>  plan only, passed to terraform plan,
                e.g. -- -var kubeconfig_context=idc-prod (or TF_VAR_kubeconfig_context)

Terraform: {env} (path of the binary), else ''terraform'' on PATH (≥ 1.5). Each stack
keeps the provider lock file the build copied from infra/idc/terraform/.terraform.lock.hcl.`,
  },
  'help.cost': {
    ko: `사용법: coop-idc cost [--config dir] [--coop id] [--month YYYY-MM] [--json | --csv]

platform.yaml 의 요금표(cost:, KBIZ 가 정한 원화 단가이며 AWS 정가가 아닙니다)를 테넌시 계획에
적용해 협동조합별 월 비용을 추정합니다: IDC 예약(vCPU, 메모리, 스토리지, GPU 모델별), 클라우드(KMS
키, 데이터셋의 expectedGbPerMonth 와 보존 기간에 따른 저장량, expectedRequestsPerMonth), 공동 서버
분담(구독 협동조합 균등), 플랫폼 비용 분담(cost.platform.split). 모든 금액은 원 단위 정수이며,
협동조합 합계와 미배분 금액의 합은 전체 계획에 요금표를 적용한 금액과 1원까지 같습니다.
자세한 내용: docs/cost.ko.md, docs/cost.en.md.
  --coop <id>        이 협동조합만(전체 계획의 합계는 그대로 표시)
  --month <YYYY-MM>  추정 대상 월(기본값: 이번 달)
  --json             JSON 으로
  --csv              CSV(RFC 4180)로, 협동조합 id 순`,
    en: `Usage: coop-idc cost [--config dir] [--coop id] [--month YYYY-MM] [--json | --csv]

Applies the rate card of platform.yaml (cost:, KBIZ''s own prices in whole won, not AWS list
prices) to the tenancy plan: a monthly estimate per cooperative of its IDC reservation (vCPU,
memory, storage, GPUs by model), its cloud use (KMS key, stored volume from each dataset''s
expectedGbPerMonth and retention, expectedRequestsPerMonth), its share of the shared servers
it subscribes to (split evenly among subscribers) and of the platform (cost.platform.split).
Amounts are whole won; the cooperatives'' totals plus the unallocated remainder equal the rate
card applied to the whole plan, to the won. docs/cost.ko.md, docs/cost.en.md.
  --coop <id>        only this cooperative (the plan''s total still shown)
  --month <YYYY-MM>  the month the estimate is for (default: this month)
  --json             as JSON
  --csv              as CSV (RFC 4180), cooperatives by id`,
  },
  'help.build': {
    ko: `사용법: coop-idc build [--config dir] [--out dir] [--coop id] [--no-cache | --verify-cache]
                       [--shard i/n | --merge dir...] [--force] [--quiet | --verbose]

설정을 검사하고 테넌시 계획을 만든 뒤 모든 결과물을 출력 폴더(기본값: out)에 씁니다. 출력 폴더는
빌드 전체가 성공했을 때만 바뀌며, 이전 빌드가 쓴 폴더(.coop-idc-output.json이 있는 폴더), 빈 폴더,
아직 없는 경로만 바뀝니다. 파일, 사용자가 만든 폴더, 현재·설정·저장소·홈 폴더(또는 이들을 포함하는
폴더)는 종료 코드 2로 거부하고 그대로 둡니다.
  --out <dir>   출력 폴더
  --coop <id>   협동조합 하나를 (필요한 플랫폼과 함께) 빌드하고 검사합니다. 온보딩 풀 리퀘스트에
                빨리 결과를 주기 위한 것이며 출력 폴더의 기본값은 out-coop/<id>입니다.
                설정 전체는 그대로 검사하므로 공유 용량도 확인합니다.
  --no-cache    모든 스택을 다시 검사합니다. 기본으로는 스택마다 CloudFormation 검증 보고서와
                cdk-nag 결과를 node_modules/.cache/coop-idc(환경 변수 COOP_IDC_CACHE_DIR)에
                템플릿과 결과가 달린 그 밖의 모든 것을 키로 하여 보관하고, 바뀌지 않은 스택은
                다시 검사하지 않습니다. 출력은 같습니다. 빌드가 끝나면 어느 빌드도 30일(환경 변수
                COOP_IDC_CACHE_MAX_AGE_DAYS) 동안 쓰지 않은 항목을 지우고, 그다음 캐시가
                2,000 MB(환경 변수 COOP_IDC_CACHE_MAX_MB)를 넘는 동안 가장 오래전에 쓴 항목을
                지웁니다. ''coop-idc cache''를 참고하세요.
  --verify-cache
                캐시를 쓰되 모든 스택을 다시 검사하고, 캐시의 결과가 새 결과와 다르면 스택, 검사,
                달라진 내용을 밝히고 실패합니다(종료 코드 1). 항목마다 체크섬과 계산에 쓴 키가
                있어 손상되었거나 단순히 수정된 항목은 언제나 거부되고 다시 검사됩니다. 체크섬까지
                맞춰 위조한 항목은 다시 검사해야만 잡힙니다.
                릴리스와 배포 빌드는 --no-cache 또는 --verify-cache로 실행합니다.
  --shard <i/n> AWS 앱(플랫폼과 셀)을 스택 수로 똑같이 n개로 나눈 것 중 i번째와 그 셀들의
                IDC(Kubernetes) 스택을 CI 러너 하나에서 빌드합니다. 결과는 out-shards/<i>에 씁니다
  --merge <dir> (샤드마다 한 번) 샤드들의 출력을 출력 폴더로 합치고 모든 검사와 보고서를
                실행합니다. AWS와 IDC 스택은 다시 빌드하지 않습니다. 같은 커밋과 설정으로
                빌드한 모든 샤드를 주어야 합니다.
  --force       출력이 최신이어도 빌드합니다. 빌드가 성공하면 .coop-idc-build.json에 입력(모든
                설정 파일, 코드, 라이브러리와 Node 버전, --coop, --shard, --no-cache, --lang,
                날짜, CDK_VALIDATION)의 해시 하나와 쓴 파일마다 크기와 수정 시각을 기록합니다.
                다음 빌드의 입력이 같고 파일이 모두 그대로이면 "최신 상태입니다"를 출력하고
                빌드하지 않고 종료 코드 0으로 끝납니다.
  --quiet       오류와 결과 줄만 출력합니다
  --verbose     터미널에서도 진행 상황을 단위마다 한 줄로 출력하고 끝에 단계별 시간을 보여
                줍니다(터미널에서는 보통 진행 막대로 보여 줍니다)
AWS 앱은 단위별로 빌드합니다: 플랫폼 스택, 그리고 셀마다 데이터 레이크 계정의 스택들. 입력이
바뀌지 않은 단위는 아무것도 만들지 않고 빌드 캐시에서 통째로 복원하며, 나머지는 병렬 프로세스로
빌드합니다(COOP_IDC_JOBS, 기본값: 코어마다 하나).
출력의 build.json에는 검사 결과 가운데 몇 개를 계산했고 몇 개를 캐시에서 재사용했는지가 적히며,
감사 보고서에도 나옵니다.`,
    en: `Usage: coop-idc build [--config dir] [--out dir] [--coop id] [--no-cache | --verify-cache]
                      [--shard i/n | --merge dir...] [--force] [--quiet | --verbose]

Validates the configuration, derives the tenancy plan and writes every artefact to the
output folder (default: out). The folder is replaced only when the whole build succeeds,
and only if an earlier build wrote it (it holds .coop-idc-output.json), it is empty or it
does not exist: a file, a folder of yours, the current, config, repository or home folder
(or one holding them) is refused with exit 2 and left as it is.
  --out <dir>   output folder
  --coop <id>   build and check one cooperative (with the platform it needs), for fast
                feedback on an onboarding pull request; output defaults to out-coop/<id>.
                The whole configuration is still validated, so shared capacity is checked.
  --no-cache    check every stack again. By default each stack''s CloudFormation validation
                report and cdk-nag results are kept in node_modules/.cache/coop-idc (env
                COOP_IDC_CACHE_DIR), keyed by the template and everything else they depend
                on, and a stack that did not change is not checked again; the output is the
                same. After the build, entries no build used for 30 days (env
                COOP_IDC_CACHE_MAX_AGE_DAYS) are removed, then the least recently used ones
                while the cache is over 2,000 MB (env COOP_IDC_CACHE_MAX_MB). See ''coop-idc cache''.
  --verify-cache
                use the cache, but check every stack again and fail (exit 1) when a cached
                result differs from the fresh one, naming the stack, the check and what
                differed. Each entry carries a checksum and the key it was computed from, so a
                damaged or naively edited entry is always rejected and checked again; only
                checking again also catches an entry forged with a matching checksum.
                Release and deploy builds run with --no-cache or --verify-cache.
  --shard <i/n> build the i-th of n equal parts of the AWS app (the platform and the cells,
                split by stack count) and those cells' IDC (Kubernetes) stacks for one CI
                runner; writes them into out-shards/<i>
  --merge <dir> (once per shard) assemble the shards'' outputs into the output folder, then
                run every check and the report; no AWS or IDC stack is built again.
                Every shard of the same commit and config must be given.
  --force       build even when the output is up to date. A successful build records in
                .coop-idc-build.json one hash of its inputs (every config file, the code, the
                library and Node versions, --coop, --shard, --no-cache, --lang, the date,
                CDK_VALIDATION) and the size and mtime of each file it wrote; the next build
                with the same inputs whose files are all unchanged prints "up to date" and
                exits 0 without building.
  --quiet       print only errors and the result line
  --verbose     progress as one line per unit even on a terminal, and the time of each
                phase at the end (on a terminal, progress is otherwise a bar)
The AWS app is built unit by unit: the platform stack, and each cell with its stacks in the
data-lake account. A unit whose input did not change is restored from the build cache whole,
without constructing anything; the others are built in parallel processes (COOP_IDC_JOBS,
default: one per core).
build.json in the output says how many check results were computed and how many replayed
from the cache, and so does the audit report.`,
  },
  'help.cache': {
    ko: `사용법: coop-idc cache [clean]

빌드 캐시가 어디에 있는지, 얼마나 차지하는지, 무엇을 보관하는지 보여 줍니다.
  clean   모든 항목을 지웁니다(다음 빌드는 모든 스택을 다시 검사합니다). 캐시 폴더에 있어도
          coop-idc가 쓰지 않은 파일은 그대로 둡니다

환경 변수:
  COOP_IDC_CACHE_DIR            캐시 폴더(기본값: node_modules/.cache/coop-idc)
  COOP_IDC_CACHE_MAX_AGE_DAYS   어느 빌드도 이 일수 동안 쓰지 않은 항목을 지웁니다(기본값: 30)
  COOP_IDC_CACHE_MAX_MB         그다음, 캐시가 디스크에서 이 MB보다 많이 차지하는 동안 가장
                                오래전에 쓴 항목을 지웁니다(기본값: 500)`,
    en: `Usage: coop-idc cache [clean]

Shows where the build cache is, how much it holds and what is kept.
  clean   removes every entry (the next build checks every stack again); files in the
          cache folder that coop-idc did not write are left alone

Environment:
  COOP_IDC_CACHE_DIR            the cache folder (default: node_modules/.cache/coop-idc)
  COOP_IDC_CACHE_MAX_AGE_DAYS   remove entries no build used for this many days (default: 30)
  COOP_IDC_CACHE_MAX_MB         then remove the least recently used entries while the cache
                                takes more than this many MB on disk (default: 500)`,
  },
} as const;
