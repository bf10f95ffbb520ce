/**
 * Dynamics-gap benchmark on any environment pair and real log a user defines: the methods (each a
 * `tether train` config on the same pair), the references that normalise the real return to a
 * score, and the pass criteria all come from one YAML file (bench/gaps/*.yaml), nothing from here.
 *
 *   npm run bench:h2o-gap -- bench/gaps/cartpole-gravity.yaml [--seeds 0,1] [--updates 3000] [--workers 2]
 *     [--out bench/results]
 *
 * Every method and H2O's three ablation switches train through the same path as `tether train`;
 * the score is 100 · (return − zero) / (full − zero) on the pair's real system, with `zero` and
 * `full` measured in the same run (a random policy, a configured controller) or given as numbers.
 * Writes <out>/<name>.json (references, per-seed returns and scores, final w, criteria) and
 * <name>-curves.svg; out is bench/results unless --out says otherwise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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
}

export interface GapBenchmark {
  readonly file: string;
  readonly name: string;
  readonly title: string;
  readonly variants: readonly Variant[];
  readonly references: { readonly zero: Reference; readonly full: Reference };
  readonly criteria: readonly Criterion[];
  readonly baseDir: string;
}

/**
 * Reads a benchmark file and every training config it names; every problem is reported with the
 * file, line and key before anything trains.
 */
export function loadGapBenchmark(
  file: string,
  overrides: { seeds?: number[]; updates?: number },
): GapBenchmark {
  const doc = ConfigDocument.read(file);
  const top = doc.validate(gapBenchmarkSchema, doc.source);
  doc.throwIfProblems();
  const spec = top!;
  const variants: Variant[] = [];
  for (const [key, method] of Object.entries(spec.methods)) {
    const loaded = loadTrainConfig(doc.resolvePath(method.config), environmentPlugins);
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
  const keys = new Set(variants.map((v) => v.key));
  spec.criteria.forEach((c, i) => {
    for (const m of 'beats' in c ? [c.method, ...c.beats] : [c.method])
      if (!keys.has(m))
        doc.report(['criteria', i], `no method named '${m}' (methods: ${[...keys].join(', ')})`);
  });
  for (const [side, ref] of Object.entries(spec.references))
    if ('controller' in ref && !controllerPlugins.some((p) => p.kind === ref.controller.kind))
      doc.report(['references', side, 'controller', 'kind'], `unknown controller '${ref.controller.kind}'`);
  doc.throwIfProblems();
  return {
    file: doc.file,
    name: spec.name,
    title: spec.title,
    variants,
    references: spec.references,
    criteria: spec.criteria,
    baseDir: doc.baseDir,
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
async function referenceReturn(ref: Reference, pair: EnvironmentPair, baseDir: string): Promise<number> {
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

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  if (file === undefined)
    throw new RangeError(
      'usage: npm run bench:h2o-gap -- <benchmark.yaml> [--seeds 0,1] [--updates n] [--workers n] [--out dir]',
    );
  const seeds = flag('seeds')?.split(',').map(Number);
  const updates = flag('updates') ? Number(flag('updates')) : undefined;
  const workers = Number(flag('workers') ?? 2);
  const bench = loadGapBenchmark(file, { ...(seeds ? { seeds } : {}), ...(updates ? { updates } : {}) });
  const first = bench.variants[0]!.config;
  const plugin = environmentPlugins.find((p) => p.kind === first.environment.kind)!;
  const pair = await plugin.create(first.environment.options, { baseDir: path.dirname(first.file) });
  const refs = {
    zero: await referenceReturn(bench.references.zero, pair, bench.baseDir),
    full: await referenceReturn(bench.references.full, pair, bench.baseDir),
  };
  if (!(refs.full !== refs.zero)) throw new RangeError(`references: zero and full both return ${refs.zero}`);
  const score = (j: number) => (100 * (j - refs.zero)) / (refs.full - refs.zero);
  const jobs: Job[] = bench.variants.flatMap((v) =>
    v.config.seeds.map((seed) => ({ config: v.config, seed })),
  );
  console.log(
    `${bench.name}: ${jobs.length} training runs on ${workers} worker(s); references ${JSON.stringify(refs)}`,
  );
  const wall = performance.now();
  const results = await runJobs(jobs, workers, undefined, (done) =>
    console.log(
      `  done ${bench.variants.find((v) => v.config === done.job.config)!.key} seed ${done.job.seed}: ${done.result.finalReturn.toFixed(1)}`,
    ),
  );
  const wallSeconds = (performance.now() - wall) / 1000;
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
  console.table(table);
  const criteria = bench.criteria.map((c) => judge(c, (m) => means.get(m)!));
  for (const c of criteria) console.log(`  ${c.passed ? 'pass' : 'FAIL'}: ${c.text}`);
  if (criteria.length > 0)
    console.log(`criteria: ${criteria.filter((c) => c.passed).length} of ${criteria.length} pass`);
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
        criteria,
      },
      null,
      1,
    )}\n`,
  );
  const curves = bench.variants.map(({ key, label }, i) => {
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
  console.log(`wrote ${out} (${wallSeconds.toFixed(0)} s wall)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  await main().catch((error: unknown) => {
    // A config error names the file, line and key; that is the whole message a user needs.
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
