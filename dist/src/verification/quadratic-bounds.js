// Compiled from src/verification/quadratic-bounds.ts by `npm run build`: edit the source, not this file.

// src/verification/quadratic-bounds.ts
import {
  cartpoleConstants,
  cartpoleStepDual,
  plantInputsOf
} from "./cartpole.js";
import { uncertaintyLayout } from "./forward.js";
import { intervalAtPoint } from "./interval.js";
import { controlLawDual, DualArith } from "./interval-ad.js";
import { searchDim } from "./model.js";
import { constant, cSub, down, exact, up } from "./rounding.js";
function quadraticFormApplies(model) {
  return model.lyapunov.kind === "quadratic" && model.dynamics.system === "cartpole";
}
function mulLo(al, ah, bl, bh) {
  return down(Math.min(al * bl, al * bh, ah * bl, ah * bh));
}
function mulHi(al, ah, bl, bh) {
  return up(Math.max(al * bl, al * bh, ah * bl, ah * bh));
}
function provedPositiveDefinite(a, n, scratch) {
  let trace = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i * n + i];
    if (!(d > 0)) return false;
    trace += d;
  }
  const shift = 1e-13 * trace + 1e-290;
  const l = scratch;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j] - (i === j ? shift : 0);
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) return false;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  }
  return true;
}
var QuadraticFormBounder = class {
  constructor(model, fallback, uncertaintyAsInputs = true) {
    this.fallback = fallback;
    if (!quadraticFormApplies(model))
      throw new RangeError("quadratic-form bounds need a quadratic V, an affine controller and the cartpole");
    const n = model.stateDim;
    const dims = searchDim(model);
    this.n = n;
    this.dims = dims;
    this.m = (uncertaintyAsInputs ? dims : n) + 1;
    this.paramInputs = uncertaintyAsInputs;
    this.fullWidth = Float64Array.from(model.uncertainty, (u) => u.up - u.lo);
    if (model.dynamics.system !== "cartpole") throw new RangeError("unreachable");
    this.k = cartpoleConstants(model.dynamics);
    this.derivs = new DualArith(this.m);
    const lyap = model.lyapunov;
    if (lyap.kind !== "quadratic") throw new RangeError("unreachable");
    this.l = lyap.l;
    this.rows = lyap.lRows;
    this.net = model.controller.net;
    this.netZero = intervalAtPoint(this.net, new Float64Array(n));
    this.uStar = model.controller.uStar;
    this.uLo = model.controller.uLo;
    this.uUp = model.controller.uUp;
    this.oneMinusKappa = cSub(exact(1), constant(model.spec.kappa));
    this.layout = uncertaintyLayout(model);
    this.estimateDim = this.layout.estimate.map((k) => k >= 0 ? n + k : -1);
    this.layerOut = this.net.layers.map((layer) => new Array(layer.outSize));
    this.seen = new Array(n);
    const rows = this.rows;
    const f = (size) => new Float64Array(size);
    this.c = f(dims + 1);
    this.r = f(dims + 1);
    this.fcLo = f(n);
    this.fcHi = f(n);
    this.jLo = f(n * (dims + 1));
    this.jHi = f(n * (dims + 1));
    this.frLo = f(n);
    this.frHi = f(n);
    this.zcLo = f(rows);
    this.zcHi = f(rows);
    this.lcLo = f(rows);
    this.lcHi = f(rows);
    this.gLo = f(rows * (dims + 1));
    this.gHi = f(rows * (dims + 1));
    this.g0 = f(rows * (dims + 1));
    this.gr = f(rows * (dims + 1));
    this.sc = f((dims + 1) * (dims + 1));
    this.sr = f((dims + 1) * (dims + 1));
    this.sxx = f(n * n);
    this.chol = f(n * n);
    this.aAbs = f(dims + 1);
    this.v1 = f(rows);
    this.v2 = f(rows);
    this.pLo = f(n * n);
    this.pHi = f(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let lo = 0;
        let hi = 0;
        for (let q = 0; q < rows; q++) {
          const p = this.l[q * n + i] * this.l[q * n + j];
          lo = down(lo + down(p));
          hi = up(hi + up(p));
        }
        this.pLo[i * n + j] = lo;
        this.pHi[i * n + j] = hi;
      }
  }
  fallback;
  n;
  dims;
  /**
   * Derivative inputs: the state, then the clamp's overshoot (see `bound`). Plant uncertainty
   * enters as interval constants instead (in F(c) and in the Jacobian's enclosure): to first order
   * that is as tight, at about half the cost of derivatives with respect to it.
   */
  m;
  /** Full width of each uncertainty interval (for the split heuristic). */
  fullWidth;
  /** Whether the uncertainty dimensions are derivative inputs (else interval constants). */
  paramInputs;
  k;
  values = new DualArith(0);
  derivs;
  l;
  rows;
  net;
  /** An enclosure of net(0) (the model subtracts it). */
  netZero;
  layerOut;
  seen;
  uStar;
  uLo;
  uUp;
  oneMinusKappa;
  /** Box dimension of each uncertainty kind (−1: absent). */
  layout;
  estimateDim;
  // Scratch (allocation-free per box).
  c;
  r;
  fcLo;
  fcHi;
  jLo;
  jHi;
  frLo;
  frHi;
  zcLo;
  zcHi;
  lcLo;
  lcHi;
  gLo;
  gHi;
  g0;
  gr;
  sc;
  sr;
  sxx;
  chol;
  aAbs;
  v1;
  v2;
  pLo;
  pHi;
  /** Boxes handed to the fallback (clamp switching inside the box). */
  fallbacks = 0;
  /** The plant inputs (duals) for the uncertainty dimensions that enter F. */
  plant(make) {
    return plantInputsOf(this.layout, (d) => make(this.n + d));
  }
  /** u = net(x + ε) − net(0) + u* as a dual from the box inputs (clamp inactive). */
  command(ar, inputs) {
    const seen = this.seen;
    for (let j = 0; j < this.n; j++) {
      const e = this.estimateDim[j];
      seen[j] = e >= 0 ? ar.add(inputs[j], inputs[e]) : inputs[j];
    }
    return controlLawDual(ar, this.net, this.netZero, this.uStar, seen, this.layerOut);
  }
  bound(lo, hi, rho, out) {
    const n = this.n;
    const boxDims = this.dims;
    const dims = this.m;
    const rows = this.rows;
    const L = this.l;
    const { c, r } = this;
    const inputDims = dims - 1;
    for (let i = 0; i < inputDims; i++) {
      const m = 0.5 * (lo[i] + hi[i]);
      c[i] = m;
      r[i] = up(Math.max(up(hi[i] - m), up(m - lo[i])));
    }
    c[inputDims] = 0;
    r[inputDims] = 0;
    for (let q = 0; q < rows; q++) {
      let sLo = 0;
      let sHi = 0;
      for (let j = 0; j < n; j++) {
        const p = L[q * n + j] * c[j];
        sLo = down(sLo + down(p));
        sHi = up(sHi + up(p));
      }
      this.lcLo[q] = sLo;
      this.lcHi[q] = sHi;
    }
    let vcLo = 0;
    let vcHi = 0;
    for (let q = 0; q < rows; q++) {
      const a = this.lcLo[q];
      const b = this.lcHi[q];
      vcLo = down(vcLo + (a >= 0 ? down(a * a) : b <= 0 ? down(b * b) : 0));
      vcHi = up(vcHi + up(Math.max(a * a, b * b)));
    }
    let slope = 0;
    for (let j = 0; j < n; j++) {
      let gLo = 0;
      let gHi = 0;
      for (let q = 0; q < rows; q++) {
        gLo = down(gLo + mulLo(L[q * n + j], L[q * n + j], this.lcLo[q], this.lcHi[q]));
        gHi = up(gHi + mulHi(L[q * n + j], L[q * n + j], this.lcLo[q], this.lcHi[q]));
      }
      slope = up(slope + up(up(2 * Math.max(Math.abs(gLo), Math.abs(gHi))) * r[j]));
    }
    let ibpLo = 0;
    let ibpHi = 0;
    for (let q = 0; q < rows; q++) {
      let zl = 0;
      let zh = 0;
      for (let j = 0; j < n; j++) {
        zl = down(zl + mulLo(L[q * n + j], L[q * n + j], lo[j], hi[j]));
        zh = up(zh + mulHi(L[q * n + j], L[q * n + j], lo[j], hi[j]));
      }
      ibpLo = down(ibpLo + (zl >= 0 ? down(zl * zl) : zh <= 0 ? down(zh * zh) : 0));
      ibpHi = up(ibpHi + up(Math.max(zl * zl, zh * zh)));
    }
    out.vLo = Math.max(0, ibpLo, down(vcLo - slope));
    if (out.vLo > rho) return false;
    out.vUp = ibpHi;
    const ar = this.derivs;
    ar.reset();
    const inputs = [];
    for (let i = 0; i < boxDims; i++)
      inputs.push(i < inputDims ? ar.input(lo[i], hi[i], i) : ar.constant(lo[i], hi[i]));
    let u = this.command(ar, inputs);
    let clip = 0;
    let overshoot = 0;
    if (u.lo >= this.uLo && u.hi <= this.uUp) {
    } else if (u.lo >= this.uUp) u = ar.constant(this.uUp);
    else if (u.hi <= this.uLo) u = ar.constant(this.uLo);
    else if (u.lo >= this.uLo) {
      clip = -1;
      overshoot = up(u.hi - this.uUp);
    } else if (u.hi <= this.uUp) {
      clip = 1;
      overshoot = up(this.uLo - u.lo);
    } else {
      this.fallbacks++;
      return this.fallback.bound(lo, hi, rho, out);
    }
    if (clip !== 0) {
      const s = ar.input(0, overshoot, dims - 1);
      u = clip < 0 ? ar.sub(u, s) : ar.add(u, s);
      c[dims - 1] = 0.5 * overshoot;
      r[dims - 1] = up(Math.max(up(overshoot - c[dims - 1]), c[dims - 1]));
    }
    const saturated = u.gLo.every((v) => v === 0) && u.gHi.every((v) => v === 0);
    const overBox = cartpoleStepDual(ar, this.k, {
      x: inputs.slice(0, n),
      u,
      ...this.plant((d) => inputs[d])
    });
    for (let k = 0; k < n; k++) {
      const f = overBox[k];
      this.frLo[k] = f.lo;
      this.frHi[k] = f.hi;
      for (let i = 0; i < dims; i++) {
        this.jLo[k * dims + i] = f.gLo[i];
        this.jHi[k * dims + i] = f.gHi[i];
      }
    }
    const a0 = this.values;
    a0.reset();
    const centre = [];
    for (let i = 0; i < boxDims; i++)
      centre.push(i < inputDims ? a0.constant(c[i]) : a0.constant(lo[i], hi[i]));
    let uc = saturated ? a0.constant(u.lo, u.hi) : this.command(a0, centre);
    if (clip < 0) uc = a0.sub(uc, a0.constant(c[dims - 1]));
    else if (clip > 0) uc = a0.add(uc, a0.constant(c[dims - 1]));
    const atCentre = cartpoleStepDual(a0, this.k, {
      x: centre.slice(0, n),
      u: uc,
      ...this.plant((d) => centre[d])
    });
    for (let k = 0; k < n; k++) {
      this.fcLo[k] = atCentre[k].lo;
      this.fcHi[k] = atCentre[k].hi;
    }
    for (let k = 0; k < n; k++) {
      let sLo = this.fcLo[k];
      let sHi = this.fcHi[k];
      for (let i = 0; i < dims; i++) {
        const m = up(Math.max(Math.abs(this.jLo[k * dims + i]), Math.abs(this.jHi[k * dims + i])) * r[i]);
        sLo = down(sLo - m);
        sHi = up(sHi + m);
      }
      out.xnLo[k] = Math.max(this.frLo[k], sLo);
      out.xnHi[k] = Math.min(this.frHi[k], sHi);
    }
    let vnHi = 0;
    for (let q = 0; q < rows; q++) {
      let zl = 0;
      let zh = 0;
      for (let j = 0; j < n; j++) {
        zl = down(zl + mulLo(L[q * n + j], L[q * n + j], out.xnLo[j], out.xnHi[j]));
        zh = up(zh + mulHi(L[q * n + j], L[q * n + j], out.xnLo[j], out.xnHi[j]));
      }
      vnHi = up(vnHi + up(Math.max(zl * zl, zh * zh)));
    }
    out.vnUp = vnHi;
    let zz = 0;
    let zzLo = 0;
    for (let q = 0; q < rows; q++) {
      let zl = 0;
      let zh = 0;
      for (let j = 0; j < n; j++) {
        zl = down(zl + mulLo(L[q * n + j], L[q * n + j], this.fcLo[j], this.fcHi[j]));
        zh = up(zh + mulHi(L[q * n + j], L[q * n + j], this.fcLo[j], this.fcHi[j]));
      }
      this.zcLo[q] = zl;
      this.zcHi[q] = zh;
      zz = up(zz + up(Math.max(zl * zl, zh * zh)));
      zzLo += zl >= 0 ? zl * zl : zh <= 0 ? zh * zh : 0;
    }
    const gc = up(zz - down(this.oneMinusKappa.lo * vcLo));
    for (let q = 0; q < rows; q++)
      for (let i = 0; i < dims; i++) {
        let gl = 0;
        let gh = 0;
        for (let j = 0; j < n; j++) {
          const lq = L[q * n + j];
          if (lq === 0) continue;
          gl = down(gl + mulLo(lq, lq, this.jLo[j * dims + i], this.jHi[j * dims + i]));
          gh = up(gh + mulHi(lq, lq, this.jLo[j * dims + i], this.jHi[j * dims + i]));
        }
        const idx = q * dims + i;
        this.gLo[idx] = gl;
        this.gHi[idx] = gh;
        const mid = 0.5 * (gl + gh);
        this.g0[idx] = mid;
        this.gr[idx] = up(Math.max(up(gh - mid), up(mid - gl)));
      }
    let t1 = 0;
    const kLo = this.oneMinusKappa.lo;
    const kHi = this.oneMinusKappa.hi;
    for (let i = 0; i < dims; i++) {
      let al = 0;
      let ah = 0;
      for (let q = 0; q < rows; q++) {
        const idx = q * dims + i;
        al = down(al + mulLo(this.gLo[idx], this.gHi[idx], this.zcLo[q], this.zcHi[q]));
        ah = up(ah + mulHi(this.gLo[idx], this.gHi[idx], this.zcLo[q], this.zcHi[q]));
      }
      if (i < n) {
        let bl = 0;
        let bh = 0;
        for (let q = 0; q < rows; q++) {
          const lq = L[q * n + i];
          bl = down(bl + mulLo(lq, lq, this.lcLo[q], this.lcHi[q]));
          bh = up(bh + mulHi(lq, lq, this.lcLo[q], this.lcHi[q]));
        }
        const kbl = mulLo(kLo, kHi, bl, bh);
        const kbh = mulHi(kLo, kHi, bl, bh);
        al = down(al - kbh);
        ah = up(ah - kbl);
      }
      const abs = Math.max(Math.abs(al), Math.abs(ah));
      this.aAbs[i] = abs;
      t1 = up(t1 + up(up(2 * abs) * r[i]));
    }
    for (let i = 0; i < dims; i++)
      for (let j = i; j < dims; j++) {
        let sl = 0;
        let sh = 0;
        for (let q = 0; q < rows; q++) {
          const p = this.g0[q * dims + i] * this.g0[q * dims + j];
          sl = down(sl + down(p));
          sh = up(sh + up(p));
        }
        if (i < n && j < n) {
          const pl = mulLo(kLo, kHi, this.pLo[i * n + j], this.pHi[i * n + j]);
          const ph = mulHi(kLo, kHi, this.pLo[i * n + j], this.pHi[i * n + j]);
          sl = down(sl - ph);
          sh = up(sh - pl);
        }
        const mid = 0.5 * (sl + sh);
        const rad = up(Math.max(up(sh - mid), up(mid - sl)));
        this.sc[i * dims + j] = this.sc[j * dims + i] = mid;
        this.sr[i * dims + j] = this.sr[j * dims + i] = rad;
      }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) this.sxx[i * n + j] = -this.sc[i * dims + j];
    const nsd = provedPositiveDefinite(this.sxx, n, this.chol);
    let quad = 0;
    for (let i = 0; i < dims; i++)
      for (let j = 0; j < dims; j++) {
        const rr = up(r[i] * r[j]);
        let coef = this.sr[i * dims + j];
        if (!(nsd && i < n && j < n)) coef = up(coef + Math.abs(this.sc[i * dims + j]));
        quad = up(quad + up(coef * rr));
      }
    let cross = 0;
    for (let q = 0; q < rows; q++) {
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < dims; i++) {
        const idx = q * dims + i;
        s1 = up(s1 + up(Math.abs(this.g0[idx]) * r[i]));
        s2 = up(s2 + up(this.gr[idx] * r[i]));
      }
      this.v1[q] = s1;
      this.v2[q] = s2;
      cross = up(cross + up(up(2 * s1 * s2) + up(s2 * s2)));
    }
    out.gUp = up(up(up(gc + t1) + quad) + cross);
    for (let i = 0; i < inputDims; i++) {
      let s = up(2 * this.aAbs[i] * r[i]);
      for (let q = 0; q < rows; q++) s += this.gr[q * dims + i] * r[i] * (this.v1[q] + this.v2[q]);
      out.gSlope[i] = s;
    }
    if (!this.paramInputs && boxDims > n) {
      let total = 0;
      for (let i = n; i < boxDims; i++)
        total += this.fullWidth[i - n] > 0 ? (hi[i] - lo[i]) / this.fullWidth[i - n] : 0;
      const spread = Math.max(0, zz - zzLo);
      for (let i = n; i < boxDims; i++) {
        const rel = this.fullWidth[i - n] > 0 ? (hi[i] - lo[i]) / this.fullWidth[i - n] : 0;
        out.gSlope[i] = total > 0 ? spread * rel / total : 0;
      }
    }
    return true;
  }
};
export {
  QuadraticFormBounder,
  provedPositiveDefinite,
  quadraticFormApplies
};
