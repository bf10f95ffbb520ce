/**
 * Milliseconds per SAC update (batch 256, 256-256 nets, 17-D observation, 6-D action) and per H2O
 * update (128 real + 128 sim, discriminators as wide as the nets, 10 u samples) on every training
 * engine, at 256-256, 64-64 and the river's 32-32. The native rows also give the time and work
 * inside the dense products and the floor those products set on this machine (their work at the
 * kernel's best one-thread rate, measured in the same run).
 *
 *   npm run bench:train-throughput [-- --updates 12] [--native-only] [--hogs 2]
 */
import { writeFileSync } from 'node:fs';
import { Rng } from '../src/core/rng.ts';
import { cpuEngine } from '../src/learning/cpu-engine.ts';
import { Activation, type DenseKernels, DenseMlp } from '../src/learning/dense-mlp.ts';
import type { Engine } from '../src/learning/engine.ts';
import { H2oAgent, h2oDefaults } from '../src/learning/h2o.ts';
import { createNativeEngine, NativeEngineUnavailable } from '../src/learning/native-engine.ts';
import { createBatch, ReplayBuffer } from '../src/learning/replay.ts';
import { SacAgent, sacDefaults, sacUpdate } from '../src/learning/sac.ts';
import { createTfjsEngine } from '../src/learning/tfjs-engine.ts';
import { startHogs } from './hogs.ts';
import { machineInfo } from './report.ts';

const flagIndex = process.argv.indexOf('--updates');
const measured = flagIndex >= 0 ? Number(process.argv[flagIndex + 1]) : 12;
/** Only the native engine's rows (a quick measurement beside other work). */
const onlyNative = process.argv.includes('--native-only');
/** CPU hogs beside the measurement (a training run beside a compile, or beside the robot's loop). */
const hogIndex = process.argv.indexOf('--hogs');
const hogCount = hogIndex >= 0 ? Number(process.argv[hogIndex + 1]) : 0;
const loadTag = hogCount > 0 ? `-${hogCount}-hogs` : '';
const hogs = startHogs(hogCount);
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
/** The one-thread native kernels, for the floor below; null without a C compiler. */
let oneThread: DenseKernels | null = null;
try {
  for (const threads of [1, 2]) {
    const native = createNativeEngine({ threads, log: (m) => console.log(m) });
    // Without OpenMP a second thread is not granted: no second row of the same engine.
    if (native.threads !== threads) continue;
    oneThread ??= native.kernels;
    const kernels = timed(native.kernels);
    engines.push({ name: native.name, createMlp: (spec, rng) => new DenseMlp(spec, rng, kernels) });
  }
} catch (error) {
  if (!(error instanceof NativeEngineUnavailable)) throw error;
  console.log(`${error.message}: no native rows`);
}
if (!onlyNative) {
  for (const engine of [
    cpuEngine,
    await createTfjsEngine({ transposes: 'explicit' }),
    await createTfjsEngine({ transposes: 'flags' }),
  ])
    engines.push(engine);
  const tfjsNode = await createTfjsEngine({
    native: true,
    transposes: 'explicit',
    log: (m) => console.log(m),
  });
  if (!tfjsNode.name.includes('wasm')) engines.push(tfjsNode);
}

/**
 * The machine's floor for these products, measured in this run: the native kernel's best rate on
 * one 256×256 layer at batch 256 (packing included), on one thread. An update's floor is its
 * products' floating-point work at that rate.
 */
function productPeakGflops(kernels: DenseKernels): number {
  const n = 256;
  const x = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i));
  const w = Float64Array.from({ length: n * n }, (_, i) => Math.cos(i) / n);
  const b = new Float64Array(n);
  const y = new Float64Array(n * n);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    kernels.forward(x, n, n, w, b, n, y, Activation.relu, 0);
    best = Math.min(best, performance.now() - t0);
  }
  return (2 * n * n * n) / best / 1e6;
}
const peakGflops = oneThread === null ? null : productPeakGflops(oneThread);
if (peakGflops !== null) console.log(`native product peak (one thread): ${peakGflops.toFixed(1)} GFLOP/s`);

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
      const gflopPerUpdate = products.flop / measured / 1e9;
      const inProducts: { productsMs?: number; gflopPerUpdate?: number; floorMs?: number } =
        products.flop > 0
          ? {
              productsMs: products.ms / measured,
              gflopPerUpdate,
              ...(peakGflops === null ? {} : { floorMs: (gflopPerUpdate / peakGflops) * 1000 }),
            }
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
        'floor ms': inProducts.floorMs?.toFixed(1) ?? '',
      });
      console.log(`${engine.name} ${label} ${algorithm}: median ${s.median.toFixed(1)} ms`);
    }
  }
}
console.table(rows);
const json = {
  benchmark: 'train-throughput',
  ...machineInfo(),
  command: `npm run bench:train-throughput -- ${process.argv.slice(2).join(' ')}`.trim(),
  hogs: hogCount,
  settings: {
    observation: O,
    action: A,
    sacBatch: 256,
    h2oBatch: '128 real + 128 sim, discriminators 256+256 rows, 10 u samples',
    warmup,
    measured,
  },
  // Measured here: the one-thread product rate each native row's floor is computed from.
  nativeProductPeakGflops: peakGflops,
  // From docs/learning.md, measured on an earlier 2-core Xeon VM (not this run).
  earlierFloors: {
    sacWasmSimdMs: 23,
    sacNativeMs: 6.5,
    sacStockTfjsWasmMs: 205,
    sacCustomDenseTfjsWasmMs: 65,
  },
  results,
};
await hogs.stop();
const out = `bench/results/train-throughput${onlyNative ? '-native' : ''}${loadTag}.json`;
writeFileSync(out, `${JSON.stringify(json, null, 1)}\n`);
console.log(`wrote ${out}`);
