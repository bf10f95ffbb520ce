// Compiled from sim/gaps/pair.ts by `npm run build`: edit the source, not this file.

// sim/gaps/pair.ts
import { z } from "zod";
import { Rng } from "../../src/core/rng.js";
import { signal } from "../../src/core/spec.js";
import { signalTask } from "../envs/definition.js";
import { createEnv, envDefinition, envDefinitions } from "../envs/index.js";
var gapDefaults = { gravity: 2, friction: 0.3, "action-noise": 1, gear: 2, mass: 0.5 };
var mujocoGapOptions = z.object({
  /** A model in sim/models that has an environment. */
  model: z.enum(envDefinitions.map((d) => d.model)),
  /** One of the model's tasks (cartpole: balance, swingup); default its first. */
  task: z.string().optional(),
  gap: z.enum(Object.keys(gapDefaults)),
  /** The gap's factor (gravity, friction, gear, mass) or the action noise σ in normalised units. */
  strength: z.number().min(0).optional()
}).strict().superRefine((o, ctx) => {
  const tasks = envDefinitions.find((d) => d.model === o.model)?.tasks;
  if (tasks && o.task !== void 0 && !tasks.includes(o.task)) {
    ctx.addIssue({
      code: "custom",
      path: ["task"],
      message: `model ${o.model} has no task '${o.task}' (tasks: ${tasks.join(", ")})`
    });
  }
});
async function mujocoGapPair(options) {
  const strength = options.strength ?? gapDefaults[options.gap];
  const task = options.task === void 0 ? {} : { task: options.task };
  const simDynamics = gapDynamics(options.gap, strength);
  const actionNoise = options.gap === "action-noise" ? strength : 0;
  const stock = await createEnv(options.model, task);
  const actionMap = normalizingMap(stock.action);
  stock.dispose();
  const definition = envDefinition(options.model);
  return {
    name: `${options.model}(${options.gap} gap ×${strength})`,
    sim: async (seed) => new NormalizedActions(
      await createEnv(options.model, { ...task, seed, dynamics: simDynamics }),
      actionNoise,
      seed
    ),
    real: async (seed) => new NormalizedActions(await createEnv(options.model, { ...task, seed }), 0, seed),
    gapRegion: null,
    actionMap,
    ...signalTask(definition, options.task ?? definition.tasks[0])
  };
}
function gapDynamics(gap, strength) {
  switch (gap) {
    case "gravity":
      return { gravityScale: strength };
    case "friction":
      return { frictionScale: strength };
    case "gear":
      return { gearScale: strength };
    case "mass":
      return { massScale: strength };
    case "action-noise":
      return {};
  }
}
var mujocoGapPlugin = {
  kind: "mujoco-gap",
  description: "a MuJoCo model against a copy with wrong gravity, friction, gear, masses or action noise (H2O paper)",
  schema: mujocoGapOptions,
  create: (options) => mujocoGapPair(options)
};
function normalizingMap(action) {
  return action.signals.map((s) => {
    if (!Number.isFinite(s.lower) || !Number.isFinite(s.upper)) {
      throw new Error(`action ${s.name} is unbounded; normalised actions need a finite range`);
    }
    return { name: s.name, unit: s.unit, scale: (s.upper - s.lower) / 2, offset: (s.upper + s.lower) / 2 };
  });
}
var NormalizedActions = class {
  constructor(env, noise, seed) {
    this.env = env;
    this.noise = noise;
    this.name = env.name;
    this.observation = env.observation;
    this.dt = env.dt;
    this.horizon = env.horizon;
    this.map = normalizingMap(env.action);
    this.inner = new Float64Array(this.map.length);
    this.action = {
      ...env.action,
      signals: env.action.signals.map((s) => signal(s.name, "1", -1, 1)),
      safe: env.action.safe.map((v, i) => (v - this.map[i].offset) / this.map[i].scale)
    };
    this.rng = new Rng(seed ^ 24301);
  }
  env;
  noise;
  name;
  observation;
  action;
  dt;
  horizon;
  map;
  inner;
  rng;
  reset(observation, seed) {
    this.env.reset(observation, seed);
  }
  step(action, nextObservation) {
    for (let i = 0; i < this.inner.length; i++) {
      let a = action[i];
      if (this.noise > 0) a += this.noise * this.rng.normal();
      a = Math.max(-1, Math.min(1, a));
      this.inner[i] = this.map[i].offset + this.map[i].scale * a;
    }
    return this.env.step(this.inner, nextObservation);
  }
  dispose() {
    this.env.dispose?.();
  }
};
export {
  NormalizedActions,
  mujocoGapPair,
  mujocoGapPlugin,
  normalizingMap
};
