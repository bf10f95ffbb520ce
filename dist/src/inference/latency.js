// Compiled from src/inference/latency.ts by `npm run build`: edit the source, not this file.

// src/inference/latency.ts
import { Rng } from "../core/rng.js";
function summarise(nanos, batch) {
  const sorted = Float64Array.from(nanos).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e3;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length / 1e3;
  return {
    calls: sorted.length,
    batch,
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    max: at(1),
    best: at(0),
    mean
  };
}
async function timeCalls(step, calls, warmup, batch = 1) {
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
function measurePolicy(policy, calls, batch = 1, warmup = 200) {
  const rng = new Rng(batch);
  const input = Float32Array.from({ length: batch * policy.inputSize }, () => rng.range(-1, 1));
  const output = new Float32Array(batch * policy.outputSize);
  return timeCalls(() => policy.act(input, output, batch), calls, warmup, batch);
}
function micros(us) {
  return us < 10 ? us.toFixed(2) : us < 1e3 ? us.toFixed(1) : us.toFixed(0);
}
export {
  measurePolicy,
  micros,
  summarise,
  timeCalls
};
