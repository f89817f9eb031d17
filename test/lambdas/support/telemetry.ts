/**
 * Deterministic machine-sensor telemetry in the shape of the sample dataset
 * korea-machinery/spindle_telemetry (CP949, Fahrenheit spindle temperature, Wh energy with
 * thousands separators, Korean region names), for tests and the ingestion bench.
 */
import { encodeCp949 } from './cp949';

const MACHINES = 400;

/** Header row of the generated CSV. */
export const TELEMETRY_HEADER = 'machine_id,member_company_id,measured_at,spindle_temp,vibration_rms,spindle_rpm,power_kwh,factory_region';

const REGIONS = ['서울 강남구', '경기 안산시', '경남 창원시', '인천 남동구', '대구 달서구', '부산 강서구', '충북 청주시'];

/** A small deterministic PRNG (mulberry32) so every run generates the same bytes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Yields CP949-encoded CSV chunks (header first) of roughly `chunkRows` rows each: 400
 * machines reading once a second from 2026-11-27 00:00 Seoul time, until `targetBytes`.
 */
export function* telemetryCsv(targetBytes: number, seed = 42, chunkRows = 20_000): Generator<Buffer> {
  const rnd = prng(seed);
  const regions = REGIONS.map((r) => encodeCp949(r + '\r\n'));
  let bytes = 0;
  const head = encodeCp949(TELEMETRY_HEADER + '\r\n');
  bytes += head.length;
  yield head;
  let i = 0;
  const start = Date.UTC(2026, 10, 27, 0, 0, 0);
  while (bytes < targetBytes) {
    const parts: Buffer[] = [];
    for (let k = 0; k < chunkRows; k++, i++) {
      const t = new Date(start + Math.floor(i / MACHINES) * 1000);
      const ts = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
      const tempF = (150 + rnd() * 150).toFixed(1);
      const vib = (rnd() * 20).toFixed(3);
      const rpm = Math.floor(rnd() * 24000);
      const wh = Math.floor(rnd() * 5_000_000);
      const whText = wh >= 1000 ? `"${wh.toLocaleString('en-US')}"` : String(wh);
      parts.push(Buffer.from(`CNC-${(i % MACHINES).toString().padStart(4, '0')},M${(i % 97).toString().padStart(5, '0')},${ts},${tempF},${vib},${rpm},${whText},`, 'latin1'));
      parts.push(regions[i % regions.length]);
    }
    const buf = Buffer.concat(parts);
    bytes += buf.length;
    yield buf;
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
