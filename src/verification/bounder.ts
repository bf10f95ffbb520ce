/**
 * What a bounder computes over one verification box (state, then uncertainty), soundly:
 * V(x) (lower bound, to discard boxes outside the level set), g(x) = V(x⁺) − (1 − κ)V(x) (upper
 * bound), V(x⁺) (upper bound) and x⁺ (per coordinate).
 */
export interface BoxBounds {
  vLo: number;
  /** Upper bound of V(x) (set whenever `bound` returns true). */
  vUp: number;
  gUp: number;
  /** Upper bound of V(x⁺). */
  vnUp: number;
  readonly xnLo: Float64Array;
  readonly xnHi: Float64Array;
  /** |slope| of g's upper linear bound per box dimension (linear bounder only; 0 otherwise). */
  readonly gSlope: Float64Array;
}

export interface Bounder {
  /** Fills `out`; returns false (and leaves g, x⁺ unset) when V > ρ on the whole box. */
  bound(lo: ArrayLike<number>, hi: ArrayLike<number>, rho: number, out: BoxBounds): boolean;
}

export type BoundMethod = 'ibp' | 'linear';

export function createBoxBounds(n: number, dims = n): BoxBounds {
  return {
    vLo: 0,
    vUp: 0,
    gUp: 0,
    vnUp: 0,
    xnLo: new Float64Array(n),
    xnHi: new Float64Array(n),
    gSlope: new Float64Array(dims),
  };
}
