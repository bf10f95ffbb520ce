/**
 * Small dense linear algebra on row-major Float64Arrays, enough for LQR and operational-space
 * control on robots with a handful of joints. Functions that return matrices allocate: they are for
 * setup time; the `*Into` variants write into caller-owned buffers for the hot path.
 */

export function identity(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

export function diagonal(values: readonly number[]): Float64Array {
  const n = values.length;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = values[i]!;
  return out;
}

/** out (r x c) = a (r x k) * b (k x c). `out` must not alias `a` or `b`. */
export function multiplyInto(
  out: Float64Array,
  a: Float64Array,
  b: Float64Array,
  r: number,
  k: number,
  c: number,
): Float64Array {
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p]! * b[p * c + j]!;
      out[i * c + j] = sum;
    }
  }
  return out;
}

export function multiply(a: Float64Array, b: Float64Array, r: number, k: number, c: number): Float64Array {
  return multiplyInto(new Float64Array(r * c), a, b, r, k, c);
}

export function transpose(a: Float64Array, r: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j]!;
  return out;
}

export function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + b[i]!);
}

export function subtract(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v - b[i]!);
}

/**
 * Solves A X = B in place for X (A: n x n, B: n x m), by Gaussian elimination with partial pivoting.
 * A and B are overwritten (A with its LU factors, B with X). Throws if A is singular.
 */
export function solveInPlace(a: Float64Array, b: Float64Array, n: number, m: number): Float64Array {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) {
      if (Math.abs(a[row * n + col]!) > Math.abs(a[pivot * n + col]!)) pivot = row;
    }
    const pivotValue = a[pivot * n + col]!;
    if (Math.abs(pivotValue) < 1e-14) throw new RangeError('singular matrix in linear solve');
    if (pivot !== col) {
      for (let j = 0; j < n; j++) swap(a, col * n + j, pivot * n + j);
      for (let j = 0; j < m; j++) swap(b, col * m + j, pivot * m + j);
    }
    for (let row = col + 1; row < n; row++) {
      const factor = a[row * n + col]! / pivotValue;
      if (factor === 0) continue;
      for (let j = col; j < n; j++) a[row * n + j] = a[row * n + j]! - factor * a[col * n + j]!;
      for (let j = 0; j < m; j++) b[row * m + j] = b[row * m + j]! - factor * b[col * m + j]!;
    }
  }
  for (let col = n - 1; col >= 0; col--) {
    const d = a[col * n + col]!;
    for (let j = 0; j < m; j++) {
      let value = b[col * m + j]!;
      for (let k = col + 1; k < n; k++) value -= a[col * n + k]! * b[k * m + j]!;
      b[col * m + j] = value / d;
    }
  }
  return b;
}

/** X = A^-1 B without touching the inputs. */
export function solve(a: Float64Array, b: Float64Array, n: number, m: number): Float64Array {
  return solveInPlace(a.slice(), b.slice(), n, m);
}

function swap(v: Float64Array, i: number, j: number): void {
  const t = v[i]!;
  v[i] = v[j]!;
  v[j] = t;
}

export function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}
