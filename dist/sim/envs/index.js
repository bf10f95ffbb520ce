// Compiled from sim/envs/index.ts by `npm run build`: edit the source, not this file.

// sim/envs/index.ts
import { SimModel } from "../model.js";
import { modelEntry, modelNames } from "../models/index.js";
import { armEnv } from "./arm.js";
import { cartpoleEnv } from "./cartpole.js";
import { hopperEnv } from "./hopper.js";
import { MujocoEnv } from "./mujoco-env.js";
import { pendulumEnv } from "./pendulum.js";
import { quadrupedEnv } from "./quadruped.js";
import { MujocoEnv as MujocoEnv2 } from "./mujoco-env.js";
var envDefinitions = [
  pendulumEnv,
  cartpoleEnv,
  hopperEnv,
  quadrupedEnv,
  armEnv
];
function envDefinition(model) {
  modelEntry(model);
  const definition = envDefinitions.find((d) => d.model === model);
  if (!definition)
    throw new RangeError(`model '${model}' has no environment (known: ${modelNames.join(", ")})`);
  return definition;
}
async function createEnv(model, options = {}) {
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
export {
  MujocoEnv2 as MujocoEnv,
  createEnv,
  envDefinition,
  envDefinitions
};
