import type { EnvironmentPair } from '../../src/core/environment.ts';
import type { Rng } from '../../src/core/rng.ts';
import type { ActionSpec, VectorSpec } from '../../src/core/spec.ts';
import type { SimData } from '../data.ts';
import type { SimModel } from '../model.ts';

/**
 * What turns a MuJoCo model into an RL environment: the observation and action signals, how to
 * read and write them, the reward, the termination rule and the initial-state distribution.
 * `bind` resolves names to indices once, so the returned kernel runs allocation-free per step.
 */
export interface EnvDefinition {
  /** Model name in sim/models (also the environment's name). */
  readonly model: string;
  readonly description: string;
  /** Named variants (e.g. cartpole `balance` / `swingup`); the first is the default. */
  readonly tasks: readonly string[];
  readonly horizonSeconds: number;
  bind(sim: SimModel, task: string): EnvKernel;
  /**
   * The reward as a function of the next observation and the applied action alone, when it is one
   * (the kernel's `reward` is then this). Lets a run log of the robot, which records no reward,
   * serve as a training dataset.
   */
  readonly signalReward?: (nextObservation: Float64Array, action: Float64Array) => number;
  /**
   * The task's terminal condition as a function of the observation alone, when it is one: lets a
   * dataset built from a run log end episodes where the environment would.
   */
  readonly signalTerminated?: (task: string) => ((observation: Float64Array) => boolean) | undefined;
  /**
   * The task's goal on an observation, when it has one beyond not failing (a reach: the flange near
   * the target): a run or an episode succeeds only if its last observation meets it.
   */
  readonly signalGoal?: (task: string) => ((observation: Float64Array) => boolean) | undefined;
}

/**
 * What a run log needs from a task to become a dataset and a run to be scored: the reward, terminal
 * condition and goal as functions of the logged signals, those the definition has. Every environment
 * plugin's pair takes them from here. The reward sees the applied command (robot units) and s′.
 */
export function signalTask(
  definition: EnvDefinition,
  task: string,
): Pick<EnvironmentPair, 'reward' | 'terminated' | 'goal'> {
  const { signalReward } = definition;
  const terminated = definition.signalTerminated?.(task);
  const goal = definition.signalGoal?.(task);
  return {
    ...(signalReward ? { reward: (_obs, action, next) => signalReward(next, action) } : {}),
    ...(terminated ? { terminated } : {}),
    ...(goal ? { goal } : {}),
  };
}

export interface EnvKernel {
  readonly observation: VectorSpec;
  readonly action: ActionSpec;
  /**
   * Writes the episode's initial qpos/qvel into `data` (already reset to the model's reference).
   * `noiseScale` multiplies the default randomisation; 0 gives the nominal initial state.
   */
  resetState(data: SimData, rng: Rng, noiseScale: number): void;
  /** Actions are already finite and clamped to the action limits. */
  applyAction(action: Float64Array, data: SimData): void;
  /**
   * Called before every physics step of the control period, when present: a drive that closes a loop
   * at the physics rate (joint PD on the motor drivers, sim/drive.ts) writes its torques here.
   */
  substep?(data: SimData): void;
  observe(data: SimData, out: Float64Array): void;
  /** `dt` is the control period, for velocity-based rewards. */
  reward(observation: Float64Array, action: Float64Array, data: SimData, dt: number): number;
  terminated(observation: Float64Array, data: SimData): boolean;
}

/** Wraps an angle to (-pi, pi], so `pole.angle` stays meaningful after full turns. */
export function wrapAngle(angle: number): number {
  const twoPi = 2 * Math.PI;
  const wrapped = angle - twoPi * Math.floor((angle + Math.PI) / twoPi);
  return wrapped === -Math.PI ? Math.PI : wrapped;
}

/** Copies a model's actuator control ranges into an action spec's signals. */
export function actuatorRange(sim: SimModel, actuator: number): [number, number] {
  const limited = sim.model.actuator_ctrllimited[actuator] === 1;
  if (!limited) return [-Infinity, Infinity];
  return [sim.model.actuator_ctrlrange[2 * actuator]!, sim.model.actuator_ctrlrange[2 * actuator + 1]!];
}

export function jointRange(sim: SimModel, joint: number): [number, number] {
  if (sim.model.jnt_limited[joint] !== 1) return [-Infinity, Infinity];
  return [sim.model.jnt_range[2 * joint]!, sim.model.jnt_range[2 * joint + 1]!];
}
