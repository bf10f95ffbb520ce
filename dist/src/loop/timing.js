// Compiled from src/loop/timing.ts by `npm run build`: edit the source, not this file.

// src/loop/timing.ts
var TimingSeries = class {
  samples;
  count = 0;
  maxValue = Number.NEGATIVE_INFINITY;
  constructor(capacity) {
    this.samples = new Float64Array(capacity);
  }
  /** Keeps the first `capacity` samples for percentiles; the maximum covers all of them. */
  record(value) {
    if (this.count < this.samples.length) this.samples[this.count] = value;
    this.count++;
    if (value > this.maxValue) this.maxValue = value;
  }
  get size() {
    return this.count;
  }
  get max() {
    return this.count === 0 ? Number.NaN : this.maxValue;
  }
  summary() {
    const n = Math.min(this.count, this.samples.length);
    const sorted = this.samples.slice(0, n).sort();
    return {
      count: this.count,
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      p999: quantile(sorted, 0.999),
      max: this.max,
      mean: n === 0 ? Number.NaN : sorted.reduce((a, b) => a + b, 0) / n
    };
  }
};
function quantile(sorted, q, count = sorted.length) {
  if (count === 0) return Number.NaN;
  const rank = Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1));
  return sorted[rank];
}
var WakeLead = class _WakeLead {
  constructor(minMs, maxMs) {
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.ms = maxMs;
  }
  minMs;
  maxMs;
  static window = 512;
  static every = 64;
  static quantile = 0.995;
  /** Covers the loop's own work between its wake-up and the busy-wait. */
  static marginMs = 0.03;
  lateness = new Float64Array(_WakeLead.window);
  sorted = new Float64Array(_WakeLead.window);
  count = 0;
  /** The current lead, ms. */
  ms;
  /** Records how late (ms, may be negative) a wake-up came after the time it was asked for. */
  record(latenessMs) {
    this.lateness[this.count % _WakeLead.window] = latenessMs;
    this.count++;
    if (this.count % _WakeLead.every !== 0) return;
    const n = Math.min(this.count, _WakeLead.window);
    this.sorted.set(this.lateness);
    this.sorted.fill(Number.POSITIVE_INFINITY, n);
    this.sorted.sort();
    const needed = quantile(this.sorted, _WakeLead.quantile, n) + _WakeLead.marginMs;
    this.ms = Math.min(this.maxMs, Math.max(this.minMs, needed));
  }
};
export {
  TimingSeries,
  WakeLead,
  quantile
};
