import { type CartpoleConstants, cartpoleConstants, cartpoleStepDual, plantInputsOf } from './cartpole.ts';
import { type ForwardModel, uncertaintyLayout } from './forward.ts';
import { intervalAtPoint } from './interval.ts';
import { controlLawDual, type Dual, DualArith } from './interval-ad.ts';
import { type LyapunovModel, searchDim } from './model.ts';
import type { ConstInterval } from './rounding.ts';
import { up } from './rounding.ts';

/**
 * The command-rate condition of a certificate whose delayed command is relative to the current
 * one (`uncertainty.previous_command_within` Δ, see model.ts): on every box of S,
 *
 *   |u(x⁺) − u(x)| ≤ Δ − s,
 *
 * with u the controller's clamped command at the exact state, x⁺ one period of the delayed plant
 * (every parameter, disturbance and delayed command of the box) and s the estimate error's shift of
 * the command. It is what carries "the previous command is within Δ of u(x)" from one period to
 * the next.
 *
 * Over a box Z = c ± r (state, then uncertainty), r(z) = u(F(z)) − u(x) by the mean-value form:
 *
 *   r(z) ∈ r(c) + ∇r(Z)·(z − c),   so   |r(z)| ≤ |r(c)| + Σ |∇r_i(Z)| r_i,
 *
 * r(c) enclosed by interval arithmetic at the point c, ∇r(Z) by interval derivatives (the clamp
 * and ReLUs contribute the hull of their slopes where they may switch). ∇r = ∇u(x⁺)·J − ∇u(x) is
 * small, since J is close to the identity over one period, so the bound stays tight on wide boxes
 * where u(x⁺) and u(x) bounded separately would not.
 */
export class CommandRateBounder {
  /** Δ − s: the largest change per period the proof must show. */
  readonly limit: number;
  private readonly n: number;
  private readonly dims: number;
  private readonly k: CartpoleConstants;
  private readonly layout;
  private readonly netZero: ConstInterval;
  private readonly derivs: DualArith;
  private readonly values = new DualArith(0);
  private readonly layerOut: Dual[][];
  private readonly state: Dual[];
  private readonly inputs: Dual[];

  constructor(private readonly model: LyapunovModel) {
    const limit = commandRateLimit(model);
    if (limit === undefined || model.dynamics.system !== 'cartpole')
      throw new RangeError('CommandRateBounder: the model has no relative delayed command');
    if (model.uncertainty.some((d) => d.kind === 'estimate'))
      throw new RangeError('CommandRateBounder: the estimate error must be folded into the disturbance');
    this.limit = limit;
    this.n = model.stateDim;
    this.dims = searchDim(model);
    this.k = cartpoleConstants(model.dynamics);
    this.layout = uncertaintyLayout(model);
    const net = model.controller.net;
    this.netZero = intervalAtPoint(net, new Float64Array(this.n));
    this.derivs = new DualArith(this.dims);
    this.layerOut = net.layers.map((layer) => new Array<Dual>(layer.outSize));
    this.state = new Array<Dual>(this.n);
    this.inputs = new Array<Dual>(this.dims);
  }

  /** u(F(z)) − u(x) for the verification point or box `z` (state, then uncertainty). */
  private rate(ar: DualArith, z: readonly Dual[]): Dual {
    const { net, uStar, uLo, uUp } = this.model.controller;
    for (let i = 0; i < this.n; i++) this.state[i] = z[i]!;
    const u = ar.clamp(controlLawDual(ar, net, this.netZero, uStar, this.state, this.layerOut), uLo, uUp);
    const n = this.n;
    const next = cartpoleStepDual(ar, this.k, {
      x: this.state,
      u,
      ...plantInputsOf(this.layout, (d) => z[n + d]!),
    });
    const uNext = ar.clamp(controlLawDual(ar, net, this.netZero, uStar, next, this.layerOut), uLo, uUp);
    return ar.sub(uNext, u);
  }

  /** An upper bound of |u(x⁺) − u(x)| over the box [lo, hi] (state, then uncertainty). */
  upper(lo: ArrayLike<number>, hi: ArrayLike<number>): number {
    const dims = this.dims;
    const ar = this.derivs;
    ar.reset();
    for (let i = 0; i < dims; i++) this.inputs[i] = ar.input(lo[i]!, hi[i]!, i);
    const overBox = this.rate(ar, this.inputs);
    const plain = Math.max(Math.abs(overBox.lo), Math.abs(overBox.hi));
    const a0 = this.values;
    a0.reset();
    for (let i = 0; i < dims; i++) this.inputs[i] = a0.constant(0.5 * (lo[i]! + hi[i]!));
    const atCentre = this.rate(a0, this.inputs);
    let bound = Math.max(Math.abs(atCentre.lo), Math.abs(atCentre.hi));
    for (let i = 0; i < dims; i++) {
      const c = 0.5 * (lo[i]! + hi[i]!);
      const radius = up(Math.max(up(hi[i]! - c), up(c - lo[i]!)));
      const slope = Math.max(Math.abs(overBox.gLo[i]!), Math.abs(overBox.gHi[i]!));
      bound = up(bound + up(slope * radius));
    }
    return Math.min(plain, bound);
  }

  /** A lower bound of |u(x⁺) − u(x)| at one verification point, by interval arithmetic. */
  lowerAt(x: ArrayLike<number>): number {
    const ar = this.values;
    ar.reset();
    for (let i = 0; i < this.dims; i++) this.inputs[i] = ar.constant(x[i]!);
    const r = this.rate(ar, this.inputs);
    return r.lo > 0 ? r.lo : r.hi < 0 ? -r.hi : 0;
  }
}

/** Δ − s when the model's delayed command is relative to the current command; else undefined. */
export function commandRateLimit(model: LyapunovModel): number | undefined {
  for (const d of model.uncertainty)
    if (d.kind === 'delayed-command' && d.relative) return d.relative.rateBound;
  return undefined;
}

/** |u(x⁺) − u(x)| in float64 at a verification point (to propose counterexamples, never to prove). */
export function commandRateAt(forward: ForwardModel, x: ArrayLike<number>, next: Float64Array): number {
  const u = forward.stepClosedLoop(x, next);
  return Math.abs(forward.control(next) - u);
}
