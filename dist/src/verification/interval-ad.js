// Compiled from src/verification/interval-ad.ts by `npm run build`: edit the source, not this file.

// src/verification/interval-ad.ts
import { cosInterval, down, sinInterval, tanhDown, tanhUp, up } from "./rounding.js";
var Dual = class {
  lo = 0;
  hi = 0;
  gLo;
  gHi;
  constructor(m) {
    this.gLo = new Float64Array(m);
    this.gHi = new Float64Array(m);
  }
};
var scratch = new Float64Array(2);
function mulLo(al, ah, bl, bh) {
  return down(Math.min(al * bl, al * bh, ah * bl, ah * bh));
}
function mulHi(al, ah, bl, bh) {
  return up(Math.max(al * bl, al * bh, ah * bl, ah * bh));
}
function mulInto(al, ah, bl, bh, out) {
  const p1 = al * bl;
  const p2 = al * bh;
  const p3 = ah * bl;
  const p4 = ah * bh;
  out[0] = down(Math.min(p1, p2, p3, p4));
  out[1] = up(Math.max(p1, p2, p3, p4));
}
var prod = new Float64Array(2);
var DualArith = class _DualArith {
  /** `m` inputs to differentiate by (0: values only, plain interval arithmetic). */
  constructor(m) {
    this.m = m;
  }
  m;
  pool = [];
  next = 0;
  reset() {
    this.next = 0;
  }
  alloc() {
    if (this.next === this.pool.length) this.pool.push(new Dual(this.m));
    return this.pool[this.next++];
  }
  /** An input: [lo, hi] with derivative 1 with respect to input `index` (−1: a constant). */
  input(lo, hi, index) {
    const d = this.alloc();
    d.lo = lo;
    d.hi = hi;
    d.gLo.fill(0);
    d.gHi.fill(0);
    if (index >= 0 && index < this.m) {
      d.gLo[index] = 1;
      d.gHi[index] = 1;
    }
    return d;
  }
  constant(lo, hi = lo) {
    return this.input(lo, hi, -1);
  }
  add(a, b) {
    const d = this.alloc();
    d.lo = down(a.lo + b.lo);
    d.hi = up(a.hi + b.hi);
    for (let i = 0; i < this.m; i++) {
      d.gLo[i] = down(a.gLo[i] + b.gLo[i]);
      d.gHi[i] = up(a.gHi[i] + b.gHi[i]);
    }
    return d;
  }
  sub(a, b) {
    const d = this.alloc();
    d.lo = down(a.lo - b.hi);
    d.hi = up(a.hi - b.lo);
    for (let i = 0; i < this.m; i++) {
      d.gLo[i] = down(a.gLo[i] - b.gHi[i]);
      d.gHi[i] = up(a.gHi[i] - b.gLo[i]);
    }
    return d;
  }
  /** Product rule: (ab)′ ∈ a′·[b] + [a]·b′. */
  mul(a, b) {
    const d = this.alloc();
    mulInto(a.lo, a.hi, b.lo, b.hi, prod);
    d.lo = prod[0];
    d.hi = prod[1];
    for (let i = 0; i < this.m; i++) {
      const al = a.gLo[i];
      const ah = a.gHi[i];
      const bl = b.gLo[i];
      const bh = b.gHi[i];
      let lo = 0;
      let hi = 0;
      if (al !== 0 || ah !== 0) {
        mulInto(al, ah, b.lo, b.hi, prod);
        lo = prod[0];
        hi = prod[1];
      }
      if (bl !== 0 || bh !== 0) {
        mulInto(a.lo, a.hi, bl, bh, prod);
        if (al !== 0 || ah !== 0) {
          lo = down(lo + prod[0]);
          hi = up(hi + prod[1]);
        } else {
          lo = prod[0];
          hi = prod[1];
        }
      }
      d.gLo[i] = lo;
      d.gHi[i] = hi;
    }
    return d;
  }
  square(a) {
    const d = this.alloc();
    const l = a.lo;
    const h = a.hi;
    if (l >= 0) {
      d.lo = down(l * l);
      d.hi = up(h * h);
    } else if (h <= 0) {
      d.lo = down(h * h);
      d.hi = up(l * l);
    } else {
      d.lo = 0;
      d.hi = up(Math.max(l * l, h * h));
    }
    this.scaleDerivative(a, down(2 * l), up(2 * h), d);
    return d;
  }
  /** a / b for b not containing 0; (a/b)′ ∈ (a′ − [a/b]·b′) / [b]. */
  div(a, b) {
    if (b.lo <= 0 && b.hi >= 0)
      throw new RangeError(`interval division by [${b.lo}, ${b.hi}], which contains 0`);
    const d = this.alloc();
    const rl = down(1 / b.hi);
    const rh = up(1 / b.lo);
    mulInto(a.lo, a.hi, rl, rh, prod);
    d.lo = prod[0];
    d.hi = prod[1];
    for (let i = 0; i < this.m; i++) {
      const bl = b.gLo[i];
      const bh = b.gHi[i];
      let nl = a.gLo[i];
      let nh = a.gHi[i];
      if (bl !== 0 || bh !== 0) {
        mulInto(d.lo, d.hi, bl, bh, prod);
        nl = down(nl - prod[1]);
        nh = up(nh - prod[0]);
      }
      if (nl === 0 && nh === 0) {
        d.gLo[i] = 0;
        d.gHi[i] = 0;
        continue;
      }
      mulInto(nl, nh, rl, rh, prod);
      d.gLo[i] = prod[0];
      d.gHi[i] = prod[1];
    }
    return d;
  }
  /**
   * Σ_j w_j·a_j + bias over `count` weights of `weight` from `offset` (one row of a dense layer):
   * the weights are exact floats, so each term is a scaling of an enclosure.
   */
  affine(weight, offset, count, bias, a) {
    const d = this.alloc();
    let lo = bias;
    let hi = bias;
    d.gLo.fill(0);
    d.gHi.fill(0);
    for (let j = 0; j < count; j++) {
      const w = weight[offset + j];
      if (w === 0) continue;
      const x = a[j];
      lo = down(lo + down(w > 0 ? w * x.lo : w * x.hi));
      hi = up(hi + up(w > 0 ? w * x.hi : w * x.lo));
      for (let i = 0; i < this.m; i++) {
        const gl = x.gLo[i];
        const gh = x.gHi[i];
        if (gl === 0 && gh === 0) continue;
        d.gLo[i] = down(d.gLo[i] + down(w > 0 ? w * gl : w * gh));
        d.gHi[i] = up(d.gHi[i] + up(w > 0 ? w * gh : w * gl));
      }
    }
    d.lo = lo;
    d.hi = hi;
    return d;
  }
  /** tanh(a); (tanh a)′ = (1 − tanh² a)·a′, with tanh² over the value's enclosure. */
  tanh(a) {
    const d = this.alloc();
    d.lo = tanhDown(a.lo);
    d.hi = tanhUp(a.hi);
    const sqLo = d.lo >= 0 ? down(d.lo * d.lo) : d.hi <= 0 ? down(d.hi * d.hi) : 0;
    const sqHi = up(Math.max(d.lo * d.lo, d.hi * d.hi));
    this.scaleDerivative(a, Math.max(0, down(1 - sqHi)), Math.min(1, up(1 - sqLo)), d);
    return d;
  }
  /**
   * max(a, slope·a) for slope in [0, 1] (ReLU, LeakyReLU). Where a may change sign the derivative
   * is any value between slope and 1 (the mean-value form of a Lipschitz map takes the hull).
   */
  leakyRelu(a, slope) {
    const d = this.alloc();
    if (a.lo >= 0) {
      _DualArith.copy(a, d);
      return d;
    }
    d.lo = down(slope * a.lo);
    d.hi = a.hi <= 0 ? up(slope * a.hi) : a.hi;
    if (a.hi <= 0) this.scaleDerivative(a, slope, slope, d);
    else this.scaleDerivative(a, slope, 1, d);
    return d;
  }
  /**
   * min(max(a, lo), hi): 1-Lipschitz with derivative 1 inside, 0 outside, and the hull [0, 1] of
   * both on a box where it may switch (the mean-value form for Lipschitz maps allows that).
   */
  clamp(a, lo, hi) {
    if (a.lo >= lo && a.hi <= hi) return a;
    if (a.lo >= hi) return this.constant(hi);
    if (a.hi <= lo) return this.constant(lo);
    const d = this.alloc();
    d.lo = Math.max(a.lo, lo);
    d.hi = Math.min(a.hi, hi);
    this.scaleDerivative(a, 0, 1, d);
    return d;
  }
  /** d′ = [kLo, kHi]·a′. */
  scaleDerivative(a, kLo, kHi, d) {
    for (let i = 0; i < this.m; i++) {
      const gl = a.gLo[i];
      const gh = a.gHi[i];
      if (gl === 0 && gh === 0) {
        d.gLo[i] = 0;
        d.gHi[i] = 0;
        continue;
      }
      d.gLo[i] = mulLo(kLo, kHi, gl, gh);
      d.gHi[i] = mulHi(kLo, kHi, gl, gh);
    }
  }
  /** Results of the last `sinCos`. */
  sinOut;
  cosOut;
  /** sin and cos of the same argument: (sin a)′ = cos a · a′, (cos a)′ = −sin a · a′. */
  sinCos(a) {
    const s = this.alloc();
    const c = this.alloc();
    this.sinOut = s;
    this.cosOut = c;
    sinInterval(a.lo, a.hi, scratch);
    s.lo = scratch[0];
    s.hi = scratch[1];
    cosInterval(a.lo, a.hi, scratch);
    c.lo = scratch[0];
    c.hi = scratch[1];
    this.scaleDerivative(a, c.lo, c.hi, s);
    this.scaleDerivative(a, -s.hi, -s.lo, c);
  }
  /** Copies a pooled quantity's enclosures out (the pool is reused by the next evaluation). */
  static copy(from, to) {
    to.lo = from.lo;
    to.hi = from.hi;
    to.gLo.set(from.gLo);
    to.gHi.set(from.gHi);
  }
};
function controlLawDual(ar, net, netZero, uStar, x, layerOut) {
  const { layers, activations, slope } = net;
  let h = x;
  for (let k = 0; k < layers.length; k++) {
    const { inSize, outSize, weight, bias } = layers[k];
    const out = layerOut[k];
    const hidden = k < layers.length - 1;
    for (let i = 0; i < outSize; i++) {
      const z = ar.affine(weight, i * inSize, inSize, bias[i], h);
      out[i] = !hidden ? z : activations[k] === "tanh" ? ar.tanh(z) : ar.leakyRelu(z, slope);
    }
    h = out;
  }
  return ar.add(ar.sub(h[0], ar.constant(netZero.lo, netZero.hi)), ar.constant(uStar));
}
export {
  Dual,
  DualArith,
  controlLawDual
};
