import type { SimModel } from '../../sim/model.ts';
import { add, identity, multiply } from './linalg.ts';

/** Discrete-time linear model x+ = A x + B u around an operating point (row-major). */
export interface LinearModel {
  /** State size: 2 nv (+ na): tangent-space qpos deviation, then qvel. */
  readonly nx: number;
  readonly nu: number;
  readonly A: Float64Array;
  readonly B: Float64Array;
  /** Seconds covered by one step of this model. */
  readonly dt: number;
}

/**
 * Linearises one physics step at (qpos0, qvel = 0, ctrl0) with MuJoCo's own centred finite
 * differences (`mjd_transitionFD`), on a scratch MjData so the caller's state is untouched.
 */
export function linearizePhysicsStep(
  sim: SimModel,
  qpos0: readonly number[],
  ctrl0: readonly number[],
): LinearModel {
  const { mj, model } = sim;
  if (qpos0.length !== model.nq)
    throw new RangeError(`linearize: qpos has ${qpos0.length} values, model nq is ${model.nq}`);
  if (ctrl0.length !== model.nu)
    throw new RangeError(`linearize: ctrl has ${ctrl0.length} values, model nu is ${model.nu}`);
  const nx = 2 * model.nv + model.na;
  const nu = model.nu;
  const data = new mj.MjData(model);
  const aBuffer = new mj.DoubleBuffer(nx * nx);
  const bBuffer = new mj.DoubleBuffer(nx * nu);
  try {
    data.qpos.set(qpos0);
    data.ctrl.set(ctrl0);
    mj.mj_forward(model, data);
    const epsilon = 1e-6;
    const centred = 1;
    mj.mjd_transitionFD(model, data, epsilon, centred, aBuffer, bBuffer, null, null);
    return {
      nx,
      nu,
      A: Float64Array.from(aBuffer.GetView() as Float64Array),
      B: Float64Array.from(bBuffer.GetView() as Float64Array),
      dt: model.opt.timestep,
    };
  } finally {
    bBuffer.delete();
    aBuffer.delete();
    data.delete();
  }
}

/**
 * Composes `n` physics steps with the control held constant (zero-order hold over one control
 * period): A_c = A^n, B_c = (A^(n-1) + ... + A + I) B.
 */
export function holdOverSteps(step: LinearModel, n: number): LinearModel {
  const { nx, nu, A, B } = step;
  let power: Float64Array = identity(nx);
  let sum: Float64Array = new Float64Array(nx * nx);
  for (let i = 0; i < n; i++) {
    sum = add(sum, power);
    power = multiply(power, A, nx, nx, nx);
  }
  return { nx, nu, A: power, B: multiply(sum, B, nx, nx, nu), dt: step.dt * n };
}
