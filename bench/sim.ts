/**
 * Simulation throughput per model: raw physics steps/s (mj_step), environment control steps/s
 * (decimation + observation + reward), and the same environments batched over 2 worker threads
 * versus one thread. "x real time" is simulated seconds per wall-clock second.
 * Run: npm run bench:sim   (writes bench/results/sim.json)
 */
import { writeFileSync } from 'node:fs';
import { SimData } from '../sim/data.ts';
import { createEnv, type MujocoEnv } from '../sim/envs/index.ts';
import { SimModel } from '../sim/model.ts';
import { models } from '../sim/models/index.ts';
import { VectorEnv } from '../sim/vector.ts';
import { machineInfo, printTable, resultsPath } from './report.ts';

const batches = 15;
/** Wall time per measured batch; long enough to amortise timer noise, short enough to stay bounded. */
const batchSeconds = 0.08;
const vectorEnvs = 4;
const vectorWorkers = 2;

interface Throughput {
  median: number;
  min: number;
  max: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Finds a chunk size that takes about a millisecond, so batches can stop on time. */
function calibrate(work: (n: number) => void): number {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    work(n);
    if (performance.now() - t0 > 1 || n >= 1 << 20) return n;
    n *= 2;
  }
}

function summarise(rates: number[]): Throughput {
  rates.sort((a, b) => a - b);
  return { median: percentile(rates, 0.5), min: rates[0]!, max: rates[rates.length - 1]! };
}

/** Runs `work` in chunks for batchSeconds of wall time and returns units/s. */
function batch(work: (n: number) => void, chunk: number): number {
  const t0 = performance.now();
  let done = 0;
  let elapsed = 0;
  while (elapsed < batchSeconds * 1000) {
    work(chunk);
    done += chunk;
    elapsed = performance.now() - t0;
  }
  return done / (elapsed / 1000);
}

/** Units/s over `batches` batches of about batchSeconds each. */
function measure(work: (n: number) => void): Throughput {
  return measureInterleaved([work])[0]!;
}

/**
 * Measures several workloads in alternating batches, so background load (this machine is shared)
 * hits them alike and their ratio stays meaningful. Batches stop on wall time, which bounds the
 * run even when the machine is busy.
 */
function measureInterleaved(works: ((n: number) => void)[]): Throughput[] {
  const chunks = works.map(calibrate);
  const rates = works.map(() => [] as number[]);
  for (let b = 0; b < batches; b++) {
    for (const [i, work] of works.entries()) rates[i]!.push(batch(work, chunks[i]!));
  }
  return rates.map(summarise);
}

/** Per-call latency of env.step in microseconds (median, p99, max). */
function stepLatency(env: MujocoEnv, calls: number): { p50: number; p99: number; max: number } {
  const obs = new Float64Array(env.observation.signals.length);
  const act = new Float64Array(env.action.signals.length);
  env.reset(obs, 1);
  const samples = new Float64Array(calls);
  for (let k = 0; k < calls; k++) {
    const t0 = process.hrtime.bigint();
    const result = env.step(act, obs);
    samples[k] = Number(process.hrtime.bigint() - t0) / 1000;
    if (result.terminated || result.truncated) env.reset(obs);
  }
  const sorted = Array.from(samples).sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1]! };
}

function envRunner(envs: MujocoEnv[]): (n: number) => void {
  const obs = envs.map((e) => new Float64Array(e.observation.signals.length));
  const act = envs.map((e) => new Float64Array(e.action.signals.length));
  envs.forEach((e, i) => {
    e.reset(obs[i]!, i);
  });
  return (n) => {
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < envs.length; i++) {
        const result = envs[i]!.step(act[i]!, obs[i]!);
        if (result.terminated || result.truncated) envs[i]!.reset(obs[i]!);
      }
    }
  };
}

/** Optional model names on the command line restrict the run (default: every model). */
const selected = process.argv.slice(2);
const started = performance.now();
const progress = (message: string) =>
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${message}\n`);

const results = [];
for (const entry of models.filter((m) => selected.length === 0 || selected.includes(m.name))) {
  progress(`${entry.name}: physics`);
  const sim = await SimModel.load(entry.name);
  const data = new SimData(sim);
  data.reset(sim.keyframe('home'));
  const timestep = sim.timestep;
  const physics = measure((n) => data.step(n));
  data.dispose();
  sim.dispose();

  progress(`${entry.name}: environment`);
  const env = await createEnv(entry.name);
  const control = measure(envRunner([env]));
  const latency = stepLatency(env, 5000);
  env.dispose();

  progress(`${entry.name}: one thread vs ${vectorWorkers} workers`);
  // Same work, one thread vs two workers: vectorEnvs environments stepped together.
  const singles = await Promise.all(
    Array.from({ length: vectorEnvs }, (_, i) => createEnv(entry.name, { seed: i })),
  );
  const vector = await VectorEnv.create(entry.name, { numEnvs: vectorEnvs, workers: vectorWorkers });
  await vector.reset(0);
  const [oneThread, twoWorkers] = measureInterleaved([
    envRunner(singles),
    (n) => {
      for (let k = 0; k < n; k++) vector.stepSync();
    },
  ]) as [Throughput, Throughput];
  await vector.close();
  for (const e of singles) e.dispose();

  const decimation = env.decimation;
  const physicsPerBatch = vectorEnvs * decimation;
  results.push({
    model: entry.name,
    timestepS: timestep,
    controlRateHz: entry.defaultRateHz,
    decimation,
    physicsStepsPerS: physics,
    physicsRealTimeFactor: physics.median * timestep,
    controlStepsPerS: control,
    controlStepLatencyUs: latency,
    vector: {
      envs: vectorEnvs,
      workers: vectorWorkers,
      oneThreadPhysicsStepsPerS: oneThread.median * physicsPerBatch,
      workersPhysicsStepsPerS: twoWorkers.median * physicsPerBatch,
      speedup: twoWorkers.median / oneThread.median,
      workersRealTimeFactor: twoWorkers.median * physicsPerBatch * timestep,
    },
  });
}

printTable(
  'MuJoCo simulation throughput (medians of 15 batches; x RT = simulated s per wall s)',
  [
    'model',
    'dt ms',
    'physics steps/s',
    'x RT',
    'ctrl Hz',
    'env steps/s',
    'step p50 us',
    'step p99 us',
    'step max us',
    `1 thr (${vectorEnvs} envs) steps/s`,
    `${vectorWorkers} workers steps/s`,
    'speedup',
    'x RT (2w)',
  ],
  results.map((r) => [
    r.model,
    r.timestepS * 1000,
    Math.round(r.physicsStepsPerS.median),
    Math.round(r.physicsRealTimeFactor),
    r.controlRateHz,
    Math.round(r.controlStepsPerS.median),
    r.controlStepLatencyUs.p50,
    r.controlStepLatencyUs.p99,
    r.controlStepLatencyUs.max,
    Math.round(r.vector.oneThreadPhysicsStepsPerS),
    Math.round(r.vector.workersPhysicsStepsPerS),
    r.vector.speedup,
    Math.round(r.vector.workersRealTimeFactor),
  ]),
);

const file = resultsPath('sim.json');
writeFileSync(file, `${JSON.stringify({ benchmark: 'sim', ...machineInfo(), results }, null, 2)}\n`);
console.log(`\nwrote ${file}`);
