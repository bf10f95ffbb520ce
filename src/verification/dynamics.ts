import { CartpoleBounds } from './cartpole.ts';
import { type LinearBox, LinearSum, LinVec } from './linear.ts';
import type { DynamicsParams, LyapunovModel } from './model.ts';
import {
  type ConstInterval,
  cAdd,
  cDiv,
  cMul,
  constant,
  cosInterval,
  cSub,
  down,
  exact,
  sinInterval,
  up,
} from './rounding.ts';

/**
 * Sound bounds of one explicit-Euler step x⁺ = f(x, u), by interval arithmetic and by linear
 * relaxation. Every decimal constant of the model is enclosed by the floats around it, so the
 * result holds for the real-valued model as written.
 *
 * Smooth scalar terms h(θ) of an input coordinate are relaxed by Taylor's theorem around the box
 * centre c: h(θ) ∈ h(c) + h′(c)(θ − c) ± K·r²/2 with K ≥ max|h″| on the box.
 */

export interface StepBounds {
  readonly n: number;
  /**
   * [outLo, outHi] ⊇ f(x, u; w) for x in [xLo, xHi], u in [uLo, uHi] and the model's uncertainty
   * w in [wLo, wHi] (systems without uncertainty ignore w).
   */
  interval(
    xLo: ArrayLike<number>,
    xHi: ArrayLike<number>,
    uLo: number,
    uHi: number,
    outLo: Float64Array,
    outHi: Float64Array,
    wLo?: ArrayLike<number>,
    wHi?: ArrayLike<number>,
  ): void;
  /**
   * Linear bounds of x⁺ given linear bounds of the verification box's identity X (state entries
   * first, then the uncertainty) and of u.
   */
  linear(box: LinearBox, x: LinVec, u: LinVec, out: LinVec): void;
}

function mid(c: ConstInterval): number {
  return 0.5 * (c.lo + c.hi);
}

/** Writes into `out[k]` a linear enclosure of h(x_j) given h(c), h′(c) enclosures and K. */
function taylorOfInput(
  box: LinearBox,
  j: number,
  value: ConstInterval,
  slope: ConstInterval,
  curvature: number,
  rangeLo: number,
  rangeHi: number,
  out: LinVec,
): void {
  const n = box.n;
  const r = box.radius[j]!;
  const m = mid(slope);
  // |h′(c) − m|·|θ − c| and the Taylor remainder both go into the offset.
  const slack = up(
    up(up(Math.max(up(slope.hi - m), up(m - slope.lo))) * r) + up(up(0.5 * curvature) * up(r * r)),
  );
  out.aLo.fill(0, 0, n);
  out.aUp.fill(0, 0, n);
  out.aLo[j] = m;
  out.aUp[j] = m;
  out.bLo[0] = down(value.lo - slack);
  out.bUp[0] = up(value.hi + slack);
  box.concretize(out, 0);
  out.lo[0] = Math.max(out.lo[0]!, rangeLo);
  out.hi[0] = Math.min(out.hi[0]!, rangeHi);
}

const scratch = new Float64Array(2);

/** Enclosure of sin over [lo, hi]. */
function sinOf(lo: number, hi: number): ConstInterval {
  sinInterval(lo, hi, scratch);
  return { lo: scratch[0]!, hi: scratch[1]! };
}
/** Enclosure of cos over [lo, hi]. */
function cosOf(lo: number, hi: number): ConstInterval {
  cosInterval(lo, hi, scratch);
  return { lo: scratch[0]!, hi: scratch[1]! };
}

/**
 * Writes into `out[0]` a linear enclosure of sin(x_j), given enclosures `sc`, `cc` of sin and cos at
 * the box centre. K = min(1, |sin c| + r) bounds |sin″| = |sin θ| on the box (sin is 1-Lipschitz),
 * and the result is clipped to the interval enclosure of sin over x_j's bounds.
 */
function sinOfInput(
  box: LinearBox,
  j: number,
  x: LinVec,
  sc: ConstInterval,
  cc: ConstInterval,
  out: LinVec,
): void {
  const curvature = Math.min(1, up(Math.max(Math.abs(sc.lo), Math.abs(sc.hi)) + box.radius[j]!));
  sinInterval(x.lo[j]!, x.hi[j]!, scratch);
  taylorOfInput(box, j, sc, cc, curvature, scratch[0]!, scratch[1]!, out);
}

class PendulumBounds implements StepBounds {
  readonly n = 2;
  private readonly dt: ConstInterval;
  /** x⁺₁ = cω·ω + cs·sin θ + cu·u */
  private readonly cOmega: ConstInterval;
  private readonly cSin: ConstInterval;
  private readonly cU: ConstInterval;
  private readonly sum: LinearSum;
  private readonly sin: LinVec;

  constructor(p: Extract<DynamicsParams, { system: 'pendulum' }>, box: LinearBox) {
    const m = constant(p.m);
    const l = constant(p.l);
    const ml2 = cMul(m, cMul(l, l));
    this.dt = constant(p.dt);
    this.cOmega = cSub(exact(1), cMul(this.dt, cDiv(constant(p.beta), ml2)));
    this.cSin = cMul(this.dt, cDiv(constant(p.g), l));
    this.cU = cDiv(this.dt, ml2);
    this.sum = new LinearSum(box);
    this.sin = new LinVec(box.n, 1);
  }

  interval(
    xLo: ArrayLike<number>,
    xHi: ArrayLike<number>,
    uLo: number,
    uHi: number,
    outLo: Float64Array,
    outHi: Float64Array,
  ): void {
    const th = { lo: xLo[0]!, hi: xHi[0]! };
    const om = { lo: xLo[1]!, hi: xHi[1]! };
    const s = sinOf(th.lo, th.hi);
    const a = cAdd(th, cMul(this.dt, om));
    const b = cAdd(cAdd(cMul(this.cOmega, om), cMul(this.cSin, s)), cMul(this.cU, { lo: uLo, hi: uHi }));
    outLo[0] = a.lo;
    outHi[0] = a.hi;
    outLo[1] = b.lo;
    outHi[1] = b.hi;
  }

  linear(box: LinearBox, x: LinVec, u: LinVec, out: LinVec): void {
    const c = box.centre[0]!;
    sinOfInput(box, 0, x, sinOf(c, c), cosOf(c, c), this.sin);
    this.sum.reset().add(1, 1, x, 0).add(this.dt.lo, this.dt.hi, x, 1).writeTo(out, 0);
    this.sum
      .reset()
      .add(this.cOmega.lo, this.cOmega.hi, x, 1)
      .add(this.cSin.lo, this.cSin.hi, this.sin, 0)
      .add(this.cU.lo, this.cU.hi, u, 0)
      .writeTo(out, 1);
  }
}

/** Kinematic vehicle tracking a circle: x = (d_e, θ_e). */
class PathTrackingBounds implements StepBounds {
  readonly n = 2;
  private readonly cSin: ConstInterval;
  private readonly cU: ConstInterval;
  private readonly dt: ConstInterval;
  private readonly q: ConstInterval;
  /** Bound on |h″| for h(θ) = cos θ / (q − sin θ), q = r/v > 1. */
  private readonly curvature: number;
  private readonly sum: LinearSum;
  private readonly sin: LinVec;
  private readonly h: LinVec;

  constructor(p: Extract<DynamicsParams, { system: 'path_tracking' }>, box: LinearBox) {
    const v = constant(p.speed);
    this.dt = constant(p.dt);
    this.cSin = cMul(this.dt, v);
    this.cU = cDiv(cMul(this.dt, v), constant(p.length));
    this.q = cDiv(constant(p.radius), v);
    if (!(this.q.lo > 1))
      throw new RangeError(
        `path tracking needs radius/speed > 1 so the drift term is smooth, got ${mid(this.q)}`,
      );
    // h″ = −q cos/D² + 2 cos (1 − q sin)/D³ with D = q − sin θ ≥ q − 1.
    const dMin = cSub(this.q, exact(1)).lo;
    this.curvature = up(
      up(this.q.hi / down(dMin * dMin)) + up((2 * up(1 + this.q.hi)) / down(dMin * down(dMin * dMin))),
    );
    this.sum = new LinearSum(box);
    this.sin = new LinVec(box.n, 1);
    this.h = new LinVec(box.n, 1);
  }

  /** Enclosure of h over [lo, hi] by interval arithmetic. */
  private hInterval(lo: number, hi: number): ConstInterval {
    return cDiv(cosOf(lo, hi), cSub(this.q, sinOf(lo, hi)));
  }

  interval(
    xLo: ArrayLike<number>,
    xHi: ArrayLike<number>,
    uLo: number,
    uHi: number,
    outLo: Float64Array,
    outHi: Float64Array,
  ): void {
    const d = { lo: xLo[0]!, hi: xHi[0]! };
    const th = { lo: xLo[1]!, hi: xHi[1]! };
    const s = sinOf(th.lo, th.hi);
    const a = cAdd(d, cMul(this.cSin, s));
    const b = cSub(
      cAdd(th, cMul(this.cU, { lo: uLo, hi: uHi })),
      cMul(this.dt, this.hInterval(th.lo, th.hi)),
    );
    outLo[0] = a.lo;
    outHi[0] = a.hi;
    outLo[1] = b.lo;
    outHi[1] = b.hi;
  }

  linear(box: LinearBox, x: LinVec, u: LinVec, out: LinVec): void {
    const c = box.centre[1]!;
    const sc = sinOf(c, c);
    const cc = cosOf(c, c);
    sinOfInput(box, 1, x, sc, cc, this.sin);
    // h(c) and h′(c) = (1 − q sin c)/(q − sin c)².
    const denom = cSub(this.q, sc);
    const hc = cDiv(cc, denom);
    const hp = cDiv(cSub(exact(1), cMul(this.q, sc)), cMul(denom, denom));
    const range = this.hInterval(x.lo[1]!, x.hi[1]!);
    taylorOfInput(box, 1, hc, hp, this.curvature, range.lo, range.hi, this.h);
    this.sum.reset().add(1, 1, x, 0).add(this.cSin.lo, this.cSin.hi, this.sin, 0).writeTo(out, 0);
    this.sum
      .reset()
      .add(1, 1, x, 1)
      .add(this.cU.lo, this.cU.hi, u, 0)
      .add(-this.dt.hi, -this.dt.lo, this.h, 0)
      .writeTo(out, 1);
  }
}

export function stepBounds(model: LyapunovModel, box: LinearBox): StepBounds {
  const params = model.dynamics;
  if (params.system === 'cartpole') return new CartpoleBounds(model, box);
  return params.system === 'pendulum' ? new PendulumBounds(params, box) : new PathTrackingBounds(params, box);
}
