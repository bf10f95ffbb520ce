/**
 * Latency measurement shared by `tether policy bench` and bench/inference.ts: every call timed with
 * `process.hrtime.bigint()`, including the input copy and the output read-back the backend does.
 */
import { Rng } from '../core/rng.ts';
import type { Policy } from './policy.ts';

export interface LatencySummary {
  readonly calls: number;
  readonly batch: number;
  /** Microseconds per call. */
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly best: number;
  readonly mean: number;
}

export function summarise(nanos: Float64Array, batch: number): LatencySummary {
  const sorted = Float64Array.from(nanos).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! / 1000;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length / 1000;
  return {
    calls: sorted.length,
    batch,
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    max: at(1),
    best: at(0),
    mean,
  };
}

/** Times `calls` calls of `step` after `warmup` untimed ones; `step` may be sync or async. */
export async function timeCalls(
  step: () => void | Promise<void>,
  calls: number,
  warmup: number,
  batch = 1,
): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await step();
  const nanos = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const start = process.hrtime.bigint();
    const pending = step();
    if (pending) await pending;
    nanos[i] = Number(process.hrtime.bigint() - start);
  }
  return summarise(nanos, batch);
}

/** Latency of `policy.act` on random inputs in [−1, 1]. */
export function measurePolicy(
  policy: Policy,
  calls: number,
  batch = 1,
  warmup = 200,
): Promise<LatencySummary> {
  const rng = new Rng(batch);
  const input = Float32Array.from({ length: batch * policy.inputSize }, () => rng.range(-1, 1));
  const output = new Float32Array(batch * policy.outputSize);
  return timeCalls(() => policy.act(input, output, batch), calls, warmup, batch);
}

/** Formats microseconds with a sensible number of digits. */
export function micros(us: number): string {
  return us < 10 ? us.toFixed(2) : us < 1000 ? us.toFixed(1) : us.toFixed(0);
}
