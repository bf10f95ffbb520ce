/**
 * MuJoCo dynamics-gap benchmark: cartpole balance, simulator with gravity × 2, "real" = stock model,
 * real log from a noisy LQR (bench/data/make-cartpole-gap-log.ts). The river crossing's methods and
 * table, plus IQL as a second offline method.
 *
 *   npm run bench:h2o-mujoco [-- --seeds 0,1 --updates 3000 --workers 2]
 *
 * Scores are normalised between a uniformly random policy (0) and the noise-free LQR (100) on the
 * real model. Writes bench/results/h2o-mujoco.json and an SVG of the learning curves.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { environmentPlugins } from '../app/plugins.ts';
import { type Job, runJobs } from '../app/train/parallel.ts';
import { learningCurvesSvg } from '../app/train/plots.ts';
import { LqrController } from '../controllers/classical/lqr.ts';
import { createEnv } from '../sim/envs/index.ts';
import { Rng } from '../src/core/rng.ts';
import { loadTrainConfig, type TrainConfig } from '../src/learning/train-config.ts';
import { machineInfo } from './report.ts';

const methods = ['h2o', 'sac', 'naive-mix', 'td3bc', 'iql'] as const;
const labels: Record<string, string> = {
  sac: 'SAC (sim only)',
  td3bc: 'TD3+BC (real log)',
  iql: 'IQL (real log)',
  'naive-mix': 'naive mix',
  h2o: 'H2O',
  'h2o-no-weight': 'H2O without the importance weight',
  'h2o-no-penalty': 'H2O without the value penalty',
  'h2o-no-u': 'H2O without the u weighting',
};
const colors: Record<string, string> = {
  sac: '#1f77b4',
  td3bc: '#ff7f0e',
  iql: '#9467bd',
  'naive-mix': '#2ca02c',
  h2o: '#d62728',
  'h2o-no-weight': '#e377c2',
  'h2o-no-penalty': '#8c564b',
  'h2o-no-u': '#7f7f7f',
};
/** H2O's three ablation switches (the paper's ablations), each off alone in the shipped H2O config. */
const ablations = {
  'h2o-no-weight': { importanceWeight: false },
  'h2o-no-penalty': { penalty: false },
  'h2o-no-u': { uWeighting: false },
} as const;
const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const seeds = flag('seeds')?.split(',').map(Number);
const updates = flag('updates') ? Number(flag('updates')) : undefined;
const workers = Number(flag('workers') ?? 2);

/** Mean return on the stock cartpole of a policy writing the force in newtons. */
async function realReturn(
  policy: (obs: Float64Array, force: Float64Array, rng: Rng) => void,
  episodes: number,
) {
  const env = await createEnv('cartpole', { task: 'balance', seed: 5 });
  const obs = new Float64Array(4);
  const force = new Float64Array(1);
  const rng = new Rng(5);
  let total = 0;
  for (let e = 0; e < episodes; e++) {
    env.reset(obs, 777 + e);
    for (let t = 0; t < env.horizon; t++) {
      policy(obs, force, rng);
      const step = env.step(force, obs);
      total += step.reward;
      if (step.terminated) break;
    }
  }
  env.dispose();
  return total / episodes;
}

const lqr = new LqrController({ model: 'cartpole' });
{
  const env = await createEnv('cartpole', { task: 'balance' });
  await lqr.configure({
    observation: env.observation,
    action: env.action,
    dt: env.dt,
    events: { emit: () => {} },
  });
  env.dispose();
}
const refs = {
  lqr: await realReturn((obs, force) => lqr.update(obs, 0, force), 10),
  random: await realReturn((_obs, force, rng) => {
    force[0] = rng.range(-20, 20);
  }, 10),
};
const normalise = (j: number) => (100 * (j - refs.random)) / (refs.lqr - refs.random);

const base = (m: (typeof methods)[number]): TrainConfig => {
  const c = loadTrainConfig(`configs/train/cartpole-gap-${m}.yaml`, environmentPlugins);
  return {
    ...c,
    ...(seeds ? { seeds } : {}),
    ...(updates ? { budget: { ...c.budget, updates } } : {}),
    output: path.resolve('runs', 'bench', `cartpole-gap-${m}`),
    checkpointEvery: undefined,
  };
};
/** Every method and ablation with its config, run through the same training path. */
const variants: { key: string; config: TrainConfig }[] = methods.map((m) => ({ key: m, config: base(m) }));
for (const [key, off] of Object.entries(ablations)) {
  const h2o = base('h2o');
  if (h2o.algorithm !== 'h2o') throw new Error('cartpole-gap-h2o.yaml is not an H2O config');
  variants.push({
    key,
    config: {
      ...h2o,
      hyperparameters: { ...h2o.hyperparameters, ...off },
      output: path.resolve('runs', 'bench', `cartpole-gap-${key}`),
    },
  });
}
const configs = variants.map((v) => v.config);
const jobs: Job[] = configs.flatMap((config) => config.seeds.map((seed) => ({ config, seed })));
const wall = performance.now();
console.log(`${jobs.length} training runs on ${workers} worker(s); references ${JSON.stringify(refs)}`);
const results = await runJobs(jobs, workers, undefined, (done) =>
  console.log(
    `  done ${variants.find((v) => v.config === done.job.config)!.key} seed ${done.job.seed}: ${done.result.finalReturn.toFixed(1)}`,
  ),
);
const wallSeconds = (performance.now() - wall) / 1000;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / xs.length);
const summary: Record<string, unknown> = {};
const table: Record<string, string>[] = [];
for (const { key: m, config } of variants) {
  const runs = results.filter((r) => r.job.config === config);
  const scores = runs.map((r) => normalise(r.result.finalReturn));
  summary[m] = {
    returns: runs.map((r) => r.result.finalReturn),
    scores,
    meanScore: mean(scores),
    stdScore: std(scores),
    secondsPerSeed: runs.map((r) => r.result.seconds),
    curves: runs.map((r) => r.result.history.map((h) => [h.updates, normalise(h.realReturn)])),
    finalW: runs.map((r) => r.result.finalW),
  };
  table.push({
    method: labels[m]!,
    score: `${mean(scores).toFixed(1)} ± ${std(scores).toFixed(1)}`,
    's/seed': mean(runs.map((r) => r.result.seconds)).toFixed(0),
  });
}
console.table(table);
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/h2o-mujoco.json',
  `${JSON.stringify(
    {
      benchmark: 'h2o-mujoco',
      ...machineInfo(),
      command: `npm run bench:h2o-mujoco -- ${process.argv.slice(2).join(' ')}`.trim(),
      wallSeconds,
      references: refs,
      settings: Object.fromEntries(
        variants.map((v) => [v.key, (({ file: _f, output: _o, ...rest }) => rest)(v.config)]),
      ),
      results: summary,
    },
    null,
    1,
  )}\n`,
);
const curves = variants.map(({ key: m }) => {
  const runs = (summary[m] as { curves: [number, number][][] }).curves;
  const points = runs[0]!.map((p, i) => {
    const ys = runs.map((r) => r[i]?.[1] ?? Number.NaN).filter(Number.isFinite);
    return [p[0], mean(ys), std(ys)] as const;
  });
  return { label: labels[m]!, color: colors[m]!, points };
});
writeFileSync(
  'bench/results/h2o-mujoco-curves.svg',
  learningCurvesSvg(
    'Cartpole balance, sim gravity × 2: real-system score',
    'normalised score',
    curves,
    [-20, 110],
  ),
);
console.log(`wrote bench/results/h2o-mujoco.json (${wallSeconds.toFixed(0)} s wall)`);
