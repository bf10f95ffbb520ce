/**
 * Writes the "real" logs a gap benchmark's `data` section asks for, reproducibly, on any
 * environment pair: a behaviour policy is trained online on the pair's real system with SAC for a
 * short budget (D4RL's "medium" recipe: a policy that has learned part of the task), then
 *   - `episodes` logs: its stochastic actor rolled out on the real system; each is a prefix of one
 *     set of rollouts, so logs of 5, 20 and 100 episodes differ only in the amount;
 *   - `replay` logs: everything the behaviour collected while it trained, from its uniformly random
 *     start steps on (a replay-style mix of qualities).
 * Actions are stored in the learner's normalised units, as the benchmark's learners see them.
 *
 *   node --import tsx bench/data/make-gap-log.ts bench/gaps/<benchmark>.yaml
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { environmentPairOf } from '../../app/train/environments.ts';
import { runSeed } from '../../app/train/seed-run.ts';
import type { Environment } from '../../src/core/environment.ts';
import { Rng } from '../../src/core/rng.ts';
import { saveColumnar } from '../../src/learning/dataset.ts';
import { algorithms } from '../../src/learning/learner.ts';
import type { TrainConfig } from '../../src/learning/train-config.ts';
import type { Trainer } from '../../src/learning/trainer.ts';
import { firstRows, type Transitions } from '../../src/learning/transitions.ts';
import { type BehaviourSpec, type GapBenchmark, loadGapBenchmark } from '../h2o-gap.ts';

/** The behaviour's training run: SAC online on the real system of the benchmark's pair. */
export function behaviourConfig(bench: GapBenchmark, behaviour: BehaviourSpec): TrainConfig {
  const first = bench.variants[0]!.config;
  return {
    ...first,
    algorithm: 'sac',
    hyperparameters: algorithms.sac.hyperparameters.parse({ hidden: behaviour.hidden }),
    onlineIn: 'real',
    dataset: undefined,
    datasets: [],
    init: undefined,
    seeds: [behaviour.seed],
    budget: { ...first.budget, updates: behaviour.updates, startActions: 'uniform' },
    evaluation: { every: behaviour.updates, episodes: 10 },
    output: path.resolve('runs', 'bench', bench.name, 'behaviour'),
    checkpointEvery: undefined,
  } as TrainConfig;
}

/** A set of rollouts: the transitions, episode after episode, with each episode's return and length. */
interface Rollouts {
  readonly transitions: Transitions;
  readonly returns: readonly number[];
  readonly lengths: readonly number[];
}

/** `episodes` rollouts of the trainer's stochastic actor on `env`, one seed per episode. */
export function rollouts(trainer: Trainer, env: Environment, episodes: number, seed: number): Rollouts {
  const O = env.observation.signals.length;
  const A = env.action.signals.length;
  const rng = new Rng(seed);
  const obs = new Float64Array(O);
  const action = new Float64Array(A);
  const rows: { o: Float64Array; a: Float64Array; r: number; n: Float64Array; d: number }[] = [];
  const returns: number[] = [];
  const lengths: number[] = [];
  for (let e = 0; e < episodes; e++) {
    env.reset(obs, seed * 10_000 + e);
    let total = 0;
    let t = 0;
    for (; t < env.horizon; t++) {
      trainer.learner.act(obs, 1, action, rng);
      const before = obs.slice();
      const step = env.step(action, obs);
      total += step.reward;
      rows.push({ o: before, a: action.slice(), r: step.reward, n: obs.slice(), d: step.terminated ? 1 : 0 });
      if (step.terminated) {
        t += 1;
        break;
      }
    }
    returns.push(total);
    lengths.push(t);
  }
  const flat = (pick: (row: (typeof rows)[number]) => Float64Array) => {
    const out = new Float64Array(rows.length * pick(rows[0]!).length);
    rows.forEach((row, i) => {
      out.set(pick(row), i * pick(row).length);
    });
    return out;
  };
  const transitions: Transitions = {
    size: rows.length,
    obsSize: O,
    actSize: A,
    obs: flat((r) => r.o),
    act: flat((r) => r.a),
    reward: Float64Array.from(rows, (r) => r.r),
    nextObs: flat((r) => r.n),
    terminated: Float64Array.from(rows, (r) => r.d),
  };
  return { transitions, returns, lengths };
}

/** The first `episodes` episodes of a rollout set. */
function prefix(all: Rollouts, episodes: number): Transitions {
  return firstRows(
    all.transitions,
    all.lengths.slice(0, episodes).reduce((a, b) => a + b, 0),
  );
}

const meanOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);

export async function makeGapLogs(file: string): Promise<void> {
  const bench = loadGapBenchmark(file, {});
  if (bench.data === undefined)
    throw new Error(`${bench.file}: no data section: nothing says how to make its logs`);
  const { behaviour, logs } = bench.data;
  if (Object.keys(logs).length === 0) throw new Error(`${bench.file}: data.logs names no log`);
  const config = behaviourConfig(bench, behaviour);
  const pair = await environmentPairOf(config);
  const most = Math.max(0, ...Object.values(logs).map((l) => ('episodes' in l ? l.episodes : 0)));
  await runSeed(config, behaviour.seed, {
    onFinished: async (trainer) => {
      const deterministic = trainer.history.at(-1)?.realReturn ?? Number.NaN;
      const provenance = {
        environment: pair.name,
        behaviour: `SAC online on the real system, ${behaviour.updates} updates, seed ${behaviour.seed}`,
        behaviourReturn: deterministic,
      };
      const env = await pair.real(behaviour.seed + 31_337);
      const all = rollouts(trainer, env, most, behaviour.seed + 1);
      env.dispose?.();
      const { returns } = all;
      for (const [key, log] of Object.entries(logs)) {
        mkdirSync(path.dirname(log.file), { recursive: true });
        const data =
          'episodes' in log
            ? {
                ...prefix(all, log.episodes),
                meta: {
                  ...provenance,
                  kind: 'medium',
                  episodes: log.episodes,
                  meanReturn: meanOf(returns.slice(0, log.episodes)),
                },
              }
            : {
                ...trainer.collected(),
                meta: {
                  ...provenance,
                  kind: 'replay',
                  note: 'every transition the behaviour collected while it trained',
                },
              };
        await saveColumnar(log.file, data, 5);
        console.log(
          `${key}: ${path.relative(process.cwd(), log.file)}, ${data.size} transitions${'meanReturn' in data.meta ? `, mean return ${(data.meta.meanReturn as number).toFixed(1)}` : ''}`,
        );
      }
      console.log(
        `behaviour: deterministic real return ${deterministic.toFixed(1)}, stochastic ${meanOf(returns).toFixed(1)} over ${returns.length} episodes`,
      );
    },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (file === undefined)
    throw new RangeError('usage: node --import tsx bench/data/make-gap-log.ts <benchmark.yaml>');
  await makeGapLogs(file).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
