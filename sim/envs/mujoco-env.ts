import type { Environment, EnvStep } from '../../src/core/environment.ts';
import { Rng } from '../../src/core/rng.ts';
import type { ActionSpec, VectorSpec } from '../../src/core/spec.ts';
import { SimData } from '../data.ts';
import { type DriveInput, withDrive } from '../drive.ts';
import type { SimModel } from '../model.ts';
import type { EnvDefinition, EnvKernel } from './definition.ts';

export interface EnvOptions {
  /** Control period in seconds; rounded to a whole number of physics steps (the decimation). */
  controlDt?: number;
  /** Seed of the reset and noise stream; `reset(obs, seed)` reseeds it. */
  seed?: number;
  /** Multiplies the task's default initial-state randomisation (0: always the nominal state). */
  resetNoise?: number;
  /** Overrides the initial state after randomisation, e.g. `{ qpos: [0, Math.PI] }` hangs the cartpole. */
  initialState?: { qpos?: readonly number[]; qvel?: readonly number[] };
  /** One of the definition's tasks. */
  task?: string;
  /** Episode length in control steps; default from the definition's horizon in seconds. */
  horizon?: number;
  /** Motor drive: joint torques (default) or joint PD at the physics rate (sim/drive.ts). */
  drive?: DriveInput;
}

/**
 * A MuJoCo model as an `Environment`: lock-stepped control with decimation (physics dt vs control
 * dt), seeded resets, action delay and observation noise from the model's dynamics parameters.
 * `step` allocates nothing; a non-finite action component is replaced by the safe action.
 */
export class MujocoEnv implements Environment {
  readonly name: string;
  readonly observation: VectorSpec;
  readonly action: ActionSpec;
  readonly dt: number;
  readonly decimation: number;
  readonly horizon: number;
  readonly task: string;
  readonly data: SimData;

  private readonly kernel: EnvKernel;
  private readonly rng: Rng;
  private readonly noiseRng: Rng;
  private readonly resetNoise: number;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  private readonly safe: Float64Array;
  /** Ring of the last `delay + 1` actions; the oldest is the one applied. */
  private readonly delayRing: Float64Array;
  private readonly delay: number;
  private readonly applied: Float64Array;
  private readonly noiseStd: Float64Array;
  private readonly hasNoise: boolean;
  private readonly result: EnvStep = { reward: 0, terminated: false, truncated: false };
  private tick = 0;
  private steps = 0;

  constructor(
    readonly sim: SimModel,
    definition: EnvDefinition,
    private readonly options: EnvOptions = {},
    /** Dispose the SimModel with the environment (true when the environment loaded it). */
    private readonly ownsModel = false,
  ) {
    const task = options.task ?? definition.tasks[0]!;
    if (!definition.tasks.includes(task)) {
      throw new RangeError(
        `${definition.model}: unknown task '${task}' (known: ${definition.tasks.join(', ')})`,
      );
    }
    this.task = task;
    this.name = `${definition.model}-${task}`;
    this.kernel = withDrive(sim, definition.bind(sim, task), options.drive);
    this.observation = this.kernel.observation;
    this.action = this.kernel.action;

    const timestep = sim.timestep;
    const controlDt = options.controlDt ?? timestep;
    if (!(controlDt > 0) || !Number.isFinite(controlDt)) {
      throw new RangeError(`${this.name}: controlDt must be a positive number of seconds, got ${controlDt}`);
    }
    this.decimation = Math.max(1, Math.round(controlDt / timestep));
    if (Math.abs(this.decimation * timestep - controlDt) > 1e-9 * Math.max(1, controlDt)) {
      throw new RangeError(
        `${this.name}: control period ${controlDt} s is not a whole number of physics steps of ${timestep} s`,
      );
    }
    this.dt = this.decimation * timestep;
    this.horizon = options.horizon ?? Math.round(definition.horizonSeconds / this.dt);

    this.rng = new Rng(options.seed ?? 0);
    this.noiseRng = new Rng(((options.seed ?? 0) ^ 0x9e3779b9) >>> 0);
    this.resetNoise = options.resetNoise ?? 1;

    const nu = this.action.signals.length;
    this.lower = Float64Array.from(this.action.signals, (s) => s.lower);
    this.upper = Float64Array.from(this.action.signals, (s) => s.upper);
    this.safe = Float64Array.from(this.action.safe);
    this.delay = sim.dynamics.actionDelay ?? 0;
    this.delayRing = new Float64Array((this.delay + 1) * nu);
    this.applied = new Float64Array(nu);

    const noise = sim.dynamics.observationNoise ?? 0;
    const nObs = this.observation.signals.length;
    if (Array.isArray(noise) && noise.length !== nObs) {
      throw new RangeError(
        `${this.name}: dynamics.observationNoise has ${noise.length} values, expected ${nObs} (one per observation signal)`,
      );
    }
    this.noiseStd = Array.isArray(noise) ? Float64Array.from(noise) : new Float64Array(nObs).fill(noise);
    this.hasNoise = this.noiseStd.some((s) => s > 0);

    const initial = options.initialState;
    if (initial?.qpos && initial.qpos.length !== sim.model.nq) {
      throw new RangeError(
        `${this.name}: initialState.qpos has ${initial.qpos.length} values, expected ${sim.model.nq} (nq)`,
      );
    }
    if (initial?.qvel && initial.qvel.length !== sim.model.nv) {
      throw new RangeError(
        `${this.name}: initialState.qvel has ${initial.qvel.length} values, expected ${sim.model.nv} (nv)`,
      );
    }

    this.data = new SimData(sim);
  }

  /** Simulated time of the current state in seconds. */
  get time(): number {
    return this.data.time;
  }

  reset(observation: Float64Array, seed?: number): void {
    if (seed !== undefined) {
      this.rng.reseed(seed);
      this.noiseRng.reseed((seed ^ 0x9e3779b9) >>> 0);
    }
    this.data.reset();
    this.kernel.resetState(this.data, this.rng, this.resetNoise);
    const initial = this.options.initialState;
    if (initial?.qpos) this.data.qpos.set(initial.qpos);
    if (initial?.qvel) this.data.qvel.set(initial.qvel);
    this.data.forward();
    const nu = this.safe.length;
    for (let slot = 0; slot <= this.delay; slot++) this.delayRing.set(this.safe, slot * nu);
    this.tick = 0;
    this.steps = 0;
    this.observe(observation);
  }

  step(action: Float64Array, nextObservation: Float64Array): EnvStep {
    const nu = this.safe.length;
    const writeSlot = (this.tick % (this.delay + 1)) * nu;
    for (let i = 0; i < nu; i++) {
      const a = action[i]!;
      // NaN/Inf goes to the safe action instead of poisoning the physics state.
      const finite = Number.isFinite(a) ? a : this.safe[i]!;
      this.delayRing[writeSlot + i] = Math.min(this.upper[i]!, Math.max(this.lower[i]!, finite));
    }
    const readSlot = ((this.tick + 1) % (this.delay + 1)) * nu;
    for (let i = 0; i < nu; i++) this.applied[i] = this.delayRing[readSlot + i]!;
    this.tick++;

    const kernel = this.kernel;
    kernel.applyAction(this.applied, this.data);
    if (kernel.substep === undefined) this.data.step(this.decimation);
    else {
      for (let k = 0; k < this.decimation; k++) {
        kernel.substep(this.data);
        this.data.step(1);
      }
    }
    this.steps++;
    this.observe(nextObservation);

    const result = this.result;
    result.reward = this.kernel.reward(nextObservation, this.applied, this.data, this.dt);
    result.terminated = this.kernel.terminated(nextObservation, this.data);
    result.truncated = !result.terminated && this.steps >= this.horizon;
    return result;
  }

  /** Writes the current observation (with observation noise, if configured). */
  observe(out: Float64Array): void {
    this.kernel.observe(this.data, out);
    if (!this.hasNoise) return;
    for (let i = 0; i < out.length; i++) {
      const std = this.noiseStd[i]!;
      if (std > 0) out[i] = out[i]! + std * this.noiseRng.normal();
    }
  }

  /** The environment's kernel (the model's, or a drive around it). */
  get driveKernel(): EnvKernel {
    return this.kernel;
  }

  /** The action that was last applied to the physics (after delay, clamping and NaN replacement). */
  get appliedAction(): Float64Array {
    return this.applied;
  }

  dispose(): void {
    this.data.dispose();
    if (this.ownsModel) this.sim.dispose();
  }
}
