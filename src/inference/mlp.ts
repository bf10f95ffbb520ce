/**
 * Our own MLP policy format: dense layers plus the input normaliser and the action scaling that
 * deployment needs. It is what our trainers produce and what `exportMlpToOnnx` bakes into one graph:
 *
 *   x̂ = (x − mean) / std              (input normaliser, optional)
 *   h = act_k(W_k h + b_k)            (dense layers; the last one usually `identity`)
 *   a = clip(h ⊙ scale + offset)      (action scaling, optional; offset is e.g. the default pose)
 */
import { Rng } from '../core/rng.ts';

export type Activation = 'identity' | 'relu' | 'tanh' | 'elu';

export interface DenseLayer {
  /** Row-major [outSize × inSize] (PyTorch's `nn.Linear.weight` layout). */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly inSize: number;
  readonly outSize: number;
  readonly activation: Activation;
}

export interface MlpPolicy {
  readonly layers: readonly DenseLayer[];
  readonly normalizer?: { readonly mean: Float32Array; readonly std: Float32Array };
  readonly actionScale?: { readonly scale: Float32Array; readonly offset: Float32Array };
  readonly actionClip?: { readonly lower: number; readonly upper: number };
}

export function mlpInputSize(mlp: MlpPolicy): number {
  return mlp.layers[0]!.inSize;
}

export function mlpOutputSize(mlp: MlpPolicy): number {
  return mlp.layers[mlp.layers.length - 1]!.outSize;
}

export function mlpParameterCount(mlp: MlpPolicy): number {
  return mlp.layers.reduce((n, l) => n + l.weight.length + l.bias.length, 0);
}

/** Multiply-accumulates per sample (for GFLOP/s figures: 2 flops each). */
export function mlpMacs(mlp: MlpPolicy): number {
  return mlp.layers.reduce((n, l) => n + l.inSize * l.outSize, 0);
}

/** Checks sizes chain together and arrays have the lengths they claim; throws naming the layer. */
export function validateMlp(mlp: MlpPolicy): void {
  if (mlp.layers.length === 0) throw new RangeError('MLP has no layers');
  mlp.layers.forEach((l, i) => {
    if (l.weight.length !== l.inSize * l.outSize) {
      throw new RangeError(
        `layer ${i}: weight has ${l.weight.length} values, expected ${l.outSize}×${l.inSize} = ${l.inSize * l.outSize}`,
      );
    }
    if (l.bias.length !== l.outSize) {
      throw new RangeError(`layer ${i}: bias has ${l.bias.length} values, expected ${l.outSize}`);
    }
    const prev = mlp.layers[i - 1];
    if (prev && prev.outSize !== l.inSize) {
      throw new RangeError(
        `layer ${i}: input size ${l.inSize} does not match layer ${i - 1} output ${prev.outSize}`,
      );
    }
  });
  const n = mlpInputSize(mlp);
  const m = mlpOutputSize(mlp);
  if (mlp.normalizer && (mlp.normalizer.mean.length !== n || mlp.normalizer.std.length !== n)) {
    throw new RangeError(`normalizer: mean/std need ${n} values (the input size)`);
  }
  if (mlp.normalizer?.std.some((s) => !(s > 0))) throw new RangeError('normalizer: every std must be > 0');
  if (mlp.actionScale && (mlp.actionScale.scale.length !== m || mlp.actionScale.offset.length !== m)) {
    throw new RangeError(`actionScale: scale/offset need ${m} values (the output size)`);
  }
}

/**
 * An MLP with uniform(−1/√in, 1/√in) weights and biases (PyTorch's `nn.Linear` default), so
 * activations stay O(1) through depth. `sizes` = [in, hidden..., out]; the last layer is linear.
 */
export function randomMlp(sizes: readonly number[], hidden: Activation, seed: number): MlpPolicy {
  const rng = new Rng(seed);
  const layers: DenseLayer[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const inSize = sizes[i]!;
    const outSize = sizes[i + 1]!;
    const bound = 1 / Math.sqrt(inSize);
    const u = () => rng.range(-bound, bound);
    layers.push({
      inSize,
      outSize,
      weight: Float32Array.from({ length: inSize * outSize }, u),
      bias: Float32Array.from({ length: outSize }, u),
      activation: i + 2 < sizes.length ? hidden : 'identity',
    });
  }
  return { layers };
}
