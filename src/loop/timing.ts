/**
 * Per-tick timing samples kept in preallocated storage so recording never allocates.
 * Percentiles are computed once, at the end (or on demand for a status line), by sorting a copy.
 */
export class TimingSeries {
  private readonly samples: Float64Array;
  private count = 0;
  private maxValue = Number.NEGATIVE_INFINITY;

  constructor(capacity: number) {
    this.samples = new Float64Array(capacity);
  }

  /** Keeps the first `capacity` samples for percentiles; the maximum covers all of them. */
  record(value: number): void {
    if (this.count < this.samples.length) this.samples[this.count] = value;
    this.count++;
    if (value > this.maxValue) this.maxValue = value;
  }

  get size(): number {
    return this.count;
  }

  get max(): number {
    return this.count === 0 ? Number.NaN : this.maxValue;
  }

  summary(): TimingSummary {
    const n = Math.min(this.count, this.samples.length);
    const sorted = this.samples.slice(0, n).sort();
    return {
      count: this.count,
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      p999: quantile(sorted, 0.999),
      max: this.max,
      mean: n === 0 ? Number.NaN : sorted.reduce((a, b) => a + b, 0) / n,
    };
  }
}

export interface TimingSummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank quantile of the first `count` values of an ascending array (NaN when empty). */
export function quantile(sorted: ArrayLike<number>, q: number, count = sorted.length): number {
  if (count === 0) return Number.NaN;
  const rank = Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1));
  return sorted[rank] as number;
}

/**
 * How early the clock thread wakes the loop before a deadline: the loop busy-waits from its wake-up
 * to the deadline, so the lead must cover how late wake-ups come on this machine (timer slack, a
 * halted virtual CPU, a busy core) and no more, or it burns CPU for nothing. It starts at the
 * maximum and follows the 99.5th percentile of the last 512 wake-ups' lateness plus a margin,
 * re-estimated every 64 wake-ups in preallocated storage. The first estimate comes after 64
 * wake-ups, from those alone (their 99.5th percentile is their maximum), so a short run — a 10 s
 * demo at 50 Hz has 500 ticks — does not busy-wait the whole lead on every tick.
 */
export class WakeLead {
  private static readonly window = 512;
  private static readonly every = 64;
  private static readonly quantile = 0.995;
  /** Covers the loop's own work between its wake-up and the busy-wait. */
  private static readonly marginMs = 0.03;
  private readonly lateness = new Float64Array(WakeLead.window);
  private readonly sorted = new Float64Array(WakeLead.window);
  private count = 0;
  /** The current lead, ms. */
  ms: number;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {
    this.ms = maxMs;
  }

  /** Records how late (ms, may be negative) a wake-up came after the time it was asked for. */
  record(latenessMs: number): void {
    this.lateness[this.count % WakeLead.window] = latenessMs;
    this.count++;
    if (this.count % WakeLead.every !== 0) return;
    // Until the window is full, the samples so far: the empty slots sort last as +Infinity, and the
    // quantile is taken among the n real ones (no view, no allocation on the loop's thread).
    const n = Math.min(this.count, WakeLead.window);
    this.sorted.set(this.lateness);
    this.sorted.fill(Number.POSITIVE_INFINITY, n);
    this.sorted.sort();
    const needed = quantile(this.sorted, WakeLead.quantile, n) + WakeLead.marginMs;
    this.ms = Math.min(this.maxMs, Math.max(this.minMs, needed));
  }
}
