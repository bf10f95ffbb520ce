// Compiled from src/verification/dynamics.ts by `npm run build`: edit the source, not this file.

// src/verification/dynamics.ts
import { CartpoleBounds } from "./cartpole.js";
import { LinearSum, LinVec } from "./linear.js";
import {
  cAdd,
  cDiv,
  cMul,
  constant,
  cosInterval,
  cSub,
  down,
  exact,
  sinInterval,
  up
} from "./rounding.js";
function mid(c) {
  return 0.5 * (c.lo + c.hi);
}
function taylorOfInput(box, j, value, slope, curvature, rangeLo, rangeHi, out) {
  const n = box.n;
  const r = box.radius[j];
  const m = mid(slope);
  const slack = up(
    up(up(Math.max(up(slope.hi - m), up(m - slope.lo))) * r) + up(up(0.5 * curvature) * up(r * r))
  );
  out.aLo.fill(0, 0, n);
  out.aUp.fill(0, 0, n);
  out.aLo[j] = m;
  out.aUp[j] = m;
  out.bLo[0] = down(value.lo - slack);
  out.bUp[0] = up(value.hi + slack);
  box.concretize(out, 0);
  out.lo[0] = Math.max(out.lo[0], rangeLo);
  out.hi[0] = Math.min(out.hi[0], rangeHi);
}
var scratch = new Float64Array(2);
function sinOf(lo, hi) {
  sinInterval(lo, hi, scratch);
  return { lo: scratch[0], hi: scratch[1] };
}
function cosOf(lo, hi) {
  cosInterval(lo, hi, scratch);
  return { lo: scratch[0], hi: scratch[1] };
}
function sinOfInput(box, j, x, sc, cc, out) {
  const curvature = Math.min(1, up(Math.max(Math.abs(sc.lo), Math.abs(sc.hi)) + box.radius[j]));
  sinInterval(x.lo[j], x.hi[j], scratch);
  taylorOfInput(box, j, sc, cc, curvature, scratch[0], scratch[1], out);
}
var PendulumBounds = class {
  n = 2;
  dt;
  /** x⁺₁ = cω·ω + cs·sin θ + cu·u */
  cOmega;
  cSin;
  cU;
  sum;
  sin;
  constructor(p, box) {
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
  interval(xLo, xHi, uLo, uHi, outLo, outHi) {
    const th = { lo: xLo[0], hi: xHi[0] };
    const om = { lo: xLo[1], hi: xHi[1] };
    const s = sinOf(th.lo, th.hi);
    const a = cAdd(th, cMul(this.dt, om));
    const b = cAdd(cAdd(cMul(this.cOmega, om), cMul(this.cSin, s)), cMul(this.cU, { lo: uLo, hi: uHi }));
    outLo[0] = a.lo;
    outHi[0] = a.hi;
    outLo[1] = b.lo;
    outHi[1] = b.hi;
  }
  linear(box, x, u, out) {
    const c = box.centre[0];
    sinOfInput(box, 0, x, sinOf(c, c), cosOf(c, c), this.sin);
    this.sum.reset().add(1, 1, x, 0).add(this.dt.lo, this.dt.hi, x, 1).writeTo(out, 0);
    this.sum.reset().add(this.cOmega.lo, this.cOmega.hi, x, 1).add(this.cSin.lo, this.cSin.hi, this.sin, 0).add(this.cU.lo, this.cU.hi, u, 0).writeTo(out, 1);
  }
};
var PathTrackingBounds = class {
  n = 2;
  cSin;
  cU;
  dt;
  q;
  /** Bound on |h″| for h(θ) = cos θ / (q − sin θ), q = r/v > 1. */
  curvature;
  sum;
  sin;
  h;
  constructor(p, box) {
    const v = constant(p.speed);
    this.dt = constant(p.dt);
    this.cSin = cMul(this.dt, v);
    this.cU = cDiv(cMul(this.dt, v), constant(p.length));
    this.q = cDiv(constant(p.radius), v);
    if (!(this.q.lo > 1))
      throw new RangeError(
        `path tracking needs radius/speed > 1 so the drift term is smooth, got ${mid(this.q)}`
      );
    const dMin = cSub(this.q, exact(1)).lo;
    this.curvature = up(
      up(this.q.hi / down(dMin * dMin)) + up(2 * up(1 + this.q.hi) / down(dMin * down(dMin * dMin)))
    );
    this.sum = new LinearSum(box);
    this.sin = new LinVec(box.n, 1);
    this.h = new LinVec(box.n, 1);
  }
  /** Enclosure of h over [lo, hi] by interval arithmetic. */
  hInterval(lo, hi) {
    return cDiv(cosOf(lo, hi), cSub(this.q, sinOf(lo, hi)));
  }
  interval(xLo, xHi, uLo, uHi, outLo, outHi) {
    const d = { lo: xLo[0], hi: xHi[0] };
    const th = { lo: xLo[1], hi: xHi[1] };
    const s = sinOf(th.lo, th.hi);
    const a = cAdd(d, cMul(this.cSin, s));
    const b = cSub(
      cAdd(th, cMul(this.cU, { lo: uLo, hi: uHi })),
      cMul(this.dt, this.hInterval(th.lo, th.hi))
    );
    outLo[0] = a.lo;
    outHi[0] = a.hi;
    outLo[1] = b.lo;
    outHi[1] = b.hi;
  }
  linear(box, x, u, out) {
    const c = box.centre[1];
    const sc = sinOf(c, c);
    const cc = cosOf(c, c);
    sinOfInput(box, 1, x, sc, cc, this.sin);
    const denom = cSub(this.q, sc);
    const hc = cDiv(cc, denom);
    const hp = cDiv(cSub(exact(1), cMul(this.q, sc)), cMul(denom, denom));
    const range = this.hInterval(x.lo[1], x.hi[1]);
    taylorOfInput(box, 1, hc, hp, this.curvature, range.lo, range.hi, this.h);
    this.sum.reset().add(1, 1, x, 0).add(this.cSin.lo, this.cSin.hi, this.sin, 0).writeTo(out, 0);
    this.sum.reset().add(1, 1, x, 1).add(this.cU.lo, this.cU.hi, u, 0).add(-this.dt.hi, -this.dt.lo, this.h, 0).writeTo(out, 1);
  }
};
function stepBounds(model, box) {
  const params = model.dynamics;
  if (params.system === "cartpole") return new CartpoleBounds(model, box);
  return params.system === "pendulum" ? new PendulumBounds(params, box) : new PathTrackingBounds(params, box);
}
export {
  stepBounds
};
