import type { Environment, EnvStep } from '../../src/core/environment.ts';
import { Rng } from '../../src/core/rng.ts';
import type { ActionSpec } from '../../src/core/spec.ts';
import { signal } from '../../src/core/spec.ts';
import type { EnvironmentPair } from '../../src/learning/trainer.ts';
import { createEnv } from '../envs/index.ts';

/**
 * MuJoCo dynamics-gap pairs in the style of the H2O paper: the "real" system is the stock model and
 * the simulator is wrong in one way, set by `gap`:
 *   - `gravity`:      sim gravity × strength (paper: 2)
 *   - `friction`:     sim sliding friction × strength (paper: 0.3; needs contacts)
 *   - `action-noise`: sim adds N(0, strength²) to the normalised action (paper: 1)
 * Learners see actions in [−1, 1]; the wrapper maps them onto the actuator range.
 */
export interface MujocoGapOptions {
  readonly model: string;
  readonly gap: string;
  readonly strength?: number;
  readonly task?: string;
}

const gapDefaults: Record<string, number> = { gravity: 2, friction: 0.3, 'action-noise': 1 };

export function mujocoGapPair(options: MujocoGapOptions): EnvironmentPair {
  const defaultStrength = gapDefaults[options.gap];
  if (defaultStrength === undefined) {
    throw new Error(
      `mujoco-gap: unknown gap '${options.gap}', expected one of ${Object.keys(gapDefaults).join(', ')}`,
    );
  }
  const strength = options.strength ?? defaultStrength;
  if (!Number.isFinite(strength) || strength < 0) {
    throw new Error(`mujoco-gap: strength must be a non-negative number, got ${strength}`);
  }
  const task = options.task === undefined ? {} : { task: options.task };
  const simDynamics =
    options.gap === 'gravity'
      ? { gravityScale: strength }
      : options.gap === 'friction'
        ? { frictionScale: strength }
        : {};
  const actionNoise = options.gap === 'action-noise' ? strength : 0;
  return {
    name: `${options.model}(${options.gap} gap ×${strength})`,
    sim: async (seed) =>
      new NormalizedActions(
        await createEnv(options.model, { ...task, seed, dynamics: simDynamics }),
        actionNoise,
        seed,
      ),
    real: async (seed) => new NormalizedActions(await createEnv(options.model, { ...task, seed }), 0, seed),
    gapRegion: null,
  };
}

/** Exposes actions in [−1, 1] (mapped linearly onto the inner range), optionally with Gaussian noise. */
export class NormalizedActions implements Environment {
  readonly name: string;
  readonly observation: Environment['observation'];
  readonly action: ActionSpec;
  readonly dt: number;
  readonly horizon: number;
  private readonly center: Float64Array;
  private readonly halfRange: Float64Array;
  private readonly inner: Float64Array;
  private readonly rng: Rng;

  constructor(
    private readonly env: Environment,
    private readonly noise: number,
    seed: number,
  ) {
    this.name = env.name;
    this.observation = env.observation;
    this.dt = env.dt;
    this.horizon = env.horizon;
    const signals = env.action.signals;
    for (const s of signals) {
      if (!Number.isFinite(s.lower) || !Number.isFinite(s.upper)) {
        throw new Error(`${env.name}: action ${s.name} is unbounded; normalised actions need a finite range`);
      }
    }
    this.center = Float64Array.from(signals, (s) => (s.lower + s.upper) / 2);
    this.halfRange = Float64Array.from(signals, (s) => (s.upper - s.lower) / 2);
    this.inner = new Float64Array(signals.length);
    this.action = {
      ...env.action,
      signals: signals.map((s) => signal(s.name, '1', -1, 1)),
      safe: env.action.safe.map((v, i) => (v - this.center[i]!) / this.halfRange[i]!),
    };
    this.rng = new Rng(seed ^ 0x5eed);
  }

  reset(observation: Float64Array, seed?: number): void {
    this.env.reset(observation, seed);
  }

  step(action: Float64Array, nextObservation: Float64Array): EnvStep {
    for (let i = 0; i < this.inner.length; i++) {
      let a = action[i]!;
      if (this.noise > 0) a += this.noise * this.rng.normal();
      a = Math.max(-1, Math.min(1, a));
      this.inner[i] = this.center[i]! + this.halfRange[i]! * a;
    }
    return this.env.step(this.inner, nextObservation);
  }

  dispose(): void {
    this.env.dispose?.();
  }
}
