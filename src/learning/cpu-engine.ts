import type { Rng } from '../core/rng.ts';
import { type Engine, layerOffsets, layerSizes, type Mlp, type MlpSpec, type Pass } from './engine.ts';

/**
 * A plain TypeScript MLP on Float64Arrays with hand-written backprop: no dependencies, synchronous
 * and bit-deterministic across machines. It is about 3× slower than the tfjs-wasm engine
 * (bench/results/train-throughput.json); the committed benchmark results were produced with it.
 */
export const cpuEngine: Engine = {
  name: 'ts-cpu',
  createMlp: (spec, rng) => new CpuMlp(spec, rng),
};

interface Layer {
  readonly inSize: number;
  readonly outSize: number;
  /** Weights out×in (row j holds the weights into unit j), then biases. */
  readonly w: Float64Array;
  readonly b: Float64Array;
  readonly gw: Float64Array;
  readonly gb: Float64Array;
  /** Scratch for Wᵀ (in×out), refreshed on each backward. */
  readonly wT: Float64Array;
}

interface CpuPass extends Pass {
  /** Activations after each layer (the last one is `output`). */
  readonly activations: Float64Array[];
  /** Gradient with respect to each layer's output. */
  readonly deltas: Float64Array[];
  /** Scratch for transposed layer inputs and deltas in the weight-gradient product. */
  readonly inputT: Float64Array;
  readonly deltaT: Float64Array;
  input: Float64Array;
  rows: number;
}

class CpuMlp implements Mlp {
  readonly params: Float64Array;
  readonly grads: Float64Array;
  private readonly layers: Layer[] = [];
  /** Hidden activation: ReLU with this slope below zero (0 = plain ReLU), or null for tanh. */
  private readonly reluSlope: number | null;
  private readonly widest: number;

  constructor(
    readonly spec: MlpSpec,
    rng: Rng,
  ) {
    const sizes = layerSizes(spec);
    for (const size of sizes) {
      if (!Number.isInteger(size) || size <= 0) {
        throw new RangeError(`MLP layer sizes must be positive integers, got [${sizes}]`);
      }
    }
    this.widest = Math.max(...sizes);
    const offsets = layerOffsets(spec);
    const last = offsets[offsets.length - 1]!;
    const count = last.bias + last.outSize;
    this.params = new Float64Array(count);
    this.grads = new Float64Array(count);
    this.reluSlope = spec.activation === 'relu' ? (spec.negativeSlope ?? 0) : null;
    for (const { inSize, outSize, weight, bias } of offsets) {
      const w = this.params.subarray(weight, bias);
      const gw = this.grads.subarray(weight, bias);
      const b = this.params.subarray(bias, bias + outSize);
      const gb = this.grads.subarray(bias, bias + outSize);
      const isLast = last.weight === weight;
      if (isLast && spec.outputGain !== undefined) {
        const bound = spec.outputGain * Math.sqrt(6 / (inSize + outSize));
        for (let i = 0; i < w.length; i++) w[i] = rng.range(-bound, bound);
      } else {
        // PyTorch's nn.Linear default: U(±1/√fan_in) for weights and biases.
        const bound = 1 / Math.sqrt(inSize);
        for (let i = 0; i < w.length; i++) w[i] = rng.range(-bound, bound);
        for (let i = 0; i < b.length; i++) b[i] = rng.range(-bound, bound);
      }
      this.layers.push({ inSize, outSize, w, b, gw, gb, wT: new Float64Array(inSize * outSize) });
    }
  }

  createPass(maxRows: number): CpuPass {
    const activations = this.layers.map((layer) => new Float64Array(maxRows * layer.outSize));
    const deltas = this.layers.map((layer) => new Float64Array(maxRows * layer.outSize));
    return {
      maxRows,
      output: activations[activations.length - 1]!,
      activations,
      deltas,
      inputT: new Float64Array(maxRows * this.widest),
      deltaT: new Float64Array(maxRows * this.widest),
      input: new Float64Array(0),
      rows: 0,
    };
  }

  forward(pass: Pass, input: Float64Array, rows: number): Float64Array {
    const p = pass as CpuPass;
    if (rows > p.maxRows) throw new RangeError(`forward of ${rows} rows on a pass sized for ${p.maxRows}`);
    p.input = input;
    p.rows = rows;
    let x = input;
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const layer = this.layers[l]!;
      const y = p.activations[l]!;
      gemmABt(x, rows, layer.w, layer.outSize, layer.inSize, y, layer.b, false);
      if (l < last) activate(y, rows * layer.outSize, this.reluSlope);
      x = y;
    }
    return p.output;
  }

  backward(pass: Pass, gradOutput: Float64Array, gradInput: Float64Array | null, accumulate: boolean): void {
    const p = pass as CpuPass;
    const rows = p.rows;
    let delta = gradOutput;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l]!;
      const { inSize, outSize } = layer;
      const x = l === 0 ? p.input : p.activations[l - 1]!;
      if (accumulate) {
        // dW (out×in) += deltaᵀ · x, as a dot-product form over the batch.
        transpose(delta, rows, outSize, p.deltaT);
        transpose(x, rows, inSize, p.inputT);
        gemmABt(p.deltaT, outSize, p.inputT, inSize, rows, layer.gw, null, true);
        for (let r = 0; r < rows; r++) {
          const d0 = r * outSize;
          for (let j = 0; j < outSize; j++) layer.gb[j]! += delta[d0 + j]!;
        }
      }
      const target = l === 0 ? gradInput : p.deltas[l - 1]!;
      if (target === null) break;
      // dX (rows×in) = delta · W = delta · (Wᵀ)ᵀ.
      transpose(layer.w, outSize, inSize, layer.wT);
      gemmABt(delta, rows, layer.wT, inSize, outSize, target, null, false);
      if (l > 0) activationGrad(target, x, rows * inSize, this.reluSlope);
      delta = target;
    }
  }

  zeroGrad(): void {
    this.grads.fill(0);
  }
}

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

// A plain ReLU writes 0 rather than 0·z, which would leave −0 behind.
function activate(y: Float64Array, n: number, reluSlope: number | null): void {
  if (reluSlope === 0) {
    for (let i = 0; i < n; i++) if (y[i]! < 0) y[i] = 0;
  } else if (reluSlope !== null) {
    for (let i = 0; i < n; i++) if (y[i]! < 0) y[i]! *= reluSlope;
  } else {
    for (let i = 0; i < n; i++) y[i] = Math.tanh(y[i]!);
  }
}

/**
 * Multiplies `grad` by the activation's derivative, read from the activation's output `a` (for a
 * positive slope, a < 0 exactly when z < 0; at z = 0 the subgradient is the slope).
 */
function activationGrad(grad: Float64Array, a: Float64Array, n: number, reluSlope: number | null): void {
  if (reluSlope === 0) {
    for (let i = 0; i < n; i++) if (a[i]! <= 0) grad[i] = 0;
  } else if (reluSlope !== null) {
    for (let i = 0; i < n; i++) if (a[i]! <= 0) grad[i]! *= reluSlope;
  } else {
    for (let i = 0; i < n; i++) grad[i]! *= 1 - a[i]! * a[i]!;
  }
}
