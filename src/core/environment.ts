import type { ActionSpec, VectorSpec } from './spec.ts';

/** Outcome of one environment step. Owned and reused by the environment: read it before the next step. */
export interface EnvStep {
  reward: number;
  /** The episode ended for a reason inside the MDP (fell, reached a terminal set). */
  terminated: boolean;
  /** The episode was cut by the horizon; bootstrapping through it is still valid. */
  truncated: boolean;
}

/**
 * An episodic RL environment (observation, action, reward, termination). MuJoCo models and pure
 * TypeScript toy systems both implement it, so training and evaluation code does not care which.
 * `reset` and `step` write into caller-owned arrays and must not allocate.
 */
export interface Environment {
  readonly name: string;
  readonly observation: VectorSpec;
  readonly action: ActionSpec;
  /** Seconds of simulated time per step. */
  readonly dt: number;
  /** Steps after which an episode is truncated. */
  readonly horizon: number;
  /** Starts a new episode; a seed makes the initial state reproducible. */
  reset(observation: Float64Array, seed?: number): void;
  /** Applies `action` for one step and writes the next observation. */
  step(action: Float64Array, nextObservation: Float64Array): EnvStep;
  dispose?(): void;
}

/**
 * How one action component the learner emits becomes a robot command:
 * `robot = scale · learner + offset`, in `unit`. Learners work in normalised actions (the MuJoCo
 * gap pairs expose [−1, 1]); the deployed policy must drive the real actuator range, so this map
 * travels into the exported policy contract.
 */
export interface ActionMapEntry {
  /** The robot's action signal, e.g. `cart.force`. */
  readonly name: string;
  /** Unit of the robot command, e.g. `N`. */
  readonly unit: string;
  readonly scale: number;
  readonly offset: number;
}

/**
 * A simulator and a stand-in for the real system with the same observation and action spaces: what
 * sim-to-real training learns on. Environment plugins (sim/river, sim/gaps) create these.
 */
export interface EnvironmentPair {
  readonly name: string;
  sim(seed: number): Environment | Promise<Environment>;
  real(seed: number): Environment | Promise<Environment>;
  /** Where the dynamics gap is expected (for the w/u diagnostics), or null. */
  readonly gapRegion: ((obs: Float64Array, row: number) => boolean) | null;
  /** One entry per action signal of the environments, in order. */
  readonly actionMap: readonly ActionMapEntry[];
  /**
   * Reward of a transition the runtime logged, with `action` in robot units (the command as logged).
   * Run logs (MCAP) record no reward, so a run log can only serve as a training dataset through
   * this. Absent when the reward needs simulator state that a log does not carry.
   */
  readonly reward?: (
    observation: Float64Array,
    action: Float64Array,
    nextObservation: Float64Array,
  ) => number;
  /**
   * The real system's terminal condition on a logged observation (a fall), when it is a function of
   * the signals: a dataset built from run logs ends episodes there. Absent: only latches end them.
   */
  readonly terminated?: (nextObservation: Float64Array) => boolean;
  /**
   * The task's goal on a logged observation, when it has one beyond not reaching a terminal state (a
   * reach: the flange within a tolerance of the target). A run succeeds only if every episode's last
   * observation meets it.
   */
  readonly goal?: (observation: Float64Array) => boolean;
}

/**
 * The lowest return that keeps `ratio` of a reference return: ratio × reference for a positive one,
 * and the same loss, (1 − ratio) × |reference|, below a negative one (a reach's rewards are
 * negative: 0.8 of −30 allows −36, not −24).
 */
export function returnBound(reference: number, ratio: number): number {
  return reference - (1 - ratio) * Math.abs(reference);
}

/** Converts robot commands (rows of `map.length`) into the learner's action units, in place. */
export function toLearnerActions(map: readonly ActionMapEntry[], actions: Float64Array): Float64Array {
  const n = map.length;
  for (let i = 0; i < actions.length; i++) {
    const entry = map[i % n]!;
    actions[i] = (actions[i]! - entry.offset) / entry.scale;
  }
  return actions;
}
