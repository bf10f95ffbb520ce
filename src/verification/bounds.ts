import type { Bounder, BoundMethod, BoxBounds } from './bounder.ts';
import { type StepBounds, stepBounds } from './dynamics.ts';
import { uncertaintyLayout } from './forward.ts';
import { intervalAffine, intervalAtPoint, intervalHidden } from './interval.ts';
import { LinearBox, LinearSum, LinVec } from './linear.ts';
import type { DenseLayer, LyapunovModel, Mlp } from './model.ts';
import { searchDim } from './model.ts';
import { QuadraticFormBounder, quadraticFormApplies } from './quadratic-bounds.ts';
import { type ConstInterval, constant, cSub, down, exact, sumError, up } from './rounding.ts';

export { type Bounder, type BoundMethod, type BoxBounds, createBoxBounds } from './bounder.ts';

/**
 * Sound bounds over a verification box (state, then the model's uncertainty dimensions) of what
 * the certificate needs:
 *   V(x) (lower bound, to discard boxes outside the level set),
 *   g(x) = V(x⁺) − (1 − κ)V(x) (upper bound), V(x⁺) (upper bound) and x⁺ (per coordinate).
 * Two bounders share this interface: plain intervals (IBP) and linear relaxations (CROWN-style),
 * which keep the correlation between V(x⁺) and V(x) through the input and so need far fewer boxes.
 */

function widest(mlp: Mlp): number {
  return Math.max(...mlp.layers.map((l) => Math.max(l.inSize, l.outSize)));
}

/** Enclosure of M = εI + RᵀR entry by entry (neural V). */
function matrixEnclosure(model: LyapunovModel): ConstInterval[] {
  const n = model.stateDim;
  const lyap = model.lyapunov;
  if (lyap.kind !== 'neural') return [];
  const { r, rRows, eps } = lyap;
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

interface Constants {
  readonly netZero: ConstInterval;
  readonly phiZero: ConstInterval;
  readonly m: readonly ConstInterval[];
  readonly oneMinusKappa: ConstInterval;
  /** The quadratic V's L as a bias-free dense layer. */
  readonly lLayer: DenseLayer | undefined;
  /** Per state coordinate: the box dimension of its estimate error, or −1. */
  readonly estimateDim: readonly number[];
}

function constantsOf(model: LyapunovModel): Constants {
  const n = model.stateDim;
  const zero = new Float64Array(n);
  const lyap = model.lyapunov;
  const layout = uncertaintyLayout(model);
  return {
    netZero: intervalAtPoint(model.controller.net, zero),
    phiZero: lyap.kind === 'neural' ? intervalAtPoint(lyap.phi, zero) : exact(0),
    m: matrixEnclosure(model),
    oneMinusKappa: cSub(exact(1), constant(model.spec.kappa)),
    lLayer:
      lyap.kind === 'quadratic'
        ? { inSize: n, outSize: lyap.lRows, weight: lyap.l, bias: new Float64Array(lyap.lRows) }
        : undefined,
    estimateDim: layout.estimate.map((k) => (k >= 0 ? n + k : -1)),
  };
}

/** Interval bound propagation through the whole graph. */
export class IntervalBounder implements Bounder {
  private readonly k: Constants;
  private readonly bufs: { lo: Float64Array; hi: Float64Array }[];
  private readonly c: Float64Array;
  private readonly r: Float64Array;
  private readonly step: StepBounds;
  private readonly seenLo: Float64Array;
  private readonly seenHi: Float64Array;
  private readonly n: number;

  constructor(private readonly model: LyapunovModel) {
    this.k = constantsOf(model);
    const lyap = model.lyapunov;
    const n = model.stateDim;
    this.n = n;
    const w = Math.max(
      widest(model.controller.net),
      lyap.kind === 'neural' ? widest(lyap.phi) : lyap.lRows,
      n,
    );
    this.bufs = [0, 1].map(() => ({ lo: new Float64Array(w), hi: new Float64Array(w) }));
    this.c = new Float64Array(w);
    this.r = new Float64Array(w);
    this.step = stepBounds(model, new LinearBox(searchDim(model)));
    this.seenLo = new Float64Array(n);
    this.seenHi = new Float64Array(n);
  }

  private mlp(mlp: Mlp, lo: ArrayLike<number>, hi: ArrayLike<number>): ConstInterval {
    let inLo: ArrayLike<number> = lo;
    let inHi: ArrayLike<number> = hi;
    const last = mlp.layers.length - 1;
    mlp.layers.forEach((layer, k) => {
      const b = this.bufs[k % 2]!;
      intervalAffine(layer, inLo, inHi, b.lo, b.hi, this.c, this.r);
      if (k < last) intervalHidden(mlp, k, b.lo, b.hi, layer.outSize);
      inLo = b.lo;
      inHi = b.hi;
    });
    return { lo: inLo[0]!, hi: inHi[0]! };
  }

  /** Enclosure of V over the state part of [lo, hi]. */
  value(lo: ArrayLike<number>, hi: ArrayLike<number>): ConstInterval {
    const n = this.n;
    const lyap = this.model.lyapunov;
    if (lyap.kind === 'quadratic') {
      const b = this.bufs[0]!;
      intervalAffine(this.k.lLayer!, lo, hi, b.lo, b.hi, this.c, this.r);
      let vLo = 0;
      let vHi = 0;
      for (let i = 0; i < lyap.lRows; i++) {
        const l = b.lo[i]!;
        const h = b.hi[i]!;
        vLo = down(vLo + (l >= 0 ? down(l * l) : h <= 0 ? down(h * h) : 0));
        vHi = up(vHi + up(Math.max(l * l, h * h)));
      }
      return { lo: Math.max(0, vLo), hi: vHi };
    }
    const phi = this.mlp(lyap.phi, lo, hi);
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

  /** Enclosure of the command over the box, the controller seeing x + ε. */
  control(lo: ArrayLike<number>, hi: ArrayLike<number>): ConstInterval {
    const c = this.model.controller;
    const est = this.k.estimateDim;
    for (let i = 0; i < this.n; i++) {
      const e = est[i] ?? -1;
      this.seenLo[i] = e >= 0 ? down(lo[i]! + lo[e]!) : lo[i]!;
      this.seenHi[i] = e >= 0 ? up(hi[i]! + hi[e]!) : hi[i]!;
    }
    const net = this.mlp(c.net, this.seenLo, this.seenHi);
    const vLo = down(down(net.lo - this.k.netZero.hi) + c.uStar);
    const vHi = up(up(net.hi - this.k.netZero.lo) + c.uStar);
    return { lo: Math.min(c.uUp, Math.max(c.uLo, vLo)), hi: Math.min(c.uUp, Math.max(c.uLo, vHi)) };
  }

  /** x⁺ over the box [lo, hi] (state and uncertainty) for commands in u. */
  stepInterval(
    lo: ArrayLike<number>,
    u: ConstInterval,
    outLo: Float64Array,
    outHi: Float64Array,
    hi: ArrayLike<number> = lo,
  ): void {
    const n = this.n;
    const wLo = Array.prototype.slice.call(lo, n) as number[];
    const wHi = Array.prototype.slice.call(hi, n) as number[];
    this.step.interval(lo, hi, u.lo, u.hi, outLo, outHi, wLo, wHi);
  }

  bound(lo: ArrayLike<number>, hi: ArrayLike<number>, rho: number, out: BoxBounds): boolean {
    const v = this.value(lo, hi);
    out.vLo = v.lo;
    if (v.lo > rho) return false;
    out.vUp = v.hi;
    const u = this.control(lo, hi);
    this.stepInterval(lo, u, out.xnLo, out.xnHi, hi);
    const vn = this.value(out.xnLo, out.xnHi);
    out.vnUp = vn.hi;
    out.gUp = up(vn.hi - down(this.k.oneMinusKappa.lo * v.lo));
    out.gSlope.fill(0);
    return true;
  }
}

/** Linear bounds of V over an input LinVec whose entries 0..n−1 are the state. */
interface LinearValue {
  evaluate(x: LinVec): LinVec;
}

/** V(x) = |φ(x) − φ(0)| + Σ_i |(M x)_i|. */
class NeuralLinearValue implements LinearValue {
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
    const dims = box.n;
    const lyap = model.lyapunov;
    if (lyap.kind !== 'neural') throw new RangeError('neural V expected');
    this.layers = lyap.phi.layers.flatMap((l) => [new LinVec(dims, l.outSize), new LinVec(dims, l.outSize)]);
    this.terms = new LinVec(dims, n + 1);
    this.absTerms = new LinVec(dims, n + 1);
    this.value = new LinVec(dims, 1);
    this.sum = new LinearSum(box);
  }

  evaluate(x: LinVec): LinVec {
    const n = this.model.stateDim;
    const phi = (this.model.lyapunov as { phi: Mlp }).phi;
    let h = x;
    const last = phi.layers.length - 1;
    for (let i = 0; i <= last; i++) {
      const pre = this.layers[2 * i]!;
      this.box.affine(phi.layers[i]!, h, pre);
      if (i < last) {
        const post = this.layers[2 * i + 1]!;
        this.box.hidden(phi, i, pre, post);
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

/** V(x) = ‖L x‖² = Σ_r (L_r · x)². */
class QuadraticLinearValue implements LinearValue {
  readonly value: LinVec;
  private readonly z: LinVec;
  private readonly squares: LinVec;
  private readonly sum: LinearSum;

  constructor(
    private readonly layer: DenseLayer,
    private readonly box: LinearBox,
  ) {
    const dims = box.n;
    this.z = new LinVec(dims, layer.outSize);
    this.squares = new LinVec(dims, layer.outSize);
    this.value = new LinVec(dims, 1);
    this.sum = new LinearSum(box);
  }

  evaluate(x: LinVec): LinVec {
    this.box.affine(this.layer, x, this.z);
    for (let r = 0; r < this.layer.outSize; r++) this.box.square(this.z, r, this.squares, r);
    this.sum.reset();
    for (let r = 0; r < this.layer.outSize; r++) this.sum.add(1, 1, this.squares, r);
    this.sum.writeTo(this.value, 0);
    this.value.lo[0] = Math.max(0, this.value.lo[0]!);
    return this.value;
  }
}

function linearValue(model: LyapunovModel, k: Constants, box: LinearBox): LinearValue {
  return model.lyapunov.kind === 'quadratic'
    ? new QuadraticLinearValue(k.lLayer!, box)
    : new NeuralLinearValue(model, k, box);
}

/** Linear relaxation of the whole graph: controller, clamp, dynamics, V at x and at x⁺. */
export class LinearBounder implements Bounder {
  private readonly k: Constants;
  private readonly box: LinearBox;
  private readonly x: LinVec;
  private readonly seen: LinVec;
  private readonly xn: LinVec;
  private readonly vAtX: LinearValue;
  private readonly vAtNext: LinearValue;
  private readonly netLayers: LinVec[];
  private readonly u: LinVec;
  private readonly uTmp: LinVec;
  private readonly g: LinVec;
  private readonly sum: LinearSum;
  private readonly step: StepBounds;
  private readonly hasEstimate: boolean;
  /** A full verification box whose uncertainty part spans the model's intervals. */
  private readonly fullBox: { lo: Float64Array; hi: Float64Array };

  constructor(private readonly model: LyapunovModel) {
    const n = model.stateDim;
    const dims = searchDim(model);
    this.fullBox = { lo: new Float64Array(dims), hi: new Float64Array(dims) };
    model.uncertainty.forEach((u, k) => {
      this.fullBox.lo[n + k] = u.lo;
      this.fullBox.hi[n + k] = u.up;
    });
    this.k = constantsOf(model);
    this.box = new LinearBox(dims);
    this.x = new LinVec(dims, dims);
    this.seen = new LinVec(dims, n);
    this.xn = new LinVec(dims, n);
    this.vAtX = linearValue(model, this.k, this.box);
    this.vAtNext = linearValue(model, this.k, this.box);
    this.netLayers = model.controller.net.layers.flatMap((l) => [
      new LinVec(dims, l.outSize),
      new LinVec(dims, l.outSize),
    ]);
    this.u = new LinVec(dims, 1);
    this.uTmp = new LinVec(dims, 1);
    this.g = new LinVec(dims, 1);
    this.sum = new LinearSum(this.box);
    this.step = stepBounds(model, this.box);
    this.hasEstimate = this.k.estimateDim.some((d) => d >= 0);
  }

  /** What the controller sees: x + ε (entries 0..n−1). */
  private controllerInput(): LinVec {
    if (!this.hasEstimate) return this.x;
    const n = this.model.stateDim;
    for (let i = 0; i < n; i++) {
      const e = this.k.estimateDim[i]!;
      this.sum.reset().add(1, 1, this.x, i);
      if (e >= 0) this.sum.add(1, 1, this.x, e);
      this.sum.writeTo(this.seen, i);
    }
    return this.seen;
  }

  /** u = min(u_up, max(u_lo, net(x + ε) − net(0) + u*)) with the clamp as two ReLUs. */
  private control(): LinVec {
    const c = this.model.controller;
    const net = c.net;
    let h = this.controllerInput();
    const last = net.layers.length - 1;
    for (let i = 0; i <= last; i++) {
      const pre = this.netLayers[2 * i]!;
      this.box.affine(net.layers[i]!, h, pre);
      if (i < last) {
        const post = this.netLayers[2 * i + 1]!;
        this.box.hidden(net, i, pre, post);
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
    this.uTmp.lo[0] = Math.max(this.uTmp.lo[0]!, c.uLo);
    this.uTmp.hi[0] = Math.min(this.uTmp.hi[0]!, c.uUp);
    return this.uTmp;
  }

  /**
   * Sound [min, max] of V over the state box into out[0], out[1] (uncertainty dimensions, if any,
   * are taken at their whole interval); allocation-free, so usable per tick.
   */
  valueRange(lo: ArrayLike<number>, hi: ArrayLike<number>, out: Float64Array): void {
    const n = this.model.stateDim;
    const dims = this.box.n;
    if (lo.length < dims) {
      const full = this.fullBox;
      for (let i = 0; i < n; i++) {
        full.lo[i] = lo[i]!;
        full.hi[i] = hi[i]!;
      }
      this.box.set(full.lo, full.hi);
      this.box.input(this.x, full.lo, full.hi);
    } else {
      this.box.set(lo, hi);
      this.box.input(this.x, lo, hi);
    }
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
    out.vUp = v.hi[0]!;
    const u = this.control();
    this.step.linear(this.box, this.x, u, this.xn);
    for (let i = 0; i < n; i++) {
      out.xnLo[i] = this.xn.lo[i]!;
      out.xnHi[i] = this.xn.hi[i]!;
    }
    const vn = this.vAtNext.evaluate(this.xn);
    out.vnUp = vn.hi[0]!;
    const a = this.k.oneMinusKappa;
    this.sum.reset().add(1, 1, vn, 0).add(-a.hi, -a.lo, v, 0).writeTo(this.g, 0);
    out.gUp = this.g.hi[0]!;
    const dims = this.box.n;
    for (let i = 0; i < dims; i++) out.gSlope[i] = Math.abs(this.g.aUp[i]!) * this.box.radius[i]!;
    return true;
  }
}

/**
 * The bounder for a method. `linear` uses the second-order quadratic-form bounds where they apply
 * (quadratic V, affine controller, cart-pole), with linear relaxations for the rest.
 */
export function createBounder(model: LyapunovModel, method: BoundMethod): Bounder {
  if (method === 'ibp') return new IntervalBounder(model);
  const linear = new LinearBounder(model);
  return quadraticFormApplies(model) ? new QuadraticFormBounder(model, linear) : linear;
}

/** Why a single point breaks the certificate, established with sound interval bounds. */
export type Refutation = 'decrease' | 'leaves-box' | 'leaves-level-set' | 'command-rate';

/** What a box must satisfy: V decreases (outside the hole), or the state stays in S (the hole). */
export type Condition = 'decrease' | 'stay';

/**
 * Exact re-check of a proposed counterexample at a verification point (state, then uncertainty):
 * returns the reason only when interval arithmetic at the point proves V(x) ≤ ρ and
 * (g(x) > 0, or V(x⁺) ≥ ρ for the hole, or x⁺ ∉ B); rounding can never make this a false alarm.
 */
export function refutePoint(
  bounder: IntervalBounder,
  model: LyapunovModel,
  x: ArrayLike<number>,
  rho: number,
  condition: Condition = 'decrease',
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
  const inner = model.spec.innerLevel;
  // Below the inner level only "stay in S" is required; across it neither condition can be refuted.
  if (condition === 'decrease' && inner > 0) {
    if (v.hi < inner) condition = 'stay';
    else if (!(v.lo >= inner)) return null;
  }
  if (condition === 'stay') return vn.lo >= rho ? 'leaves-level-set' : null;
  const a = cSub(exact(1), constant(model.spec.kappa));
  const gLo = down(vn.lo - up(a.hi * v.hi));
  return gLo > 0 ? 'decrease' : null;
}
