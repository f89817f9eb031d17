/**
 * Column buffers for one partition's pending row group, in the shape the Parquet encoder
 * (./parquet.ts) writes without converting: numbers in typed arrays, strings as ids into a
 * per-row-group dictionary.
 *
 * Why dictionaries: sensor exports repeat a few hundred machine ids, member ids and regions
 * millions of times. Interning each distinct value once per row group means the byte-level
 * CSV path decodes and validates a string once per distinct value, not once per row, the
 * pseudonymized copy tokenizes and generalizes each distinct value once, and the Parquet
 * dictionary page falls out of the buffer as it stands.
 */
import type { Value } from './coerce';

/** What every column buffer offers the pipeline. */
export interface ColumnBuffer {
  /** Rows buffered. */
  readonly n: number;
  /** Rows whose value is null. */
  readonly nullCount: number;
  /** `nulls[i] === 1` when row i is null; only meaningful when `nullCount > 0`. */
  readonly nulls: Uint8Array;
  pushNull(): void;
  /** Appends a standardized value from the general (text) path. */
  pushValue(v: Value): void;
  /** Forgets the rows and frees large arrays: a partition that goes quiet should cost nothing. */
  reset(): void;
}

const INITIAL = 1024;

/**
 * Arrays of flushed row groups, handed to the next buffer that grows from empty. Without it
 * every row group regrew each column from {@link INITIAL} by doubling (twice its size
 * allocated, copied and zeroed), and those typed arrays, off V8's heap, drove most of the
 * pipeline's garbage collections. Bounded in bytes, so a quiet partition still costs nothing
 * and memory stays flat however many partitions a file spans.
 */
class ArrayPool<A extends Float64Array | Int32Array> {
  private readonly free: A[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** A free array (contents stale: the caller writes before it reads), or undefined. */
  take(): A | undefined {
    const a = this.free.pop();
    if (a) this.bytes -= a.byteLength;
    return a;
  }

  /** Keeps `a` for reuse if the pool has room; the caller must hold no other reference to it. */
  give(a: A): void {
    if (a.length < INITIAL || this.bytes + a.byteLength > this.maxBytes) return;
    this.free.push(a);
    this.bytes += a.byteLength;
  }
}

/** 16 MB each: a few partitions' worth of 65,536-row columns. */
const F64_POOL = new ArrayPool<Float64Array>(16 * 1024 * 1024);
const I32_POOL = new ArrayPool<Int32Array>(16 * 1024 * 1024);

/** Shared growth and null tracking of the typed buffers. */
abstract class TypedBuffer<A extends Float64Array | Int32Array> implements ColumnBuffer {
  n = 0;
  nullCount = 0;
  nulls: Uint8Array = EMPTY_BYTES;
  values: A;

  constructor() {
    this.values = this.alloc(0);
  }

  protected abstract alloc(size: number): A;

  /** Where {@link reset} leaves the values array and an empty buffer's first growth looks. */
  protected abstract readonly pool: ArrayPool<A>;

  pushNull(): void {
    if (this.n === this.values.length) this.grow();
    if (this.nulls.length < this.values.length) {
      const nulls = new Uint8Array(this.values.length);
      nulls.set(this.nulls);
      this.nulls = nulls;
    }
    this.nulls[this.n] = 1;
    this.values[this.n] = 0;
    this.nullCount++;
    this.n++;
  }

  /** Appends a non-null number. */
  push(v: number): void {
    if (this.n === this.values.length) this.grow();
    this.values[this.n++] = v;
  }

  pushValue(v: Value): void {
    if (v === null) this.pushNull();
    else this.push(v as number);
  }

  reset(): void {
    this.n = 0;
    this.nullCount = 0;
    this.nulls = EMPTY_BYTES;
    this.pool.give(this.values);
    this.values = this.alloc(0);
  }

  private grow(): void {
    const reused = this.values.length === 0 ? this.pool.take() : undefined;
    if (reused) {
      this.values = reused;
      return;
    }
    const next = this.alloc(Math.max(INITIAL, this.values.length * 2));
    next.set(this.values as never);
    this.values = next;
    if (this.nullCount > 0) {
      const nulls = new Uint8Array(next.length);
      nulls.set(this.nulls);
      this.nulls = nulls;
    }
  }
}

const EMPTY_BYTES = new Uint8Array(0);

/** DOUBLE columns, and TIMESTAMP columns as epoch milliseconds. */
export class F64Buffer extends TypedBuffer<Float64Array> {
  protected readonly pool = F64_POOL;

  protected alloc(size: number): Float64Array {
    return new Float64Array(size);
  }
}

/** INT32 and DATE (days since the epoch) columns. */
export class I32Buffer extends TypedBuffer<Int32Array> {
  protected readonly pool = I32_POOL;

  protected alloc(size: number): Int32Array {
    return new Int32Array(size);
  }
}

/** Columns of the rarer types (long, decimal, boolean) as plain values; the encoder converts them. */
export class ValueBuffer implements ColumnBuffer {
  n = 0;
  nullCount = 0;
  nulls: Uint8Array = EMPTY_BYTES;
  values: Value[] = [];

  pushNull(): void {
    this.pushValue(null);
  }

  pushValue(v: Value): void {
    if (v === null) {
      if (this.nulls.length <= this.n) {
        const nulls = new Uint8Array(Math.max(INITIAL, this.n * 2));
        nulls.set(this.nulls);
        this.nulls = nulls;
      }
      this.nulls[this.n] = 1;
      this.nullCount++;
    }
    this.values.push(v);
    this.n++;
  }

  reset(): void {
    this.n = 0;
    this.nullCount = 0;
    this.nulls = EMPTY_BYTES;
    this.values = [];
  }
}

/** How a distinct raw byte string reads once decoded: usable, blank, or containing invalid bytes. */
export const enum StringFlag {
  Ok = 0,
  /** Empty once trimmed: the row goes through the general path (null or "is required"). */
  Blank = 1,
  /** Contains U+FFFD: bytes that are not valid in the file's encoding. */
  Invalid = 2,
}

/** Decodes `bytes[start, end)` to a string in the file's encoding. */
export type FieldDecoder = (bytes: Uint8Array, start: number, end: number) => string;

/**
 * STRING columns: each row holds an id into {@link StringBuffer.dict}, -1 for null.
 *
 * Two ways in: {@link intern} for a value that went through the general path, and
 * {@link internBytes} for raw field bytes (an open-addressing table keyed by the bytes, so a
 * repeated value costs a hash and a compare, not a decode). Both land on one id per distinct
 * trimmed value, so the dictionary never holds a value twice.
 *
 * A key's first 8 bytes are kept as two 32-bit words beside it: machine and member ids are
 * that short, so for them the words are the whole comparison, and the hash is taken over
 * the words rather than byte by byte.
 */
export class StringBuffer implements ColumnBuffer {
  n = 0;
  nullCount = 0;
  nulls: Uint8Array = EMPTY_BYTES;
  ids: Int32Array = new Int32Array(0);
  /** Distinct values, by id. */
  dict: string[] = [];
  /** {@link StringFlag} by id, for ids created from bytes. */
  flags: Uint8Array = new Uint8Array(16);
  private byValue = new Map<string, number>();
  // Byte-keyed table: slot → key index + 1; key index → pool range and id.
  private slots = new Int32Array(0);
  private keyStart = new Int32Array(16);
  private keyEnd = new Int32Array(16);
  private keyId = new Int32Array(16);
  private keyLo = new Int32Array(16);
  private keyHi = new Int32Array(16);
  private keys = 0;
  private pool = new Uint8Array(0);
  private poolLen = 0;

  pushNull(): void {
    this.pushId(-1);
  }

  pushValue(v: Value): void {
    if (v === null) this.pushId(-1);
    else this.pushId(this.intern(v as string));
  }

  /** Appends a row holding dictionary id `id` (-1 for null). */
  pushId(id: number): void {
    if (this.n === this.ids.length) {
      const reused = this.ids.length === 0 ? I32_POOL.take() : undefined;
      const next = reused ?? new Int32Array(Math.max(INITIAL, this.ids.length * 2));
      next.set(this.ids);
      this.ids = next;
    }
    if (id < 0) {
      if (this.nulls.length < this.ids.length) {
        const nulls = new Uint8Array(this.ids.length);
        nulls.set(this.nulls);
        this.nulls = nulls;
      }
      this.nulls[this.n] = 1;
      this.nullCount++;
    }
    this.ids[this.n++] = id;
  }

  /** The id of a (trimmed, valid) value, adding it to the dictionary when new. */
  intern(value: string): number {
    return this.byValue.get(value) ?? this.add(value, StringFlag.Ok);
  }

  /**
   * The id of the value spelled by `bytes[start, end)` (untrimmed, unquoted). A new spelling is
   * decoded once, trimmed and flagged; check `flags[id]` before using the id for a row.
   */
  internBytes(bytes: Uint8Array, start: number, end: number, decode: FieldDecoder): number {
    const h = hashKey(bytes, start, end);
    const lo = WORDS[0];
    const hi = WORDS[1];
    if (this.keys * 2 >= this.slots.length) this.rehash();
    const { slots, pool, keyStart, keyEnd, keyLo, keyHi } = this;
    const mask = slots.length - 1;
    const len = end - start;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const k = slots[s] - 1;
      if (k < 0) {
        const id = this.newKey(bytes, start, end, decode, lo, hi);
        slots[s] = this.keys;
        return id;
      }
      const ks = keyStart[k];
      if (keyLo[k] !== lo || keyHi[k] !== hi || keyEnd[k] - ks !== len) continue;
      let i = 8;
      while (i < len && pool[ks + i] === bytes[start + i]) i++;
      if (i >= len) return this.keyId[k];
    }
  }

  reset(): void {
    this.n = 0;
    this.nullCount = 0;
    this.nulls = EMPTY_BYTES;
    I32_POOL.give(this.ids);
    this.ids = new Int32Array(0);
    this.dict = [];
    this.flags = new Uint8Array(16);
    this.byValue = new Map();
    this.slots = new Int32Array(0);
    this.keys = 0;
    this.keyStart = new Int32Array(16);
    this.keyEnd = new Int32Array(16);
    this.keyId = new Int32Array(16);
    this.keyLo = new Int32Array(16);
    this.keyHi = new Int32Array(16);
    this.pool = new Uint8Array(0);
    this.poolLen = 0;
  }

  private add(value: string, flag: StringFlag): number {
    const id = this.dict.length;
    this.dict.push(value);
    this.byValue.set(value, id);
    if (id >= this.flags.length) this.flags = grow8(this.flags);
    this.flags[id] = flag;
    return id;
  }

  private newKey(bytes: Uint8Array, start: number, end: number, decode: FieldDecoder, lo: number, hi: number): number {
    const raw = decode(bytes, start, end);
    const value = raw.trim();
    const flag = value.length === 0 ? StringFlag.Blank : value.includes('\uFFFD') ? StringFlag.Invalid : StringFlag.Ok;
    const id = this.byValue.get(value) ?? this.add(value, flag);
    const len = end - start;
    if (this.poolLen + len > this.pool.length) {
      const pool = new Uint8Array(Math.max(4096, (this.poolLen + len) * 2));
      pool.set(this.pool.subarray(0, this.poolLen));
      this.pool = pool;
    }
    this.pool.set(bytes.subarray(start, end), this.poolLen);
    const k = this.keys;
    if (k === this.keyStart.length) {
      this.keyStart = grow32(this.keyStart);
      this.keyEnd = grow32(this.keyEnd);
      this.keyId = grow32(this.keyId);
      this.keyLo = grow32(this.keyLo);
      this.keyHi = grow32(this.keyHi);
    }
    this.keyStart[k] = this.poolLen;
    this.keyEnd[k] = this.poolLen + len;
    this.keyId[k] = id;
    this.keyLo[k] = lo;
    this.keyHi[k] = hi;
    this.poolLen += len;
    this.keys++;
    return id;
  }

  private rehash(): void {
    const size = Math.max(1024, this.slots.length * 2);
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let k = 0; k < this.keys; k++) {
      let s = hashKey(this.pool, this.keyStart[k], this.keyEnd[k]) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = k + 1;
    }
    this.slots = slots;
  }
}

/** {@link hashKey}'s second result: the key's first 8 bytes as two little-endian words, zero-padded. */
const WORDS = new Int32Array(2);

/** The hash of `bytes[start, end)`; its first 8 bytes go to {@link WORDS}. */
function hashKey(bytes: Uint8Array, start: number, end: number): number {
  const len = end - start;
  const a = len < 4 ? len : 4;
  const b = len < 8 ? len : 8;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < a; i++) lo |= bytes[start + i] << (i << 3);
  for (let i = 4; i < b; i++) hi |= bytes[start + i] << ((i - 4) << 3);
  WORDS[0] = lo;
  WORDS[1] = hi;
  let h = Math.imul(lo ^ Math.imul(hi ^ len, 0x85ebca6b), 0x9e3779b1);
  for (let i = start + 8; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  // The table takes the low bits: fold the high ones, which the multiplications mixed best, down.
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return h ^ (h >>> 15);
}

function grow8(a: Uint8Array): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(a.length * 2);
  b.set(a);
  return b;
}

function grow32(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
