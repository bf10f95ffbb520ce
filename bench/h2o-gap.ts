/**
 * Dynamics-gap benchmark on any environment pair and real log a user defines: the methods (each a
 * `tether train` config on the same pair), the references that normalise the real return to a
 * score, and the pass criteria all come from one YAML file (bench/gaps/*.yaml), nothing from here.
 *
 *   npm run bench:h2o-gap -- bench/gaps/cartpole-gravity.yaml [--seeds 0,1] [--updates 3000] [--workers 2]
 *     [--methods h2o,sac,oracle] [--out bench/results]
 *
 * Every method and H2O's three ablation switches train through the same path as `tether train`;
 * the score is 100 · (return − zero) / (full − zero) on the pair's real system, with `zero` and
 * `full` measured in the same run (a random policy, a configured controller) or given as numbers.
 * Writes <out>/<name>.json (references, per-seed returns and scores, final w, criteria) and
 * <name>-curves.svg; out is bench/results unless --out says otherwise.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { controllerPlugins, environmentPlugins } from '../app/plugins.ts';
import { type Job, runJobs } from '../app/train/parallel.ts';
import { learningCurvesSvg } from '../app/train/plots.ts';
import { ConfigDocument } from '../src/config/document.ts';
import { type Environment, type EnvironmentPair, toLearnerActions } from '../src/core/environment.ts';
import { Rng } from '../src/core/rng.ts';
import type { ActionSpec } from '../src/core/spec.ts';
import { loadTrainConfig, type TrainConfig } from '../src/learning/train-config.ts';
import { machineInfo } from './report.ts';

const reference = z.union([
  z.object({ return: z.number() }).strict(),
  /** The mean final real return of one of the benchmark's methods (the oracle as the ceiling). */
  z.object({ method: z.string() }).strict(),
  z.object({ policy: z.literal('random'), episodes: z.number().int().positive().default(10) }).strict(),
  z
    .object({
      /** A controller plugin's config (`kind` and its options), run in robot units on the real system. */
      controller: z.looseObject({ kind: z.string() }),
      episodes: z.number().int().positive().default(10),
    })
    .strict(),
]);

const criterion = z.union([
  z.object({ method: z.string(), atMost: z.number() }).strict(),
  z.object({ method: z.string(), atLeast: z.number() }).strict(),
  z.object({ method: z.string(), beats: z.array(z.string()).min(1), by: z.number().default(0) }).strict(),
]);

export const gapBenchmarkSchema = z
  .object({
    /** Results go to <out>/<name>.json and <name>-curves.svg. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    /** Title of the learning-curve plot. */
    title: z.string().min(1),
    /** Method key → its training config (relative to this file) and a label for the table. */
    methods: z
      .record(z.string(), z.object({ config: z.string(), label: z.string().optional() }).strict())
      .refine((m) => Object.keys(m).length > 0, { message: 'name at least one method' }),
    /** A method with `algorithm: h2o` whose three ablation switches also run, each off alone. */
    ablations: z.string().optional(),
    /** The real return that scores 0 and the one that scores 100. */
    references: z.object({ zero: reference, full: reference }).strict(),
    /** Checked on the mean scores over seeds; the benchmark reports each as passed or failed. */
    criteria: z.array(criterion).default([]),
    /**
     * How the real logs are made (bench/data/make-gap-log.ts): a behaviour policy trained online on
     * the real system for a short budget (D4RL's "medium"), rolled out with its stochastic actor.
     * Logs of `episodes` are prefixes of one set of rollouts, so a sweep varies only the amount;
     * a `replay` log is the behaviour's whole training stream, its early random steps included.
     */
    data: z
      .object({
        behaviour: z
          .object({
            updates: z.number().int().positive(),
            seed: z.number().int().min(0).default(0),
            hidden: z.array(z.number().int().positive()).min(1).default([64, 64]),
          })
          .strict(),
        logs: z.record(
          z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
          z.union([
            z.object({ file: z.string(), episodes: z.number().int().positive() }).strict(),
            z.object({ file: z.string(), replay: z.literal(true) }).strict(),
          ]),
        ),
      })
      .strict()
      .optional(),
    /** Methods trained again on each named log of `data` instead of their own dataset: the data curve. */
    sweep: z
      .object({ methods: z.array(z.string()).min(1), logs: z.array(z.string()).min(1) })
      .strict()
      .optional(),
  })
  .strict();

type Reference = z.output<typeof reference>;
type Criterion = z.output<typeof criterion>;

const ablationSwitches = {
  'no-weight': { importanceWeight: false },
  'no-penalty': { penalty: false },
  'no-u': { uWeighting: false },
} as const;
const ablationLabels: Record<keyof typeof ablationSwitches, string> = {
  'no-weight': 'without the importance weight',
  'no-penalty': 'without the value penalty',
  'no-u': 'without the u weighting',
};
const palette = ['#d62728', '#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#e377c2', '#8c564b', '#7f7f7f'];

interface Variant {
  readonly key: string;
  readonly label: string;
  readonly config: TrainConfig;
  /** A sweep's run: the method it repeats and the log it trains on instead of its own. */
  readonly sweep?: { readonly method: string; readonly log: string };
}

/** A real log the data script writes, with its path resolved. */
export type GapLog = { readonly file: string } & ({ readonly episodes: number } | { readonly replay: true });

export interface GapBenchmark {
  readonly file: string;
  readonly name: string;
  readonly title: string;
  readonly variants: readonly Variant[];
  readonly references: { readonly zero: Reference; readonly full: Reference };
  readonly criteria: readonly Criterion[];
  readonly baseDir: string;
  /** How the real logs are made, with absolute paths; absent when the logs come from elsewhere. */
  readonly data?: { readonly behaviour: BehaviourSpec; readonly logs: Readonly<Record<string, GapLog>> };
}

export type BehaviourSpec = NonNullable<z.output<typeof gapBenchmarkSchema>['data']>['behaviour'];

/**
 * Reads a benchmark file and every training config it names; every problem is reported with the
 * file, line and key before anything trains.
 */
export function loadGapBenchmark(
  file: string,
  overrides: { seeds?: number[]; updates?: number; methods?: string[] },
): GapBenchmark {
  const doc = ConfigDocument.read(file);
  const top = doc.validate(gapBenchmarkSchema, doc.source);
  doc.throwIfProblems();
  const spec = top!;
  const variants: Variant[] = [];
  for (const [key, method] of Object.entries(spec.methods)) {
    // The logs may be this file's own, not made yet: main() checks every one before training.
    const loaded = loadTrainConfig(doc.resolvePath(method.config), environmentPlugins, {
      datasetsMadeLater: true,
    });
    variants.push({
      key,
      label: method.label ?? key,
      config: {
        ...loaded,
        ...(overrides.seeds ? { seeds: overrides.seeds } : {}),
        ...(overrides.updates ? { budget: { ...loaded.budget, updates: overrides.updates } } : {}),
        output: path.resolve('runs', 'bench', spec.name, key),
        checkpointEvery: undefined,
      },
    });
  }
  const first = variants[0]!;
  for (const v of variants.slice(1))
    if (!isDeepStrictEqual(v.config.environment, first.config.environment))
      doc.report(
        ['methods', v.key, 'config'],
        `its environment pair differs from ${first.key}'s (${first.config.file}): every method must train on the same pair`,
      );
  if (spec.ablations !== undefined) {
    const h2o = variants.find((v) => v.key === spec.ablations);
    if (h2o === undefined) doc.report(['ablations'], `no method named '${spec.ablations}'`);
    else if (h2o.config.algorithm !== 'h2o')
      doc.report(['ablations'], `'${spec.ablations}' trains ${h2o.config.algorithm}, not h2o`);
    else
      for (const [suffix, off] of Object.entries(ablationSwitches)) {
        const key = `${h2o.key}-${suffix}`;
        variants.push({
          key,
          label: `${h2o.label} ${ablationLabels[suffix as keyof typeof ablationSwitches]}`,
          config: {
            ...h2o.config,
            hyperparameters: { ...h2o.config.hyperparameters, ...off },
            output: path.resolve('runs', 'bench', spec.name, key),
          },
        });
      }
  }
  const logs: Record<string, GapLog> = {};
  for (const [key, log] of Object.entries(spec.data?.logs ?? {}))
    logs[key] = { ...log, file: doc.resolvePath(log.file) };
  if (spec.sweep !== undefined) {
    spec.sweep.logs.forEach((log, i) => {
      if (logs[log] === undefined)
        doc.report(
          ['sweep', 'logs', i],
          `no log named '${log}' in data.logs (logs: ${Object.keys(logs).join(', ') || 'none'})`,
        );
    });
    spec.sweep.methods.forEach((key, i) => {
      const method = variants.find((v) => v.key === key);
      if (method === undefined) doc.report(['sweep', 'methods', i], `no method named '${key}'`);
      else if (method.config.datasets.length === 0)
        doc.report(
          ['sweep', 'methods', i],
          `'${key}' trains ${method.config.algorithm} on no real log; a data sweep needs one`,
        );
      else
        for (const log of spec.sweep!.logs) {
          if (logs[log] === undefined) continue;
          variants.push({
            key: `${key}@${log}`,
            label: `${method.label} on ${log}`,
            sweep: { method: key, log },
            config: {
              ...method.config,
              dataset: logs[log].file,
              datasets: [logs[log].file],
              output: path.resolve('runs', 'bench', spec.name, `${key}@${log}`),
            },
          });
        }
    });
  }
  const keys = new Set(variants.map((v) => v.key));
  spec.criteria.forEach((c, i) => {
    for (const m of 'beats' in c ? [c.method, ...c.beats] : [c.method])
      if (!keys.has(m))
        doc.report(['criteria', i], `no method named '${m}' (methods: ${[...keys].join(', ')})`);
  });
  for (const [side, ref] of Object.entries(spec.references))
    if ('method' in ref && !keys.has(ref.method))
      doc.report(
        ['references', side, 'method'],
        `no method named '${ref.method}' (methods: ${[...keys].join(', ')})`,
      );
    else if ('controller' in ref && !controllerPlugins.some((p) => p.kind === ref.controller.kind))
      doc.report(['references', side, 'controller', 'kind'], `unknown controller '${ref.controller.kind}'`);
  doc.throwIfProblems();
  // --methods: a subset of the runs (a pilot, or one method again); a reference method must be in it.
  const chosen = overrides.methods;
  if (chosen !== undefined) {
    const unknown = chosen.filter((m) => !keys.has(m));
    if (unknown.length > 0)
      throw new RangeError(
        `--methods: no method named ${unknown.join(', ')} in ${doc.file} (methods: ${[...keys].join(', ')})`,
      );
    for (const ref of Object.values(spec.references))
      if ('method' in ref && !chosen.includes(ref.method))
        throw new RangeError(`--methods: the reference method '${ref.method}' must run too`);
  }
  return {
    file: doc.file,
    name: spec.name,
    title: spec.title,
    variants: chosen === undefined ? variants : variants.filter((v) => chosen.includes(v.key)),
    references: spec.references,
    criteria: spec.criteria,
    baseDir: doc.baseDir,
    ...(spec.data ? { data: { behaviour: spec.data.behaviour, logs } } : {}),
  };
}

/** The robot-unit action spec of a pair whose environments act in the learner's units. */
function robotActionSpec(env: Environment, pair: EnvironmentPair): ActionSpec {
  return {
    ...env.action,
    signals: env.action.signals.map((s, i) => {
      const m = pair.actionMap[i]!;
      const [a, b] = [m.scale * s.lower + m.offset, m.scale * s.upper + m.offset];
      return { name: m.name, unit: m.unit, lower: Math.min(a, b), upper: Math.max(a, b) };
    }),
  };
}

/** Mean return on the pair's real system of a reference policy (or the number given). */
async function referenceReturn(
  ref: Exclude<Reference, { method: string }>,
  pair: EnvironmentPair,
  baseDir: string,
): Promise<number> {
  if ('return' in ref) return ref.return;
  const env = await pair.real(5);
  const obs = new Float64Array(env.observation.signals.length);
  const action = new Float64Array(env.action.signals.length);
  const rng = new Rng(5);
  let act: (t: number) => void;
  if ('policy' in ref) {
    act = () => {
      env.action.signals.forEach((s, i) => {
        action[i] = rng.range(s.lower, s.upper);
      });
    };
  } else {
    const { kind, ...options } = ref.controller;
    const plugin = controllerPlugins.find((p) => p.kind === kind)!;
    const controller = await plugin.create(plugin.schema.parse(options), {
      baseDir,
      controlDt: env.dt,
      seed: 5,
    });
    await controller.configure({
      observation: env.observation,
      action: robotActionSpec(env, pair),
      dt: env.dt,
      events: { emit: () => {} },
    });
    act = (t) => {
      controller.update(obs, t, action);
      toLearnerActions(pair.actionMap, action);
    };
  }
  let total = 0;
  for (let e = 0; e < ref.episodes; e++) {
    env.reset(obs, 777 + e);
    for (let t = 0; t < env.horizon; t++) {
      act(t * env.dt);
      const step = env.step(action, obs);
      total += step.reward;
      if (step.terminated) break;
    }
  }
  env.dispose?.();
  return total / ref.episodes;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: readonly number[]) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / xs.length);

/** A criterion in words with its outcome on the mean scores. */
export function judge(
  c: Criterion,
  meanScore: (method: string) => number,
): { text: string; passed: boolean } {
  const m = meanScore(c.method);
  if ('atMost' in c) return { text: `${c.method} ${m.toFixed(1)} <= ${c.atMost}`, passed: m <= c.atMost };
  if ('atLeast' in c) return { text: `${c.method} ${m.toFixed(1)} >= ${c.atLeast}`, passed: m >= c.atLeast };
  const best = c.beats.reduce((a, b) => (meanScore(b) > meanScore(a) ? b : a));
  const bar = meanScore(best) + c.by;
  return {
    text: `${c.method} ${m.toFixed(1)} >= best of ${c.beats.join(', ')} (${best} ${meanScore(best).toFixed(1)}) + ${c.by}`,
    passed: m >= bar,
  };
}

/** The data sweep's scores by method and log, as a table, as JSON and as score-against-amount curves. */
function sweepSummary(
  bench: GapBenchmark,
  means: ReadonlyMap<string, number>,
  summary: Record<string, Record<string, unknown>>,
) {
  const logs: Record<
    string,
    { file: string; transitions: number; episodes: number | null; meanReturn: unknown }
  > = {};
  for (const [key, log] of Object.entries(bench.data?.logs ?? {})) {
    if (!existsSync(log.file)) continue;
    const body = JSON.parse(readFileSync(log.file, 'utf8')) as {
      size: number;
      meta?: Record<string, unknown>;
    };
    logs[key] = {
      file: path.relative(process.cwd(), log.file),
      transitions: body.size,
      episodes: 'episodes' in log ? log.episodes : null,
      meanReturn: body.meta?.['meanReturn'] ?? null,
    };
  }
  const byMethod: Record<
    string,
    Record<string, { meanScore: number; stdScore: number; transitions: number }>
  > = {};
  for (const v of bench.variants) {
    if (v.sweep === undefined) continue;
    const result = summary[v.key]!;
    byMethod[v.sweep.method] ??= {};
    byMethod[v.sweep.method]![v.sweep.log] = {
      meanScore: means.get(v.key)!,
      stdScore: result['stdScore'] as number,
      transitions: logs[v.sweep.log]?.transitions ?? Number.NaN,
    };
  }
  const table = Object.entries(byMethod).map(([method, row]) => ({
    method,
    ...Object.fromEntries(
      Object.entries(row).map(([log, r]) => [`${log} (${r.transitions})`, r.meanScore.toFixed(1)]),
    ),
  }));
  // The curve runs over the logs of a growing number of episodes; a replay log is another quality.
  const amounts = Object.keys(logs).filter((k) => logs[k]!.episodes !== null);
  const curves = Object.entries(byMethod).map(([method, row], i) => ({
    label: bench.variants.find((v) => v.key === method)!.label,
    color: palette[i % palette.length]!,
    points: amounts
      .filter((log) => row[log] !== undefined)
      .map((log) => [row[log]!.transitions, row[log]!.meanScore, row[log]!.stdScore] as const)
      .sort((a, b) => a[0] - b[0]),
  }));
  return { logs, byMethod, table, curves: curves.filter((c) => c.points.length > 1) };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  if (file === undefined)
    throw new RangeError(
      'usage: npm run bench:h2o-gap -- <benchmark.yaml> [--seeds 0,1] [--updates n] [--methods a,b] [--workers n] [--out dir]',
    );
  const seeds = flag('seeds')?.split(',').map(Number);
  const methods = flag('methods')?.split(',');
  const updates = flag('updates') ? Number(flag('updates')) : undefined;
  const workers = Number(flag('workers') ?? 2);
  const bench = loadGapBenchmark(file, {
    ...(seeds ? { seeds } : {}),
    ...(updates ? { updates } : {}),
    ...(methods ? { methods } : {}),
  });
  const first = bench.variants[0]!.config;
  const plugin = environmentPlugins.find((p) => p.kind === first.environment.kind)!;
  const pair = await plugin.create(first.environment.options, { baseDir: path.dirname(first.file) });
  for (const v of bench.variants)
    for (const file of v.config.datasets)
      if (!existsSync(file))
        throw new Error(
          `${bench.file}: ${v.key} trains on ${file}, which does not exist; make the logs first: node --import tsx bench/data/make-gap-log.ts ${bench.file}`,
        );
  // A reference measured by a controller or a random policy is known before training; one that is
  // a method's mean return (the oracle) only after.
  const measured = async (ref: Reference) =>
    'method' in ref ? null : await referenceReturn(ref, pair, bench.baseDir);
  const before = { zero: await measured(bench.references.zero), full: await measured(bench.references.full) };
  const jobs: Job[] = bench.variants.flatMap((v) =>
    v.config.seeds.map((seed) => ({ config: v.config, seed })),
  );
  console.log(
    `${bench.name}: ${jobs.length} training runs on ${workers} worker(s); references measured before training ${JSON.stringify(before)}`,
  );
  const wall = performance.now();
  const results = await runJobs(jobs, workers, undefined, (done) =>
    console.log(
      `  done ${bench.variants.find((v) => v.config === done.job.config)!.key} seed ${done.job.seed}: ${done.result.finalReturn.toFixed(1)}`,
    ),
  );
  const wallSeconds = (performance.now() - wall) / 1000;
  const methodReturn = (key: string) =>
    mean(
      results
        .filter((r) => r.job.config === bench.variants.find((v) => v.key === key)!.config)
        .map((r) => r.result.finalReturn),
    );
  const after = (ref: Reference, measuredBefore: number | null) =>
    'method' in ref ? methodReturn(ref.method) : measuredBefore!;
  const refs = {
    zero: after(bench.references.zero, before.zero),
    full: after(bench.references.full, before.full),
  };
  if (!(refs.full !== refs.zero)) throw new RangeError(`references: zero and full both return ${refs.zero}`);
  console.log(`references: ${JSON.stringify(refs)}`);
  const score = (j: number) => (100 * (j - refs.zero)) / (refs.full - refs.zero);
  const summary: Record<string, Record<string, unknown>> = {};
  const means = new Map<string, number>();
  const table: Record<string, string>[] = [];
  for (const { key, label, config } of bench.variants) {
    const runs = results.filter((r) => r.job.config === config);
    const scores = runs.map((r) => score(r.result.finalReturn));
    means.set(key, mean(scores));
    summary[key] = {
      label,
      returns: runs.map((r) => r.result.finalReturn),
      scores,
      meanScore: mean(scores),
      stdScore: std(scores),
      secondsPerSeed: runs.map((r) => r.result.seconds),
      curves: runs.map((r) => r.result.history.map((h) => [h.updates, score(h.realReturn)])),
      finalW: runs.map((r) => r.result.finalW),
    };
    table.push({
      method: label,
      score: `${mean(scores).toFixed(1)} ± ${std(scores).toFixed(1)}`,
      's/seed': mean(runs.map((r) => r.result.seconds)).toFixed(0),
    });
  }
  console.table(table.filter((_, i) => bench.variants[i]!.sweep === undefined));
  const sweep = sweepSummary(bench, means, summary);
  if (sweep.table.length > 0) {
    console.log('real data sweep (mean score over seeds):');
    console.table(sweep.table);
  }
  // A criterion on a method this run left out (--methods) is reported as not judged, never as passed.
  const criteria = bench.criteria.map((c) => {
    const missing = ('beats' in c ? [c.method, ...c.beats] : [c.method]).filter((m) => !means.has(m));
    return missing.length === 0
      ? judge(c, (m) => means.get(m)!)
      : { text: `${JSON.stringify(c)}: not run (${missing.join(', ')})`, passed: null };
  });
  for (const c of criteria)
    console.log(`  ${c.passed === null ? 'skip' : c.passed ? 'pass' : 'FAIL'}: ${c.text}`);
  if (criteria.length > 0)
    console.log(
      `criteria: ${criteria.filter((c) => c.passed === true).length} of ${criteria.filter((c) => c.passed !== null).length} judged pass`,
    );
  const dir = flag('out') ?? 'bench/results';
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `${bench.name}.json`);
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        benchmark: bench.name,
        definition: path.relative(process.cwd(), bench.file),
        ...machineInfo(),
        command: `npm run bench:h2o-gap -- ${args.join(' ')}`.trim(),
        wallSeconds,
        references: refs,
        settings: Object.fromEntries(
          bench.variants.map((v) => [v.key, (({ file: _f, output: _o, ...rest }) => rest)(v.config)]),
        ),
        results: summary,
        ...(bench.data ? { data: { behaviour: bench.data.behaviour, logs: sweep.logs } } : {}),
        ...(sweep.table.length > 0 ? { sweep: sweep.byMethod } : {}),
        criteria,
      },
      null,
      1,
    )}\n`,
  );
  const curves = bench.variants
    .filter((v) => v.sweep === undefined)
    .map(({ key, label }, i) => {
      const runs = summary[key]!['curves'] as [number, number][][];
      const points = runs[0]!.map((p, k) => {
        const ys = runs.map((r) => r[k]?.[1] ?? Number.NaN).filter(Number.isFinite);
        return [p[0], mean(ys), std(ys)] as const;
      });
      return { label, color: palette[i % palette.length]!, points };
    });
  writeFileSync(
    path.join(dir, `${bench.name}-curves.svg`),
    learningCurvesSvg(`${bench.title}: real-system score`, 'normalised score', curves, [-20, 110]),
  );
  if (sweep.curves.length > 0)
    writeFileSync(
      path.join(dir, `${bench.name}-data.svg`),
      learningCurvesSvg(
        `${bench.title}: real-system score against the amount of real data`,
        'normalised score',
        sweep.curves,
        [-20, 110],
        'real transitions in the log',
      ),
    );
  console.log(`wrote ${out} (${wallSeconds.toFixed(0)} s wall)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  await main().catch((error: unknown) => {
    // A config error names the file, line and key; that is the whole message a user needs.
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
