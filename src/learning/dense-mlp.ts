import type { Rng } from '../core/rng.ts';
import { layerOffsets, layerSizes, type Mlp, type MlpSpec, type Pass } from './engine.ts';

/**
 * The three products of a dense layer's training step, which is where an MLP spends its time. The
 * TypeScript engine writes them in TypeScript (float64), the native engine in C (float32 SIMD); the
 * MLP around them (initialisation, activations, the backward recursion) is `DenseMlp`, shared.
 */
export interface DenseKernels {
  /** y (rows×out) = σ(x (rows×in) · Wᵀ + b), with W out×in row-major. */
  forward(
    x: Float64Array,
    rows: number,
    inSize: number,
    w: Float64Array,
    b: Float64Array,
    outSize: number,
    y: Float64Array,
    activation: ActivationCode,
    slope: number,
  ): void;
  /**
   * dx (rows×in) = (delta (rows×out) · W) ⊙ σ'(z), read from `activated` = σ(z), the activation
   * that produced this layer's input (rows×in); `identity` does not read `activated`.
   */
  backwardInput(
    delta: Float64Array,
    rows: number,
    outSize: number,
    w: Float64Array,
    inSize: number,
    dx: Float64Array,
    activated: Float64Array,
    activation: ActivationCode,
    slope: number,
  ): void;
  /** gw (out×in) += deltaᵀ · x and gb += Σ over rows of delta. */
  backwardWeights(
    delta: Float64Array,
    rows: number,
    outSize: number,
    x: Float64Array,
    inSize: number,
    gw: Float64Array,
    gb: Float64Array,
  ): void;
}

/**
 * A layer's activation as the kernels take it (a number, so the native kernels read it cheaply):
 * the hidden layers' ReLU (with its slope below zero; 0 = plain ReLU) or tanh; the output is linear.
 */
export const Activation = { identity: 0, relu: 1, tanh: 2 } as const;
export type ActivationCode = (typeof Activation)[keyof typeof Activation];

/** ReLU and its derivative: a plain ReLU writes 0 rather than 0·z, which would leave −0 behind. */
export function activate(y: Float64Array, n: number, activation: ActivationCode, slope: number): void {
  if (activation === Activation.relu && slope === 0) {
    for (let i = 0; i < n; i++) if (y[i]! < 0) y[i] = 0;
  } else if (activation === Activation.relu) {
    for (let i = 0; i < n; i++) if (y[i]! < 0) y[i]! *= slope;
  } else if (activation === Activation.tanh) {
    for (let i = 0; i < n; i++) y[i] = Math.tanh(y[i]!);
  }
}

/**
 * Multiplies `grad` by the activation's derivative, read from the activation's output `a` (for a
 * positive slope, a < 0 exactly when z < 0; at z = 0 the subgradient is the slope).
 */
export function activationGrad(
  grad: Float64Array,
  a: Float64Array,
  n: number,
  activation: ActivationCode,
  slope: number,
): void {
  if (activation === Activation.relu && slope === 0) {
    for (let i = 0; i < n; i++) if (a[i]! <= 0) grad[i] = 0;
  } else if (activation === Activation.relu) {
    for (let i = 0; i < n; i++) if (a[i]! <= 0) grad[i]! *= slope;
  } else if (activation === Activation.tanh) {
    for (let i = 0; i < n; i++) grad[i]! *= 1 - a[i]! * a[i]!;
  }
}

interface Layer {
  readonly inSize: number;
  readonly outSize: number;
  /** Weights out×in (row j holds the weights into unit j), then biases: views into `params`. */
  readonly w: Float64Array;
  readonly b: Float64Array;
  readonly gw: Float64Array;
  readonly gb: Float64Array;
}

interface DensePass extends Pass {
  /** Activations after each layer (the last one is `output`). */
  readonly activations: Float64Array[];
  /** Gradient with respect to each layer's output. */
  readonly deltas: Float64Array[];
  input: Float64Array;
  rows: number;
}

/** A multilayer perceptron on float64 parameters whose dense products run on `kernels`. */
export class DenseMlp implements Mlp {
  readonly params: Float64Array;
  readonly grads: Float64Array;
  private readonly layers: Layer[] = [];
  private readonly hiddenActivation: ActivationCode;
  /** ReLU's slope below zero (0 = plain ReLU). */
  private readonly slope: number;

  constructor(
    readonly spec: MlpSpec,
    rng: Rng,
    readonly kernels: DenseKernels,
  ) {
    const sizes = layerSizes(spec);
    for (const size of sizes) {
      if (!Number.isInteger(size) || size <= 0) {
        throw new RangeError(`MLP layer sizes must be positive integers, got [${sizes}]`);
      }
    }
    const offsets = layerOffsets(spec);
    const last = offsets[offsets.length - 1]!;
    const count = last.bias + last.outSize;
    this.params = new Float64Array(count);
    this.grads = new Float64Array(count);
    this.hiddenActivation = spec.activation === 'relu' ? Activation.relu : Activation.tanh;
    this.slope = spec.negativeSlope ?? 0;
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
      this.layers.push({ inSize, outSize, w, b, gw, gb });
    }
  }

  createPass(maxRows: number): DensePass {
    const activations = this.layers.map((layer) => new Float64Array(maxRows * layer.outSize));
    const deltas = this.layers.map((layer) => new Float64Array(maxRows * layer.outSize));
    return {
      maxRows,
      output: activations[activations.length - 1]!,
      activations,
      deltas,
      input: new Float64Array(0),
      rows: 0,
    };
  }

  forward(pass: Pass, input: Float64Array, rows: number): Float64Array {
    const p = pass as DensePass;
    if (rows > p.maxRows) throw new RangeError(`forward of ${rows} rows on a pass sized for ${p.maxRows}`);
    p.input = input;
    p.rows = rows;
    let x = input;
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const layer = this.layers[l]!;
      const y = p.activations[l]!;
      const activation = l < last ? this.hiddenActivation : Activation.identity;
      this.kernels.forward(x, rows, layer.inSize, layer.w, layer.b, layer.outSize, y, activation, this.slope);
      x = y;
    }
    return p.output;
  }

  backward(pass: Pass, gradOutput: Float64Array, gradInput: Float64Array | null, accumulate: boolean): void {
    const p = pass as DensePass;
    const rows = p.rows;
    let delta = gradOutput;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l]!;
      const { inSize, outSize } = layer;
      const x = l === 0 ? p.input : p.activations[l - 1]!;
      if (accumulate) this.kernels.backwardWeights(delta, rows, outSize, x, inSize, layer.gw, layer.gb);
      const target = l === 0 ? gradInput : p.deltas[l - 1]!;
      if (target === null) break;
      // x is the previous layer's activation, except for the network's input (l = 0).
      const activation = l > 0 ? this.hiddenActivation : Activation.identity;
      this.kernels.backwardInput(delta, rows, outSize, layer.w, inSize, target, x, activation, this.slope);
      delta = target;
    }
  }

  zeroGrad(): void {
    this.grads.fill(0);
  }
}
