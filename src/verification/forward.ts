import type { CartpoleParams, DynamicsParams, LyapunovModel, Mlp } from './model.ts';

/**
 * Plain float64 evaluation of the model (round to nearest). Used at run time by the guard and the
 * monitor, by the falsifier and to propose counterexamples; never to verify. Allocation-free after
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
    const tanh = k < last && mlp.activations[k] === 'tanh';
    const layer = mlp.layers[k]!;
    const { inSize, outSize, weight, bias } = layer;
    for (let i = 0; i < outSize; i++) {
      let s = bias[i]!;
      const row = i * inSize;
      for (let j = 0; j < inSize; j++) s += weight[row + j]! * input[j]!;
      out[i] = k === last ? s : tanh ? Math.tanh(s) : s < 0 ? s * mlp.slope : s;
    }
    input = out;
    out = out === a ? b : a;
  }
  return input[0]!;
}

/**
 * x⁺ = f(x, u; w) into `out`. `w` holds the values of the model's uncertainty dimensions (plant
 * parameter scales, force disturbance); systems without uncertainty ignore it.
 */
export type StepFunction = (
  x: ArrayLike<number>,
  u: number,
  out: Float64Array,
  w?: ArrayLike<number>,
) => void;

/** Where each kind of uncertainty sits in the uncertainty vector w (−1: absent, nominal). */
export interface UncertaintyLayout {
  readonly poleMassScale: number;
  readonly cartMassScale: number;
  readonly dampingScale: number;
  readonly forceGainScale: number;
  readonly force: number;
  /** The command applied during the first `delaySteps` substeps (an input delay), or −1. */
  readonly delayedCommand: number;
  readonly delaySteps: number;
  /** Whether the delayed command is an offset from the current command u(x) (see model.ts). */
  readonly delayedRelative: boolean;
  /** Per state coordinate: index in w of its estimate error, or −1. */
  readonly estimate: readonly number[];
}

export function uncertaintyLayout(model: LyapunovModel): UncertaintyLayout {
  const find = (pred: (k: number) => boolean) => {
    for (let k = 0; k < model.uncertainty.length; k++) if (pred(k)) return k;
    return -1;
  };
  const u = model.uncertainty;
  const param = (name: string) => find((k) => u[k]!.kind === 'parameter' && u[k]!.name === name);
  return {
    poleMassScale: param('pole_mass_scale'),
    cartMassScale: param('cart_mass_scale'),
    dampingScale: param('damping_scale'),
    forceGainScale: param('force_gain_scale'),
    force: find((k) => u[k]!.kind === 'disturbance'),
    delayedCommand: find((k) => u[k]!.kind === 'delayed-command'),
    delaySteps: u.reduce((m, d) => (d.kind === 'delayed-command' ? d.steps : m), 0),
    delayedRelative: u.some((d) => d.kind === 'delayed-command' && d.relative !== undefined),
    estimate: Array.from({ length: model.stateDim }, (_, i) =>
      find((k) => {
        const d = u[k]!;
        return d.kind === 'estimate' && d.index === i;
      }),
    ),
  };
}

const noUncertainty: UncertaintyLayout = {
  poleMassScale: -1,
  cartMassScale: -1,
  dampingScale: -1,
  forceGainScale: -1,
  force: -1,
  delayedCommand: -1,
  delaySteps: 0,
  delayedRelative: false,
  estimate: [],
};

/**
 * One control period of the cart-pole, as MuJoCo's Euler integrator computes it: `substeps` steps
 * of h = dt/substeps with the force held; in each, the accelerations solve
 * (M(θ) + h·D) a = f(x, u) − D v (joint damping implicit), then v ← v + h a, q ← q + h v.
 *   M = [[M_c + m, m l_c cos θ], [m l_c cos θ, I_c + m l_c²]],
 *   f = [F + m l_c sin θ θ̇², m g l_c sin θ].
 * State x = (cart position, pole angle from upright, cart velocity, pole angular velocity).
 * With an input delay of m physics steps, the first m substeps apply the delayed command (an
 * uncertainty value: the previous period's command, or its offset from u) instead of u, with the
 * same gain and disturbance.
 */
export function cartpoleStep(p: CartpoleParams, layout: UncertaintyLayout = noUncertainty): StepFunction {
  const h = p.dt / p.substeps;
  return (x, u, out, w) => {
    const sPole = w && layout.poleMassScale >= 0 ? w[layout.poleMassScale]! : 1;
    const sCart = w && layout.cartMassScale >= 0 ? w[layout.cartMassScale]! : 1;
    const sDamp = w && layout.dampingScale >= 0 ? w[layout.dampingScale]! : 1;
    const sGain = w && layout.forceGainScale >= 0 ? w[layout.forceGainScale]! : 1;
    const d = w && layout.force >= 0 ? w[layout.force]! : 0;
    const m = p.poleMass * sPole;
    const ic = p.poleInertia * sPole;
    const mc = p.cartMass * sCart;
    const bx = p.sliderDamping * sDamp;
    const bt = p.hingeDamping * sDamp;
    const lc = p.poleCom;
    const force = p.forceGain * sGain * u + d;
    const offset = w && layout.delayedCommand >= 0 ? w[layout.delayedCommand]! : undefined;
    const delayed = offset !== undefined && layout.delayedRelative ? u + offset : offset;
    const early = delayed !== undefined ? p.forceGain * sGain * delayed + d : force;
    const earlySteps = delayed !== undefined ? layout.delaySteps : 0;
    const j = ic + m * lc * lc;
    let q0 = x[0]!;
    let q1 = x[1]!;
    let v0 = x[2]!;
    let v1 = x[3]!;
    for (let k = 0; k < p.substeps; k++) {
      const s = Math.sin(q1);
      const c = Math.cos(q1);
      const a11 = mc + m + h * bx;
      const a12 = m * lc * c;
      const a22 = j + h * bt;
      const f1 = (k < earlySteps ? early : force) - bx * v0 + m * lc * s * v1 * v1;
      const f2 = m * p.gravity * lc * s - bt * v1;
      const det = a11 * a22 - a12 * a12;
      const acc0 = (a22 * f1 - a12 * f2) / det;
      const acc1 = (a11 * f2 - a12 * f1) / det;
      v0 += h * acc0;
      v1 += h * acc1;
      q0 += h * v0;
      q1 += h * v1;
    }
    out[0] = q0;
    out[1] = q1;
    out[2] = v0;
    out[3] = v1;
  };
}

export function stepFunction(params: DynamicsParams, layout?: UncertaintyLayout): StepFunction {
  if (params.system === 'cartpole') return cartpoleStep(params, layout);
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
  private readonly seen: Float64Array;
  private readonly netAtZero: number;
  private readonly phiAtZero: number;
  private readonly m: Float64Array;
  private readonly step: StepFunction;
  private readonly layout: UncertaintyLayout;
  /** Values of the uncertainty dimensions used by `decrease`, `boxExcess` and `stepClosedLoop`. */
  readonly uncertain: Float64Array;
  /** Scratch: the uncertainty part of a full verification point. */
  private readonly point: Float64Array;

  constructor(readonly model: LyapunovModel) {
    const n = model.stateDim;
    this.n = n;
    const lyap = model.lyapunov;
    const width = Math.max(
      maxWidth(model.controller.net),
      lyap.kind === 'neural' ? maxWidth(lyap.phi) : 1,
      n,
    );
    this.a = new Float64Array(width);
    this.b = new Float64Array(width);
    this.zero = new Float64Array(n);
    this.next = new Float64Array(n);
    this.seen = new Float64Array(n);
    this.netAtZero = evalMlp(model.controller.net, this.zero, this.a, this.b);
    this.phiAtZero = lyap.kind === 'neural' ? evalMlp(lyap.phi, this.zero, this.a, this.b) : 0;
    this.m = lyap.kind === 'neural' ? lyapunovMatrix(model) : new Float64Array(0);
    this.layout = uncertaintyLayout(model);
    this.step = stepFunction(model.dynamics, this.layout);
    // Nominal: parameter scales 1 (or the interval's midpoint when 1 is outside), no disturbance.
    this.uncertain = Float64Array.from(model.uncertainty, (u) =>
      u.kind === 'parameter' ? (u.lo <= 1 && 1 <= u.up ? 1 : 0.5 * (u.lo + u.up)) : 0,
    );
    this.point = new Float64Array(model.uncertainty.length);
  }

  /** The controller's command for what it sees (no estimate error added). */
  control(x: ArrayLike<number>): number {
    const c = this.model.controller;
    const v = evalMlp(c.net, x, this.a, this.b) - this.netAtZero + c.uStar;
    return Math.min(c.uUp, Math.max(c.uLo, v));
  }

  value(x: ArrayLike<number>): number {
    const n = this.n;
    const lyap = this.model.lyapunov;
    if (lyap.kind === 'quadratic') {
      let v = 0;
      for (let r = 0; r < lyap.lRows; r++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += lyap.l[r * n + j]! * x[j]!;
        v += s * s;
      }
      return v;
    }
    let v = Math.abs(evalMlp(lyap.phi, x, this.a, this.b) - this.phiAtZero);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += this.m[i * n + j]! * x[j]!;
      v += Math.abs(s);
    }
    return v;
  }

  /**
   * x⁺ = f(x, u(x + ε); w) into `out` with the current `uncertain` values; returns u. `x` may be a
   * full verification point (state then uncertainty), in which case its uncertainty is used.
   */
  stepClosedLoop(x: ArrayLike<number>, out: Float64Array): number {
    const n = this.n;
    const w = x.length > n ? this.loadUncertain(x) : this.uncertain;
    const est = this.layout.estimate;
    for (let i = 0; i < n; i++)
      this.seen[i] = x[i]! + (est[i] !== undefined && est[i]! >= 0 ? w[est[i]!]! : 0);
    const u = this.control(this.seen);
    this.step(x, u, out, w);
    return u;
  }

  private loadUncertain(x: ArrayLike<number>): Float64Array {
    for (let k = 0; k < this.point.length; k++) this.point[k] = x[this.n + k]!;
    return this.point;
  }

  stepOpenLoop(x: ArrayLike<number>, u: number, out: Float64Array): void {
    this.step(x, u, out, this.uncertain);
  }

  /** g(x) = V(x⁺) − (1 − κ)V(x), the decrease condition's left side. */
  decrease(x: ArrayLike<number>): number {
    this.stepClosedLoop(x, this.next);
    return this.value(this.next) - (1 - this.model.spec.kappa) * this.value(x);
  }

  /** Largest violation of x⁺ ∈ B (positive = outside). */
  boxExcess(x: ArrayLike<number>): number {
    this.stepClosedLoop(x, this.next);
    const { boxLo, boxUp } = this.model.spec;
    let worst = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.n; i++)
      worst = Math.max(worst, this.next[i]! - boxUp[i]!, boxLo[i]! - this.next[i]!);
    return worst;
  }

  /** Whether a state lies in the hole H (closed). */
  inHole(x: ArrayLike<number>): boolean {
    const h = this.model.spec.hole;
    for (let i = 0; i < this.n; i++) if (!(Math.abs(x[i]!) <= h[i]!)) return false;
    return true;
  }
}

/** M = εI + RᵀR in float64 (row-major n × n), for the neural Lyapunov function. */
export function lyapunovMatrix(model: LyapunovModel): Float64Array {
  const n = model.stateDim;
  const lyap = model.lyapunov;
  if (lyap.kind !== 'neural') throw new RangeError('lyapunovMatrix: the model has a quadratic V');
  const { r, rRows, eps } = lyap;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? eps : 0;
      for (let k = 0; k < rRows; k++) s += r[k * n + i]! * r[k * n + j]!;
      m[i * n + j] = s;
    }
  return m;
}
