/**
 * The two ways a build ends badly for a reason that is not a bug: a mistake in how it was
 * called (exit 2) and checks that found problems (exit 1). The command line maps them to
 * exit codes and shows them in the user's language; the build only raises them.
 */
import { formatMessage, type MessageRef } from '../infra/config/messages';

/** A mistake in how the command was called (unknown flag, missing argument): exit 2. */
export class UsageError extends Error {
  /** The message from the catalogue, shown in the user's language; `message` is its English text. */
  public readonly text?: MessageRef;

  constructor(message: string | MessageRef, public readonly command?: string) {
    super(typeof message === 'string' ? message : formatMessage('en', message));
    this.name = 'UsageError';
    if (typeof message !== 'string') this.text = message;
  }
}

/** A build that ran but found problems (failed checks): exit 1 with each finding listed. */
export class BuildFailure extends Error {
  /**
   * @param summary one line: what failed
   * @param lines one line per failing finding: rule, cooperative, resource, fix
   * @param evidence the folder that keeps the failed build's output (report included), if any
   */
  constructor(public readonly summary: string, public readonly lines: readonly string[], public readonly evidence?: string) {
    super(summary);
    this.name = 'BuildFailure';
  }
}
