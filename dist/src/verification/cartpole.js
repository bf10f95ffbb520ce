// Compiled from src/verification/cartpole.ts by `npm run build`: edit the source, not this file.

// src/verification/cartpole.ts
import { uncertaintyLayout } from "./forward.js";
import { DualArith } from "./interval-ad.js";
import { LinearSum, LinVec } from "./linear.js";
import { cDiv, constant, down, exact, up } from "./rounding.js";
function cartpoleConstants(p) {
  return {
    cartMass: constant(p.cartMass),
    poleMass: constant(p.poleMass),
    poleCom: constant(p.poleCom),
    poleInertia: constant(p.poleInertia),
    sliderDamping: constant(p.sliderDamping),
    hingeDamping: constant(p.hingeDamping),
    gravity: constant(p.gravity),
    forceGain: constant(p.forceGain),
    h: cDiv(constant(p.dt), exact(p.substeps)),
    substeps: p.substeps
  };
}
function plantInputsOf(l, pick) {
  const of = (d) => d >= 0 ? pick(d) : void 0;
  return {
    poleScale: of(l.poleMassScale),
    cartScale: of(l.cartMassScale),
    dampScale: of(l.dampingScale),
    gainScale: of(l.forceGainScale),
    force: of(l.force),
    delayed: of(l.delayedCommand),
    delaySteps: l.delaySteps,
    delayedRelative: l.delayedRelative
  };
}
function cartpoleStepDual(ar, k, input) {
  const c = (v) => ar.constant(v.lo, v.hi);
  const scaled = (v, s) => s ? ar.mul(c(v), s) : c(v);
  const m = scaled(k.poleMass, input.poleScale);
  const ic = scaled(k.poleInertia, input.poleScale);
  const mc = scaled(k.cartMass, input.cartScale);
  const bx = scaled(k.sliderDamping, input.dampScale);
  const bt = scaled(k.hingeDamping, input.dampScale);
  const lc = c(k.poleCom);
  const h = c(k.h);
  const gain = scaled(k.forceGain, input.gainScale);
  let force = ar.mul(gain, input.u);
  if (input.force) force = ar.add(force, input.force);
  let early = force;
  if (input.delayed) {
    early = ar.mul(gain, input.delayedRelative ? ar.add(input.u, input.delayed) : input.delayed);
    if (input.force) early = ar.add(early, input.force);
  }
  const earlySteps = input.delayed ? input.delaySteps : 0;
  const ml = ar.mul(m, lc);
  const mgl = ar.mul(ml, c(k.gravity));
  const j = ar.add(ic, ar.mul(ml, lc));
  const a11 = ar.add(ar.add(mc, m), ar.mul(h, bx));
  const a22 = ar.add(j, ar.mul(h, bt));
  const a1122 = ar.mul(a11, a22);
  let [q0, q1, v0, v1] = input.x;
  for (let step = 0; step < k.substeps; step++) {
    ar.sinCos(q1);
    const s = ar.sinOut;
    const cs = ar.cosOut;
    const a12 = ar.mul(ml, cs);
    const f1 = ar.add(
      ar.sub(step < earlySteps ? early : force, ar.mul(bx, v0)),
      ar.mul(ar.mul(ml, s), ar.square(v1))
    );
    const f2 = ar.sub(ar.mul(mgl, s), ar.mul(bt, v1));
    const det = ar.sub(a1122, ar.square(a12));
    const acc0 = ar.div(ar.sub(ar.mul(a22, f1), ar.mul(a12, f2)), det);
    const acc1 = ar.div(ar.sub(ar.mul(a11, f2), ar.mul(a12, f1)), det);
    v0 = ar.add(v0, ar.mul(h, acc0));
    v1 = ar.add(v1, ar.mul(h, acc1));
    q0 = ar.add(q0, ar.mul(h, v0));
    q1 = ar.add(q1, ar.mul(h, v1));
  }
  return [q0, q1, v0, v1];
}
var CartpoleBounds = class {
  n = 4;
  k;
  layout;
  /** Uncertainty dimensions that enter the plant, in derivative-input order after (x, u). */
  plantDims;
  values;
  derivatives;
  /** z − c for every derivative input, as linear functions of the verification box. */
  dz;
  sum;
  centre;
  jLo;
  jHi;
  fLo = new Float64Array(4);
  fHi = new Float64Array(4);
  rangeLo = new Float64Array(4);
  rangeHi = new Float64Array(4);
  constructor(model, box) {
    if (model.dynamics.system !== "cartpole") throw new RangeError("CartpoleBounds: not a cartpole model");
    this.k = cartpoleConstants(model.dynamics);
    this.layout = uncertaintyLayout(model);
    const l = this.layout;
    this.plantDims = [
      l.poleMassScale,
      l.cartMassScale,
      l.dampingScale,
      l.forceGainScale,
      l.force,
      l.delayedCommand
    ].filter((d) => d >= 0);
    const m = 5 + this.plantDims.length;
    this.values = new DualArith(0);
    this.derivatives = new DualArith(m);
    this.dz = new LinVec(box.n, m);
    this.sum = new LinearSum(box);
    this.centre = new Float64Array(m);
    this.jLo = new Float64Array(4 * m);
    this.jHi = new Float64Array(4 * m);
  }
  inputs(ar, xLo, xHi, uLo, uHi, wLo, wHi) {
    return {
      x: [0, 1, 2, 3].map((i) => ar.input(xLo[i], xHi[i], i)),
      u: ar.input(uLo, uHi, 4),
      ...this.plantInputs((k, d) => ar.input(wLo[d], wHi[d], 5 + k))
    };
  }
  /** [outLo, outHi] ⊇ x⁺ for x in [xLo, xHi], u in [uLo, uHi], w in [wLo, wHi]. */
  interval(xLo, xHi, uLo, uHi, outLo, outHi, wLo = [], wHi = wLo) {
    const ar = this.values;
    ar.reset();
    const next = cartpoleStepDual(ar, this.k, this.inputs(ar, xLo, xHi, uLo, uHi, wLo, wHi));
    for (let i = 0; i < 4; i++) {
      outLo[i] = next[i].lo;
      outHi[i] = next[i].hi;
    }
  }
  /**
   * Linear bounds of x⁺ over the verification box, given `x` (the box's identity: state entries
   * 0..3, uncertainty entries after) and linear bounds `u` of the command.
   */
  linear(box, x, u, out) {
    const n = box.n;
    const m = this.dz.size;
    const dz = this.dz;
    const wOffset = 4;
    const uMid = 0.5 * (u.lo[0] + u.hi[0]);
    for (let i = 0; i < 4; i++) this.centre[i] = box.centre[i];
    this.centre[4] = uMid;
    this.plantDims.forEach((d, k) => {
      this.centre[5 + k] = box.centre[wOffset + d];
    });
    dz.aLo.fill(0);
    dz.aUp.fill(0);
    for (let i = 0; i < 4; i++) {
      dz.aLo[i * n + i] = 1;
      dz.aUp[i * n + i] = 1;
      dz.bLo[i] = 0;
      dz.bUp[i] = 0;
      box.concretize(dz, i);
    }
    for (let i = 0; i < n; i++) {
      dz.aLo[4 * n + i] = u.aLo[i];
      dz.aUp[4 * n + i] = u.aUp[i];
    }
    dz.bLo[4] = down(u.bLo[0] - uMid);
    dz.bUp[4] = up(u.bUp[0] - uMid);
    box.concretize(dz, 4);
    dz.lo[4] = Math.max(dz.lo[4], down(u.lo[0] - uMid));
    dz.hi[4] = Math.min(dz.hi[4], up(u.hi[0] - uMid));
    this.plantDims.forEach((d, k) => {
      const row = (5 + k) * n;
      dz.aLo[row + wOffset + d] = 1;
      dz.aUp[row + wOffset + d] = 1;
      dz.bLo[5 + k] = 0;
      dz.bUp[5 + k] = 0;
      box.concretize(dz, 5 + k);
    });
    const cLo = this.centre;
    const ar0 = this.values;
    ar0.reset();
    const atCentre = cartpoleStepDual(ar0, this.k, {
      x: [0, 1, 2, 3].map((i) => ar0.constant(cLo[i])),
      u: ar0.constant(uMid),
      ...this.plantInputs((k) => ar0.constant(cLo[5 + k]))
    });
    for (let i = 0; i < 4; i++) {
      this.fLo[i] = atCentre[i].lo;
      this.fHi[i] = atCentre[i].hi;
    }
    const ar = this.derivatives;
    ar.reset();
    const overBox = cartpoleStepDual(ar, this.k, {
      x: [0, 1, 2, 3].map((i) => ar.input(x.lo[i], x.hi[i], i)),
      u: ar.input(u.lo[0], u.hi[0], 4),
      ...this.plantInputs((k, d) => ar.input(x.lo[wOffset + d], x.hi[wOffset + d], 5 + k))
    });
    for (let i = 0; i < 4; i++) {
      const f = overBox[i];
      this.rangeLo[i] = f.lo;
      this.rangeHi[i] = f.hi;
      for (let j = 0; j < m; j++) {
        this.jLo[i * m + j] = f.gLo[j];
        this.jHi[i * m + j] = f.gHi[j];
      }
    }
    for (let i = 0; i < 4; i++) {
      const s = this.sum.reset().addConst(this.fLo[i], this.fHi[i]);
      for (let j = 0; j < m; j++) {
        const lo = this.jLo[i * m + j];
        const hi = this.jHi[i * m + j];
        if (lo === 0 && hi === 0) continue;
        s.add(lo, hi, dz, j);
      }
      s.writeTo(out, i);
      out.lo[i] = Math.max(out.lo[i], this.rangeLo[i]);
      out.hi[i] = Math.min(out.hi[i], this.rangeHi[i]);
    }
  }
  plantInputs(make) {
    return plantInputsOf(this.layout, (d) => make(this.plantDims.indexOf(d), d));
  }
};
export {
  CartpoleBounds,
  cartpoleConstants,
  cartpoleStepDual,
  plantInputsOf
};
