// Compiled from controllers/classical/lqr.ts by `npm run build`: edit the source, not this file.

// controllers/classical/lqr.ts
import { z } from "zod";
import { SimModel } from "../../sim/model.js";
import { add, diagonal, maxAbs, multiply, solve, subtract, transpose } from "./linalg.js";
import { holdOverSteps, linearizePhysicsStep } from "./linearize.js";
var defaults = { r: 0.1, tolerance: 1e-10, maxIterations: 1e5 };
function solveDiscreteRiccati(sys, Q, R, tolerance = defaults.tolerance, maxIterations = defaults.maxIterations) {
  const { nx, nu, A, B } = sys;
  const At = transpose(A, nx, nx);
  const Bt = transpose(B, nx, nu);
  let P = Q.slice();
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const PA = multiply(P, A, nx, nx, nx);
    const PB = multiply(P, B, nx, nx, nu);
    const S = add(R, multiply(Bt, PB, nu, nx, nu));
    const K = solve(S, multiply(Bt, PA, nu, nx, nx), nu, nx);
    const next = subtract(
      add(Q, multiply(At, PA, nx, nx, nx)),
      multiply(multiply(At, PB, nx, nx, nu), K, nx, nu, nx)
    );
    const change = maxAbs(subtract(next, P));
    P = next;
    if (change <= tolerance * (1 + maxAbs(P))) return { P, K, iterations: iteration };
  }
  throw new Error(
    `LQR: Riccati iteration did not converge in ${maxIterations} iterations (is (A, B) stabilisable?)`
  );
}
var LqrController = class {
  constructor(config) {
    this.config = config;
  }
  config;
  name = "lqr";
  gain = new Float64Array(0);
  x0 = new Float64Array(0);
  u0 = new Float64Array(0);
  lower = new Float64Array(0);
  upper = new Float64Array(0);
  nx = 0;
  nu = 0;
  async configure(context) {
    const sim = await SimModel.load(this.config.model);
    try {
      this.configureWith(sim, context);
    } finally {
      sim.dispose();
    }
  }
  /** Synchronous configure against an already loaded model (used by composite controllers). */
  configureWith(sim, context) {
    const { nq, nv, nu, na } = sim.model;
    const nx = 2 * nv + na;
    const where = `controller 'lqr' (model ${this.config.model})`;
    if (nq !== nv || na !== 0)
      throw new RangeError(`${where}: needs a model whose state is [qpos, qvel] (nq = nv, no activations)`);
    if (context.observation.signals.length !== nx) {
      throw new RangeError(
        `${where}: observation has ${context.observation.signals.length} signals, expected ${nx} ([qpos, qvel])`
      );
    }
    if (context.action.signals.length !== nu) {
      throw new RangeError(
        `${where}: action has ${context.action.signals.length} signals, the model has ${nu} actuators`
      );
    }
    const q = this.config.q ?? new Array(nx).fill(1);
    const r = this.config.r ?? new Array(nu).fill(defaults.r);
    const qpos0 = this.config.qpos0 ?? new Array(nq).fill(0);
    const ctrl0 = this.config.ctrl0 ?? new Array(nu).fill(0);
    if (q.length !== nx) throw new RangeError(`${where}: q has ${q.length} weights, expected ${nx}`);
    if (r.length !== nu) throw new RangeError(`${where}: r has ${r.length} weights, expected ${nu}`);
    const decimation = Math.max(1, Math.round(context.dt / sim.timestep));
    const sys = holdOverSteps(linearizePhysicsStep(sim, qpos0, ctrl0), decimation);
    const { K } = solveDiscreteRiccati(
      sys,
      diagonal(q),
      diagonal(r),
      this.config.tolerance,
      this.config.maxIterations
    );
    this.gain = K;
    this.nx = nx;
    this.nu = nu;
    this.x0 = Float64Array.from([...qpos0, ...new Array(nv).fill(0)]);
    this.u0 = Float64Array.from(ctrl0);
    this.lower = Float64Array.from(context.action.signals, (s) => s.lower);
    this.upper = Float64Array.from(context.action.signals, (s) => s.upper);
  }
  /** u = clamp(u0 − K (x − x0), lower, upper): the law a certificate can be checked against. */
  describeLaw() {
    if (this.nx === 0) return void 0;
    return {
      kind: "affine",
      gain: this.gain,
      x0: this.x0,
      u0: this.u0,
      lower: this.lower,
      upper: this.upper
    };
  }
  update(observation, _time, action) {
    const { nx, nu, gain } = this;
    for (let i = 0; i < nu; i++) {
      let u = this.u0[i];
      for (let j = 0; j < nx; j++) u -= gain[i * nx + j] * (observation[j] - this.x0[j]);
      action[i] = Math.min(this.upper[i], Math.max(this.lower[i], u));
    }
  }
};
var numbers = z.array(z.number().finite());
var lqrOptions = z.object({
  model: z.string(),
  q: z.array(z.number().nonnegative().finite()).optional(),
  r: z.array(z.number().positive().finite()).optional(),
  qpos0: numbers.optional(),
  ctrl0: numbers.optional()
}).strict();
var lqrControllerPlugin = {
  kind: "lqr",
  description: "LQR about an equilibrium, linearised from a MuJoCo model (pendulum, cartpole balance)",
  schema: lqrOptions,
  create: (options) => new LqrController(options)
};
export {
  LqrController,
  lqrControllerPlugin,
  lqrOptions,
  solveDiscreteRiccati
};
