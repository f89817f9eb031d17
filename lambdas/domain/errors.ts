/**
 * Error kinds the handlers map to outcomes.
 *
 * A Lambda invoked asynchronously by S3 retries when the handler throws, so the one question
 * that matters for an error is whether trying again can help. Bad data never throws: it is
 * quarantined with a reason. What throws is either transient (storage or catalog unreachable,
 * throttled) and marked retryable, or a configuration fault an operator must fix.
 */

/** A failure that may succeed when the same event is processed again (network, throttling, 5xx). */
export class RetryableError extends Error {
  /** Lets callers recognise the kind across bundle boundaries without `instanceof`. */
  readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryableError';
  }
}

/** A deployment or dataset-definition fault (missing env, unknown time zone): retrying cannot help. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET',
]);
const TRANSIENT_NAMES = new Set([
  'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ThrottlingException', 'Throttling', 'SlowDown',
  'TooManyRequestsException', 'ServiceUnavailable', 'InternalError', 'InternalFailure', 'KMSInternalException',
  'ConcurrentModificationException', 'OperationTimeoutException',
]);

const TRANSIENT_MESSAGE = /\b(socket hang up|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|TimeoutError)\b/;

/**
 * Whether an error from an AWS SDK call (or the network under it) is worth retrying.
 * Follows the SDK's own classification (`$retryable`, HTTP 5xx/429) plus socket errors.
 */
export function isTransient(err: unknown): boolean {
  // Duck-typed, not `instanceof Error`: errors raised by Node's sockets may come from another realm.
  if (typeof err !== 'object' || err === null) return false;
  if ((err as RetryableError).retryable === true) return true;
  const e = err as Error & { code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number }; cause?: unknown };
  if (e.$retryable) return true;
  if (e.code && TRANSIENT_CODES.has(e.code)) return true;
  if (TRANSIENT_NAMES.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (Array.isArray((e as { errors?: unknown }).errors) && (e as unknown as AggregateError).errors.some(isTransient)) return true;
  // The SDK wraps thrown non-errors as "AWS SDK error wrapper for TimeoutError: socket hang up".
  if (typeof e.message === 'string' && TRANSIENT_MESSAGE.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== err && isTransient(e.cause);
}

/** Wraps transient errors as {@link RetryableError}; rethrows everything else unchanged. */
export function classify(err: unknown, doing: string): never {
  if (isTransient(err)) {
    const e = err as Error;
    throw new RetryableError(`${doing}: ${e.name}: ${e.message || (e as { code?: string }).code || 'transient failure'}`, { cause: err });
  }
  throw err;
}

/**
 * The input object as a whole cannot be read as the dataset (its header is ambiguous): the
 * ingestion writes a "rejected" manifest with this message as the reason. Retrying cannot help.
 */
export class RejectedInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RejectedInputError';
  }
}
