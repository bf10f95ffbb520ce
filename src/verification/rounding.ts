/**
 * Outward rounding for sound bounds in float64.
 *
 * JavaScript always rounds to nearest, so every bound is pushed outward after it is computed:
 * - a single + − × ÷ is widened by at least one ulp (`up`/`down`): |x|·2⁻⁵² ≥ ulp(x), and the
 *   2⁻¹⁰⁷⁴ term covers zero and subnormals;
 * - an accumulated sum of m products is widened by the a-priori bound γ·Σ|terms| with
 *   γ = (m + 3)·2⁻⁵² (twice Higham's γ_m = m·u/(1 − m·u), u = 2⁻⁵³, so the rounding of the bound
 *   itself is covered) plus an underflow allowance;
 * - Math.sin/cos results are widened by two ulps. V8 uses fdlibm, which is accurate to < 1 ulp;
 * - Math.tanh results (tanh controller networks) are widened by eight ulps: V8's tanh is fdlibm's
 *   (through FreeBSD's msun), accurate to a few ulps;
 * these libm accuracies are the one assumption the soundness argument rests on.
 */

export const EPS = 2 ** -52;
export const TINY = 2 ** -1074;
const UNDERFLOW = 2 ** -1020;

/** A float ≥ x: at least one ulp above the nearest-rounded result x of an exact operation. */
export function up(x: number): number {
  return x + (Math.abs(x) * EPS + TINY);
}

/** A float ≤ x: at least one ulp below. */
export function down(x: number): number {
  return x - (Math.abs(x) * EPS + TINY);
}

/** Upper bound on |fl(Σ) − Σ| for a sum of `terms` products whose absolute values sum to `absSum`. */
export function sumError(absSum: number, terms: number): number {
  return absSum * ((terms + 3) * EPS) + (terms + 1) * UNDERFLOW;
}

/** Two-ulp widening for the libm functions. */
function down2(y: number): number {
  return y - (2 * Math.abs(y) * EPS + TINY);
}
function up2(y: number): number {
  return y + (2 * Math.abs(y) * EPS + TINY);
}

export function sinDown(x: number): number {
  return Math.max(-1, down2(Math.sin(x)));
}
export function sinUp(x: number): number {
  return Math.min(1, up2(Math.sin(x)));
}
export function cosDown(x: number): number {
  return Math.max(-1, down2(Math.cos(x)));
}
export function cosUp(x: number): number {
  return Math.min(1, up2(Math.cos(x)));
}

/** Eight-ulp widening for tanh (see the header), clamped to tanh's range. */
export function tanhDown(x: number): number {
  const y = Math.tanh(x);
  return Math.max(-1, y - (8 * Math.abs(y) * EPS + TINY));
}
export function tanhUp(x: number): number {
  const y = Math.tanh(x);
  return Math.min(1, y + (8 * Math.abs(y) * EPS + TINY));
}

const TWO_PI_LO = 6.283185307179586;
const HALF_PI = Math.PI / 2;

/**
 * Whether [lo, hi] may contain a point phase + 2kπ. Errs towards "yes" (a looser but sound bound)
 * with a 1e-9 slack, far above the rounding error of the reduction below for |x| < 1e6.
 */
function mayContain(lo: number, hi: number, phase: number): boolean {
  if (hi - lo >= TWO_PI_LO) return true;
  const k = Math.ceil((lo - phase - 1e-9) / TWO_PI_LO);
  const point = phase + k * TWO_PI_LO;
  return point <= hi + 1e-9;
}

/** Sound enclosure of sin over [lo, hi], written into out[0], out[1]. */
export function sinInterval(lo: number, hi: number, out: Float64Array): void {
  let l = Math.min(sinDown(lo), sinDown(hi));
  let h = Math.max(sinUp(lo), sinUp(hi));
  if (mayContain(lo, hi, HALF_PI)) h = 1;
  if (mayContain(lo, hi, -HALF_PI)) l = -1;
  out[0] = l;
  out[1] = h;
}

/** Sound enclosure of cos over [lo, hi]. */
export function cosInterval(lo: number, hi: number, out: Float64Array): void {
  let l = Math.min(cosDown(lo), cosDown(hi));
  let h = Math.max(cosUp(lo), cosUp(hi));
  if (mayContain(lo, hi, 0)) h = 1;
  if (mayContain(lo, hi, Math.PI)) l = -1;
  out[0] = l;
  out[1] = h;
}

/** A real constant given as a decimal literal, enclosed by the floats one ulp either side. */
export interface ConstInterval {
  readonly lo: number;
  readonly hi: number;
}

export function constant(x: number): ConstInterval {
  return { lo: down(x), hi: up(x) };
}

export function exact(x: number): ConstInterval {
  return { lo: x, hi: x };
}

export function cAdd(a: ConstInterval, b: ConstInterval): ConstInterval {
  return { lo: down(a.lo + b.lo), hi: up(a.hi + b.hi) };
}

export function cSub(a: ConstInterval, b: ConstInterval): ConstInterval {
  return { lo: down(a.lo - b.hi), hi: up(a.hi - b.lo) };
}

export function cMul(a: ConstInterval, b: ConstInterval): ConstInterval {
  const p = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
  return { lo: down(Math.min(...p)), hi: up(Math.max(...p)) };
}

/** a / b for b not containing 0. */
export function cDiv(a: ConstInterval, b: ConstInterval): ConstInterval {
  if (b.lo <= 0 && b.hi >= 0)
    throw new RangeError(`division by an interval containing 0: [${b.lo}, ${b.hi}]`);
  const p = [a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi];
  return { lo: down(Math.min(...p)), hi: up(Math.max(...p)) };
}
