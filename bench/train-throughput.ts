/**
 * Milliseconds per SAC update (batch 256, 256-256 nets, 17-D observation, 6-D action) and per H2O
 * update (128 real + 128 sim, 256-256 discriminators, 10 u samples) on every training engine, plus
 * the river benchmark's small nets. Floors from docs/learning.md: ≈ 23 ms (WASM SIMD), ≈ 6.5 ms
 * (native) per SAC update; the stock tfjs-wasm path (transposed matmuls) took ≈ 205 ms.
 *
 *   npm run bench:train-throughput [-- --updates 12]
 */
import { writeFileSync } from 'node:fs';
import { Rng } from '../src/core/rng.ts';
import { cpuEngine } from '../src/learning/cpu-engine.ts';
import { type DenseKernels, DenseMlp } from '../src/learning/dense-mlp.ts';
import type { Engine } from '../src/learning/engine.ts';
import { H2oAgent, h2oDefaults } from '../src/learning/h2o.ts';
import {
  createNativeEngine,
  NativeEngineUnavailable,
  nativeDenseKernels,
} from '../src/learning/native-engine.ts';
import { createBatch, ReplayBuffer } from '../src/learning/replay.ts';
import { SacAgent, sacDefaults, sacUpdate } from '../src/learning/sac.ts';
import { createTfjsEngine } from '../src/learning/tfjs-engine.ts';
import { machineInfo } from './report.ts';

const flagIndex = process.argv.indexOf('--updates');
const measured = flagIndex >= 0 ? Number(process.argv[flagIndex + 1]) : 12;
const warmup = 3;
const O = 17;
const A = 6;

function randomBuffer(size: number, rng: Rng): ReplayBuffer {
  const buffer = new ReplayBuffer(size, O, A);
  const obs = new Float64Array(O);
  const act = new Float64Array(A);
  const next = new Float64Array(O);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < O; k++) {
      obs[k] = rng.normal();
      next[k] = obs[k]! + 0.1 * rng.normal();
    }
    for (let k = 0; k < A; k++) act[k] = rng.range(-1, 1);
    buffer.add(obs, act, rng.normal(), next, false);
  }
  return buffer;
}

function stats(samples: number[]): { median: number; p99: number; max: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return {
    median: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1]!,
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}

function time(update: () => void): ReturnType<typeof stats> {
  for (let i = 0; i < warmup; i++) update();
  products.ms = 0;
  products.flop = 0;
  const samples: number[] = [];
  for (let i = 0; i < measured; i++) {
    const t0 = performance.now();
    update();
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

function sacCase(engine: Engine, hidden: number[]): ReturnType<typeof stats> {
  const rng = new Rng(1);
  const buffer = randomBuffer(5000, rng);
  const agent = new SacAgent(engine, O, A, { ...sacDefaults, hidden }, rng, 256);
  const batch = createBatch(256, O, A);
  return time(() => {
    batch.rows = 256;
    buffer.sampleInto(batch, 0, 256, rng);
    sacUpdate(agent, batch, 1, rng);
  });
}

function h2oCase(engine: Engine, hidden: number[]): ReturnType<typeof stats> {
  const rng = new Rng(2);
  const real = randomBuffer(5000, rng);
  const sim = randomBuffer(5000, rng);
  const agent = new H2oAgent(
    engine,
    O,
    A,
    { ...h2oDefaults, hidden, discriminatorHidden: hidden },
    real,
    sim,
    rng,
  );
  return time(() => agent.update(rng));
}

/** Time and floating-point work inside the dense products, to set beside each update's total. */
const products = { ms: 0, flop: 0 };
function timed(kernels: DenseKernels): DenseKernels {
  const clock =
    <T extends unknown[]>(flop: (...args: T) => number, run: (...args: T) => void) =>
    (...args: T) => {
      const t0 = performance.now();
      run(...args);
      products.ms += performance.now() - t0;
      products.flop += flop(...args);
    };
  return {
    forward: clock((_x, rows, inSize, _w, _b, outSize) => 2 * rows * inSize * outSize, kernels.forward),
    backwardInput: clock(
      (_d, rows, outSize, _w, inSize) => 2 * rows * inSize * outSize,
      kernels.backwardInput,
    ),
    backwardWeights: clock(
      (_d, rows, outSize, _x, inSize) => 2 * rows * inSize * outSize,
      kernels.backwardWeights,
    ),
  };
}

const engines: Engine[] = [];
try {
  const kernels = timed(nativeDenseKernels({ log: (m) => console.log(m) }));
  engines.push({
    name: createNativeEngine().name,
    createMlp: (spec, rng) => new DenseMlp(spec, rng, kernels),
  });
} catch (error) {
  if (!(error instanceof NativeEngineUnavailable)) throw error;
  console.log(`${error.message}: no native rows`);
}
engines.push(
  cpuEngine,
  await createTfjsEngine({ transposes: 'explicit' }),
  await createTfjsEngine({ transposes: 'flags' }),
);
const native = await createTfjsEngine({ native: true, transposes: 'explicit', log: (m) => console.log(m) });
if (!native.name.includes('wasm')) engines.push(native);

const rows: Record<string, string | number>[] = [];
const results: Record<string, unknown>[] = [];
for (const engine of engines) {
  for (const [label, hidden] of [
    ['256-256', [256, 256]],
    ['64-64', [64, 64]],
    ['32-32 (river)', [32, 32]],
  ] as const) {
    for (const [algorithm, run] of [
      ['SAC', sacCase],
      ['H2O', h2oCase],
    ] as const) {
      const s = run(engine, [...hidden]);
      // Only the native engine's products are timed (see timed()); the others leave these at 0.
      const inProducts =
        products.flop > 0
          ? { productsMs: products.ms / measured, gflopPerUpdate: products.flop / measured / 1e9 }
          : {};
      results.push({ engine: engine.name, nets: label, algorithm, ...s, ...inProducts, updates: measured });
      rows.push({
        engine: engine.name,
        nets: label,
        algorithm,
        'median ms': s.median.toFixed(1),
        'p99 ms': s.p99.toFixed(1),
        'max ms': s.max.toFixed(1),
        'in products ms': inProducts.productsMs?.toFixed(1) ?? '',
        GFLOP: inProducts.gflopPerUpdate?.toFixed(3) ?? '',
      });
      console.log(`${engine.name} ${label} ${algorithm}: median ${s.median.toFixed(1)} ms`);
    }
  }
}
console.table(rows);
const json = {
  benchmark: 'train-throughput',
  ...machineInfo(),
  command: 'npm run bench:train-throughput',
  settings: {
    observation: O,
    action: A,
    sacBatch: 256,
    h2oBatch: '128 real + 128 sim, discriminators 256+256 rows, 10 u samples',
    warmup,
    measured,
  },
  floors: { sacWasmSimdMs: 23, sacNativeMs: 6.5, sacStockTfjsWasmMs: 205, sacCustomDenseTfjsWasmMs: 65 },
  results,
};
writeFileSync('bench/results/train-throughput.json', `${JSON.stringify(json, null, 1)}\n`);
console.log('wrote bench/results/train-throughput.json');
