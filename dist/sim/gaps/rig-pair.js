// Compiled from sim/gaps/rig-pair.ts by `npm run build`: edit the source, not this file.

// sim/gaps/rig-pair.ts
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
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
var rigGapSchema = z.looseObject({
  model: z.string(),
  task: z.string().optional(),
  dynamics: dynamicsSchema.omit({ actionDelay: true, observationNoise: true }).default({}),
  actuatorDelayMs: z.number().nonnegative().default(0),
  actuatorNoise: z.number().nonnegative().default(0),
  sensorNoise: z.number().nonnegative().default(0)
});
function readRigGap(file, model, controlDt) {
  let raw;
  try {
    raw = parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`rig config ${file}: ${error.message}`);
  }
  const parsed = rigGapSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `rig config ${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`
    );
  const rig = parsed.data;
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
async function rigPair(options, baseDir) {
  const definition = envDefinition(options.model);
  const taskName = options.task ?? definition.tasks[0];
  const rate = options.rateHz === void 0 ? {} : { controlDt: 1 / options.rateHz };
  const stock = await createEnv(options.model, { task: taskName, ...rate });
  const actionMap = normalizingMap(stock.action);
  const controlDt = stock.dt;
  stock.dispose();
  const gap = readRigGap(path.resolve(baseDir, options.rig), options.model, controlDt);
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
var rigPairPlugin = {
  kind: "mujoco-rig",
  description: "a MuJoCo simulator against a stand-in for an emulated rig, made from the rig config",
  schema: rigPairOptions,
  create: (options, context) => rigPair(options, context.baseDir)
};
export {
  readRigGap,
  rigPair,
  rigPairPlugin
};
