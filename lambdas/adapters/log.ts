/**
 * Structured JSON logs in the shape of Powertools' logger (level, message, timestamp,
 * service, plus keys). Callers pass counts, ids and keys, never record values: raw data may
 * hold personal information and logs are read more widely than the data zones.
 */

/** Keys attached to a log line. Values must not contain personal data. */
export type LogKeys = Readonly<Record<string, string | number | boolean | null | undefined | readonly string[]>>;

/** A minimal structured logger. */
export class Logger {
  private context: LogKeys = {};
  constructor(private readonly service: string, private readonly write: (line: string) => void = (l) => process.stdout.write(l + '\n')) {}

  /** Keys added to every following line (e.g. the request id), replacing earlier ones. */
  setContext(keys: LogKeys): void {
    this.context = keys;
  }
  info(message: string, keys: LogKeys = {}): void {
    this.emit('INFO', message, keys);
  }
  warn(message: string, keys: LogKeys = {}): void {
    this.emit('WARN', message, keys);
  }
  /** Logs an error by name and message only: stack traces stay out of structured logs' hot path but the name identifies the kind. */
  error(message: string, err: unknown, keys: LogKeys = {}): void {
    const e = err instanceof Error ? { errorName: err.name, errorMessage: err.message } : { errorName: 'unknown', errorMessage: String(err) };
    this.emit('ERROR', message, { ...keys, ...e });
  }
  private emit(level: string, message: string, keys: LogKeys): void {
    this.write(JSON.stringify({ level, message, timestamp: new Date().toISOString(), service: this.service, ...this.context, ...keys }));
  }
}

/** Reads a required environment variable or fails the cold start with a clear message. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const v = env[name];
  if (v === undefined || v.trim() === '') throw new Error(`environment variable ${name} is required but not set`);
  return v.trim();
}
