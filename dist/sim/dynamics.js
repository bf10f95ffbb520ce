// Compiled from sim/dynamics.ts by `npm run build`: edit the source, not this file.

// sim/dynamics.ts
import { z } from "zod";
import { objectId } from "./mujoco.js";
var positive = z.number().positive().finite();
var nonNegative = z.number().nonnegative().finite();
var vector3 = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);
var dynamicsSchema = z.object({
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
  actionDelay: z.number().int().nonnegative().max(1e3).optional(),
  /** Standard deviation of Gaussian noise added to each observation, one value or one per signal. */
  observationNoise: z.union([nonNegative, z.array(nonNegative)]).optional()
}).strict();
function parseDynamics(input) {
  const result = dynamicsSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `dynamics.${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new RangeError(`invalid dynamics parameters: ${issues.join("; ")}`);
}
var gainStride = 10;
var gearStride = 6;
var frictionStride = 3;
function applyDynamics(mj, base, model, params) {
  const gravity = model.opt.gravity;
  const g0 = params.gravity ?? Array.from(base.opt.gravity);
  const gScale = params.gravityScale ?? 1;
  for (let i = 0; i < 3; i++) gravity[i] = (g0[i] ?? 0) * gScale;
  if (params.timestep !== void 0) model.opt.timestep = params.timestep;
  if (params.frictionScale !== void 0) {
    const friction = model.geom_friction;
    const baseFriction = base.geom_friction;
    for (let g = 0; g < model.ngeom; g++) {
      friction[g * frictionStride] = baseFriction[g * frictionStride] * params.frictionScale;
    }
  }
  if (params.dampingScale !== void 0) {
    const damping = model.dof_damping;
    const baseDamping = base.dof_damping;
    for (let i = 0; i < model.nv; i++) damping[i] = baseDamping[i] * params.dampingScale;
  }
  if (params.actuatorGainScale !== void 0) scaleGains(base, model, params.actuatorGainScale);
  if (params.gearScale !== void 0) {
    const gear = model.actuator_gear;
    const baseGear = base.actuator_gear;
    for (let a = 0; a < model.nu; a++) {
      for (let k = 0; k < gearStride; k++)
        gear[a * gearStride + k] = baseGear[a * gearStride + k] * params.gearScale;
    }
  }
  if (params.massScale !== void 0) {
    scaleMasses(mj, base, model, params.massScale);
    const scratch = new mj.MjData(model);
    try {
      mj.mj_setConst(model, scratch);
    } finally {
      scratch.delete();
    }
  }
}
function scaleGains(base, model, scale) {
  const gain = model.actuator_gainprm;
  const bias = model.actuator_biasprm;
  const baseGain = base.actuator_gainprm;
  const baseBias = base.actuator_biasprm;
  for (let a = 0; a < model.nu; a++) {
    const row = a * gainStride;
    gain[row] = baseGain[row] * scale;
    bias[row + 1] = baseBias[row + 1] * scale;
    bias[row + 2] = baseBias[row + 2] * scale;
  }
}
function scaleMasses(mj, base, model, massScale) {
  const perBody = new Float64Array(model.nbody).fill(1);
  if (typeof massScale === "number") perBody.fill(massScale, 1);
  else {
    if (massScale["*"] !== void 0) perBody.fill(massScale["*"], 1);
    for (const [name, scale] of Object.entries(massScale)) {
      if (name !== "*") perBody[objectId(mj, model, "body", name)] = scale;
    }
  }
  const mass = model.body_mass;
  const inertia = model.body_inertia;
  const baseMass = base.body_mass;
  const baseInertia = base.body_inertia;
  for (let b = 0; b < model.nbody; b++) {
    const s = perBody[b];
    mass[b] = baseMass[b] * s;
    for (let k = 0; k < 3; k++) inertia[b * 3 + k] = baseInertia[b * 3 + k] * s;
  }
}
export {
  applyDynamics,
  dynamicsSchema,
  parseDynamics
};
