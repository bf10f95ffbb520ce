// Compiled from controllers/classical/linearize.ts by `npm run build`: edit the source, not this file.

// controllers/classical/linearize.ts
import { add, identity, multiply } from "./linalg.js";
function linearizePhysicsStep(sim, qpos0, ctrl0) {
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
      A: Float64Array.from(aBuffer.GetView()),
      B: Float64Array.from(bBuffer.GetView()),
      dt: model.opt.timestep
    };
  } finally {
    bBuffer.delete();
    aBuffer.delete();
    data.delete();
  }
}
function holdOverSteps(step, n) {
  const { nx, nu, A, B } = step;
  let power = identity(nx);
  let sum = new Float64Array(nx * nx);
  for (let i = 0; i < n; i++) {
    sum = add(sum, power);
    power = multiply(power, A, nx, nx, nx);
  }
  return { nx, nu, A: power, B: multiply(sum, B, nx, nx, nu), dt: step.dt * n };
}
export {
  holdOverSteps,
  linearizePhysicsStep
};
