import type { z } from 'zod';
import type { Rng } from '../core/rng.ts';
import type { MlpPolicy } from '../inference/mlp.ts';
import { type Engine, type Mlp, toMlpPolicy } from './engine.ts';
import { H2oAgent, type H2oConfig, h2oConfigSchema, naiveMixConfigSchema } from './h2o.ts';
import { type ActorInit, loadActor } from './init.ts';
import { IqlAgent, type IqlConfig, iqlConfigSchema } from './iql.ts';
import { createBatch, type ReplayBuffer } from './replay.ts';
import { criticWarmupUpdate, SacAgent, type SacConfig, sacConfigSchema, sacUpdate } from './sac.ts';
import { Td3BcAgent, type Td3BcConfig, td3bcConfigSchema } from './td3bc.ts';

/**
 * Every algorithm `tether train` offers, with the schema of its hyperparameters (the one typed
 * place of their names, types and defaults), whether it learns from the real log and whether it
 * collects simulator transitions (online).
 */
export const algorithms = {
  sac: { hyperparameters: sacConfigSchema, usesRealLog: false, online: true },
  'naive-mix': { hyperparameters: naiveMixConfigSchema, usesRealLog: true, online: true },
  h2o: { hyperparameters: h2oConfigSchema, usesRealLog: true, online: true },
  td3bc: { hyperparameters: td3bcConfigSchema, usesRealLog: true, online: false },
  iql: { hyperparameters: iqlConfigSchema, usesRealLog: true, online: false },
} as const;

export type AlgorithmName = keyof typeof algorithms;
export const algorithmNames = Object.keys(algorithms) as [AlgorithmName, ...AlgorithmName[]];

/** An algorithm with its hyperparameters, typed by that algorithm's schema. */
export type AlgorithmSettings = {
  readonly [K in AlgorithmName]: {
    readonly algorithm: K;
    readonly hyperparameters: Readonly<z.output<(typeof algorithms)[K]['hyperparameters']>>;
  };
}[AlgorithmName];

/** The data a learner trains on: the real log (offline and hybrid algorithms) and the sim buffer. */
export interface LearnerData {
  readonly real: ReplayBuffer | null;
  readonly sim: ReplayBuffer;
  /** Where the dynamics gap is expected, for H2O's w/u diagnostics. */
  readonly gapRegion: ((obs: Float64Array, row: number) => boolean) | null;
}

export function createLearner(
  settings: AlgorithmSettings,
  engine: Engine,
  obsSize: number,
  actSize: number,
  data: LearnerData,
  rng: Rng,
): Learner {
  switch (settings.algorithm) {
    case 'sac':
      return sacLearner(engine, obsSize, actSize, settings.hyperparameters, data.sim, rng);
    case 'naive-mix':
    case 'h2o':
      return hybridLearner(
        engine,
        obsSize,
        actSize,
        settings.hyperparameters,
        data.real,
        data.sim,
        rng,
        data.gapRegion,
      );
    case 'td3bc':
      if (data.real === null) throw new Error('td3bc learns from the real log, but no dataset was given');
      return td3bcLearner(engine, obsSize, actSize, settings.hyperparameters, data.real, rng);
    case 'iql':
      if (data.real === null) throw new Error('iql learns from the real log, but no dataset was given');
      return iqlLearner(engine, obsSize, actSize, settings.hyperparameters, data.real, rng);
  }
}

/** What the trainer needs from an algorithm, whatever its losses. */
export interface Learner {
  /** Whether it collects simulator transitions (false: offline on the real log only). */
  readonly online: boolean;
  act(obs: Float64Array, rows: number, out: Float64Array, rng: Rng | null): void;
  update(rng: Rng): Record<string, number>;
  stateArrays(): Record<string, Float64Array>;
  stateScalars(): Record<string, number>;
  loadScalars(scalars: Record<string, number>): void;
  /** The deterministic actor in the deployment MLP format; `exportPolicy` (src/inference/export.ts) writes it. */
  actorPolicy(): MlpPolicy;
  /**
   * Starts from a deployed actor (fine-tuning). `initialStd`: exploration σ of a stochastic actor
   * at the start, the same in every state.
   */
  loadActor(init: ActorInit, initialStd: number): void;
  /** One critic-only update on the real data (policy evaluation of the current actor); null when it has none. */
  warmCritics(rng: Rng): Record<string, number> | null;
}

/** The raw log-σ output that gives σ0 with the head's initial scale (log σ = 1·raw − 1). */
function rawLogStd(agent: SacAgent, initialStd: number): number {
  const [m, o] = agent.logStdScale;
  return (Math.log(initialStd) - o!) / m!;
}

/** Plain SAC on the simulator's replay buffer (sac.ts `sacUpdate`). */
export function sacLearner(
  engine: Engine,
  obsSize: number,
  actSize: number,
  config: SacConfig,
  sim: ReplayBuffer,
  rng: Rng,
): Learner & { agent: SacAgent } {
  const agent = new SacAgent(engine, obsSize, actSize, config, rng, config.batchSize);
  const batch = createBatch(config.batchSize, obsSize, actSize);
  batch.rows = config.batchSize;
  return {
    agent,
    online: true,
    act: (obs, rows, out, r) => agent.act(obs, rows, out, r),
    update: (r) => {
      sim.sampleInto(batch, 0, batch.rows, r);
      return { ...sacUpdate(agent, batch, config.rewardScale, r) };
    },
    stateArrays: () => agent.stateArrays(),
    stateScalars: () => agent.stateScalars(),
    loadScalars: (s) => agent.loadScalars(s),
    actorPolicy: () => mlpPolicy(agent.actor, actSize, null),
    loadActor: (init, initialStd) =>
      loadActor(agent.actor, init, { extraBias: rawLogStd(agent, initialStd) }),
    // No real data: policy evaluation on the simulator's start steps.
    warmCritics: (r) => {
      if (sim.size === 0) return null;
      sim.sampleInto(batch, 0, batch.rows, r);
      return { ...criticWarmupUpdate(agent, batch, config.rewardScale, r) };
    },
  };
}

export function hybridLearner(
  engine: Engine,
  obsSize: number,
  actSize: number,
  config: H2oConfig,
  real: ReplayBuffer | null,
  sim: ReplayBuffer,
  rng: Rng,
  gapRegion: ((obs: Float64Array, row: number) => boolean) | null,
): Learner & { agent: H2oAgent } {
  const agent = new H2oAgent(engine, obsSize, actSize, config, real, sim, rng, gapRegion);
  let warmBatch: ReturnType<typeof createBatch> | undefined;
  return {
    agent,
    online: true,
    act: (obs, rows, out, r) => agent.act(obs, rows, out, r),
    update: (r) => ({ ...agent.update(r) }),
    stateArrays: () => agent.stateArrays(),
    stateScalars: () => agent.stateScalars(),
    loadScalars: (s) => agent.loadScalars(s),
    // The deterministic SAC action is tanh of the mean head: the first A outputs of the last layer.
    actorPolicy: () => mlpPolicy(agent.sac.actor, actSize, null),
    loadActor: (init, initialStd) =>
      loadActor(agent.sac.actor, init, { extraBias: rawLogStd(agent.sac, initialStd) }),
    warmCritics: (r) => {
      if (real === null) return null;
      warmBatch ??= createBatch(config.realBatch + config.simBatch, obsSize, actSize);
      warmBatch.rows = warmBatch.realRows = config.realBatch + config.simBatch;
      real.sampleInto(warmBatch, 0, warmBatch.rows, r);
      return { ...criticWarmupUpdate(agent.sac, warmBatch, config.rewardScale, r) };
    },
  };
}

/**
 * What TD3+BC and IQL share as learners: offline on the real log, a deterministic tanh actor that
 * sees states normalised by the log's statistics (a deployed actor is re-expressed for them), and
 * critics learned from the log from the first update (no separate warm-up).
 */
interface OfflineAgent {
  readonly actor: Mlp;
  readonly stateMean: Float64Array;
  readonly stateStd: Float64Array;
  act(obs: Float64Array, rows: number, out: Float64Array): void;
  update(rng: Rng): object;
  stateArrays(): Record<string, Float64Array>;
  stateScalars(): Record<string, number>;
  loadScalars(scalars: Record<string, number>): void;
}

function offlineLearner<A extends OfflineAgent>(
  agent: A,
  actSize: number,
  /** Every actor the deployed one starts (TD3+BC's target actor too). */
  actors: readonly Mlp[],
): Learner & { agent: A } {
  return {
    agent,
    online: false,
    act: (obs, rows, out) => agent.act(obs, rows, out),
    update: (r) => ({ ...(agent.update(r) as Record<string, number>) }),
    stateArrays: () => agent.stateArrays(),
    stateScalars: () => agent.stateScalars(),
    loadScalars: (s) => agent.loadScalars(s),
    actorPolicy: () => mlpPolicy(agent.actor, actSize, { mean: agent.stateMean, std: agent.stateStd }),
    loadActor: (init) => {
      const options = { inputMean: agent.stateMean, inputStd: agent.stateStd };
      for (const actor of actors) loadActor(actor, init, options);
    },
    warmCritics: () => null,
  };
}

export function td3bcLearner(
  engine: Engine,
  obsSize: number,
  actSize: number,
  config: Td3BcConfig,
  real: ReplayBuffer,
  rng: Rng,
): Learner & { agent: Td3BcAgent } {
  const agent = new Td3BcAgent(engine, obsSize, actSize, config, real, rng);
  return offlineLearner(agent, actSize, [agent.actor, agent.actorTarget]);
}

export function iqlLearner(
  engine: Engine,
  obsSize: number,
  actSize: number,
  config: IqlConfig,
  real: ReplayBuffer,
  rng: Rng,
): Learner & { agent: IqlAgent } {
  const agent = new IqlAgent(engine, obsSize, actSize, config, real, rng);
  return offlineLearner(agent, actSize, [agent.actor]);
}

/** The deterministic actor in the deployment format: its first `actSize` outputs through tanh. */
function mlpPolicy(
  net: Mlp,
  actSize: number,
  normalizer: { mean: Float64Array; std: Float64Array } | null,
): MlpPolicy {
  return {
    ...toMlpPolicy(net, { outputs: actSize, activation: 'tanh' }),
    ...(normalizer === null
      ? {}
      : { normalizer: { mean: Float32Array.from(normalizer.mean), std: Float32Array.from(normalizer.std) } }),
  };
}
