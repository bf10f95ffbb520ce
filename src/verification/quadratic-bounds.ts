import type { Bounder, BoxBounds } from './bounder.ts';
import {
  type CartpoleConstants,
  cartpoleConstants,
  cartpoleStepDual,
  type PlantInputs,
  plantInputsOf,
} from './cartpole.ts';
import { uncertaintyLayout } from './forward.ts';
import { intervalAtPoint } from './interval.ts';
import { controlLawDual, type Dual, DualArith } from './interval-ad.ts';
import { type LyapunovModel, type Mlp, searchDim } from './model.ts';
import { type ConstInterval, constant, cSub, down, exact, up } from './rounding.ts';

/**
 * Second-order bounds for a quadratic Lyapunov function V(x) = ‖L x‖² with a controller
 * u = clamp(net(x + ε) − net(0) + u*) on a smooth plant (the cart-pole). The net is an affine law
 * (one layer) or an MLP with tanh or ReLU-family hidden layers; its value and derivatives enter the
 * mean-value form like the plant's (a ReLU that may switch inside a box contributes the hull of its
 * two slopes, which the mean-value theorem for Lipschitz maps allows).
 *
 * Over a box X = c ± r (state, then uncertainty), write y = z − c. The mean-value theorem for the
 * one-period map F gives F(z) = F(c) + M y with M in the interval Jacobian J(X) (M is the Jacobian
 * averaged along the segment, and J(X) is convex). So, with G = L M = G₀ + Δ (G₀ the midpoint,
 * |Δ| ≤ Gr) and z_c = L F(c), ℓ_c = L c_x:
 *
 *   g(z) = V(F(z)) − (1 − κ)V(x)
 *        = g(c) + 2[Gᵀz_c − (1 − κ)Lᵀℓ_c]·y + yᵀ S y + 2(G₀y)·(Δy) + ‖Δy‖²,
 *   S = G₀ᵀG₀ − (1 − κ)(LᵀL ⊕ 0).
 *
 * Near a stable equilibrium S's state block is negative semi-definite (F is close to a contraction
 * in the V norm); where a sound positive-definiteness test (Rump's floating-point Cholesky
 * criterion) proves it, that block is bounded by 0 instead of being relaxed. This keeps the
 * cancellation between V(x⁺) and V(x) that separate linear relaxations lose, so boxes may be about
 * half as wide as their distance to x* instead of a tenth. Every quantity is an interval with
 * outward rounding.
 *
 * Boxes on which the clamp may switch between linear and saturated go to the fallback bounder.
 */

export function quadraticFormApplies(model: LyapunovModel): boolean {
  return model.lyapunov.kind === 'quadratic' && model.dynamics.system === 'cartpole';
}

/** Sum of products with outward rounding, for small fixed-size interval algebra. */
function mulLo(al: number, ah: number, bl: number, bh: number): number {
  return down(Math.min(al * bl, al * bh, ah * bl, ah * bh));
}
function mulHi(al: number, ah: number, bl: number, bh: number): number {
  return up(Math.max(al * bl, al * bh, ah * bl, ah * bh));
}

/**
 * Whether the float symmetric matrix A (row-major n × n) is positive definite, proved by Rump's
 * criterion: if floating-point Cholesky of A − cI completes with c ≥ γ_{n+1}/(1 − γ_{n+1})·tr(A)
 * plus an underflow term, A is positive definite (S. M. Rump, BIT 46, 2006). We take c far larger.
 */
export function provedPositiveDefinite(a: Float64Array, n: number, scratch: Float64Array): boolean {
  let trace = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i * n + i]!;
    if (!(d > 0)) return false;
    trace += d;
  }
  const shift = 1e-13 * trace + 1e-290;
  const l = scratch;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]! - (i === j ? shift : 0);
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) return false;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j]!;
    }
  }
  return true;
}

export class QuadraticFormBounder implements Bounder {
  private readonly n: number;
  private readonly dims: number;
  /**
   * Derivative inputs: the state, then the clamp's overshoot (see `bound`). Plant uncertainty
   * enters as interval constants instead (in F(c) and in the Jacobian's enclosure): to first order
   * that is as tight, at about half the cost of derivatives with respect to it.
   */
  private readonly m: number;
  /** Full width of each uncertainty interval (for the split heuristic). */
  private readonly fullWidth: Float64Array;
  /** Whether the uncertainty dimensions are derivative inputs (else interval constants). */
  private readonly paramInputs: boolean;
  private readonly k: CartpoleConstants;
  private readonly values = new DualArith(0);
  private readonly derivs: DualArith;
  private readonly l: Float64Array;
  private readonly rows: number;
  private readonly net: Mlp;
  /** An enclosure of net(0) (the model subtracts it). */
  private readonly netZero: ConstInterval;
  private readonly layerOut: Dual[][];
  private readonly seen: Dual[];
  private readonly uStar: number;
  private readonly uLo: number;
  private readonly uUp: number;
  private readonly oneMinusKappa;
  /** Box dimension of each uncertainty kind (−1: absent). */
  private readonly layout;
  private readonly estimateDim: number[];
  // Scratch (allocation-free per box).
  private readonly c: Float64Array;
  private readonly r: Float64Array;
  private readonly fcLo: Float64Array;
  private readonly fcHi: Float64Array;
  private readonly jLo: Float64Array;
  private readonly jHi: Float64Array;
  private readonly frLo: Float64Array;
  private readonly frHi: Float64Array;
  private readonly zcLo: Float64Array;
  private readonly zcHi: Float64Array;
  private readonly lcLo: Float64Array;
  private readonly lcHi: Float64Array;
  private readonly gLo: Float64Array;
  private readonly gHi: Float64Array;
  private readonly g0: Float64Array;
  private readonly gr: Float64Array;
  private readonly sc: Float64Array;
  private readonly sr: Float64Array;
  private readonly sxx: Float64Array;
  private readonly chol: Float64Array;
  private readonly aAbs: Float64Array;
  private readonly v1: Float64Array;
  private readonly v2: Float64Array;
  private readonly pLo: Float64Array;
  private readonly pHi: Float64Array;
  /** Boxes handed to the fallback (clamp switching inside the box). */
  fallbacks = 0;

  constructor(
    model: LyapunovModel,
    private readonly fallback: Bounder,
    uncertaintyAsInputs = true,
  ) {
    if (!quadraticFormApplies(model))
      throw new RangeError('quadratic-form bounds need a quadratic V, an affine controller and the cartpole');
    const n = model.stateDim;
    const dims = searchDim(model);
    this.n = n;
    this.dims = dims;
    this.m = (uncertaintyAsInputs ? dims : n) + 1;
    this.paramInputs = uncertaintyAsInputs;
    this.fullWidth = Float64Array.from(model.uncertainty, (u) => u.up - u.lo);
    if (model.dynamics.system !== 'cartpole') throw new RangeError('unreachable');
    this.k = cartpoleConstants(model.dynamics);
    this.derivs = new DualArith(this.m);
    const lyap = model.lyapunov;
    if (lyap.kind !== 'quadratic') throw new RangeError('unreachable');
    this.l = lyap.l;
    this.rows = lyap.lRows;
    this.net = model.controller.net;
    this.netZero = intervalAtPoint(this.net, new Float64Array(n));
    this.uStar = model.controller.uStar;
    this.uLo = model.controller.uLo;
    this.uUp = model.controller.uUp;
    this.oneMinusKappa = cSub(exact(1), constant(model.spec.kappa));
    this.layout = uncertaintyLayout(model);
    this.estimateDim = this.layout.estimate.map((k) => (k >= 0 ? n + k : -1));
    this.layerOut = this.net.layers.map((layer) => new Array<Dual>(layer.outSize));
    this.seen = new Array<Dual>(n);
    const rows = this.rows;
    const f = (size: number) => new Float64Array(size);
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
    // P = LᵀL as intervals.
    this.pLo = f(n * n);
    this.pHi = f(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let lo = 0;
        let hi = 0;
        for (let q = 0; q < rows; q++) {
          const p = this.l[q * n + i]! * this.l[q * n + j]!;
          lo = down(lo + down(p));
          hi = up(hi + up(p));
        }
        this.pLo[i * n + j] = lo;
        this.pHi[i * n + j] = hi;
      }
  }

  /** The plant inputs (duals) for the uncertainty dimensions that enter F. */
  private plant(make: (d: number) => Dual): PlantInputs {
    return plantInputsOf(this.layout, (d) => make(this.n + d));
  }

  /** u = net(x + ε) − net(0) + u* as a dual from the box inputs (clamp inactive). */
  private command(ar: DualArith, inputs: readonly Dual[]): Dual {
    const seen = this.seen;
    for (let j = 0; j < this.n; j++) {
      const e = this.estimateDim[j]!;
      seen[j] = e >= 0 ? ar.add(inputs[j]!, inputs[e]!) : inputs[j]!;
    }
    return controlLawDual(ar, this.net, this.netZero, this.uStar, seen, this.layerOut);
  }

  bound(lo: ArrayLike<number>, hi: ArrayLike<number>, rho: number, out: BoxBounds): boolean {
    const n = this.n;
    const boxDims = this.dims;
    const dims = this.m;
    const rows = this.rows;
    const L = this.l;
    const { c, r } = this;
    const inputDims = dims - 1;
    for (let i = 0; i < inputDims; i++) {
      const m = 0.5 * (lo[i]! + hi[i]!);
      c[i] = m;
      r[i] = up(Math.max(up(hi[i]! - m), up(m - lo[i]!)));
    }
    c[inputDims] = 0;
    r[inputDims] = 0;
    // ℓ_c = L c_x, V(c) and the tangent-plane lower bound of V over the box.
    for (let q = 0; q < rows; q++) {
      let sLo = 0;
      let sHi = 0;
      for (let j = 0; j < n; j++) {
        const p = L[q * n + j]! * c[j]!;
        sLo = down(sLo + down(p));
        sHi = up(sHi + up(p));
      }
      this.lcLo[q] = sLo;
      this.lcHi[q] = sHi;
    }
    let vcLo = 0;
    let vcHi = 0;
    for (let q = 0; q < rows; q++) {
      const a = this.lcLo[q]!;
      const b = this.lcHi[q]!;
      vcLo = down(vcLo + (a >= 0 ? down(a * a) : b <= 0 ? down(b * b) : 0));
      vcHi = up(vcHi + up(Math.max(a * a, b * b)));
    }
    // ∇V(c) = 2Lᵀℓ_c; V(x) ≥ V(c) − Σ|∇V_i| r_i (V is convex).
    let slope = 0;
    for (let j = 0; j < n; j++) {
      let gLo = 0;
      let gHi = 0;
      for (let q = 0; q < rows; q++) {
        gLo = down(gLo + mulLo(L[q * n + j]!, L[q * n + j]!, this.lcLo[q]!, this.lcHi[q]!));
        gHi = up(gHi + mulHi(L[q * n + j]!, L[q * n + j]!, this.lcLo[q]!, this.lcHi[q]!));
      }
      slope = up(slope + up(up(2 * Math.max(Math.abs(gLo), Math.abs(gHi))) * r[j]!));
    }
    // Plain interval bounds of V over the box.
    let ibpLo = 0;
    let ibpHi = 0;
    for (let q = 0; q < rows; q++) {
      let zl = 0;
      let zh = 0;
      for (let j = 0; j < n; j++) {
        zl = down(zl + mulLo(L[q * n + j]!, L[q * n + j]!, lo[j]!, hi[j]!));
        zh = up(zh + mulHi(L[q * n + j]!, L[q * n + j]!, lo[j]!, hi[j]!));
      }
      ibpLo = down(ibpLo + (zl >= 0 ? down(zl * zl) : zh <= 0 ? down(zh * zh) : 0));
      ibpHi = up(ibpHi + up(Math.max(zl * zl, zh * zh)));
    }
    out.vLo = Math.max(0, ibpLo, down(vcLo - slope));
    if (out.vLo > rho) return false;
    out.vUp = ibpHi;

    // The command over the box: linear regime, saturated, or switching (fallback).
    const ar = this.derivs;
    ar.reset();
    const inputs: Dual[] = [];
    for (let i = 0; i < boxDims; i++)
      inputs.push(i < inputDims ? ar.input(lo[i]!, hi[i]!, i) : ar.constant(lo[i]!, hi[i]!));
    // The clamp: linear, saturated, or crossing one limit. Crossing the upper limit,
    // u = ℓ(x) − s with ℓ(x) = W(x + ε) + u* and the overshoot s = relu(ℓ(x) − u_up) in
    // [0, max ℓ − u_up]; s is one more input of the mean-value form (its own box side), so the
    // correlation of u with x is kept where the clamp is linear. Likewise at the lower limit.
    let u = this.command(ar, inputs);
    let clip = 0;
    let overshoot = 0;
    if (u.lo >= this.uLo && u.hi <= this.uUp) {
      // linear: keep the dual
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
      r[dims - 1] = up(Math.max(up(overshoot - c[dims - 1]!), c[dims - 1]!));
    }
    const saturated = u.gLo.every((v) => v === 0) && u.gHi.every((v) => v === 0);
    const overBox = cartpoleStepDual(ar, this.k, {
      x: inputs.slice(0, n),
      u,
      ...this.plant((d) => inputs[d]!),
    });
    for (let k = 0; k < n; k++) {
      const f = overBox[k]!;
      this.frLo[k] = f.lo;
      this.frHi[k] = f.hi;
      for (let i = 0; i < dims; i++) {
        this.jLo[k * dims + i] = f.gLo[i]!;
        this.jHi[k * dims + i] = f.gHi[i]!;
      }
    }
    // F(c) in interval arithmetic, with the same regime of the clamp.
    const a0 = this.values;
    a0.reset();
    const centre: Dual[] = [];
    for (let i = 0; i < boxDims; i++)
      centre.push(i < inputDims ? a0.constant(c[i]!) : a0.constant(lo[i]!, hi[i]!));
    let uc = saturated ? a0.constant(u.lo, u.hi) : this.command(a0, centre);
    if (clip < 0) uc = a0.sub(uc, a0.constant(c[dims - 1]!));
    else if (clip > 0) uc = a0.add(uc, a0.constant(c[dims - 1]!));
    const atCentre = cartpoleStepDual(a0, this.k, {
      x: centre.slice(0, n),
      u: uc,
      ...this.plant((d) => centre[d]!),
    });
    for (let k = 0; k < n; k++) {
      this.fcLo[k] = atCentre[k]!.lo;
      this.fcHi[k] = atCentre[k]!.hi;
    }
    // x⁺: the plain enclosure, tightened by F(c) + J(X)·[−r, r].
    for (let k = 0; k < n; k++) {
      let sLo = this.fcLo[k]!;
      let sHi = this.fcHi[k]!;
      for (let i = 0; i < dims; i++) {
        const m = up(Math.max(Math.abs(this.jLo[k * dims + i]!), Math.abs(this.jHi[k * dims + i]!)) * r[i]!);
        sLo = down(sLo - m);
        sHi = up(sHi + m);
      }
      out.xnLo[k] = Math.max(this.frLo[k]!, sLo);
      out.xnHi[k] = Math.min(this.frHi[k]!, sHi);
    }
    // V(x⁺) upper bound over the x⁺ enclosure.
    let vnHi = 0;
    for (let q = 0; q < rows; q++) {
      let zl = 0;
      let zh = 0;
      for (let j = 0; j < n; j++) {
        zl = down(zl + mulLo(L[q * n + j]!, L[q * n + j]!, out.xnLo[j]!, out.xnHi[j]!));
        zh = up(zh + mulHi(L[q * n + j]!, L[q * n + j]!, out.xnLo[j]!, out.xnHi[j]!));
      }
      vnHi = up(vnHi + up(Math.max(zl * zl, zh * zh)));
    }
    out.vnUp = vnHi;

    // z_c = L F(c); g(c) upper bound.
    let zz = 0;
    let zzLo = 0;
    for (let q = 0; q < rows; q++) {
      let zl = 0;
      let zh = 0;
      for (let j = 0; j < n; j++) {
        zl = down(zl + mulLo(L[q * n + j]!, L[q * n + j]!, this.fcLo[j]!, this.fcHi[j]!));
        zh = up(zh + mulHi(L[q * n + j]!, L[q * n + j]!, this.fcLo[j]!, this.fcHi[j]!));
      }
      this.zcLo[q] = zl;
      this.zcHi[q] = zh;
      zz = up(zz + up(Math.max(zl * zl, zh * zh)));
      zzLo += zl >= 0 ? zl * zl : zh <= 0 ? zh * zh : 0;
    }
    const gc = up(zz - down(this.oneMinusKappa.lo * vcLo));
    // G = L J (interval), its midpoint G₀ and radius Gr.
    for (let q = 0; q < rows; q++)
      for (let i = 0; i < dims; i++) {
        let gl = 0;
        let gh = 0;
        for (let j = 0; j < n; j++) {
          const lq = L[q * n + j]!;
          if (lq === 0) continue;
          gl = down(gl + mulLo(lq, lq, this.jLo[j * dims + i]!, this.jHi[j * dims + i]!));
          gh = up(gh + mulHi(lq, lq, this.jLo[j * dims + i]!, this.jHi[j * dims + i]!));
        }
        const idx = q * dims + i;
        this.gLo[idx] = gl;
        this.gHi[idx] = gh;
        const mid = 0.5 * (gl + gh);
        this.g0[idx] = mid;
        this.gr[idx] = up(Math.max(up(gh - mid), up(mid - gl)));
      }
    // Linear term: a = Gᵀz_c − (1 − κ)Lᵀℓ_c; T1 = 2 Σ|a_i| r_i.
    let t1 = 0;
    const kLo = this.oneMinusKappa.lo;
    const kHi = this.oneMinusKappa.hi;
    for (let i = 0; i < dims; i++) {
      let al = 0;
      let ah = 0;
      for (let q = 0; q < rows; q++) {
        const idx = q * dims + i;
        al = down(al + mulLo(this.gLo[idx]!, this.gHi[idx]!, this.zcLo[q]!, this.zcHi[q]!));
        ah = up(ah + mulHi(this.gLo[idx]!, this.gHi[idx]!, this.zcLo[q]!, this.zcHi[q]!));
      }
      if (i < n) {
        let bl = 0;
        let bh = 0;
        for (let q = 0; q < rows; q++) {
          const lq = L[q * n + i]!;
          bl = down(bl + mulLo(lq, lq, this.lcLo[q]!, this.lcHi[q]!));
          bh = up(bh + mulHi(lq, lq, this.lcLo[q]!, this.lcHi[q]!));
        }
        const kbl = mulLo(kLo, kHi, bl, bh);
        const kbh = mulHi(kLo, kHi, bl, bh);
        al = down(al - kbh);
        ah = up(ah - kbl);
      }
      const abs = Math.max(Math.abs(al), Math.abs(ah));
      this.aAbs[i] = abs;
      t1 = up(t1 + up(up(2 * abs) * r[i]!));
    }
    // S = G₀ᵀG₀ − (1 − κ)(P ⊕ 0) as intervals; midpoint Sc, radius Sr.
    for (let i = 0; i < dims; i++)
      for (let j = i; j < dims; j++) {
        let sl = 0;
        let sh = 0;
        for (let q = 0; q < rows; q++) {
          const p = this.g0[q * dims + i]! * this.g0[q * dims + j]!;
          sl = down(sl + down(p));
          sh = up(sh + up(p));
        }
        if (i < n && j < n) {
          const pl = mulLo(kLo, kHi, this.pLo[i * n + j]!, this.pHi[i * n + j]!);
          const ph = mulHi(kLo, kHi, this.pLo[i * n + j]!, this.pHi[i * n + j]!);
          sl = down(sl - ph);
          sh = up(sh - pl);
        }
        const mid = 0.5 * (sl + sh);
        const rad = up(Math.max(up(sh - mid), up(mid - sl)));
        this.sc[i * dims + j] = this.sc[j * dims + i] = mid;
        this.sr[i * dims + j] = this.sr[j * dims + i] = rad;
      }
    // yᵀSy ≤ yᵀSc y + Σ Sr r r; the state block of Sc is bounded by 0 when proved NSD.
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) this.sxx[i * n + j] = -this.sc[i * dims + j]!;
    const nsd = provedPositiveDefinite(this.sxx, n, this.chol);
    let quad = 0;
    for (let i = 0; i < dims; i++)
      for (let j = 0; j < dims; j++) {
        const rr = up(r[i]! * r[j]!);
        let coef = this.sr[i * dims + j]!;
        if (!(nsd && i < n && j < n)) coef = up(coef + Math.abs(this.sc[i * dims + j]!));
        quad = up(quad + up(coef * rr));
      }
    // 2(G₀y)·(Δy) + ‖Δy‖² ≤ 2 v1·v2 + v2·v2 with v1 = |G₀| r, v2 = Gr r.
    let cross = 0;
    for (let q = 0; q < rows; q++) {
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < dims; i++) {
        const idx = q * dims + i;
        s1 = up(s1 + up(Math.abs(this.g0[idx]!) * r[i]!));
        s2 = up(s2 + up(this.gr[idx]! * r[i]!));
      }
      this.v1[q] = s1;
      this.v2[q] = s2;
      cross = up(cross + up(up(2 * s1 * s2) + up(s2 * s2)));
    }
    out.gUp = up(up(up(gc + t1) + quad) + cross);
    for (let i = 0; i < inputDims; i++) {
      let s = up(2 * this.aAbs[i]! * r[i]!);
      for (let q = 0; q < rows; q++) s += this.gr[q * dims + i]! * r[i]! * (this.v1[q]! + this.v2[q]!);
      out.gSlope[i] = s;
    }
    // Uncertainty sides as constants: V(F(c)) spreads with them; share that spread by relative width.
    if (!this.paramInputs && boxDims > n) {
      let total = 0;
      for (let i = n; i < boxDims; i++)
        total += this.fullWidth[i - n]! > 0 ? (hi[i]! - lo[i]!) / this.fullWidth[i - n]! : 0;
      const spread = Math.max(0, zz - zzLo);
      for (let i = n; i < boxDims; i++) {
        const rel = this.fullWidth[i - n]! > 0 ? (hi[i]! - lo[i]!) / this.fullWidth[i - n]! : 0;
        out.gSlope[i] = total > 0 ? (spread * rel) / total : 0;
      }
    }
    return true;
  }
}
