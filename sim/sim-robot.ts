import { z } from 'zod';
import type { PluginContext, RobotPlugin } from '../src/config/plugin.ts';
import { InProcessRobot } from '../src/core/in-process-robot.ts';
import type { RobotInfo } from '../src/core/robot.ts';
import { driveSchema, PdDriveKernel } from './drive.ts';
import { dynamicsSchema } from './dynamics.ts';
import { type EnvOptions, envDefinition, MujocoEnv } from './envs/index.ts';
import { SimModel } from './model.ts';
import { modelEntry, modelNames } from './models/index.ts';

const nonNegativeArray = z.array(z.number().nonnegative().finite());

export const simRobotOptions = z
  .object({
    /** One of `tether sim list`. */
    model: z.string().refine((name) => modelNames.includes(name), {
      error: (issue) => `unknown model '${String(issue.input)}' (known models: ${modelNames.join(', ')})`,
    }),
    /** Environment task, e.g. `balance` or `swingup` for the cartpole. */
    task: z.string().optional(),
    dynamics: dynamicsSchema.optional(),
    /** Overrides the initial state after randomisation (MuJoCo qpos / qvel order). */
    initialState: z
      .object({
        qpos: z.array(z.number().finite()).optional(),
        qvel: z.array(z.number().finite()).optional(),
      })
      .strict()
      .optional(),
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
    drive: driveSchema.optional(),
  })
  .strict();

export type SimRobotOptions = z.output<typeof simRobotOptions>;

/**
 * A MuJoCo model behind the `Robot` interface, lock-stepped: `write(action)` applies the action and
 * advances physics by one control period (decimation = control dt / physics dt), so the same loop
 * runs it in real time or as fast as possible. `read` returns the observation and the sim time.
 * A non-finite action faults the robot; a fault latches until `recover()` and meanwhile every
 * `write` applies the safe action while time keeps running — as it does while `ready` between a
 * recovery and the next activation, so an operator can recover without stopping the loop.
 */
export class SimRobot extends InProcessRobot {
  readonly info: RobotInfo;
  private readonly latest: Float64Array;
  private readonly safe: Float64Array;
  private configured = false;

  private constructor(
    readonly env: MujocoEnv,
    private readonly seed: number,
  ) {
    super(`sim robot '${env.sim.name}'`);
    this.latest = new Float64Array(env.observation.signals.length).fill(Number.NaN);
    this.safe = Float64Array.from(env.action.safe);
    const pd = env.driveKernel instanceof PdDriveKernel;
    this.info = {
      name: `sim:${env.sim.name}`,
      transport: 'sim',
      observation: env.observation,
      action: env.action,
      capabilities: {
        minRateHz: 1,
        maxRateHz: 1 / env.sim.timestep,
        lockStep: true,
        ...(pd ? { innerLoopHz: 1 / env.sim.timestep } : {}),
        features: pd ? ['reset', 'dynamics', 'pd-gains'] : ['reset', 'dynamics'],
      },
      plant: { model: env.sim.name, physicsStep: env.sim.timestep, dynamics: env.sim.dynamics },
    };
  }

  /** Loads the model and builds the environment; the robot starts `unconfigured`. */
  static async create(options: SimRobotOptions, controlDt: number, seed = 0): Promise<SimRobot> {
    modelEntry(options.model);
    const dynamics =
      options.observationNoise === undefined
        ? options.dynamics
        : { ...options.dynamics, observationNoise: options.observationNoise };
    const sim = await SimModel.load(options.model, dynamics);
    try {
      const envOptions: EnvOptions = { controlDt, seed: options.seed ?? seed };
      if (options.task !== undefined) envOptions.task = options.task;
      if (options.resetNoise !== undefined) envOptions.resetNoise = options.resetNoise;
      if (options.initialState !== undefined) envOptions.initialState = options.initialState;
      if (options.drive !== undefined) envOptions.drive = options.drive;
      const env = new MujocoEnv(sim, envDefinition(options.model), envOptions, true);
      return new SimRobot(env, options.seed ?? seed);
    } catch (error) {
      sim.dispose();
      throw error;
    }
  }

  protected override onConfigure(): void {
    this.env.reset(this.latest, this.seed);
    this.configured = true;
  }

  protected override onShutdown(): void {
    this.env.dispose();
  }

  /**
   * Enters `fault`. With a pd drive the motors go to the drive's fault behaviour (damping, or a hold
   * at the current pose) until `recover()`, whatever is written meanwhile.
   */
  override fault(reason: string): void {
    super.fault(reason);
    if (this.lifecycle.state === 'fault') this.driveFault(true);
  }

  /** The runtime's safety layer latched: a sim robot with a pd drive enters its own safe state too. */
  onSafetyLatch(reason: string): void {
    if (this.env.driveKernel instanceof PdDriveKernel) this.fault(`runtime safety layer latched: ${reason}`);
  }

  override async recover(): Promise<void> {
    await super.recover();
    this.driveFault(false);
  }

  private driveFault(on: boolean): void {
    const kernel = this.env.driveKernel;
    if (kernel instanceof PdDriveKernel) kernel.setFault(on, this.env.data);
  }

  /** Starts a new episode (seeded like the environment's reset); allowed when not running. */
  reset(seed?: number): void {
    if (this.lifecycle.state === 'running' || this.lifecycle.state === 'stopped') {
      throw new Error(`${this.info.name}: reset while ${this.lifecycle.state}; deactivate first`);
    }
    this.env.reset(this.latest, seed);
  }

  read(out: Float64Array): number {
    if (!this.configured) return Number.NaN;
    out.set(this.latest);
    return this.env.time;
  }

  write(action: Float64Array): void {
    const state = this.lifecycle.state;
    if (state === 'running') {
      for (let i = 0; i < action.length; i++) {
        if (!Number.isFinite(action[i])) {
          this.fault(`non-finite action component ${i} (${this.info.action.signals[i]?.name ?? '?'})`);
          break;
        }
      }
    } else if (state !== 'fault' && state !== 'ready') {
      throw new Error(`${this.info.name}: write while ${state}; commands are accepted only while running`);
    }
    const command = this.lifecycle.state === 'running' ? action : this.safe;
    this.env.step(command, this.latest);
    if (this.lifecycle.state === 'running' && !allFinite(this.latest)) {
      this.fault('simulation produced a non-finite observation');
    }
  }
}

function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

export const simRobotPlugin: RobotPlugin<SimRobotOptions> = {
  kind: 'sim',
  description: 'a MuJoCo model (tether sim list), lock-stepped with the control loop',
  schema: simRobotOptions,
  create: (options: SimRobotOptions, context: PluginContext) =>
    SimRobot.create(options, context.controlDt, context.seed),
  // In-process: building the robot opens no device, so its specs are known offline.
  async describe(options, context) {
    const robot = await SimRobot.create(options, context.controlDt, context.seed);
    await robot.shutdown();
    return robot.info;
  },
};
