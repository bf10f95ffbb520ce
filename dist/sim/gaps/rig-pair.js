// Compiled from sim/gaps/rig-pair.ts by `npm run build`: edit the source, not this file.

// sim/gaps/rig-pair.ts
import path from "node:path";
import { z } from "zod";
import { dynamicsSchema } from "../dynamics.js";
import { signalTask } from "../envs/definition.js";
import { createEnv, envDefinition, envDefinitions } from "../envs/index.js";
import { NormalizedActions, normalizingMap } from "./pair.js";
var rigPairOptions = z.object({
  /** A model in sim/models that has an environment. */
  model: z.enum(envDefinitions.map((d) => d.model)),
  /** One of the model's tasks; default its first. */
  task: z.string().optional(),
  /** Episode length in seconds; default the task's. */
  horizon: z.number().positive().optional(),
  /** Control rate, Hz; default the model's (cartpole 50 Hz, arm 500 Hz). Rewards are per tick of it. */
  rateHz: z.number().positive().optional(),
  /** The simulator's dynamics (sim/dynamics.ts); `{}` is the nominal model. */
  sim: dynamicsSchema.default({}),
  /** The emulated rig's config (tether rig), relative to this file: its dynamics become the stand-in's. */
  rig: z.string(),
  /** Use the rig's dynamics on the simulator side too (the benchmark's oracle). */
  simIsRig: z.boolean().default(false)
}).strict();
function rigGap(rig, file, model, controlDt) {
  if (rig.model !== model) throw new Error(`rig config ${file} emulates '${rig.model}', not '${model}'`);
  const delay = Math.round(rig.actuatorDelayMs / (1e3 * controlDt));
  return {
    file,
    dynamics: {
      ...rig.dynamics,
      ...delay > 0 ? { actionDelay: delay } : {},
      ...rig.sensorNoise > 0 ? { observationNoise: rig.sensorNoise } : {}
    },
    actuatorNoise: rig.actuatorNoise
  };
}
async function rigPair(options, baseDir, readRig) {
  const definition = envDefinition(options.model);
  const taskName = options.task ?? definition.tasks[0];
  const rate = options.rateHz === void 0 ? {} : { controlDt: 1 / options.rateHz };
  const stock = await createEnv(options.model, { task: taskName, ...rate });
  const actionMap = normalizingMap(stock.action);
  const controlDt = stock.dt;
  stock.dispose();
  const rigFile = path.resolve(baseDir, options.rig);
  const gap = rigGap(readRig(rigFile), rigFile, options.model, controlDt);
  const horizon = options.horizon === void 0 ? {} : { horizon: Math.round(options.horizon / controlDt) };
  const rigNoise = gap.actuatorNoise / (actionMap[0]?.scale ?? 1);
  const make = async (seed, dynamics, noise) => new NormalizedActions(
    await createEnv(options.model, { task: taskName, seed, dynamics, ...rate, ...horizon }),
    noise,
    seed
  );
  return {
    name: `${options.model} ${taskName}, rig ${path.basename(gap.file)}${options.simIsRig ? " (sim = rig)" : ""}`,
    sim: (seed) => options.simIsRig ? make(seed, gap.dynamics, rigNoise) : make(seed, options.sim, 0),
    real: (seed) => make(seed, gap.dynamics, rigNoise),
    gapRegion: null,
    actionMap,
    ...signalTask(definition, taskName)
  };
}
function createRigPairPlugin(readRig) {
  return {
    kind: "mujoco-rig",
    description: "a MuJoCo simulator against a stand-in for an emulated rig, made from the rig config",
    schema: rigPairOptions,
    create: (options, context) => rigPair(options, context.baseDir, readRig)
  };
}
export {
  createRigPairPlugin,
  rigGap,
  rigPair
};
