/**
 * Policy inference benchmark. For an MLP 17→256→256→6 and a locomotion-size MLP 480→512→256→128→29
 * (ELU), in one run:
 *   - batch-1 latency p50/p99/p99.9/max per backend, including input copy and output read-back;
 *   - throughput at batch 256;
 *   - the full policy step of the controller (observation assembly with history + normalisation +
 *     inference + finite check + action scaling and joint mapping), as the control loop calls it;
 *   - GFLOP/s of each against the machine's measured matmul peak (ONNX Runtime, 1 thread, 512³).
 *
 *   npm run bench:inference [-- --calls 20000]
 */
import { writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { PolicyController } from '../controllers/policies/policy-controller.ts';
import { EventBuffer } from '../src/core/events.ts';
import { Rng } from '../src/core/rng.ts';
import { type ActionSpec, signal, type VectorSpec } from '../src/core/spec.ts';
import { createKernelPolicy } from '../src/inference/backends/kernel.ts';
import { compileChain } from '../src/inference/chain.ts';
import { parseContract } from '../src/inference/contract.ts';
import { type LatencySummary, measurePolicy, timeCalls } from '../src/inference/latency.ts';
import { loadPolicy } from '../src/inference/load.ts';
import { type MlpPolicy, mlpMacs, randomMlp } from '../src/inference/mlp.ts';
import { mlpToOnnx } from '../src/inference/onnx/build.ts';
import { decodeModel, encodeModel, OnnxDataType } from '../src/inference/onnx/model.ts';
import type { BackendName, Policy } from '../src/inference/policy.ts';
import { machineInfo, printTable, resultsPath } from './report.ts';

const argCalls = Number(process.argv[process.argv.indexOf('--calls') + 1]);
const calls = Number.isInteger(argCalls) && argCalls > 0 ? argCalls : 20_000;
const throughputBatch = 256;

interface ModelCase {
  readonly name: string;
  readonly sizes: readonly number[];
  readonly mlp: MlpPolicy;
  readonly bytes: Uint8Array;
  readonly macs: number;
  /** Observation layout for the full-step measurement: `signals` robot signals × `history`. */
  readonly signals: number;
  readonly history: number;
  readonly targets: Readonly<Record<string, { p50?: number; p99?: number; p999?: number }>>;
}

function modelCase(
  name: string,
  sizes: number[],
  signals: number,
  history: number,
  targets: ModelCase['targets'],
): ModelCase {
  const mlp = randomMlp(sizes, 'elu', 42);
  return { name, sizes, mlp, bytes: mlpToOnnx(mlp), macs: mlpMacs(mlp), signals, history, targets };
}

const cases: ModelCase[] = [
  modelCase('mlp-17-256-256-6', [17, 256, 256, 6], 17, 1, {
    'ort-cpu': { p50: 20, p99: 60 },
    'kernel-wasm-simd': { p50: 10 },
  }),
  // 96 signals × 5 frames of history = 480 inputs, like a humanoid policy's observation stack.
  modelCase('mlp-480-512-256-128-29', [480, 512, 256, 128, 29], 96, 5, {
    'ort-cpu': { p50: 45, p999: 400 },
  }),
];

/** GFLOP/s of one thread of ONNX Runtime on a 512×512×512 MatMul: the reference peak. */
async function matmulPeak(): Promise<{ gflops: number; n: number; medianMs: number; bestMs: number }> {
  const n = 512;
  const rng = new Rng(1);
  const bytes = encodeModel({
    irVersion: 8,
    opsets: [{ domain: '', version: 17 }],
    producerName: 'bench',
    producerVersion: '0',
    docString: '',
    metadata: {},
    graph: {
      name: 'matmul',
      nodes: [{ opType: 'MatMul', inputs: ['a', 'b'], outputs: ['c'] }],
      initializers: [
        {
          name: 'b',
          dims: [n, n],
          dataType: OnnxDataType.float,
          data: Float32Array.from({ length: n * n }, () => rng.uniform()),
        },
      ],
      inputs: [{ name: 'a', elemType: OnnxDataType.float, shape: [n, n] }],
      outputs: [{ name: 'c', elemType: OnnxDataType.float, shape: [n, n] }],
    },
  });
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const feeds = {
    a: new ort.Tensor(
      'float32',
      Float32Array.from({ length: n * n }, () => rng.uniform()),
      [n, n],
    ),
  };
  const s = await timeCalls(
    async () => {
      await session.run(feeds);
    },
    50,
    5,
  );
  await session.release();
  // The fastest call is the peak: slower ones measure the other processes sharing the machine.
  const bestUs = s.best;
  return { gflops: (2 * n ** 3) / (bestUs * 1e3), n, medianMs: s.p50 / 1000, bestMs: bestUs / 1000 };
}

interface LatencyRow {
  model: string;
  backend: string;
  batch: number;
  /** Fastest call: the cost without interference from other processes. */
  bestUs: number;
  p50us: number;
  p99us: number;
  p999us: number;
  maxUs: number;
  rowsPerSecond: number;
  gflops: number;
  peakFraction: number;
  target: string;
}

function row(c: ModelCase, backend: string, s: LatencySummary, peak: number, what = backend): LatencyRow {
  const gflops = (2 * c.macs * s.batch) / (s.p50 * 1e3);
  const t = s.batch === 1 ? c.targets[what] : undefined;
  const checks: string[] = [];
  if (t?.p50 !== undefined) checks.push(`p50≤${t.p50} ${s.p50 <= t.p50 ? 'met' : 'MISSED'}`);
  if (t?.p99 !== undefined) checks.push(`p99≤${t.p99} ${s.p99 <= t.p99 ? 'met' : 'MISSED'}`);
  if (t?.p999 !== undefined) checks.push(`p99.9≤${t.p999} ${s.p999 <= t.p999 ? 'met' : 'MISSED'}`);
  return {
    model: c.name,
    backend,
    batch: s.batch,
    bestUs: s.best,
    p50us: s.p50,
    p99us: s.p99,
    p999us: s.p999,
    maxUs: s.max,
    rowsPerSecond: (s.batch * 1e6) / s.p50,
    gflops,
    peakFraction: gflops / peak,
    target: checks.join(', ') || '–',
  };
}

/** A robot spec and contract that make the controller assemble `signals × history` inputs. */
function fullStepSetup(c: ModelCase) {
  const inSize = c.sizes[0]!;
  const outSize = c.sizes[c.sizes.length - 1]!;
  const observation: VectorSpec = {
    signals: Array.from({ length: c.signals }, (_, i) => signal(`s${i}`, '1')),
  };
  const action: ActionSpec = {
    signals: Array.from({ length: outSize }, (_, i) => signal(`a${i}`, 'rad', -3, 3)),
    mode: 'position',
    safe: new Array(outSize).fill(0),
  };
  const rng = new Rng(7);
  const contract = parseContract({
    format: 'tether-policy/1',
    policy_rate_hz: 50,
    observations: [
      {
        name: 'state',
        signals: observation.signals.map((s) => s.name),
        scale: Array.from({ length: c.signals }, () => rng.range(0.5, 1.5)),
        clip: [-100, 100],
        history: c.history,
      },
    ],
    normalizer: {
      kind: 'mean_std',
      mean: Array.from({ length: inSize }, () => rng.range(-0.5, 0.5)),
      std: Array.from({ length: inSize }, () => rng.range(0.5, 1.5)),
    },
    actions: {
      signals: action.signals.map((s) => s.name).reverse(),
      mode: 'position',
      scale: 0.25,
      offset: Array.from({ length: outSize }, () => rng.range(-0.5, 0.5)),
      clip: [-10, 10],
    },
  });
  return { observation, action, contract };
}

async function fullStep(
  c: ModelCase,
  backend: BackendName,
): Promise<{ summary: LatencySummary; name: string }> {
  const { observation, action, contract } = fullStepSetup(c);
  const controller = new PolicyController(
    { model: c.bytes, contract, baseDir: '.' },
    { backend, device: 'cpu', fallback: 'hold', budget_fraction: 1 },
  );
  await controller.configure({ observation, action, dt: 0.02, events: new EventBuffer() });
  const obs = Float64Array.from({ length: c.signals }, (_, i) => Math.sin(i));
  const out = new Float64Array(c.sizes[c.sizes.length - 1]!);
  controller.reset(obs);
  let t = 0;
  const summary = await timeCalls(() => controller.update(obs, (t += 0.02), out), calls, 500);
  const name = controller.backend ?? backend;
  if (controller.stats.fallbacks > 0) throw new Error(`${name}: ${controller.stats.lastFallback}`);
  await controller.dispose();
  return { summary, name };
}

async function main(): Promise<void> {
  const info = machineInfo();
  console.log(
    `inference benchmark on ${info.machine.cpu} (${info.machine.cores} cores), Node ${info.machine.node}`,
  );
  const peak = await matmulPeak();
  console.log(`matmul peak (ORT, 1 thread, ${peak.n}³): ${peak.gflops.toFixed(1)} GFLOP/s`);
  const latency: LatencyRow[] = [];
  const full: LatencyRow[] = [];
  for (const c of cases) {
    const policies: Policy[] = [
      await loadPolicy(c.bytes, { backend: 'ort', maxBatch: throughputBatch }),
      await loadPolicy(c.bytes, { backend: 'tfjs', maxBatch: throughputBatch }),
      await loadPolicy(c.bytes, { backend: 'kernel' }),
      createKernelPolicy(compileChain(decodeModel(c.bytes)), { mode: 'scalar' }),
    ];
    for (const p of policies) {
      // The scalar kernel is the float64 oracle, not a fast path: fewer calls keep the run short.
      const n = p.backend === 'kernel-scalar' ? Math.min(calls, 2000) : calls;
      latency.push(row(c, p.backend, await measurePolicy(p, n, 1), peak.gflops));
      latency.push(
        row(
          c,
          p.backend,
          await measurePolicy(p, Math.max(20, Math.round(n / 100)), throughputBatch, 5),
          peak.gflops,
        ),
      );
      await p.dispose();
    }
    for (const backend of ['ort', 'tfjs', 'kernel'] as const) {
      const { summary, name } = await fullStep(c, backend);
      full.push(row(c, name, summary, peak.gflops));
    }
  }
  const header = [
    'model',
    'backend',
    'batch',
    'best µs',
    'p50 µs',
    'p99 µs',
    'p99.9 µs',
    'max µs',
    'rows/s',
    'GFLOP/s',
    '% peak',
    'target',
  ];
  const cells = (r: LatencyRow) => [
    r.model,
    r.backend,
    r.batch,
    r.bestUs,
    r.p50us,
    r.p99us,
    r.p999us,
    r.maxUs,
    Math.round(r.rowsPerSecond),
    r.gflops,
    100 * r.peakFraction,
    r.target,
  ];
  printTable(
    'inference: batch 1 latency and batch 256 throughput (per call, copy-in and read-back included)',
    header,
    latency.map(cells),
  );
  printTable(
    'full policy step (assembly + normalise + infer + check + scale/map), batch 1',
    header,
    full.map(cells),
  );
  const out = {
    ...info,
    calls,
    throughputBatch,
    matmulPeak: peak,
    models: cases.map((c) => ({
      name: c.name,
      sizes: c.sizes,
      activation: 'elu',
      macs: c.macs,
      targets: c.targets,
    })),
    inference: latency,
    fullStep: full,
  };
  writeFileSync(resultsPath('inference.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote ${resultsPath('inference.json')}`);
}

await main();
