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
