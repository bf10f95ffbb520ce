import { type StepBounds, stepBounds } from './dynamics.ts';
import { intervalActivation, intervalAffine } from './interval.ts';
import { LinearBox, LinearSum, LinVec } from './linear.ts';
import type { LyapunovModel, Mlp } from './model.ts';
import { type ConstInterval, constant, cSub, down, exact, sumError, up } from './rounding.ts';

/**
 * Sound bounds over an input box of the three things the certificate needs:
 *   V(x) (lower bound, to discard boxes outside the level set),
 *   g(x) = V(x⁺) − (1 − κ)V(x) (upper bound), and x⁺ (per coordinate).
 * Two bounders share this interface: plain intervals (IBP) and linear relaxations (CROWN-style),
 * which keep the correlation between V(x⁺) and V(x) through the input and so need far fewer boxes.
 */

export interface BoxBounds {
  vLo: number;
  gUp: number;
  readonly xnLo: Float64Array;
  readonly xnHi: Float64Array;
}

export interface Bounder {
  /** Fills `out`; returns false (and leaves g, x⁺ unset) when V > ρ on the whole box. */
  bound(lo: ArrayLike<number>, hi: ArrayLike<number>, rho: number, out: BoxBounds): boolean;
}

export type BoundMethod = 'ibp' | 'linear';

export function createBoxBounds(n: number): BoxBounds {
  return { vLo: 0, gUp: 0, xnLo: new Float64Array(n), xnHi: new Float64Array(n) };
}

function widest(mlp: Mlp): number {
  return Math.max(...mlp.layers.map((l) => Math.max(l.inSize, l.outSize)));
}

/** Enclosure of M = εI + RᵀR entry by entry. */
function matrixEnclosure(model: LyapunovModel): ConstInterval[] {
  const n = model.stateDim;
  const { r, rRows, eps } = model.lyapunov;
  const out: ConstInterval[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? eps : 0;
      let abs = Math.abs(s);
      for (let k = 0; k < rRows; k++) {
        const t = r[k * n + i]! * r[k * n + j]!;
        s += t;
        abs += Math.abs(t);
      }
      const e = sumError(abs, rRows + 1);
      // ε itself is a decimal constant: one more ulp of slack covers it.
      const epsSlack = i === j ? up(Math.abs(constant(eps).hi - eps)) : 0;
      out.push({ lo: down(s - e - epsSlack), hi: up(s + e + epsSlack) });
    }
  return out;
}

/** Interval enclosure of a scalar MLP at a single point (used for net(0), φ(0)). */
function pointEnclosure(mlp: Mlp, x: ArrayLike<number>): ConstInterval {
  const w = widest(mlp);
  let lo = Float64Array.from(x);
  let hi = Float64Array.from(x);
  const c = new Float64Array(w);
  const r = new Float64Array(w);
  mlp.layers.forEach((layer, k) => {
    const nLo = new Float64Array(layer.outSize);
    const nHi = new Float64Array(layer.outSize);
    intervalAffine(layer, lo, hi, nLo, nHi, c, r);
    if (k < mlp.layers.length - 1) intervalActivation(nLo, nHi, layer.outSize, mlp.slope);
    lo = nLo;
    hi = nHi;
  });
  return { lo: lo[0]!, hi: hi[0]! };
}

interface Constants {
  readonly netZero: ConstInterval;
  readonly phiZero: ConstInterval;
  readonly m: readonly ConstInterval[];
  readonly oneMinusKappa: ConstInterval;
}

function constantsOf(model: LyapunovModel): Constants {
  const zero = new Float64Array(model.stateDim);
  return {
    netZero: pointEnclosure(model.controller.net, zero),
    phiZero: pointEnclosure(model.lyapunov.phi, zero),
    m: matrixEnclosure(model),
    oneMinusKappa: cSub(exact(1), constant(model.spec.kappa)),
  };
}

/** Interval bound propagation through the whole graph. */
export class IntervalBounder implements Bounder {
  private readonly k: Constants;
  private readonly bufs: { lo: Float64Array; hi: Float64Array }[];
  private readonly c: Float64Array;
  private readonly r: Float64Array;
  private readonly step: StepBounds;

  constructor(private readonly model: LyapunovModel) {
    this.k = constantsOf(model);
    const w = Math.max(widest(model.controller.net), widest(model.lyapunov.phi));
    this.bufs = [0, 1].map(() => ({ lo: new Float64Array(w), hi: new Float64Array(w) }));
    this.c = new Float64Array(w);
    this.r = new Float64Array(w);
    this.step = stepBounds(model.dynamics, new LinearBox(model.stateDim));
  }

  private mlp(mlp: Mlp, lo: ArrayLike<number>, hi: ArrayLike<number>): ConstInterval {
    let inLo: ArrayLike<number> = lo;
    let inHi: ArrayLike<number> = hi;
    const last = mlp.layers.length - 1;
    mlp.layers.forEach((layer, k) => {
      const b = this.bufs[k % 2]!;
      intervalAffine(layer, inLo, inHi, b.lo, b.hi, this.c, this.r);
      if (k < last) intervalActivation(b.lo, b.hi, layer.outSize, mlp.slope);
      inLo = b.lo;
      inHi = b.hi;
    });
    return { lo: inLo[0]!, hi: inHi[0]! };
  }

  /** Enclosure of V over [lo, hi]. */
  value(lo: ArrayLike<number>, hi: ArrayLike<number>): ConstInterval {
    const n = this.model.stateDim;
    const phi = this.mlp(this.model.lyapunov.phi, lo, hi);
    const d = cSub(phi, this.k.phiZero);
    let vLo = d.lo > 0 ? d.lo : d.hi < 0 ? -d.hi : 0;
    let vHi = Math.max(Math.abs(d.lo), Math.abs(d.hi));
    for (let i = 0; i < n; i++) {
      let sLo = 0;
      let sHi = 0;
      for (let j = 0; j < n; j++) {
        const m = this.k.m[i * n + j]!;
        const p = [m.lo * lo[j]!, m.lo * hi[j]!, m.hi * lo[j]!, m.hi * hi[j]!];
        sLo = down(sLo + down(Math.min(p[0]!, p[1]!, p[2]!, p[3]!)));
        sHi = up(sHi + up(Math.max(p[0]!, p[1]!, p[2]!, p[3]!)));
      }
      vLo = down(vLo + (sLo > 0 ? sLo : sHi < 0 ? -sHi : 0));
      vHi = up(vHi + Math.max(Math.abs(sLo), Math.abs(sHi)));
    }
    return { lo: vLo, hi: vHi };
  }

  control(lo: ArrayLike<number>, hi: ArrayLike<number>): ConstInterval {
    const c = this.model.controller;
    const net = this.mlp(c.net, lo, hi);
    const vLo = down(down(net.lo - this.k.netZero.hi) + c.uStar);
    const vHi = up(up(net.hi - this.k.netZero.lo) + c.uStar);
    return { lo: Math.min(c.uUp, Math.max(c.uLo, vLo)), hi: Math.min(c.uUp, Math.max(c.uLo, vHi)) };
  }

  stepInterval(
    lo: ArrayLike<number>,
    u: ConstInterval,
    outLo: Float64Array,
    outHi: Float64Array,
    hi: ArrayLike<number> = lo,
  ): void {
    this.step.interval(lo, hi, u.lo, u.hi, outLo, outHi);
  }

  bound(lo: ArrayLike<number>, hi: ArrayLike<number>, rho: number, out: BoxBounds): boolean {
    const v = this.value(lo, hi);
    out.vLo = v.lo;
    if (v.lo > rho) return false;
    const u = this.control(lo, hi);
    this.step.interval(lo, hi, u.lo, u.hi, out.xnLo, out.xnHi);
    const vn = this.value(out.xnLo, out.xnHi);
    out.gUp = up(vn.hi - down(this.k.oneMinusKappa.lo * v.lo));
    return true;
  }
}

/** V(x) = |φ(x) − φ(0)| + Σ_i |(M x)_i| as linear bounds of an input LinVec. */
class LinearLyapunov {
  readonly value: LinVec;
  private readonly layers: LinVec[];
  private readonly terms: LinVec;
  private readonly absTerms: LinVec;
  private readonly sum: LinearSum;

  constructor(
    private readonly model: LyapunovModel,
    private readonly k: Constants,
    private readonly box: LinearBox,
  ) {
    const n = model.stateDim;
    this.layers = model.lyapunov.phi.layers.flatMap((l) => [
      new LinVec(n, l.outSize),
      new LinVec(n, l.outSize),
    ]);
    this.terms = new LinVec(n, n + 1);
    this.absTerms = new LinVec(n, n + 1);
    this.value = new LinVec(n, 1);
    this.sum = new LinearSum(box);
  }

  evaluate(x: LinVec): LinVec {
    const n = this.model.stateDim;
    const phi = this.model.lyapunov.phi;
    let h = x;
    const last = phi.layers.length - 1;
    for (let i = 0; i <= last; i++) {
      const pre = this.layers[2 * i]!;
      this.box.affine(phi.layers[i]!, h, pre);
      if (i < last) {
        const post = this.layers[2 * i + 1]!;
        this.box.activation(pre, post, phi.slope);
        h = post;
      } else h = pre;
    }
    this.sum.reset().add(1, 1, h, 0).addConst(-this.k.phiZero.hi, -this.k.phiZero.lo).writeTo(this.terms, 0);
    for (let i = 0; i < n; i++) {
      this.sum.reset();
      for (let j = 0; j < n; j++) {
        const m = this.k.m[i * n + j]!;
        this.sum.add(m.lo, m.hi, x, j);
      }
      this.sum.writeTo(this.terms, i + 1);
    }
    this.box.activation(this.terms, this.absTerms, -1);
    this.sum.reset();
    for (let i = 0; i <= n; i++) this.sum.add(1, 1, this.absTerms, i);
    this.sum.writeTo(this.value, 0);
    return this.value;
  }
}

/** Linear relaxation of the whole graph: controller, clamp, dynamics, V at x and at x⁺. */
export class LinearBounder implements Bounder {
  private readonly k: Constants;
  private readonly box: LinearBox;
  private readonly x: LinVec;
  private readonly xn: LinVec;
  private readonly vAtX: LinearLyapunov;
  private readonly vAtNext: LinearLyapunov;
  private readonly netLayers: LinVec[];
  private readonly u: LinVec;
  private readonly uTmp: LinVec;
  private readonly g: LinVec;
  private readonly sum: LinearSum;
  private readonly step: StepBounds;

  constructor(private readonly model: LyapunovModel) {
    const n = model.stateDim;
    this.k = constantsOf(model);
    this.box = new LinearBox(n);
    this.x = new LinVec(n, n);
    this.xn = new LinVec(n, n);
    this.vAtX = new LinearLyapunov(model, this.k, this.box);
    this.vAtNext = new LinearLyapunov(model, this.k, this.box);
    this.netLayers = model.controller.net.layers.flatMap((l) => [
      new LinVec(n, l.outSize),
      new LinVec(n, l.outSize),
    ]);
    this.u = new LinVec(n, 1);
    this.uTmp = new LinVec(n, 1);
    this.g = new LinVec(n, 1);
    this.sum = new LinearSum(this.box);
    this.step = stepBounds(model.dynamics, this.box);
  }

  /** u = min(u_up, max(u_lo, net(x) − net(0) + u*)) with the clamp as two ReLUs. */
  private control(): LinVec {
    const c = this.model.controller;
    const net = c.net;
    let h = this.x;
    const last = net.layers.length - 1;
    for (let i = 0; i <= last; i++) {
      const pre = this.netLayers[2 * i]!;
      this.box.affine(net.layers[i]!, h, pre);
      if (i < last) {
        const post = this.netLayers[2 * i + 1]!;
        this.box.activation(pre, post, net.slope);
        h = post;
      } else h = pre;
    }
    // v − u_lo, relu, then u_up − (that + u_lo), relu, then u_up − that.
    const shiftLo = down(down(c.uStar - this.k.netZero.hi) - c.uLo);
    const shiftHi = up(up(c.uStar - this.k.netZero.lo) - c.uLo);
    this.sum.reset().add(1, 1, h, 0).addConst(shiftLo, shiftHi).writeTo(this.uTmp, 0);
    this.box.activation(this.uTmp, this.u, 0);
    this.sum
      .reset()
      .add(-1, -1, this.u, 0)
      .addConst(down(c.uUp - c.uLo), up(c.uUp - c.uLo))
      .writeTo(this.uTmp, 0);
    this.box.activation(this.uTmp, this.u, 0);
    this.sum.reset().add(-1, -1, this.u, 0).addConst(c.uUp, c.uUp).writeTo(this.uTmp, 0);
    return this.uTmp;
  }

  /** Sound [min, max] of V over the box into out[0], out[1]; allocation-free, so usable per tick. */
  valueRange(lo: ArrayLike<number>, hi: ArrayLike<number>, out: Float64Array): void {
    this.box.set(lo, hi);
    this.box.input(this.x, lo, hi);
    const v = this.vAtX.evaluate(this.x);
    out[0] = v.lo[0]!;
    out[1] = v.hi[0]!;
  }

  bound(lo: ArrayLike<number>, hi: ArrayLike<number>, rho: number, out: BoxBounds): boolean {
    const n = this.model.stateDim;
    this.box.set(lo, hi);
    this.box.input(this.x, lo, hi);
    const v = this.vAtX.evaluate(this.x);
    out.vLo = v.lo[0]!;
    if (out.vLo > rho) return false;
    const u = this.control();
    this.step.linear(this.box, this.x, u, this.xn);
    for (let i = 0; i < n; i++) {
      out.xnLo[i] = this.xn.lo[i]!;
      out.xnHi[i] = this.xn.hi[i]!;
    }
    const vn = this.vAtNext.evaluate(this.xn);
    const a = this.k.oneMinusKappa;
    this.sum.reset().add(1, 1, vn, 0).add(-a.hi, -a.lo, v, 0).writeTo(this.g, 0);
    out.gUp = this.g.hi[0]!;
    return true;
  }
}

export function createBounder(model: LyapunovModel, method: BoundMethod): Bounder {
  return method === 'ibp' ? new IntervalBounder(model) : new LinearBounder(model);
}

/** Why a single point breaks the certificate, established with sound interval bounds. */
export type Refutation = 'decrease' | 'leaves-box';

/**
 * Exact re-check of a proposed counterexample: returns the reason only when interval arithmetic at
 * the point proves V(x) ≤ ρ and (g(x) > 0 or x⁺ ∉ B); rounding can never make this a false alarm.
 */
export function refutePoint(
  bounder: IntervalBounder,
  model: LyapunovModel,
  x: ArrayLike<number>,
  rho: number,
): Refutation | null {
  const v = bounder.value(x, x);
  if (!(v.hi <= rho)) return null;
  const n = model.stateDim;
  const xnLo = new Float64Array(n);
  const xnHi = new Float64Array(n);
  const u = bounder.control(x, x);
  bounder.stepInterval(x, u, xnLo, xnHi);
  const { boxLo, boxUp } = model.spec;
  for (let i = 0; i < n; i++) if (xnLo[i]! > boxUp[i]! || xnHi[i]! < boxLo[i]!) return 'leaves-box';
  const vn = bounder.value(xnLo, xnHi);
  const a = cSub(exact(1), constant(model.spec.kappa));
  const gLo = down(vn.lo - up(a.hi * v.hi));
  return gLo > 0 ? 'decrease' : null;
}
