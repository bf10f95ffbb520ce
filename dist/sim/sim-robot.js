// Compiled from sim/sim-robot.ts by `npm run build`: edit the source, not this file.

// sim/sim-robot.ts
import { z } from "zod";
import { InProcessRobot } from "../src/core/in-process-robot.js";
import { driveSchema, PdDriveKernel } from "./drive.js";
import { dynamicsSchema } from "./dynamics.js";
import { envDefinition, MujocoEnv } from "./envs/index.js";
import { SimModel } from "./model.js";
import { modelEntry, modelNames } from "./models/index.js";
var nonNegativeArray = z.array(z.number().nonnegative().finite());
var simRobotOptions = z.object({
  /** One of `tether sim list`. */
  model: z.string().refine((name) => modelNames.includes(name), {
    error: (issue) => `unknown model '${String(issue.input)}' (known models: ${modelNames.join(", ")})`
  }),
  /** Environment task, e.g. `balance` or `swingup` for the cartpole. */
  task: z.string().optional(),
  dynamics: dynamicsSchema.optional(),
  /** Overrides the initial state after randomisation (MuJoCo qpos / qvel order). */
  initialState: z.object({
    qpos: z.array(z.number().finite()).optional(),
    qvel: z.array(z.number().finite()).optional()
  }).strict().optional(),
  /** Multiplies the task's initial-state randomisation; 0 = nominal start. */
  resetNoise: z.number().nonnegative().finite().optional(),
  /** Overrides the run's seed for this robot. */
  seed: z.number().int().optional(),
  /** Shortcut for dynamics.observationNoise: std per observation signal (or one for all). */
  observationNoise: z.union([z.number().nonnegative().finite(), nonNegativeArray]).optional(),
  /**
   * The motor drive (sim/drive.ts): `{ mode: torque }` (default) or `{ mode: pd, damping }`: per
   * joint a position target, kp and kd, with PD applied at the physics rate and damping as the safe
   * action.
   */
  drive: driveSchema.optional()
}).strict();
var SimRobot = class _SimRobot extends InProcessRobot {
  constructor(env, seed) {
    super(`sim robot '${env.sim.name}'`);
    this.env = env;
    this.seed = seed;
    this.latest = new Float64Array(env.observation.signals.length).fill(Number.NaN);
    this.safe = Float64Array.from(env.action.safe);
    const pd = env.driveKernel instanceof PdDriveKernel;
    this.info = {
      name: `sim:${env.sim.name}`,
      transport: "sim",
      observation: env.observation,
      action: env.action,
      capabilities: {
        minRateHz: 1,
        maxRateHz: 1 / env.sim.timestep,
        lockStep: true,
        ...pd ? { innerLoopHz: 1 / env.sim.timestep } : {},
        features: pd ? ["reset", "dynamics", "pd-gains"] : ["reset", "dynamics"]
      },
      plant: { model: env.sim.name, physicsStep: env.sim.timestep, dynamics: env.sim.dynamics }
    };
  }
  env;
  seed;
  info;
  latest;
  safe;
  configured = false;
  /** Loads the model and builds the environment; the robot starts `unconfigured`. */
  static async create(options, controlDt, seed = 0) {
    modelEntry(options.model);
    const dynamics = options.observationNoise === void 0 ? options.dynamics : { ...options.dynamics, observationNoise: options.observationNoise };
    const sim = await SimModel.load(options.model, dynamics);
    try {
      const envOptions = { controlDt, seed: options.seed ?? seed };
      if (options.task !== void 0) envOptions.task = options.task;
      if (options.resetNoise !== void 0) envOptions.resetNoise = options.resetNoise;
      if (options.initialState !== void 0) envOptions.initialState = options.initialState;
      if (options.drive !== void 0) envOptions.drive = options.drive;
      const env = new MujocoEnv(sim, envDefinition(options.model), envOptions, true);
      return new _SimRobot(env, options.seed ?? seed);
    } catch (error) {
      sim.dispose();
      throw error;
    }
  }
  onConfigure() {
    this.env.reset(this.latest, this.seed);
    this.configured = true;
  }
  onShutdown() {
    this.env.dispose();
  }
  /**
   * Enters `fault`. With a pd drive the motors go to the drive's fault behaviour (damping, or a hold
   * at the current pose) until `recover()`, whatever is written meanwhile.
   */
  fault(reason) {
    super.fault(reason);
    if (this.lifecycle.state === "fault") this.driveFault(true);
  }
  /** The runtime's safety layer latched: a sim robot with a pd drive enters its own safe state too. */
  onSafetyLatch(reason) {
    if (this.env.driveKernel instanceof PdDriveKernel) this.fault(`runtime safety layer latched: ${reason}`);
  }
  async recover() {
    await super.recover();
    this.driveFault(false);
  }
  driveFault(on) {
    const kernel = this.env.driveKernel;
    if (kernel instanceof PdDriveKernel) kernel.setFault(on, this.env.data);
  }
  /** Starts a new episode (seeded like the environment's reset); allowed when not running. */
  reset(seed) {
    if (this.lifecycle.state === "running" || this.lifecycle.state === "stopped") {
      throw new Error(`${this.info.name}: reset while ${this.lifecycle.state}; deactivate first`);
    }
    this.env.reset(this.latest, seed);
  }
  read(out) {
    if (!this.configured) return Number.NaN;
    out.set(this.latest);
    return this.env.time;
  }
  write(action) {
    const state = this.lifecycle.state;
    if (state === "running") {
      for (let i = 0; i < action.length; i++) {
        if (!Number.isFinite(action[i])) {
          this.fault(`non-finite action component ${i} (${this.info.action.signals[i]?.name ?? "?"})`);
          break;
        }
      }
    } else if (state !== "fault" && state !== "ready") {
      throw new Error(`${this.info.name}: write while ${state}; commands are accepted only while running`);
    }
    const command = this.lifecycle.state === "running" ? action : this.safe;
    this.env.step(command, this.latest);
    if (this.lifecycle.state === "running" && !allFinite(this.latest)) {
      this.fault("simulation produced a non-finite observation");
    }
  }
};
function allFinite(values) {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
var simRobotPlugin = {
  kind: "sim",
  description: "a MuJoCo model (tether sim list), lock-stepped with the control loop",
  schema: simRobotOptions,
  create: (options, context) => SimRobot.create(options, context.controlDt, context.seed),
  // In-process: building the robot opens no device, so its specs are known offline.
  async describe(options, context) {
    const robot = await SimRobot.create(options, context.controlDt, context.seed);
    await robot.shutdown();
    return robot.info;
  }
};
export {
  SimRobot,
  simRobotOptions,
  simRobotPlugin
};
