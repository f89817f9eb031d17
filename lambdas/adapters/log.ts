/**
 * Structured JSON logs in the shape of Powertools' logger (level, message, timestamp,
 * service, plus keys), and metrics as CloudWatch embedded metric format (EMF) lines, which
 * CloudWatch Logs turns into metrics without a PutMetricData call. Callers pass counts, ids and keys, never record values: raw data may
 * hold personal information and logs are read more widely than the data zones.
 */

/** Keys attached to a log line. Values must not contain personal data. */
export type LogKeys = Readonly<Record<string, string | number | boolean | null | undefined | readonly string[]>>;

/** Units of EMF metrics this code emits (a subset of CloudWatch's). */
export type MetricUnit = 'Count' | 'Milliseconds' | 'Bytes';

/** One EMF record: values of metrics sharing one namespace and one set of dimensions. */
export interface MetricRecord {
  readonly namespace: string;
  /** Dimension name → value; values must not contain personal data (they are metric names' keys). */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly metrics: Readonly<Record<string, { readonly value: number; readonly unit: MetricUnit }>>;
}

/**
 * A minimal structured logger.
 *
 * EMF is written here by hand, in the shape Powertools' Metrics utility writes it
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * one `_aws` object with the timestamp and the metric directive, the dimension values and
 * metric values as top-level keys. One line per object needs none of the library's
 * buffering, flushing or cold-start metric, and a dependency in the handler bundle for
 * twenty lines of JSON would cost more than it saves.
 */
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
  /** Writes one EMF line; the context keys (request id) ride along for correlation, not as dimensions. */
  metrics(record: MetricRecord): void {
    const names = Object.keys(record.metrics);
    if (names.length === 0) return;
    const values = Object.fromEntries(names.map((n) => [n, record.metrics[n].value]));
    this.write(
      JSON.stringify({
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [{ Namespace: record.namespace, Dimensions: [Object.keys(record.dimensions)], Metrics: names.map((n) => ({ Name: n, Unit: record.metrics[n].unit })) }],
        },
        service: this.service,
        ...this.context,
        ...record.dimensions,
        ...values,
      }),
    );
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
