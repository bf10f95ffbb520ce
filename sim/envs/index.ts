import { SimModel } from '../model.ts';
import { modelEntry, modelNames } from '../models/index.ts';
import { armEnv } from './arm.ts';
import { cartpoleEnv } from './cartpole.ts';
import type { EnvDefinition } from './definition.ts';
import { hopperEnv } from './hopper.ts';
import { type EnvOptions, MujocoEnv } from './mujoco-env.ts';
import { pendulumEnv } from './pendulum.ts';
import { quadrupedEnv } from './quadruped.ts';

export type { EnvOptions } from './mujoco-env.ts';
export { MujocoEnv } from './mujoco-env.ts';

/** One environment definition per model in sim/models. */
export const envDefinitions: readonly EnvDefinition[] = [
  pendulumEnv,
  cartpoleEnv,
  hopperEnv,
  quadrupedEnv,
  armEnv,
];

export function envDefinition(model: string): EnvDefinition {
  modelEntry(model); // throws the unknown-model error listing known models
  const definition = envDefinitions.find((d) => d.model === model);
  if (!definition)
    throw new RangeError(`model '${model}' has no environment (known: ${modelNames.join(', ')})`);
  return definition;
}

export interface CreateEnvOptions extends EnvOptions {
  /** Dynamics parameters (see sim/dynamics.ts), applied to the environment's private model copy. */
  dynamics?: unknown;
}

/**
 * Loads a model by name and wraps it as an environment that owns (and disposes) its model. The
 * control period defaults to the model's default rate.
 */
export async function createEnv(model: string, options: CreateEnvOptions = {}): Promise<MujocoEnv> {
  const definition = envDefinition(model);
  const sim = await SimModel.load(model, options.dynamics);
  try {
    const controlDt = options.controlDt ?? 1 / modelEntry(model).defaultRateHz;
    return new MujocoEnv(sim, definition, { ...options, controlDt }, true);
  } catch (error) {
    sim.dispose();
    throw error;
  }
}
