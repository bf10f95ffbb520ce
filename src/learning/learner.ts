import type { MlpPolicy } from '../inference/mlp.ts';
import type { Engine, Mlp } from './engine.ts';
import { H2oAgent, type H2oConfig } from './h2o.ts';
import type { ReplayBuffer } from './replay.ts';
import type { Rng } from './rng.ts';
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

/** Converts an engine MLP (weights out×in, as stored) into the deployment format, ending in tanh. */
function mlpPolicy(
  net: Mlp,
  actSize: number,
  normalizer: { mean: Float64Array; std: Float64Array } | null,
): MlpPolicy {
  const sizes = [net.spec.inputSize, ...net.spec.hidden, net.spec.outputSize];
  const layers = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inSize = sizes[l]!;
    const outSize = sizes[l + 1]!;
    const last = l + 2 === sizes.length;
    const keep = last ? actSize : outSize;
    layers.push({
      weight: Float32Array.from(net.params.subarray(offset, offset + keep * inSize)),
      bias: Float32Array.from(
        net.params.subarray(offset + inSize * outSize, offset + inSize * outSize + keep),
      ),
      inSize,
      outSize: keep,
      activation: last ? ('tanh' as const) : net.spec.activation,
    });
    offset += inSize * outSize + outSize;
  }
  return {
    layers,
    ...(normalizer === null
      ? {}
      : { normalizer: { mean: Float32Array.from(normalizer.mean), std: Float32Array.from(normalizer.std) } }),
  };
}
