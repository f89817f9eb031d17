/**
 * Durations in configuration (`expectedEvery: 6h`): a whole number and a unit, m, h or d.
 * Bounded by what one CloudWatch alarm can evaluate: PutMetricAlarm holds Period times
 * EvaluationPeriods to one day for periods under an hour and to seven days otherwise
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html),
 * so a duration over a day is counted in whole days (one-day periods).
 */
import { msg, type MessageRef } from './messages';

/** Shortest duration accepted: alarms on shorter silences would page on ordinary gaps between uploads. */
export const MIN_DURATION_SECONDS = 5 * 60;
/** Longest duration accepted: the longest window one CloudWatch alarm evaluates. */
export const MAX_DURATION_SECONDS = 7 * 24 * 3600;

/** The pattern a duration is written in (also the JSON Schema's pattern). */
export const DURATION_PATTERN = '^[1-9][0-9]{0,5}[mhd]$';

const UNIT_SECONDS = { m: 60, h: 3600, d: 86400 } as const;

/** Why a duration is refused, in Korean and English, with the fix. */
export interface DurationProblem {
  readonly message: MessageRef;
  readonly hint: MessageRef;
}

/** Seconds of a duration such as `30m`, `6h` or `2d`, or why it is refused. */
export function parseDuration(text: string): { readonly seconds: number } | { readonly problem: DurationProblem } {
  if (!new RegExp(DURATION_PATTERN).test(text)) {
    return {
      problem: { message: msg('duration.format'), hint: msg('duration.format.hint') },
    };
  }
  const seconds = Number(text.slice(0, -1)) * UNIT_SECONDS[text.slice(-1) as keyof typeof UNIT_SECONDS];
  if (seconds < MIN_DURATION_SECONDS || seconds > MAX_DURATION_SECONDS) {
    return {
      problem: { message: msg('duration.range'), hint: msg(seconds < MIN_DURATION_SECONDS ? 'duration.too-short.hint' : 'duration.too-long.hint') },
    };
  }
  if (seconds > UNIT_SECONDS.d && seconds % UNIT_SECONDS.d !== 0) {
    const days = Math.ceil(seconds / UNIT_SECONDS.d);
    return {
      problem: { message: msg('duration.whole-days'), hint: msg('duration.whole-days.hint', { days }) },
    };
  }
  return { seconds };
}
