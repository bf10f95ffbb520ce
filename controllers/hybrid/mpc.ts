import { type CarParams, carStep } from '../../sim/hybrid/car.ts';

/**
 * Baseline: model-predictive control of the path-tracking error dynamics by projected gradient
 * descent over an input sequence (shooting, adjoint gradients), warm-started from the previous
 * solution. Cost Σ_k q_d d_k² + q_θ θ_k² + r u_k² over the horizon; inputs projected onto the
 * mode's steering limit.
 */
export interface MpcConfig {
  readonly horizon: number;
  readonly iterations: number;
  readonly stepSize: number;
  readonly qD: number;
  readonly qTheta: number;
  readonly r: number;
}

export const defaultMpcConfig: MpcConfig = {
  horizon: 30,
  iterations: 30,
  stepSize: 0.05,
  qD: 1,
  qTheta: 1,
  r: 0.1,
};

export class PathTrackingMpc {
  private readonly u: Float64Array;
  private readonly xs: Float64Array;
  private readonly grad: Float64Array;
  private readonly next = new Float64Array(2);

  constructor(
    private readonly params: CarParams,
    private readonly config: MpcConfig = defaultMpcConfig,
  ) {
    this.u = new Float64Array(config.horizon);
    this.xs = new Float64Array((config.horizon + 1) * 2);
    this.grad = new Float64Array(config.horizon);
  }

  reset(): void {
    this.u.fill(0);
  }

  private rollout(x0: ArrayLike<number>): void {
    this.xs[0] = x0[0]!;
    this.xs[1] = x0[1]!;
    for (let k = 0; k < this.config.horizon; k++) {
      carStep(this.params, this.xs.subarray(2 * k, 2 * k + 2), this.u[k]!, this.next);
      this.xs[2 * k + 2] = this.next[0]!;
      this.xs[2 * k + 3] = this.next[1]!;
    }
  }

  /** Optimises the input sequence from x0 under the limit and returns its first input. */
  control(x0: ArrayLike<number>, limit: number): number {
    const { horizon, iterations, stepSize, qD, qTheta, r } = this.config;
    const { dt, speed: v, length: L, radius } = this.params;
    const q = radius / v;
    // Warm start: shift the previous solution by one step.
    this.u.copyWithin(0, 1);
    for (let it = 0; it < iterations; it++) {
      this.rollout(x0);
      // Adjoint pass: λ_k = ∂J/∂x_k.
      let ld = 2 * qD * this.xs[2 * horizon]!;
      let lt = 2 * qTheta * this.xs[2 * horizon + 1]!;
      for (let k = horizon - 1; k >= 0; k--) {
        const th = this.xs[2 * k + 1]!;
        this.grad[k] = 2 * r * this.u[k]! + lt * ((dt * v) / L);
        // ∂x⁺/∂x: d⁺ = d + dt v sin θ; θ⁺ = θ + dt(v u/L − cos θ/(q − sin θ)).
        const s = Math.sin(th);
        const c = Math.cos(th);
        const dh = (1 - q * s) / ((q - s) * (q - s));
        const newLd = ld + 2 * qD * this.xs[2 * k]!;
        const newLt = ld * dt * v * c + lt * (1 - dt * dh) + 2 * qTheta * th;
        ld = newLd;
        lt = newLt;
      }
      for (let k = 0; k < horizon; k++)
        this.u[k] = Math.min(limit, Math.max(-limit, this.u[k]! - stepSize * this.grad[k]!));
    }
    return this.u[0]!;
  }
}
