// Compiled from sim/gaps/task-pair.ts by `npm run build`: edit the source, not this file.

// sim/gaps/task-pair.ts
import { z } from "zod";
import { dynamicsSchema } from "../dynamics.js";
import { signalTask } from "../envs/definition.js";
import { createEnv, envDefinition, envDefinitions } from "../envs/index.js";
import { NormalizedActions, normalizingMap } from "./pair.js";
var mujocoTaskOptions = z.object({
  /** A model in sim/models that has an environment. */
  model: z.enum(envDefinitions.map((d) => d.model)),
  /** One of the model's tasks (cartpole: balance, swingup); default its first. */
  task: z.string().optional(),
  /** Episode length in seconds; default the task's (cartpole: 10 s). */
  horizon: z.number().positive().optional(),
  /** Control rate, Hz; default the model's (cartpole: 50 Hz). Rewards are per tick of this rate. */
  rateHz: z.number().positive().optional(),
  /** The dynamics of both sides (sim/dynamics.ts); `{}` is the nominal model. */
  dynamics: dynamicsSchema.default({})
}).strict().superRefine((o, ctx) => {
  const tasks = envDefinitions.find((d) => d.model === o.model)?.tasks;
  if (tasks && o.task !== void 0 && !tasks.includes(o.task))
    ctx.addIssue({
      code: "custom",
      path: ["task"],
      message: `model ${o.model} has no task '${o.task}' (tasks: ${tasks.join(", ")})`
    });
});
async function mujocoTaskPair(options) {
  const definition = envDefinition(options.model);
  const taskName = options.task ?? definition.tasks[0];
  const controlDt = options.rateHz === void 0 ? {} : { controlDt: 1 / options.rateHz };
  const stock = await createEnv(options.model, { task: taskName, ...controlDt });
  const actionMap = normalizingMap(stock.action);
  const dt = stock.dt;
  stock.dispose();
  const horizon = options.horizon === void 0 ? {} : { horizon: Math.round(options.horizon / dt) };
  const make = async (seed) => new NormalizedActions(
    await createEnv(options.model, {
      task: taskName,
      seed,
      dynamics: options.dynamics,
      ...controlDt,
      ...horizon
    }),
    0,
    seed
  );
  return {
    name: `${options.model} ${taskName}`,
    sim: make,
    real: make,
    gapRegion: null,
    actionMap,
    ...signalTask(definition, taskName)
  };
}
var mujocoTaskPlugin = {
  kind: "mujoco",
  description: "a MuJoCo model's task, the same on both sides (the task of a run on that model or a rig of it)",
  schema: mujocoTaskOptions,
  create: (options) => mujocoTaskPair(options)
};
export {
  mujocoTaskPair,
  mujocoTaskPlugin
};
