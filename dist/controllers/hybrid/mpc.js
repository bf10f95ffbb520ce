// Compiled from controllers/hybrid/mpc.ts by `npm run build`: edit the source, not this file.

// controllers/hybrid/mpc.ts
import { carStep } from "../../sim/hybrid/car.js";
var defaultMpcConfig = {
  horizon: 30,
  iterations: 30,
  stepSize: 0.05,
  qD: 1,
  qTheta: 1,
  r: 0.1
};
var PathTrackingMpc = class {
  constructor(params, config = defaultMpcConfig) {
    this.params = params;
    this.config = config;
    this.u = new Float64Array(config.horizon);
    this.xs = new Float64Array((config.horizon + 1) * 2);
    this.grad = new Float64Array(config.horizon);
  }
  params;
  config;
  u;
  xs;
  grad;
  next = new Float64Array(2);
  reset() {
    this.u.fill(0);
  }
  rollout(x0) {
    this.xs[0] = x0[0];
    this.xs[1] = x0[1];
    for (let k = 0; k < this.config.horizon; k++) {
      carStep(this.params, this.xs.subarray(2 * k, 2 * k + 2), this.u[k], this.next);
      this.xs[2 * k + 2] = this.next[0];
      this.xs[2 * k + 3] = this.next[1];
    }
  }
  /** Optimises the input sequence from x0 under the limit and returns its first input. */
  control(x0, limit) {
    const { horizon, iterations, stepSize, qD, qTheta, r } = this.config;
    const { dt, speed: v, length: L, radius } = this.params;
    const q = radius / v;
    this.u.copyWithin(0, 1);
    for (let it = 0; it < iterations; it++) {
      this.rollout(x0);
      let ld = 2 * qD * this.xs[2 * horizon];
      let lt = 2 * qTheta * this.xs[2 * horizon + 1];
      for (let k = horizon - 1; k >= 0; k--) {
        const th = this.xs[2 * k + 1];
        this.grad[k] = 2 * r * this.u[k] + lt * (dt * v / L);
        const s = Math.sin(th);
        const c = Math.cos(th);
        const dh = (1 - q * s) / ((q - s) * (q - s));
        const newLd = ld + 2 * qD * this.xs[2 * k];
        const newLt = ld * dt * v * c + lt * (1 - dt * dh) + 2 * qTheta * th;
        ld = newLd;
        lt = newLt;
      }
      for (let k = 0; k < horizon; k++)
        this.u[k] = Math.min(limit, Math.max(-limit, this.u[k] - stepSize * this.grad[k]));
    }
    return this.u[0];
  }
};
export {
  PathTrackingMpc,
  defaultMpcConfig
};
