// Compiled from src/verification/linear.ts by `npm run build`: edit the source, not this file.

// src/verification/linear.ts
import { down, EPS, sumError, tanhDown, tanhUp, up } from "./rounding.js";
var TANGENT_SLOPE_ERROR = 1e-12;
var LinVec = class {
  constructor(n, size) {
    this.n = n;
    this.size = size;
    this.aLo = new Float64Array(n * size);
    this.bLo = new Float64Array(size);
    this.aUp = new Float64Array(n * size);
    this.bUp = new Float64Array(size);
    this.lo = new Float64Array(size);
    this.hi = new Float64Array(size);
  }
  n;
  size;
  aLo;
  bLo;
  aUp;
  bUp;
  /** Concretised bounds over the current box. */
  lo;
  hi;
};
var LinearBox = class {
  constructor(n) {
    this.n = n;
    this.centre = new Float64Array(n);
    this.radius = new Float64Array(n);
  }
  n;
  centre;
  radius;
  set(lo, hi) {
    for (let i = 0; i < this.n; i++) {
      const c = 0.5 * (lo[i] + hi[i]);
      this.centre[i] = c;
      this.radius[i] = up(Math.max(up(hi[i] - c), up(c - lo[i])));
    }
  }
  /** Writes the identity x_i ≤ x_i ≤ x_i into `out` (size n). */
  input(out, lo, hi) {
    const n = this.n;
    out.aLo.fill(0);
    out.aUp.fill(0);
    for (let i = 0; i < n; i++) {
      out.aLo[i * n + i] = 1;
      out.aUp[i * n + i] = 1;
      out.bLo[i] = this.centre[i];
      out.bUp[i] = this.centre[i];
      out.lo[i] = lo[i];
      out.hi[i] = hi[i];
    }
  }
  /** Sound [lo, hi] of entry k over the box. */
  concretize(v, k) {
    const n = this.n;
    const base = k * n;
    let sLo = 0;
    let sUp = 0;
    for (let i = 0; i < n; i++) {
      sLo += Math.abs(v.aLo[base + i]) * this.radius[i];
      sUp += Math.abs(v.aUp[base + i]) * this.radius[i];
    }
    v.lo[k] = down(v.bLo[k] - (sLo + sumError(sLo, n)));
    v.hi[k] = up(v.bUp[k] + (sUp + sumError(sUp, n)));
  }
  /** Σ_i err_i·r_i, rounded up: the offset slack for coefficient errors err_i. */
  slack(err) {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += err[i] * this.radius[i];
    return s + sumError(s, this.n);
  }
  errLo = new Float64Array(64);
  errUp = new Float64Array(64);
  absLo = new Float64Array(64);
  absUp = new Float64Array(64);
  /** out = W·src + b. */
  affine(layer, src, out) {
    const n = this.n;
    const { inSize, outSize, weight, bias } = layer;
    const { absLo, absUp, errLo, errUp } = this;
    for (let k = 0; k < outSize; k++) {
      const row = k * inSize;
      const ob = k * n;
      for (let i = 0; i < n; i++) {
        out.aLo[ob + i] = 0;
        out.aUp[ob + i] = 0;
        absLo[i] = 0;
        absUp[i] = 0;
      }
      let bLo = bias[k];
      let bUp = bLo;
      let bAbsLo = Math.abs(bLo);
      let bAbsUp = bAbsLo;
      for (let j = 0; j < inSize; j++) {
        const w = weight[row + j];
        if (w === 0) continue;
        const sb = j * n;
        const srcALo = w > 0 ? src.aLo : src.aUp;
        const srcAUp = w > 0 ? src.aUp : src.aLo;
        const tLo = w * (w > 0 ? src.bLo[j] : src.bUp[j]);
        const tUp = w * (w > 0 ? src.bUp[j] : src.bLo[j]);
        bLo += tLo;
        bUp += tUp;
        bAbsLo += Math.abs(tLo);
        bAbsUp += Math.abs(tUp);
        for (let i = 0; i < n; i++) {
          const pLo = w * srcALo[sb + i];
          const pUp = w * srcAUp[sb + i];
          out.aLo[ob + i] = out.aLo[ob + i] + pLo;
          out.aUp[ob + i] = out.aUp[ob + i] + pUp;
          absLo[i] = absLo[i] + Math.abs(pLo);
          absUp[i] = absUp[i] + Math.abs(pUp);
        }
      }
      for (let i = 0; i < n; i++) {
        errLo[i] = sumError(absLo[i], inSize);
        errUp[i] = sumError(absUp[i], inSize);
      }
      out.bLo[k] = down(bLo - (sumError(bAbsLo, inSize + 1) + this.slack(errLo)));
      out.bUp[k] = up(bUp + (sumError(bAbsUp, inSize + 1) + this.slack(errUp)));
      this.concretize(out, k);
    }
  }
  /**
   * One bound of out[k] := s·(selected bound of src[j]) + offset, where the caller has chosen
   * which of src's bounds is valid for the sign of s. `upper` says which bound of out this is, so
   * the offset is rounded the right way.
   */
  scaleInto(srcA, srcB, j, s, offset, outA, outB, k, upper) {
    const n = this.n;
    let errR = 0;
    for (let i = 0; i < n; i++) {
      const p = s * srcA[j * n + i];
      outA[k * n + i] = p;
      errR += Math.abs(p) * (2 * EPS) * this.radius[i];
    }
    const t = s * srcB[j];
    const err = errR * (1 + 4 * n * EPS) + sumError(Math.abs(t) + Math.abs(offset), 2);
    outB[k] = upper ? up(t + offset + err) : down(t + offset - err);
  }
  /**
   * out = σ(src) with σ(z) = max(z, a·z), a in [−1, 1]; ReLU (a = 0), LeakyReLU (a = 0.01) and
   * |z| (a = −1) are all this convex function. Upper bound: the chord over [l, u]. Lower bound: a
   * line α·z through 0 with α ∈ {a, 1}, picked by which side dominates (CROWN's adaptive choice).
   */
  activation(src, out, a) {
    for (let k = 0; k < src.size; k++) this.activationOne(src, k, out, k, a);
  }
  activationOne(src, j, out, k, a) {
    const l = src.lo[j];
    const u = src.hi[j];
    if (l >= 0) {
      this.scaleInto(src.aLo, src.bLo, j, 1, 0, out.aLo, out.bLo, k, false);
      this.scaleInto(src.aUp, src.bUp, j, 1, 0, out.aUp, out.bUp, k, true);
    } else if (u <= 0) {
      this.scaleLinear(src, j, a, 0, out, k);
    } else {
      const num = up(u - down(a * l));
      const s = up(num / (num >= 0 ? down(u - l) : up(u - l)));
      const off = up(up(a * l) - down(s * l));
      if (s >= 0) this.scaleInto(src.aUp, src.bUp, j, s, off, out.aUp, out.bUp, k, true);
      else this.scaleInto(src.aLo, src.bLo, j, s, off, out.aUp, out.bUp, k, true);
      const alpha = u >= -l ? 1 : a;
      if (alpha >= 0) this.scaleInto(src.aLo, src.bLo, j, alpha, 0, out.aLo, out.bLo, k, false);
      else this.scaleInto(src.aUp, src.bUp, j, alpha, 0, out.aLo, out.bLo, k, false);
    }
    this.concretize(out, k);
    const ibpLo = l >= 0 ? l : u <= 0 ? Math.min(a * l, a * u) : a >= 0 ? a * l : 0;
    const ibpHi = l >= 0 ? u : u <= 0 ? Math.max(a * l, a * u) : Math.max(u, a * l);
    out.lo[k] = Math.max(out.lo[k], down(ibpLo));
    out.hi[k] = Math.min(out.hi[k], up(ibpHi));
  }
  /** The MLP's activation after hidden layer `layer`, entry by entry. */
  hidden(mlp, layer, src, out) {
    if (mlp.activations[layer] === "tanh") for (let k = 0; k < src.size; k++) this.tanhOne(src, k, out, k);
    else this.activation(src, out, mlp.slope);
  }
  /**
   * out[k] = tanh(src[j]), with lines of slope ≥ 0 on both sides over [l, u] = src's bounds:
   * - where [l, u] lies in z ≥ 0, tanh is concave: the chord is below it, and the tangent at the
   *   midpoint m is above it. A line of slope d through (m, tanh m) stays above a concave g when d is
   *   tanh'(m) exactly; d is within TANGENT_SLOPE_ERROR of it, so the offset adds that error times
   *   the largest distance from m;
   * - where it lies in z ≤ 0 (convex), the same with the sides swapped;
   * - across 0, parallel lines of the smallest slope s of tanh on [l, u] (at the end farther from
   *   0): tanh(z) − s·z is non-decreasing there, so it lies between its values at l and u.
   * Every tanh value is taken rounded outward (tanhDown/tanhUp) and every offset rounded outward.
   */
  tanhOne(src, j, out, k) {
    const l = src.lo[j];
    const u = src.hi[j];
    let lowSlope;
    let lowOffset;
    let upSlope;
    let upOffset;
    if (l >= 0 || u <= 0) {
      const concave = l >= 0;
      const chord = u > l ? Math.max(0, (Math.tanh(u) - Math.tanh(l)) / (u - l)) : 0;
      const m = 0.5 * (l + u);
      const t = Math.tanh(m);
      const tangent = Math.max(0, 1 - t * t);
      const reach = up(up(Math.max(u - m, m - l)) * TANGENT_SLOPE_ERROR);
      if (concave) {
        lowSlope = chord;
        lowOffset = Math.min(down(tanhDown(l) - up(chord * l)), down(tanhDown(u) - up(chord * u)));
        upSlope = tangent;
        upOffset = up(up(tanhUp(m) - down(tangent * m)) + reach);
      } else {
        upSlope = chord;
        upOffset = Math.max(up(tanhUp(l) - down(chord * l)), up(tanhUp(u) - down(chord * u)));
        lowSlope = tangent;
        lowOffset = down(down(tanhDown(m) - up(tangent * m)) - reach);
      }
    } else {
      const far = Math.max(
        Math.abs(tanhDown(l)),
        Math.abs(tanhUp(l)),
        Math.abs(tanhDown(u)),
        Math.abs(tanhUp(u))
      );
      const s = Math.max(0, down(1 - up(far * far)));
      lowSlope = s;
      lowOffset = down(tanhDown(l) - up(s * l));
      upSlope = s;
      upOffset = up(tanhUp(u) - down(s * u));
    }
    this.scaleInto(src.aLo, src.bLo, j, lowSlope, lowOffset, out.aLo, out.bLo, k, false);
    this.scaleInto(src.aUp, src.bUp, j, upSlope, upOffset, out.aUp, out.bUp, k, true);
    this.concretize(out, k);
    out.lo[k] = Math.max(out.lo[k], tanhDown(l));
    out.hi[k] = Math.min(out.hi[k], tanhUp(u));
  }
  /**
   * out[k] = src[j]². Upper bound: a line above the parabola at both ends of [l, u] (the chord,
   * with its offset rounded so it stays above); lower bound: the tangent at the midpoint,
   * z² ≥ 2m·z − m², which holds for every real z.
   */
  square(src, j, out, k) {
    const l = src.lo[j];
    const u = src.hi[j];
    const s = l + u;
    const o = Math.max(up(up(l * l) - down(s * l)), up(up(u * u) - down(s * u)));
    if (s >= 0) this.scaleInto(src.aUp, src.bUp, j, s, o, out.aUp, out.bUp, k, true);
    else this.scaleInto(src.aLo, src.bLo, j, s, o, out.aUp, out.bUp, k, true);
    const t = l + u;
    const m = 0.5 * t;
    const off = -up(m * m);
    const slope = 2 * m;
    if (slope >= 0) this.scaleInto(src.aLo, src.bLo, j, slope, off, out.aLo, out.bLo, k, false);
    else this.scaleInto(src.aUp, src.bUp, j, slope, off, out.aLo, out.bLo, k, false);
    this.concretize(out, k);
    const ibpLo = l >= 0 ? down(l * l) : u <= 0 ? down(u * u) : 0;
    const ibpHi = up(Math.max(l * l, u * u));
    out.lo[k] = Math.max(out.lo[k], ibpLo, 0);
    out.hi[k] = Math.min(out.hi[k], ibpHi);
  }
  /** out[k] = s·src[j] + offset for an exact float s. */
  scaleLinear(src, j, s, offset, out, k) {
    if (s >= 0) {
      this.scaleInto(src.aLo, src.bLo, j, s, offset, out.aLo, out.bLo, k, false);
      this.scaleInto(src.aUp, src.bUp, j, s, offset, out.aUp, out.bUp, k, true);
    } else {
      this.scaleInto(src.aUp, src.bUp, j, s, offset, out.aLo, out.bLo, k, false);
      this.scaleInto(src.aLo, src.bLo, j, s, offset, out.aUp, out.bUp, k, true);
    }
    this.concretize(out, k);
  }
};
var LinearSum = class {
  constructor(box) {
    this.box = box;
    const n = box.n;
    this.aLo = new Float64Array(n);
    this.aUp = new Float64Array(n);
    this.absLo = new Float64Array(n);
    this.absUp = new Float64Array(n);
  }
  box;
  aLo;
  aUp;
  absLo;
  absUp;
  bLo = 0;
  bUp = 0;
  bAbsLo = 0;
  bAbsUp = 0;
  extra = 0;
  terms = 0;
  reset() {
    this.aLo.fill(0);
    this.aUp.fill(0);
    this.absLo.fill(0);
    this.absUp.fill(0);
    this.bLo = this.bUp = this.bAbsLo = this.bAbsUp = this.extra = 0;
    this.terms = 0;
    return this;
  }
  add(cLo, cHi, q, j) {
    const n = this.box.n;
    const c = cLo === cHi ? cLo : 0.5 * (cLo + cHi);
    if (cLo !== cHi) {
      const cr = up(Math.max(up(cHi - c), up(c - cLo)));
      const qMax = Math.max(Math.abs(q.lo[j]), Math.abs(q.hi[j]));
      this.extra = up(this.extra + up(cr * qMax));
    }
    const aL = c >= 0 ? q.aLo : q.aUp;
    const aU = c >= 0 ? q.aUp : q.aLo;
    const tLo = c * (c >= 0 ? q.bLo[j] : q.bUp[j]);
    const tUp = c * (c >= 0 ? q.bUp[j] : q.bLo[j]);
    this.bLo += tLo;
    this.bUp += tUp;
    this.bAbsLo += Math.abs(tLo);
    this.bAbsUp += Math.abs(tUp);
    for (let i = 0; i < n; i++) {
      const pL = c * aL[j * n + i];
      const pU = c * aU[j * n + i];
      this.aLo[i] = this.aLo[i] + pL;
      this.aUp[i] = this.aUp[i] + pU;
      this.absLo[i] = this.absLo[i] + Math.abs(pL);
      this.absUp[i] = this.absUp[i] + Math.abs(pU);
    }
    this.terms++;
    return this;
  }
  addConst(lo, hi) {
    this.bLo += lo;
    this.bUp += hi;
    this.bAbsLo += Math.abs(lo);
    this.bAbsUp += Math.abs(hi);
    this.terms++;
    return this;
  }
  writeTo(out, k) {
    const n = this.box.n;
    const m = this.terms + 1;
    let sLo = 0;
    let sUp = 0;
    for (let i = 0; i < n; i++) {
      out.aLo[k * n + i] = this.aLo[i];
      out.aUp[k * n + i] = this.aUp[i];
      sLo += sumError(this.absLo[i], m) * this.box.radius[i];
      sUp += sumError(this.absUp[i], m) * this.box.radius[i];
    }
    sLo += sumError(sLo, n);
    sUp += sumError(sUp, n);
    out.bLo[k] = down(this.bLo - (sumError(this.bAbsLo, m) + sLo + this.extra));
    out.bUp[k] = up(this.bUp + (sumError(this.bAbsUp, m) + sUp + this.extra));
    this.box.concretize(out, k);
  }
};
export {
  LinVec,
  LinearBox,
  LinearSum
};
