import type { Rng } from './rng.ts';

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
  /** All weights and biases, layer by layer (W row-major in×out, then b). */
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

/** Polyak averaging of target parameters: target ← (1 − τ)·target + τ·source. */
export function polyak(target: Mlp, source: Mlp, tau: number): void {
  const t = target.params;
  const s = source.params;
  for (let i = 0; i < t.length; i++) t[i] = t[i]! + tau * (s[i]! - t[i]!);
}

export function copyParams(target: Mlp, source: Mlp): void {
  target.params.set(source.params);
}
