import { activate, activationGrad, type DenseKernels, DenseMlp } from './dense-mlp.ts';
import type { Engine } from './engine.ts';

/**
 * The MLP engine in plain TypeScript on Float64Arrays: no dependencies, synchronous and
 * bit-deterministic across machines, the float64 oracle the other engines are tested against. The
 * native engine is 8-19× faster on one thread, depending on the nets (bench/results/train-throughput.json).
 */
export const cpuEngine: Engine = {
  name: 'ts-cpu',
  createMlp: (spec, rng) => new DenseMlp(spec, rng, typescriptKernels),
};

/** Transposed operands for the products below, grown on demand and reused: one thread, one call at a time. */
let scratchA = new Float64Array(0);
let scratchB = new Float64Array(0);

function scratch(which: 'a' | 'b', size: number): Float64Array {
  if (which === 'a') {
    if (scratchA.length < size) scratchA = new Float64Array(size);
    return scratchA;
  }
  if (scratchB.length < size) scratchB = new Float64Array(size);
  return scratchB;
}

const typescriptKernels: DenseKernels = {
  forward(x, rows, inSize, w, b, outSize, y, activation, slope) {
    gemmABt(x, rows, w, outSize, inSize, y, b, false);
    activate(y, rows * outSize, activation, slope);
  },
  backwardInput(delta, rows, outSize, w, inSize, dx, activated, activation, slope) {
    // dX (rows×in) = delta · W = delta · (Wᵀ)ᵀ.
    const wT = scratch('a', inSize * outSize);
    transpose(w, outSize, inSize, wT);
    gemmABt(delta, rows, wT, inSize, outSize, dx, null, false);
    activationGrad(dx, activated, rows * inSize, activation, slope);
  },
  backwardWeights(delta, rows, outSize, x, inSize, gw, gb) {
    // dW (out×in) += deltaᵀ · x, as a dot-product form over the batch.
    const deltaT = scratch('a', rows * outSize);
    const inputT = scratch('b', rows * inSize);
    transpose(delta, rows, outSize, deltaT);
    transpose(x, rows, inSize, inputT);
    gemmABt(deltaT, outSize, inputT, inSize, rows, gw, null, true);
    for (let r = 0; r < rows; r++) {
      const d0 = r * outSize;
      for (let j = 0; j < outSize; j++) gb[j]! += delta[d0 + j]!;
    }
  },
};

/**
 * C (m×n) = A (m×k) · Bᵀ (B is n×k), plus `bias` per column or plus the old C. Every product in the
 * MLP is written in this dot-product form (transposing the small operand first) because V8 keeps the
 * 2×2 block of sums in registers: about 3× the throughput of the naive axpy loop.
 */
function gemmABt(
  a: Float64Array,
  m: number,
  b: Float64Array,
  n: number,
  k: number,
  c: Float64Array,
  bias: Float64Array | null,
  accumulate: boolean,
): void {
  let r = 0;
  for (; r + 2 <= m; r += 2) {
    const a0 = r * k;
    const a1 = a0 + k;
    const c0 = r * n;
    const c1 = c0 + n;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const b0 = j * k;
      const b1 = b0 + k;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let i = 0; i < k; i++) {
        const x0 = a[a0 + i]!;
        const x1 = a[a1 + i]!;
        const w0 = b[b0 + i]!;
        const w1 = b[b1 + i]!;
        s00 += x0 * w0;
        s01 += x0 * w1;
        s10 += x1 * w0;
        s11 += x1 * w1;
      }
      if (bias !== null) {
        s00 += bias[j]!;
        s10 += bias[j]!;
        s01 += bias[j + 1]!;
        s11 += bias[j + 1]!;
      } else if (accumulate) {
        s00 += c[c0 + j]!;
        s01 += c[c0 + j + 1]!;
        s10 += c[c1 + j]!;
        s11 += c[c1 + j + 1]!;
      }
      c[c0 + j] = s00;
      c[c0 + j + 1] = s01;
      c[c1 + j] = s10;
      c[c1 + j + 1] = s11;
    }
    if (j < n) {
      dotCell(a, a0, b, j * k, k, c, c0 + j, bias === null ? 0 : bias[j]!, accumulate);
      dotCell(a, a1, b, j * k, k, c, c1 + j, bias === null ? 0 : bias[j]!, accumulate);
    }
  }
  if (r < m) {
    for (let j = 0; j < n; j++)
      dotCell(a, r * k, b, j * k, k, c, r * n + j, bias === null ? 0 : bias[j]!, accumulate);
  }
}

function dotCell(
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  k: number,
  c: Float64Array,
  cIndex: number,
  bias: number,
  accumulate: boolean,
): void {
  let sum = bias;
  for (let i = 0; i < k; i++) sum += a[aOffset + i]! * b[bOffset + i]!;
  c[cIndex] = accumulate ? c[cIndex]! + sum : sum;
}

/** out (cols×rows) = transpose of x (rows×cols). */
function transpose(x: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = x[o + c]!;
  }
}
