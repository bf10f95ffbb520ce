// Compiled from src/verification/command-rate.ts by `npm run build`: edit the source, not this file.

// src/verification/command-rate.ts
import { cartpoleConstants, cartpoleStepDual, plantInputsOf } from "./cartpole.js";
import { uncertaintyLayout } from "./forward.js";
import { intervalAtPoint } from "./interval.js";
import { controlLawDual, DualArith } from "./interval-ad.js";
import { searchDim } from "./model.js";
import { up } from "./rounding.js";
var CommandRateBounder = class {
  constructor(model) {
    this.model = model;
    const limit = commandRateLimit(model);
    if (limit === void 0 || model.dynamics.system !== "cartpole")
      throw new RangeError("CommandRateBounder: the model has no relative delayed command");
    if (model.uncertainty.some((d) => d.kind === "estimate"))
      throw new RangeError("CommandRateBounder: the estimate error must be folded into the disturbance");
    this.limit = limit;
    this.n = model.stateDim;
    this.dims = searchDim(model);
    this.k = cartpoleConstants(model.dynamics);
    this.layout = uncertaintyLayout(model);
    const net = model.controller.net;
    this.netZero = intervalAtPoint(net, new Float64Array(this.n));
    this.derivs = new DualArith(this.dims);
    this.layerOut = net.layers.map((layer) => new Array(layer.outSize));
    this.state = new Array(this.n);
    this.inputs = new Array(this.dims);
  }
  model;
  /** Δ − s: the largest change per period the proof must show. */
  limit;
  n;
  dims;
  k;
  layout;
  netZero;
  derivs;
  values = new DualArith(0);
  layerOut;
  state;
  inputs;
  /** u(F(z)) − u(x) for the verification point or box `z` (state, then uncertainty). */
  rate(ar, z) {
    const { net, uStar, uLo, uUp } = this.model.controller;
    for (let i = 0; i < this.n; i++) this.state[i] = z[i];
    const u = ar.clamp(controlLawDual(ar, net, this.netZero, uStar, this.state, this.layerOut), uLo, uUp);
    const n = this.n;
    const next = cartpoleStepDual(ar, this.k, {
      x: this.state,
      u,
      ...plantInputsOf(this.layout, (d) => z[n + d])
    });
    const uNext = ar.clamp(controlLawDual(ar, net, this.netZero, uStar, next, this.layerOut), uLo, uUp);
    return ar.sub(uNext, u);
  }
  /** An upper bound of |u(x⁺) − u(x)| over the box [lo, hi] (state, then uncertainty). */
  upper(lo, hi) {
    const dims = this.dims;
    const ar = this.derivs;
    ar.reset();
    for (let i = 0; i < dims; i++) this.inputs[i] = ar.input(lo[i], hi[i], i);
    const overBox = this.rate(ar, this.inputs);
    const plain = Math.max(Math.abs(overBox.lo), Math.abs(overBox.hi));
    const a0 = this.values;
    a0.reset();
    for (let i = 0; i < dims; i++) this.inputs[i] = a0.constant(0.5 * (lo[i] + hi[i]));
    const atCentre = this.rate(a0, this.inputs);
    let bound = Math.max(Math.abs(atCentre.lo), Math.abs(atCentre.hi));
    for (let i = 0; i < dims; i++) {
      const c = 0.5 * (lo[i] + hi[i]);
      const radius = up(Math.max(up(hi[i] - c), up(c - lo[i])));
      const slope = Math.max(Math.abs(overBox.gLo[i]), Math.abs(overBox.gHi[i]));
      bound = up(bound + up(slope * radius));
    }
    return Math.min(plain, bound);
  }
  /** A lower bound of |u(x⁺) − u(x)| at one verification point, by interval arithmetic. */
  lowerAt(x) {
    const ar = this.values;
    ar.reset();
    for (let i = 0; i < this.dims; i++) this.inputs[i] = ar.constant(x[i]);
    const r = this.rate(ar, this.inputs);
    return r.lo > 0 ? r.lo : r.hi < 0 ? -r.hi : 0;
  }
};
function commandRateLimit(model) {
  for (const d of model.uncertainty)
    if (d.kind === "delayed-command" && d.relative) return d.relative.rateBound;
  return void 0;
}
function commandRateAt(forward, x, next) {
  const u = forward.stepClosedLoop(x, next);
  return Math.abs(forward.control(next) - u);
}
export {
  CommandRateBounder,
  commandRateAt,
  commandRateLimit
};
