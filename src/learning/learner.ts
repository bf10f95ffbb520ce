import type { Rng } from '../core/rng.ts';
import type { MlpPolicy } from '../inference/mlp.ts';
import { type Engine, type Mlp, toMlpPolicy } from './engine.ts';
import { H2oAgent, type H2oConfig } from './h2o.ts';
import type { ReplayBuffer } from './replay.ts';
import { Td3BcAgent, type Td3BcConfig } from './td3bc.ts';

/** What the trainer needs from an algorithm, whatever its losses. */
export interface Learner {
  /** Whether it collects simulator transitions (false: offline on the real log only). */
  readonly online: boolean;
  act(obs: Float64Array, rows: number, out: Float64Array, rng: Rng | null): void;
  update(rng: Rng): Record<string, number>;
  stateArrays(): Record<string, Float64Array>;
  stateScalars(): Record<string, number>;
  loadScalars(scalars: Record<string, number>): void;
  /** The deterministic actor in the deployment MLP format (for ONNX export). */
  exportPolicy(): MlpPolicy;
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
  return {
    agent,
    online: true,
    act: (obs, rows, out, r) => agent.act(obs, rows, out, r),
    update: (r) => ({ ...agent.update(r) }),
    stateArrays: () => agent.stateArrays(),
    stateScalars: () => agent.stateScalars(),
    loadScalars: (s) => agent.loadScalars(s),
    // The deterministic SAC action is tanh of the mean head: the first A outputs of the last layer.
    exportPolicy: () => mlpPolicy(agent.sac.actor, actSize, null),
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
  return {
    agent,
    online: false,
    act: (obs, rows, out) => agent.act(obs, rows, out),
    update: (r) => ({ ...agent.update(r) }),
    stateArrays: () => agent.stateArrays(),
    stateScalars: () => agent.stateScalars(),
    loadScalars: (s) => agent.loadScalars(s),
    exportPolicy: () => mlpPolicy(agent.actor, actSize, { mean: agent.stateMean, std: agent.stateStd }),
  };
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
