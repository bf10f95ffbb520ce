import type { DynamicsParams, LyapunovModel, Mlp } from './model.ts';

/**
 * Plain float64 evaluation of the model (round to nearest). Used at run time by the supervisor,
 * by the falsifier and to propose counterexamples; never to verify. Allocation-free after
 * construction.
 */

function maxWidth(mlp: Mlp): number {
  return Math.max(...mlp.layers.map((l) => Math.max(l.inSize, l.outSize)));
}

/** Evaluates a scalar-output MLP; `a`, `b` are scratch buffers of the widest layer size. */
export function evalMlp(mlp: Mlp, x: ArrayLike<number>, a: Float64Array, b: Float64Array): number {
  let input: ArrayLike<number> = x;
  let out = a;
  const last = mlp.layers.length - 1;
  for (let k = 0; k <= last; k++) {
    const layer = mlp.layers[k]!;
    const { inSize, outSize, weight, bias } = layer;
    for (let i = 0; i < outSize; i++) {
      let s = bias[i]!;
      const row = i * inSize;
      for (let j = 0; j < inSize; j++) s += weight[row + j]! * input[j]!;
      out[i] = k < last && s < 0 ? s * mlp.slope : s;
    }
    input = out;
    out = out === a ? b : a;
  }
  return input[0]!;
}

export type StepFunction = (x: ArrayLike<number>, u: number, out: Float64Array) => void;

export function stepFunction(params: DynamicsParams): StepFunction {
  if (params.system === 'pendulum') {
    const { m, l, beta, g, dt } = params;
    const ml2 = m * l * l;
    return (x, u, out) => {
      const theta = x[0]!;
      const omega = x[1]!;
      const acc = -(beta / ml2) * omega + (g / l) * Math.sin(theta) + u / ml2;
      out[0] = theta + dt * omega;
      out[1] = omega + dt * acc;
    };
  }
  const { speed, length, radius, dt } = params;
  return (x, u, out) => {
    const d = x[0]!;
    const th = x[1]!;
    out[0] = d + dt * speed * Math.sin(th);
    out[1] = th + dt * ((speed * u) / length - Math.cos(th) / (radius / speed - Math.sin(th)));
  };
}

export class ForwardModel {
  readonly n: number;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly zero: Float64Array;
  private readonly next: Float64Array;
  private readonly netAtZero: number;
  private readonly phiAtZero: number;
  private readonly m: Float64Array;
  private readonly step: StepFunction;

  constructor(readonly model: LyapunovModel) {
    const n = model.stateDim;
    this.n = n;
    const width = Math.max(maxWidth(model.controller.net), maxWidth(model.lyapunov.phi));
    this.a = new Float64Array(width);
    this.b = new Float64Array(width);
    this.zero = new Float64Array(n);
    this.next = new Float64Array(n);
    this.netAtZero = evalMlp(model.controller.net, this.zero, this.a, this.b);
    this.phiAtZero = evalMlp(model.lyapunov.phi, this.zero, this.a, this.b);
    this.m = lyapunovMatrix(model);
    this.step = stepFunction(model.dynamics);
  }

  control(x: ArrayLike<number>): number {
    const c = this.model.controller;
    const v = evalMlp(c.net, x, this.a, this.b) - this.netAtZero + c.uStar;
    return Math.min(c.uUp, Math.max(c.uLo, v));
  }

  value(x: ArrayLike<number>): number {
    const n = this.n;
    let v = Math.abs(evalMlp(this.model.lyapunov.phi, x, this.a, this.b) - this.phiAtZero);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += this.m[i * n + j]! * x[j]!;
      v += Math.abs(s);
    }
    return v;
  }

  /** x⁺ = f(x, u(x)) into `out`; returns u. */
  stepClosedLoop(x: ArrayLike<number>, out: Float64Array): number {
    const u = this.control(x);
    this.step(x, u, out);
    return u;
  }

  stepOpenLoop(x: ArrayLike<number>, u: number, out: Float64Array): void {
    this.step(x, u, out);
  }

  /** g(x) = V(x⁺) − (1 − κ)V(x), the decrease condition's left side. */
  decrease(x: ArrayLike<number>): number {
    this.stepClosedLoop(x, this.next);
    return this.value(this.next) - (1 - this.model.spec.kappa) * this.value(x);
  }

  /** Largest violation of x⁺ ∈ B (positive = outside), after the last `decrease`/`stepClosedLoop` call into next. */
  boxExcess(x: ArrayLike<number>): number {
    this.stepClosedLoop(x, this.next);
    const { boxLo, boxUp } = this.model.spec;
    let worst = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.n; i++)
      worst = Math.max(worst, this.next[i]! - boxUp[i]!, boxLo[i]! - this.next[i]!);
    return worst;
  }
}

/** M = εI + RᵀR in float64 (row-major n × n). */
export function lyapunovMatrix(model: LyapunovModel): Float64Array {
  const n = model.stateDim;
  const { r, rRows, eps } = model.lyapunov;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? eps : 0;
      for (let k = 0; k < rRows; k++) s += r[k * n + i]! * r[k * n + j]!;
      m[i * n + j] = s;
    }
  return m;
}
