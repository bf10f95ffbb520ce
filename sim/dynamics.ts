import { z } from 'zod';
import type { MjModel, Mujoco } from './mujoco.ts';
import { objectId } from './mujoco.ts';

const positive = z.number().positive().finite();
const nonNegative = z.number().nonnegative().finite();
const vector3 = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);

/**
 * Run-time dynamics parameters: the knobs that build sim-vs-real gaps and domain randomisation.
 * Model-level ones (gravity ... timestep) are written into a private copy of the compiled model;
 * `actionDelay` and `observationNoise` act in the environment around the physics.
 * Every scale multiplies the value the MJCF file gives, so `{}` is the nominal model.
 */
export const dynamicsSchema = z
  .object({
    /** Gravity vector in m/s^2, replacing the model's. */
    gravity: vector3.optional(),
    /** Multiplies the gravity vector (after `gravity`, if both are given). */
    gravityScale: nonNegative.optional(),
    /** Multiplies the sliding friction coefficient of every geom. */
    frictionScale: nonNegative.optional(),
    /** Multiplies the mass and inertia of every body (`*`) or of named bodies. */
    massScale: z.union([positive, z.record(z.string(), positive)]).optional(),
    /** Multiplies every joint's damping. */
    dampingScale: nonNegative.optional(),
    /** Multiplies every actuator's gain (and the matching bias term of position/velocity servos). */
    actuatorGainScale: positive.optional(),
    /** Multiplies every actuator's gear (transmission ratio). */
    gearScale: positive.optional(),
    /** Physics timestep in seconds, replacing the model's. */
    timestep: positive.max(0.05).optional(),
    /** Whole control ticks between computing an action and applying it. */
    actionDelay: z.number().int().nonnegative().max(1000).optional(),
    /** Standard deviation of Gaussian noise added to each observation, one value or one per signal. */
    observationNoise: z.union([nonNegative, z.array(nonNegative)]).optional(),
  })
  .strict();

export type DynamicsParams = z.output<typeof dynamicsSchema>;

/** Validates untrusted parameters; errors name the field, e.g. `dynamics.timestep: ...`. */
export function parseDynamics(input: unknown): DynamicsParams {
  const result = dynamicsSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `dynamics.${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new RangeError(`invalid dynamics parameters: ${issues.join('; ')}`);
}

/** Stride of per-actuator parameter rows in mjModel (mjNGAIN = mjNBIAS = 10; gear has 6). */
const gainStride = 10;
const gearStride = 6;
const frictionStride = 3;

/**
 * Writes the model-level parameters into `model`, which must be a fresh copy of `base` (values are
 * scaled from `base`, so applying twice never compounds). Mass changes need `mj_setConst` to
 * recompute derived constants; it overwrites the data it is given, so it gets a scratch MjData.
 */
export function applyDynamics(mj: Mujoco, base: MjModel, model: MjModel, params: DynamicsParams): void {
  const gravity = model.opt.gravity;
  const g0 = params.gravity ?? Array.from(base.opt.gravity);
  const gScale = params.gravityScale ?? 1;
  for (let i = 0; i < 3; i++) gravity[i] = (g0[i] ?? 0) * gScale;

  if (params.timestep !== undefined) model.opt.timestep = params.timestep;

  if (params.frictionScale !== undefined) {
    const friction = model.geom_friction;
    const baseFriction = base.geom_friction;
    for (let g = 0; g < model.ngeom; g++) {
      friction[g * frictionStride] = baseFriction[g * frictionStride]! * params.frictionScale;
    }
  }

  if (params.dampingScale !== undefined) {
    const damping = model.dof_damping;
    const baseDamping = base.dof_damping;
    for (let i = 0; i < model.nv; i++) damping[i] = baseDamping[i]! * params.dampingScale;
  }

  if (params.actuatorGainScale !== undefined) scaleGains(base, model, params.actuatorGainScale);

  if (params.gearScale !== undefined) {
    const gear = model.actuator_gear;
    const baseGear = base.actuator_gear;
    for (let a = 0; a < model.nu; a++) {
      for (let k = 0; k < gearStride; k++)
        gear[a * gearStride + k] = baseGear[a * gearStride + k]! * params.gearScale;
    }
  }

  if (params.massScale !== undefined) {
    scaleMasses(mj, base, model, params.massScale);
    const scratch = new mj.MjData(model);
    try {
      mj.mj_setConst(model, scratch);
    } finally {
      scratch.delete();
    }
  }
}

function scaleGains(base: MjModel, model: MjModel, scale: number): void {
  const gain = model.actuator_gainprm;
  const bias = model.actuator_biasprm;
  const baseGain = base.actuator_gainprm;
  const baseBias = base.actuator_biasprm;
  for (let a = 0; a < model.nu; a++) {
    const row = a * gainStride;
    gain[row] = baseGain[row]! * scale;
    // Position and velocity servos put -kp / -kv in the bias row; scale them with the gain so the
    // servo stays a servo (a motor's bias row is zero and is left unchanged).
    bias[row + 1] = baseBias[row + 1]! * scale;
    bias[row + 2] = baseBias[row + 2]! * scale;
  }
}

function scaleMasses(
  mj: Mujoco,
  base: MjModel,
  model: MjModel,
  massScale: number | Record<string, number>,
): void {
  const perBody = new Float64Array(model.nbody).fill(1);
  if (typeof massScale === 'number') perBody.fill(massScale, 1);
  else {
    // `*` first, so a named body overrides the wildcard whatever the key order.
    if (massScale['*'] !== undefined) perBody.fill(massScale['*'], 1);
    for (const [name, scale] of Object.entries(massScale)) {
      if (name !== '*') perBody[objectId(mj, model, 'body', name)] = scale;
    }
  }
  const mass = model.body_mass;
  const inertia = model.body_inertia;
  const baseMass = base.body_mass;
  const baseInertia = base.body_inertia;
  for (let b = 0; b < model.nbody; b++) {
    const s = perBody[b]!;
    mass[b] = baseMass[b]! * s;
    for (let k = 0; k < 3; k++) inertia[b * 3 + k] = baseInertia[b * 3 + k]! * s;
  }
}
