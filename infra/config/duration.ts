/**
 * Durations in configuration (`expectedEvery: 6h`): a whole number and a unit, m, h or d.
 * Bounded by what one CloudWatch alarm can evaluate: PutMetricAlarm holds Period times
 * EvaluationPeriods to one day for periods under an hour and to seven days otherwise
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html),
 * so a duration over a day is counted in whole days (one-day periods).
 */

/** Shortest duration accepted: alarms on shorter silences would page on ordinary gaps between uploads. */
export const MIN_DURATION_SECONDS = 5 * 60;
/** Longest duration accepted: the longest window one CloudWatch alarm evaluates. */
export const MAX_DURATION_SECONDS = 7 * 24 * 3600;

/** The pattern a duration is written in (also the JSON Schema's pattern). */
export const DURATION_PATTERN = '^[1-9][0-9]{0,5}[mhd]$';

const UNIT_SECONDS = { m: 60, h: 3600, d: 86400 } as const;

/** Why a duration is refused, in Korean and English, with the fix. */
export interface DurationProblem {
  readonly ko: string;
  readonly en: string;
  readonly hint: string;
}

/** Seconds of a duration such as `30m`, `6h` or `2d`, or why it is refused. */
export function parseDuration(text: string): { readonly seconds: number } | { readonly problem: DurationProblem } {
  if (!new RegExp(DURATION_PATTERN).test(text)) {
    return {
      problem: {
        ko: '기간은 "30m", "6h", "1d" 처럼 정수와 단위(m 분, h 시간, d 일)로 적어야 합니다',
        en: 'must be a duration: a whole number and a unit m (minutes), h (hours) or d (days), e.g. "30m", "6h", "1d"',
        hint: bilingualHint('"6h" 처럼 적으세요', 'write it like "6h" (no spaces, no decimals, no "PT" prefix)'),
      },
    };
  }
  const seconds = Number(text.slice(0, -1)) * UNIT_SECONDS[text.slice(-1) as keyof typeof UNIT_SECONDS];
  if (seconds < MIN_DURATION_SECONDS || seconds > MAX_DURATION_SECONDS) {
    return {
      problem: {
        ko: `기간은 5분(5m) 이상 7일(7d) 이하여야 합니다 (CloudWatch 경보 하나가 평가할 수 있는 최장 기간이 7일)`,
        en: `must be between 5m and 7d (the longest window one CloudWatch alarm evaluates is 7 days)`,
        hint: bilingualHint(
          seconds < MIN_DURATION_SECONDS ? '5m 이상으로 늘리세요' : '7d 이하로 줄이거나, 한 달에 한 번 오는 데이터셋이면 expectedEvery 를 지우세요',
          seconds < MIN_DURATION_SECONDS ? 'raise it to 5m or more' : 'lower it to 7d or less, or remove expectedEvery for a dataset that arrives less often',
        ),
      },
    };
  }
  if (seconds > UNIT_SECONDS.d && seconds % UNIT_SECONDS.d !== 0) {
    const days = Math.ceil(seconds / UNIT_SECONDS.d);
    return {
      problem: {
        ko: '하루보다 긴 기간은 일 단위(d)여야 합니다 (경보가 하루 단위로 셉니다)',
        en: 'a duration over one day must be whole days (the alarm counts one-day periods)',
        hint: bilingualHint(`"${days}d" 로 적으세요`, `write "${days}d"`),
      },
    };
  }
  return { seconds };
}

function bilingualHint(ko: string, en: string): string {
  return `${ko} / ${en}`;
}
