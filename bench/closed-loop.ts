/**
 * The closed sim-to-real loop on an emulated weak-motor rig (docs/closed-loop.md): the cartpole
 * (default) or, with --robot arm, the 7-DoF arm. Each robot has its configs in configs/loop/
 * (<robot>.yaml, <robot>-run.yaml, <robot>-<method>.yaml, its sim-only policy) and its own results:
 * closed-loop.json and closed-loop.svg for the cartpole, closed-loop-<robot>.json/.svg otherwise.
 *
 *   npm run bench:closed-loop -- --part gap          sim-only policy: simulator vs rig
 *   npm run bench:closed-loop -- --part rounds       rounds of H2O, naive mixing and offline (TD3+BC)
 *   npm run bench:closed-loop -- --part oracle       SAC online in the rig's dynamics (the ceiling), on the rig
 *   npm run bench:closed-loop -- --part timing       loop timing without and with the learner, across swaps
 *   npm run bench:closed-loop -- --part plot         bench/results/closed-loop.svg from the JSON
 *   (--part fleet lives in bench/closed-loop-fleet.ts: three rigs and one learner through Mosquitto)
 *
 * Options: --rounds 3 --episodes 8 --warmup 3000 --methods h2o,naive-mix,td3bc --seeds 0; --updates N
 * overrides every method's own budget (its fine-tuning config's `budget.updates`). Each part updates its
 * key of bench/results/closed-loop.json and keeps the others; --seeds 0,1,2 runs the rounds once per
 * learner seed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ClosedLoopResult, runClosedLoop } from '../app/loop/closed-loop.ts';
import { type LoopConfig, loadLoopConfig } from '../app/loop/config.ts';
import { environmentPlugins } from '../app/plugins.ts';
import { type Curve, learningCurvesSvg } from '../app/train/plots.ts';
import { runSeed } from '../app/train/seed-run.ts';
import { useTestLinkKey } from '../hardware/tools/processes.ts';
import { createKernelPolicy } from '../src/inference/backends/kernel.ts';
import { compileChain } from '../src/inference/chain.ts';
import { exportPolicy } from '../src/inference/export.ts';
import { decodeModel } from '../src/inference/onnx/model.ts';
import { POLICY_NAME, trainedPolicyExport } from '../src/learning/deployment.ts';
import { batchPolicyOf, episodeReturn } from '../src/learning/gates.ts';
import { loadTrainConfig, type TrainConfig } from '../src/learning/train-config.ts';
import { readLog } from '../src/logging/reader.ts';
import { machineInfo, printTable, resultsPath } from './report.ts';

const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const part = flag('part') ?? 'gap';
const rounds = Number(flag('rounds') ?? 3);
const episodes = Number(flag('episodes') ?? 8);
const updatesFlag = flag('updates');
/** Updates per round for every method, or undefined: each fine-tuning config's own budget. */
const updates = updatesFlag === undefined ? undefined : Number(updatesFlag);
const seeds = (flag('seeds') ?? '0').split(',').map(Number);
const warmup = Number(flag('warmup') ?? 3000);
const methods = (flag('methods') ?? 'h2o,naive-mix,td3bc').split(',');
const repo = path.resolve(import.meta.dirname, '..');
const outRoot = path.join(repo, 'runs', 'bench', 'closed-loop');
const robot = flag('robot') ?? 'cartpole';
const configFile = (name: string) => path.join(repo, 'configs/loop', name);
/** The robot's sim-only policy folder, relative to configs/loop. */
const simPolicyDir = robot === 'cartpole' ? 'sim-policy' : `${robot}-sim-policy`;
const simPolicy = configFile(`${simPolicyDir}/policy.onnx`);
const resultName = robot === 'cartpole' ? 'closed-loop' : `closed-loop-${robot}`;
const resultFile = resultsPath(`${resultName}.json`);
mkdirSync(outRoot, { recursive: true });
useTestLinkKey();

function save(key: string, value: unknown): void {
  const all = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : {};
  all[key] = { ...machineInfo(), ...(value as object) };
  writeFileSync(resultFile, `${JSON.stringify(all, null, 2)}\n`);
}

/** The shipped loop config with the bench's sizes, a method's fine-tuning config and its own output. */
function loopFor(
  name: string,
  overrides: Partial<LoopConfig> & { finetuneFile?: string; runFile?: string } = {},
): LoopConfig {
  const base = loadLoopConfig(configFile(`${robot}.yaml`));
  const finetune: TrainConfig = overrides.finetuneFile
    ? loadTrainConfig(overrides.finetuneFile, environmentPlugins, { datasetGivenElsewhere: true })
    : base.finetune;
  const { finetuneFile: _f, runFile, ...rest } = overrides;
  return {
    ...base,
    name,
    rounds,
    episodes: { ...base.episodes, perRound: episodes },
    finetune: { ...finetune, finetune: { ...finetune.finetune, criticWarmup: warmup } },
    learner: { ...base.learner, ...(updates === undefined ? {} : { updates }) },
    output: path.join(outRoot, robot === 'cartpole' ? name : `${robot}-${name}`),
    ...(runFile ? { run: runFile } : {}),
    ...rest,
  };
}

function roundRows(r: ClosedLoopResult) {
  return [
    ...r.rounds.map((k) => ({
      round: k.round,
      version: k.version,
      sha256: k.sha256,
      realReturn: k.real.meanReturn,
      realStd: k.real.stdReturn,
      episodes: k.real.episodes,
      falls: k.real.falls,
      realTransitionsUsed: k.realTransitionsUsed,
      candidate: k.candidate,
      outcome: k.outcome,
      detail: k.detail,
      failedGates: k.gates?.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`) ?? [],
      standInReturn: k.standInReturn,
      learnerSeconds: k.learnerSeconds,
    })),
    ...(r.final
      ? [
          {
            round: r.rounds.length,
            version: r.final.version,
            sha256: r.final.sha256,
            realReturn: r.final.real.meanReturn,
            realStd: r.final.real.stdReturn,
            episodes: r.final.real.episodes,
            falls: r.final.real.falls,
            outcome: 'final',
          },
        ]
      : []),
  ];
}

function timing(r: ClosedLoopResult) {
  const t = r.report;
  return {
    ticks: t.ticks,
    periodErrorP99Us: t.periodError.p99 * 1e6,
    periodErrorMaxUs: t.periodError.max * 1e6,
    missedDeadlines: t.missedDeadlines,
    switches: t.switches,
    wallSeconds: r.wallSeconds,
  };
}

/**
 * A run config like the loop's, deploying another policy (the oracle). It is written under runs/, so
 * the paths the shipped one gives relative to configs/loop (the link, the task's rig) are made absolute.
 */
function runConfigWith(contract: string): string {
  const text = readFileSync(configFile(`${robot}-run.yaml`), 'utf8')
    .replace(`contract: ${simPolicyDir}/policy.contract.yaml`, `contract: ${contract}`)
    .replace('path: ../../runs/', `path: ${path.join(repo, 'runs')}/`)
    .replace('rig: ../rig/', `rig: ${path.join(repo, 'configs', 'rig')}/`);
  const file = path.join(outRoot, `${robot}-oracle-run.yaml`);
  writeFileSync(file, text);
  return file;
}

async function simReturn(onnx: string, simIsRig: boolean): Promise<number> {
  const config = loadTrainConfig(configFile(`${robot}-h2o.yaml`), environmentPlugins, {
    datasetGivenElsewhere: true,
  });
  const plugin = environmentPlugins.find((p) => p.kind === 'mujoco-rig')!;
  const pair = await plugin.create(
    { ...(config.environment.options as object), simIsRig },
    { baseDir: path.dirname(config.file) },
  );
  const env = await pair.sim(4242);
  try {
    const policy = batchPolicyOf(
      new Uint8Array(readFileSync(onnx)),
      env.observation.signals.length,
      env.action.signals.length,
    );
    return episodeReturn(env, policy, 20);
  } finally {
    env.dispose?.();
  }
}

if (part === 'gap') {
  const onnx = simPolicy;
  const sim = await simReturn(onnx, false);
  const standIn = await simReturn(onnx, true);
  const r = await runClosedLoop(
    loopFor('gap', {
      rounds: 0,
      episodes: { ...loopFor('x').episodes, final: 20, exploration: { std: 0, share: 0.5 } },
    }),
  );
  const rig = r.final!.real;
  // The share of the simulated return lost on the rig; for negative returns (the arm's reach), the
  // loss relative to the simulated return's size.
  const loss = (sim - rig.meanReturn) / Math.abs(sim);
  printTable(
    'sim-only policy, 5 s episodes',
    ['where', 'return', 'episodes'],
    [
      ['level simulator', sim, 20],
      ['rig stand-in (MuJoCo with the rig config)', standIn, 20],
      ['emulated rig', `${rig.meanReturn.toFixed(1)} ± ${rig.stdReturn.toFixed(1)}`, rig.episodes],
    ],
  );
  process.stdout.write(`loss on the rig: ${(100 * loss).toFixed(1)} % of the simulated return\n`);
  save('gap', { simReturn: sim, standInReturn: standIn, rig, lossFraction: loss, timing: timing(r) });
}

if (part === 'rounds') {
  // Methods and seeds run now replace their own entries; the others (an earlier run's) are kept, each
  // run with its own date and settings.
  const previous = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')).rounds : undefined;
  const results: Record<string, { runs: RoundsRun[]; final?: Spread }> = previous?.methods ?? {};
  for (const method of methods) {
    const finetuneFile = configFile(`${robot}-${method}.yaml`);
    const kept = (results[method]?.runs ?? []).filter((run) => !seeds.includes(run.seed));
    results[method] = { runs: kept };
    for (const seed of seeds) {
      const started = performance.now();
      const config = loopFor(`rounds-${method}-seed${seed}`, { finetuneFile });
      const r = await runClosedLoop(
        { ...config, learner: { ...config.learner, seed } },
        { status: (line) => process.stderr.write(`${method} seed ${seed}: ${line}\n`) },
      );
      const rows = roundRows(r);
      printTable(
        `${method}, learner seed ${seed}: real return per round`,
        ['round', 'version', 'return', 'falls', 'real transitions', 'outcome'],
        rows.map((k) => [
          k.round,
          k.version,
          `${k.realReturn.toFixed(1)} ± ${k.realStd.toFixed(1)}`,
          k.falls,
          'realTransitionsUsed' in k ? (k.realTransitionsUsed ?? '-') : '-',
          k.outcome,
        ]),
      );
      const hyperparameters = config.finetune.hyperparameters as {
        gamma?: number;
        beta?: number;
        penalty?: boolean;
      };
      results[method].runs.push({
        seed,
        date: new Date().toISOString(),
        settings: {
          updates: config.learner.updates ?? config.finetune.budget.updates,
          warmup,
          gamma: hyperparameters.gamma ?? null,
          beta: hyperparameters.penalty ? (hyperparameters.beta ?? null) : null,
          fqe: { gamma: config.gates.fqe.gamma, iterations: config.gates.fqe.iterations },
        },
        rounds: rows,
        timing: timing(r),
        minutes: (performance.now() - started) / 60000,
      });
      results[method].runs.sort((a, b) => a.seed - b.seed);
      results[method].final = spread(results[method].runs.map((run) => run.rounds.at(-1)!.realReturn));
      save('rounds', {
        settings: { rounds, episodes, exploration: loopFor('x').episodes.exploration },
        methods: results,
      });
    }
  }
}

interface RoundsRun {
  seed: number;
  date: string;
  settings: {
    updates: number;
    warmup: number;
    gamma: number | null;
    beta: number | null;
    fqe?: { gamma: number; iterations: number };
  };
  rounds: ReturnType<typeof roundRows>;
  timing: ReturnType<typeof timing>;
  minutes: number;
}

interface Spread {
  mean: number;
  min: number;
  max: number;
  runs: number;
}

function spread(xs: number[]): Spread {
  return {
    mean: xs.reduce((a, b) => a + b, 0) / xs.length,
    min: Math.min(...xs),
    max: Math.max(...xs),
    runs: xs.length,
  };
}

if (part === 'oracle') {
  // SAC from the sim-only policy, online in the rig's dynamics (the stand-in as its simulator).
  const base = loadTrainConfig(configFile(`${robot}-h2o.yaml`), environmentPlugins, {
    datasetGivenElsewhere: true,
  });
  const sac = loadTrainConfig(configFile(`${robot}-h2o.yaml`), environmentPlugins, {
    datasetGivenElsewhere: true,
  });
  const dir = path.join(outRoot, robot === 'cartpole' ? 'oracle' : `${robot}-oracle`);
  const config: TrainConfig = {
    ...sac,
    algorithm: 'sac',
    hyperparameters: (await import('../src/learning/sac.ts')).sacConfigSchema.parse({
      hidden: [64, 64],
      gamma: 0.95,
      tau: 0.02,
      actorLr: 1e-4,
      initLogAlpha: -2,
      backupEntropy: false,
      criticOutputGain: 0.01,
    }),
    environment: { kind: 'mujoco-rig', options: { ...(base.environment.options as object), simIsRig: true } },
    init: simPolicy,
    finetune: { criticWarmup: 3000, initialStd: 0.3 },
    budget: { ...base.budget, updates: Number(flag('oracle-updates') ?? 3000) },
    output: dir,
    checkpointEvery: undefined,
  } as TrainConfig;
  const started = performance.now();
  const result = await runSeed(config, 0, {
    onFinished: async (trainer) => {
      await exportPolicy(
        path.join(dir, 'policy'),
        trainedPolicyExport(trainer, { oracle: 'sac online in the rig stand-in' }),
      );
    },
  });
  const onnx = path.join(dir, 'policy', `${POLICY_NAME}.onnx`);
  const r = await runClosedLoop(
    loopFor('oracle-on-rig', {
      rounds: 0,
      runFile: runConfigWith(path.join(dir, 'policy', `${POLICY_NAME}.contract.yaml`)),
      episodes: { ...loopFor('x').episodes, final: 20, exploration: { std: 0, share: 0.5 } },
    }),
  );
  const rig = r.final!.real;
  printTable(
    'oracle: SAC online in the rig stand-in',
    ['where', 'return'],
    [
      ['stand-in (training curve end)', result.finalReturn],
      ['level simulator', await simReturn(onnx, false)],
      ['emulated rig', `${rig.meanReturn.toFixed(1)} ± ${rig.stdReturn.toFixed(1)}`],
    ],
  );
  save('oracle', {
    training: {
      updates: result.updates,
      history: result.history,
      seconds: (performance.now() - started) / 1000,
    },
    standInReturn: result.finalReturn,
    rig,
  });
}

if (part === 'timing') {
  // The swap check below reads the cartpole policies' 4 inputs and 20 N output.
  if (robot !== 'cartpole') throw new Error('--part timing measures the cartpole loop only');
  // The same loop twice on the rig: the learner beside it at two priorities, with exploration off
  // so that every swap can be checked tick by tick against both policies.
  const rows: unknown[] = [];
  for (const nice of (flag('nice') ?? '0,19').split(',').map(Number)) {
    const r = await runClosedLoop(
      loopFor(`timing-nice${nice}`, {
        rounds: Number(flag('timing-rounds') ?? 2),
        learner: { nice, seed: 0, updates },
        episodes: { ...loopFor('x').episodes, final: 4, exploration: { std: 0, share: 0.5 } },
        gates: {
          ...loopFor('x').gates,
          sim: { episodes: 5, minReturnRatio: 0 },
          fqe: { ...loopFor('x').gates.fqe, enabled: false },
        },
      }),
    );
    rows.push({ nice, ...(await phases(r)) });
  }
  save('timing', { rows });
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
}

/**
 * Period error and missed deadlines while the learner ran and while it did not (from the ledger's
 * wall-clock marks and the logs' per-tick wall time), and every swap checked in the log: the
 * proposal on the last tick before it is the old policy's on that tick's observation, the one on
 * the first tick after it the new policy's — no tick mixes the two.
 */
async function phases(r: ClosedLoopResult) {
  const ledger = readFileSync(path.join(r.output, 'ledger.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const busy: [number, number][] = [];
  let start: number | undefined;
  for (const e of ledger) {
    const t = Date.parse(e.wall) / 1000;
    if (e.kind === 'round') start = t;
    if ((e.kind === 'gates' || e.kind === 'learner-failed') && start !== undefined) {
      busy.push([start, t]);
      start = undefined;
    }
  }
  const stats = { idle: [] as number[], learner: [] as number[] };
  const missed = { idle: 0, learner: 0 };
  const swaps: unknown[] = [];
  for (const file of r.logs) {
    if (!existsSync(file)) continue;
    const log = await readLog(file);
    const t = log.ticks;
    for (let i = 0; i < t.count; i++) {
      const wall = t.wallTime[i]!;
      const during = busy.some(([a, b]) => wall >= a && wall <= b) ? 'learner' : 'idle';
      stats[during].push(Math.abs(t.periodError[i]!));
      if (i > 0 && t.missedDeadlines[i]! > t.missedDeadlines[i - 1]!)
        missed[during] += t.missedDeadlines[i]! - t.missedDeadlines[i - 1]!;
    }
    const names = [...log.controllers];
    for (const e of log.events)
      if (typeof e.data?.['installed'] === 'string')
        names[e.data['index'] as number] = e.data['installed'] as string;
    for (let i = 1; i < t.count; i++) {
      if (t.controller[i] === t.controller[i - 1]) continue;
      const from = names[t.controller[i - 1]!]!;
      const to = names[t.controller[i]!]!;
      const file = (v: string) =>
        v === 'v0'
          ? simPolicy
          : path.join(r.output, `round-${Number(v.slice(1)) - 1}`, 'candidate', 'policy.onnx');
      const check = (v: string, k: number) => {
        if (!/^v\d+$/.test(v) || !existsSync(file(v))) return null;
        const kernel = createKernelPolicy(compileChain(decodeModel(new Uint8Array(readFileSync(file(v))))));
        const out = new Float32Array(1);
        kernel.act(Float32Array.from(t.observation.subarray(4 * k, 4 * k + 4)), out);
        return Math.abs(20 * out[0]! - t.action[k]!);
      };
      swaps.push({
        from,
        to,
        tick: t.tick[i],
        lastOldTickMatchesOld: check(from, i - 1),
        firstNewTickMatchesNew: check(to, i),
        missedDeadlinesWithin1s:
          t.missedDeadlines[Math.min(t.count - 1, i + 50)]! - t.missedDeadlines[Math.max(0, i - 50)]!,
        periodErrorMaxWithin1sUs:
          1e6 *
          Math.max(
            ...Array.from(t.periodError.subarray(Math.max(0, i - 50), Math.min(t.count, i + 50)), Math.abs),
          ),
      });
    }
  }
  const summary = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return {
      ticks: s.length,
      p99Us: 1e6 * (s[Math.floor(0.99 * (s.length - 1))] ?? 0),
      maxUs: 1e6 * (s.at(-1) ?? 0),
    };
  };
  return {
    idle: { ...summary(stats.idle), missedDeadlines: missed.idle },
    learner: { ...summary(stats.learner), missedDeadlines: missed.learner },
    learnerSeconds: busy.reduce((n, [a, b]) => n + b - a, 0),
    swaps,
    total: timing(r),
    rounds: roundRows(r),
  };
}

if (part === 'plot') {
  const all = JSON.parse(readFileSync(resultFile, 'utf8'));
  const colors: Record<string, string> = { h2o: '#d62728', 'naive-mix': '#2ca02c', td3bc: '#ff7f0e' };
  const labels: Record<string, string> = { h2o: 'H2O', 'naive-mix': 'naive mix', td3bc: 'offline (TD3+BC)' };
  const curves: Curve[] = [];
  let last = 1;
  for (const [method, value] of Object.entries(all.rounds?.methods ?? {})) {
    const runs = (
      value as { runs: { seed: number; rounds: { round: number; realReturn: number; realStd: number }[] }[] }
    ).runs;
    for (const run of runs) {
      last = Math.max(last, ...run.rounds.map((r) => r.round));
      curves.push({
        label: `${labels[method] ?? method}${runs.length > 1 ? ` (seed ${run.seed})` : ''}`,
        color: colors[method] ?? '#333',
        points: run.rounds.map((r) => [r.round, r.realReturn, r.realStd] as const),
      });
    }
  }
  if (all.gap)
    curves.push({
      label: 'sim-only',
      color: '#7f7f7f',
      points: [
        [0, all.gap.rig.meanReturn, 0],
        [last, all.gap.rig.meanReturn, 0],
      ],
    });
  if (all.oracle)
    curves.push({
      label: 'oracle (SAC in the rig stand-in)',
      color: '#1f77b4',
      points: [
        [0, all.oracle.rig.meanReturn, 0],
        [last, all.oracle.rig.meanReturn, 0],
      ],
    });
  const svg = learningCurvesSvg(
    `Closed loop on the weak-motor ${robot} rig: real return per round`,
    'mean return on the rig (± std)',
    curves,
    robot === 'cartpole' ? [0, 260] : undefined,
  ).replace('>gradient updates<', '>round (the last: the final version)<');
  writeFileSync(resultsPath(`${resultName}.svg`), svg);
  process.stdout.write(`wrote ${resultsPath(`${resultName}.svg`)}\n`);
}
