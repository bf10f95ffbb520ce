import { z } from 'zod';
import type { EnvironmentPlugin } from '../../src/config/plugin.ts';
import type { ActionMapEntry, Environment, EnvironmentPair, EnvStep } from '../../src/core/environment.ts';
import { Rng } from '../../src/core/rng.ts';
import type { ActionSpec } from '../../src/core/spec.ts';
import { signal } from '../../src/core/spec.ts';
import type { DynamicsParams } from '../dynamics.ts';
import { signalTask } from '../envs/definition.ts';
import { createEnv, envDefinition, envDefinitions } from '../envs/index.ts';

/**
 * MuJoCo dynamics-gap pairs in the style of the H2O paper: the "real" system is the stock model and
 * the simulator is wrong in one way, set by `gap`:
 *   - `gravity`:      sim gravity × strength (paper: 2)
 *   - `friction`:     sim sliding friction × strength (paper: 0.3; needs contacts)
 *   - `action-noise`: sim adds N(0, strength²) to the normalised action (paper: 1)
 *   - `gear`:         sim actuator gear × strength: a joint the simulator thinks stronger (> 1) or
 *                     weaker (< 1) than the real one (the paper's morphology gaps; default 2)
 *   - `mass`:         sim mass and inertia of every body × strength (default 0.5)
 * Learners see actions in [−1, 1]; the wrapper maps them onto the actuator range, and the pair's
 * `actionMap` says how, so an exported policy drives the real actuator range.
 */
const gapDefaults = { gravity: 2, friction: 0.3, 'action-noise': 1, gear: 2, mass: 0.5 } as const;
type Gap = keyof typeof gapDefaults;

const mujocoGapOptions = z
  .object({
    /** A model in sim/models that has an environment. */
    model: z.enum(envDefinitions.map((d) => d.model) as [string, ...string[]]),
    /** One of the model's tasks (cartpole: balance, swingup); default its first. */
    task: z.string().optional(),
    gap: z.enum(Object.keys(gapDefaults) as [Gap, ...Gap[]]),
    /** The gap's factor (gravity, friction, gear, mass) or the action noise σ in normalised units. */
    strength: z.number().min(0).optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const tasks = envDefinitions.find((d) => d.model === o.model)?.tasks;
    if (tasks && o.task !== undefined && !tasks.includes(o.task)) {
      ctx.addIssue({
        code: 'custom',
        path: ['task'],
        message: `model ${o.model} has no task '${o.task}' (tasks: ${tasks.join(', ')})`,
      });
    }
  });

export type MujocoGapOptions = z.output<typeof mujocoGapOptions>;

export async function mujocoGapPair(options: MujocoGapOptions): Promise<EnvironmentPair> {
  const strength = options.strength ?? gapDefaults[options.gap];
  const task = options.task === undefined ? {} : { task: options.task };
  const simDynamics = gapDynamics(options.gap, strength);
  const actionNoise = options.gap === 'action-noise' ? strength : 0;
  // The stock model's actuator ranges set the learner's action scale, once for the whole pair.
  const stock = await createEnv(options.model, task);
  const actionMap = normalizingMap(stock.action);
  stock.dispose();
  const definition = envDefinition(options.model);
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
    actionMap,
    ...signalTask(definition, options.task ?? definition.tasks[0]!),
  };
}

/** The simulator's dynamics for a model-level gap (action noise acts around the physics instead). */
function gapDynamics(gap: Gap, strength: number): DynamicsParams {
  switch (gap) {
    case 'gravity':
      return { gravityScale: strength };
    case 'friction':
      return { frictionScale: strength };
    case 'gear':
      return { gearScale: strength };
    case 'mass':
      return { massScale: strength };
    case 'action-noise':
      return {};
  }
}

export const mujocoGapPlugin: EnvironmentPlugin<MujocoGapOptions> = {
  kind: 'mujoco-gap',
  description:
    'a MuJoCo model against a copy with wrong gravity, friction, gear, masses or action noise (H2O paper)',
  schema: mujocoGapOptions,
  create: (options) => mujocoGapPair(options),
};

/** Maps [−1, 1] linearly onto each actuator's range; refuses unbounded actuators. */
export function normalizingMap(action: ActionSpec): ActionMapEntry[] {
  return action.signals.map((s) => {
    if (!Number.isFinite(s.lower) || !Number.isFinite(s.upper)) {
      throw new Error(`action ${s.name} is unbounded; normalised actions need a finite range`);
    }
    return { name: s.name, unit: s.unit, scale: (s.upper - s.lower) / 2, offset: (s.upper + s.lower) / 2 };
  });
}

/** Exposes actions in [−1, 1] (mapped linearly onto the inner range), optionally with Gaussian noise. */
export class NormalizedActions implements Environment {
  readonly name: string;
  readonly observation: Environment['observation'];
  readonly action: ActionSpec;
  readonly dt: number;
  readonly horizon: number;
  private readonly map: readonly ActionMapEntry[];
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
    this.map = normalizingMap(env.action);
    this.inner = new Float64Array(this.map.length);
    this.action = {
      ...env.action,
      signals: env.action.signals.map((s) => signal(s.name, '1', -1, 1)),
      safe: env.action.safe.map((v, i) => (v - this.map[i]!.offset) / this.map[i]!.scale),
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
      this.inner[i] = this.map[i]!.offset + this.map[i]!.scale * a;
    }
    return this.env.step(this.inner, nextObservation);
  }

  dispose(): void {
    this.env.dispose?.();
  }
}
