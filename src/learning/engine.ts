import type { Rng } from '../core/rng.ts';
import type { MlpPolicy } from '../inference/mlp.ts';

/**
 * The training engine seen by the algorithms: multilayer perceptrons with an explicit forward pass
 * (which records what backward needs in a caller-owned `Pass`) and an explicit backward pass that
 * accumulates parameter gradients into one flat vector. Flat parameters keep Adam, Polyak averaging
 * and checkpoints engine-independent; a faster engine (WASM SIMD, native) only has to implement this.
 */
export interface MlpSpec {
  readonly inputSize: number;
  readonly hidden: readonly number[];
  readonly outputSize: number;
  /** Hidden activation; the output layer is linear. */
  readonly activation: 'relu' | 'tanh';
  /**
   * For `relu`: the slope below zero, σ(z) = max(z, slope·z) (LeakyReLU; the verifier's
   * `negative_slope`). Omitted = 0, a plain ReLU.
   */
  readonly negativeSlope?: number;
  /** Xavier-uniform gain for the last layer (bias 0); omitted = the default fan-in uniform init. */
  readonly outputGain?: number;
}

/** Buffers of one forward/backward use of a network, sized for up to `maxRows` rows. */
export interface Pass {
  readonly maxRows: number;
  /** Output of the last forward, rows × outputSize (row-major). */
  readonly output: Float64Array;
}

export interface Mlp {
  readonly spec: MlpSpec;
  /** All weights and biases, layer by layer (see `layerOffsets`). */
  readonly params: Float64Array;
  /** Accumulated gradients, same layout as `params`. */
  readonly grads: Float64Array;
  createPass(maxRows: number): Pass;
  /** Runs `rows` rows of `input` (row-major, rows × inputSize); keeps a reference to `input` for backward. */
  forward(pass: Pass, input: Float64Array, rows: number): Float64Array;
  /**
   * Back-propagates `gradOutput` (rows × outputSize) through the last forward of `pass`. Adds
   * parameter gradients into `grads` when `accumulate` is true (false: only the input gradient is
   * wanted, e.g. dQ/da for the actor), and writes dL/dinput into `gradInput` when given.
   */
  backward(pass: Pass, gradOutput: Float64Array, gradInput: Float64Array | null, accumulate: boolean): void;
  zeroGrad(): void;
}

export interface Engine {
  readonly name: string;
  createMlp(spec: MlpSpec, rng: Rng): Mlp;
}

/** Layer widths from input to output: [inputSize, ...hidden, outputSize]. */
export function layerSizes(spec: MlpSpec): number[] {
  return [spec.inputSize, ...spec.hidden, spec.outputSize];
}

/** Where one layer sits in `Mlp.params`: W (out×in, row-major, PyTorch's layout) at `weight`, b at `bias`. */
export interface LayerOffsets {
  readonly inSize: number;
  readonly outSize: number;
  readonly weight: number;
  readonly bias: number;
}

/** The flat parameter layout every engine shares: layer by layer, W then b. */
export function layerOffsets(spec: MlpSpec): LayerOffsets[] {
  const sizes = layerSizes(spec);
  const layers: LayerOffsets[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inSize = sizes[l]!;
    const outSize = sizes[l + 1]!;
    layers.push({ inSize, outSize, weight: offset, bias: offset + inSize * outSize });
    offset += inSize * outSize + outSize;
  }
  return layers;
}

/**
 * The deployment record of a trained net (float32, same out×in layout): the one bridge from engine
 * parameters to what ONNX export and the inference backends read. `outputs` keeps the first outputs
 * of the last layer (e.g. the mean head of a Gaussian actor); `activation` is applied after it.
 */
export function toMlpPolicy(
  net: Mlp,
  last: { readonly outputs: number; readonly activation: 'identity' | 'tanh' },
): MlpPolicy {
  if (net.spec.negativeSlope) throw new Error('the deployment MLP format has no LeakyReLU');
  const offsets = layerOffsets(net.spec);
  const layers = offsets.map(({ inSize, outSize, weight, bias }, l) => {
    const isLast = l === offsets.length - 1;
    const keep = isLast ? last.outputs : outSize;
    return {
      weight: Float32Array.from(net.params.subarray(weight, weight + keep * inSize)),
      bias: Float32Array.from(net.params.subarray(bias, bias + keep)),
      inSize,
      outSize: keep,
      activation: isLast ? last.activation : net.spec.activation,
    };
  });
  return { layers };
}

/** Polyak averaging of target parameters: target ← (1 − τ)·target + τ·source. */
export function polyak(target: Mlp, source: Mlp, tau: number): void {
  const t = target.params;
  const s = source.params;
  for (let i = 0; i < t.length; i++) t[i] = t[i]! + tau * (s[i]! - t[i]!);
}

export function copyParams(target: Mlp, source: Mlp): void {
  target.params.set(source.params);
}
