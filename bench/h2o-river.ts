/**
 * River-crossing benchmark of H2O against SAC in sim, offline TD3+BC and IQL, and naive mixing.
 *
 *   npm run bench:h2o-river                 # C0 = 1.2 (all methods), 0.6 and 0.9 (H2O vs naive), 5 seeds
 *   npm run bench:h2o-river -- --currents 1.2 --seeds 0,1 --updates 2000   # a quicker look
 *   npm run bench:h2o-river -- --reuse      # keep the runs already in runs/bench/<tag>-runs.jsonl
 *   npm run bench:h2o-river -- --currents 1.2 --episodes 20 --tag h2o-river-e20   # less real data
 *   npm run bench:h2o-river -- --currents 1.2 --episodes 100 --starts start --tag h2o-river-narrow
 *   npm run bench:h2o-river -- --engine tfjs --hidden 64 --updates 10000 --tag h2o-river-64   # other budget
 *
 * Uses configs/train/river-*.yaml (override C0 and the real log per control), runs seeds in
 * parallel worker processes, scores each seed against DP references, and writes
 * bench/results/h2o-river.json plus SVG learning curves and a map of w.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { environmentPlugins } from '../app/plugins.ts';
import { type Job, type JobResult, runJobs } from '../app/train/parallel.ts';
import { heatMapSvg, learningCurvesSvg } from '../app/train/plots.ts';
import { normalisedScore, type RiverReferences, riverReferences } from '../sim/river/dp.ts';
import { generateRiverLog, riverLogDefaults } from '../sim/river/log.ts';
import { ARENA, riverDefaults } from '../sim/river/river.ts';
import { saveColumnar } from '../src/learning/dataset.ts';
import { loadTrainConfig, type TrainConfig } from '../src/learning/train-config.ts';
import { machineInfo } from './report.ts';

const methods = ['sac', 'td3bc', 'iql', 'naive-mix', 'h2o'] as const;
type Method = (typeof methods)[number];
const labels: Record<Method, string> = {
  sac: 'SAC (sim only)',
  td3bc: 'TD3+BC (real log)',
  iql: 'IQL (real log)',
  'naive-mix': 'naive mix',
  h2o: 'H2O',
};
const colors: Record<Method, string> = {
  sac: '#1f77b4',
  td3bc: '#ff7f0e',
  iql: '#9467bd',
  'naive-mix': '#2ca02c',
  h2o: '#d62728',
};

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const currents = (flag('currents') ?? '1.2,0.6,0.9').split(',').map(Number);
const seedsOverride = flag('seeds')?.split(',').map(Number);
const updatesOverride = flag('updates') ? Number(flag('updates')) : undefined;
const workers = Number(flag('workers') ?? 2);
const engineOverride = flag('engine') as TrainConfig['engine'] | undefined;
const hiddenOverride = flag('hidden') ? Number(flag('hidden')) : undefined;
const tag = flag('tag') ?? 'h2o-river';
/**
 * Real episodes in the log (default: the committed 100-episode logs). A smaller log is the same
 * generator's first N episodes (same seed), written under runs/bench/.
 */
const episodes = flag('episodes') ? Number(flag('episodes')) : undefined;
/** Where the log's episodes start: over the whole arena (the committed logs) or at the task's start. */
const starts = (flag('starts') ?? 'arena') as 'arena' | 'start';
if (starts !== 'arena' && starts !== 'start')
  throw new RangeError(`--starts must be arena or start, got '${flag('starts')}'`);
if (starts === 'start' && episodes === undefined) throw new RangeError('--starts start needs --episodes');
if (episodes !== undefined && !(Number.isInteger(episodes) && episodes > 0))
  throw new RangeError(`--episodes must be a positive integer, got '${flag('episodes')}'`);
const realLogs = new Map<number, string>();
for (const current of (flag('currents') ?? '1.2,0.6,0.9').split(',').map(Number)) {
  if (episodes === undefined) {
    realLogs.set(current, path.resolve(`sim/river/data/real-log-c${current}.json`));
    continue;
  }
  const file = path.resolve('runs', 'bench', `${tag}-real-log-c${current}-e${episodes}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  await saveColumnar(
    file,
    generateRiverLog({ ...riverDefaults, current }, { ...riverLogDefaults, episodes, starts }),
    5,
  );
  realLogs.set(current, file);
}
const outDir = path.resolve('bench/results');
mkdirSync(outDir, { recursive: true });

function configFor(method: Method, current: number): TrainConfig {
  const base = loadTrainConfig(`configs/train/river-${method}.yaml`, environmentPlugins);
  return {
    ...base,
    environment: { kind: 'river-crossing', options: { ...(base.environment.options as object), current } },
    ...(base.dataset === undefined
      ? {}
      : {
          dataset: realLogs.get(current)!,
          datasets: [realLogs.get(current)!],
        }),
    ...(seedsOverride ? { seeds: seedsOverride } : {}),
    ...(updatesOverride ? { budget: { ...base.budget, updates: updatesOverride } } : {}),
    ...(engineOverride ? { engine: engineOverride } : {}),
    ...(hiddenOverride
      ? {
          hyperparameters: {
            ...base.hyperparameters,
            hidden: [hiddenOverride, hiddenOverride],
            ...(method === 'h2o' ? { discriminatorHidden: [hiddenOverride, hiddenOverride] } : {}),
          },
        }
      : {}),
    output: path.resolve('runs', 'bench', `${tag}-c${current}-${method}`),
    checkpointEvery: undefined,
  } as TrainConfig;
}

const wMapOptions = { ...ARENA, cells: 40, directions: 8, dt: riverDefaults.dt };
const wall = performance.now();
const jobs: Job[] = [];
for (const current of currents) {
  // The controls only need the two methods the pass criterion compares.
  // Slowest method first, so the parallel workers finish together.
  const which: readonly Method[] =
    current === 1.2 ? ['h2o', 'sac', 'naive-mix', 'td3bc', 'iql'] : ['h2o', 'naive-mix'];
  for (const method of which) {
    const config = configFor(method, current);
    for (const seed of config.seeds) {
      jobs.push({
        config,
        seed,
        ...(method === 'h2o' && seed === config.seeds[0] ? { wMap: wMapOptions } : {}),
      });
    }
  }
}
// Every finished run is appended to a JSON-lines file, so an interrupted benchmark (or one run in
// parts, e.g. the controls later) continues with --reuse instead of starting over.
const partialFile = path.resolve(`runs/bench/${tag}-runs.jsonl`);
mkdirSync(path.dirname(partialFile), { recursive: true });
const keyOf = (algorithm: string, current: number, seed: number) => `${algorithm}/${current}/${seed}`;
const currentOf = (job: Job) => (job.config.environment.options as { current: number }).current;
const reused = new Map<string, JobResult>();
if (process.argv.includes('--reuse') && existsSync(partialFile)) {
  for (const line of readFileSync(partialFile, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const saved = JSON.parse(line) as { key: string; result: JobResult['result']; wMap: number[][] | null };
    reused.set(saved.key, {
      job: jobs.find((j) => keyOf(j.config.algorithm, currentOf(j), j.seed) === saved.key)!,
      result: saved.result,
      wMap: saved.wMap,
    });
  }
}
const todo = jobs.filter((j) => !reused.has(keyOf(j.config.algorithm, currentOf(j), j.seed)));
const kept = jobs.flatMap((j) => {
  const r = reused.get(keyOf(j.config.algorithm, currentOf(j), j.seed));
  return r === undefined ? [] : [{ ...r, job: j }];
});
console.log(`${jobs.length} training runs (${kept.length} reused) on ${workers} worker(s)...`);
const refs = new Map<number, RiverReferences>();
for (const current of currents) refs.set(current, riverReferences({ ...riverDefaults, current }));
let lastPrint = 0;
const fresh: JobResult[] = await runJobs(
  todo,
  workers,
  (job, p) => {
    const now = performance.now();
    if (now - lastPrint > 15000) {
      lastPrint = now;
      const minutes = ((now - wall) / 60000).toFixed(1);
      console.log(
        `  [${minutes} min] ${job.config.algorithm} C0=${currentOf(job)} seed ${job.seed}: ${p.updates}/${p.total}`,
      );
    }
  },
  (done) => {
    const key = keyOf(done.job.config.algorithm, currentOf(done.job), done.job.seed);
    appendFileSync(partialFile, `${JSON.stringify({ key, result: done.result, wMap: done.wMap })}\n`);
    console.log(
      `  done ${key}: real return ${done.result.finalReturn.toFixed(2)} in ${done.result.seconds.toFixed(0)} s`,
    );
  },
);
const results = [...kept, ...fresh];
const wallSeconds = (performance.now() - wall) / 1000;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / xs.length);
const table: Record<string, unknown>[] = [];
const byCurrent: Record<string, Record<string, unknown>> = {};
for (const current of currents) {
  const r = refs.get(current)!;
  const entry: Record<string, unknown> = { references: r };
  for (const method of methods) {
    const runs = results.filter(
      (x) =>
        x.job.config.algorithm === method &&
        (x.job.config.environment.options as { current: number }).current === current,
    );
    if (runs.length === 0) continue;
    const scores = runs.map((x) => normalisedScore(x.result.finalReturn, r));
    const diag = runs.map((x) => x.result.diagnostics).filter((d) => d !== null);
    const finalW = runs.map((x) => x.result.finalW).filter((d) => d !== null);
    const wIn = diag.map((d) => d!.wInside / Math.max(1, d!.countInside));
    const wOut = diag.map((d) => d!.wOutside / Math.max(1, d!.countOutside));
    const uIn = diag.map((d) => d!.uInside / Math.max(1, d!.countInside));
    const uOut = diag.map((d) => d!.uOutside / Math.max(1, d!.countOutside));
    entry[method] = {
      scores,
      returns: runs.map((x) => x.result.finalReturn),
      meanScore: mean(scores),
      stdScore: std(scores),
      secondsPerSeed: runs.map((x) => x.result.seconds),
      curves: runs.map((x) => x.result.history.map((h) => [h.updates, normalisedScore(h.realReturn, r)])),
      ...(finalW.length > 0
        ? {
            finalWInside: mean(finalW.map((f) => f!.inside)),
            finalWOutside: mean(finalW.map((f) => f!.outside)),
            finalWPerSeed: finalW,
          }
        : {}),
      ...(diag.length > 0
        ? {
            wInside: mean(wIn),
            wOutside: mean(wOut),
            uInside: mean(uIn),
            uOutside: mean(uOut),
            wInsidePerSeed: wIn,
            wOutsidePerSeed: wOut,
          }
        : {}),
    };
    table.push({
      C0: current,
      method: labels[method],
      score: `${mean(scores).toFixed(1)} ± ${std(scores).toFixed(1)}`,
      'w in/out (run)': diag.length > 0 ? `${mean(wIn).toFixed(2)} / ${mean(wOut).toFixed(2)}` : '-',
      'w in/out (final)':
        finalW.length > 0
          ? `${mean(finalW.map((f) => f!.inside)).toFixed(2)} / ${mean(finalW.map((f) => f!.outside)).toFixed(2)}`
          : '-',
      'u in/out': diag.length > 0 ? `${mean(uIn).toFixed(2)} / ${mean(uOut).toFixed(2)}` : '-',
      's/seed': mean(runs.map((x) => x.result.seconds)).toFixed(0),
    });
  }
  byCurrent[String(current)] = entry;
}
console.table(table);

// Pass criteria of the specification (docs/learning.md).
const score = (c: number, m: Method) =>
  (byCurrent[String(c)]?.[m] as { meanScore: number } | undefined)?.meanScore ?? Number.NaN;
const main = byCurrent['1.2']?.['h2o'] as { finalWInside?: number; finalWOutside?: number } | undefined;
const has = (c: number, m: Method) => byCurrent[String(c)]?.[m] !== undefined;
/** null when this run did not include what the criterion compares. */
const criterion = (needs: [number, Method][], ok: () => boolean) =>
  needs.every(([c, m]) => has(c, m)) ? ok() : null;
const criteria = {
  'SAC-sim <= 60': criterion([[1.2, 'sac']], () => score(1.2, 'sac') <= 60),
  'offline <= 60': criterion(
    [
      [1.2, 'td3bc'],
      [1.2, 'iql'],
    ],
    () => Math.max(score(1.2, 'td3bc'), score(1.2, 'iql')) <= 60,
  ),
  'H2O >= best baseline + 5': criterion(
    [
      [1.2, 'h2o'],
      [1.2, 'sac'],
      [1.2, 'td3bc'],
      [1.2, 'iql'],
      [1.2, 'naive-mix'],
    ],
    () =>
      score(1.2, 'h2o') >=
      Math.max(score(1.2, 'sac'), score(1.2, 'td3bc'), score(1.2, 'iql'), score(1.2, 'naive-mix')) + 5,
  ),
  'w inside <= 0.5 w outside (final discriminators)': criterion(
    [[1.2, 'h2o']],
    () => main!.finalWInside! <= 0.5 * main!.finalWOutside!,
  ),
  '|H2O - naive| <= 3 at C0 = 0.6': criterion(
    [
      [0.6, 'h2o'],
      [0.6, 'naive-mix'],
    ],
    () => Math.abs(score(0.6, 'h2o') - score(0.6, 'naive-mix')) <= 3,
  ),
};
console.log('pass criteria:', criteria);

const wMapRun = results.find((x) => x.wMap !== null);
const json = {
  benchmark: 'h2o-river',
  ...machineInfo(),
  command: `npm run bench:h2o-river -- ${process.argv.slice(2).join(' ')}`.trim(),
  /** Wall time of this invocation; runs reused from earlier invocations keep their own seconds. */
  wallSeconds,
  reusedRuns: kept.length,
  workers,
  /** Episodes in each real log (the committed logs have 100). */
  realEpisodes: episodes ?? riverLogDefaults.episodes,
  realStarts: starts,
  configs: Object.fromEntries(methods.map((m) => [m, `configs/train/river-${m}.yaml`])),
  settings: Object.fromEntries(
    methods.map((m) => [m, (({ file: _f, output: _o, ...rest }) => rest)(configFor(m, 1.2))]),
  ),
  results: byCurrent,
  criteria,
  wMap: wMapRun
    ? {
        ...wMapOptions,
        seed: wMapRun.job.seed,
        C0: (wMapRun.job.config.environment.options as { current: number }).current,
        values: wMapRun.wMap,
      }
    : null,
};
writeFileSync(path.join(outDir, `${tag}.json`), `${JSON.stringify(json, null, 1)}\n`);

for (const current of currents) {
  const entry = byCurrent[String(current)]!;
  const curves = methods
    .filter((m) => entry[m] !== undefined)
    .map((m) => {
      const runs = (entry[m] as { curves: [number, number][][] }).curves;
      const points = runs[0]!.map((p, i) => {
        const ys = runs.map((run) => run[i]?.[1] ?? Number.NaN).filter(Number.isFinite);
        return [p[0], mean(ys), std(ys)] as const;
      });
      return { label: labels[m], color: colors[m], points };
    });
  writeFileSync(
    path.join(outDir, `${tag}-c${current}-curves.svg`),
    learningCurvesSvg(
      `River crossing C0 = ${current}: real-system score (mean ± std over seeds)`,
      'normalised score',
      curves,
      [-20, 110],
    ),
  );
}
if (wMapRun?.wMap) {
  const c = (wMapRun.job.config.environment.options as { current: number }).current;
  const overlay = [
    // The gap region used by the diagnostics, and start and goal.
    `<polygon points="{x:0.3},{y:0.25} {x:0.7},{y:0.25} {x:0.7},{y:-0.25} {x:0.3},{y:-0.25}" fill="none" stroke="white" stroke-dasharray="4 3"/>`,
    `<circle cx="{x:0}" cy="{y:0}" r="4" fill="white"/>`,
    `<circle cx="{x:1}" cy="{y:0}" r="5" fill="none" stroke="white" stroke-width="2"/>`,
  ];
  writeFileSync(
    path.join(outDir, `${tag}-w-map.svg`),
    heatMapSvg(
      `H2O importance weight w over the arena (C0 = ${c}, seed ${wMapRun.job.seed})`,
      wMapRun.wMap,
      ARENA,
      overlay,
    ),
  );
}
console.log(
  `wrote ${path.relative(process.cwd(), path.join(outDir, `${tag}.json`))} and SVG plots (${wallSeconds.toFixed(0)} s wall)`,
);
