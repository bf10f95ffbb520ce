import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.ts';
import { selectTfjsBackend } from '../inference/backends/tfjs.ts';
import { cpuEngine } from './cpu-engine.ts';
import { type Engine, type LayerOffsets, layerOffsets, type Mlp, type MlpSpec, type Pass } from './engine.ts';

/**
 * The MLP engine on TensorFlow.js: the wasm backend by default, the native tfjs-node backend when it
 * is installed and asked for. Parameters stay in the engine's flat Float64Array (so Adam, targets and
 * checkpoints are shared with the TypeScript engine); each forward uploads them, each backward
 * downloads the gradients. Our dense backward runs every product on pre-transposed operands:
 * tfjs-wasm routes matMul with transposeA/transposeB (what its own autodiff emits) to a much slower
 * kernel. `transposes: 'flags'` keeps that stock path, for the throughput comparison.
 */
export interface TfjsEngineOptions {
  readonly transposes?: 'explicit' | 'flags';
  /** Try @tensorflow/tfjs-node (falls back to wasm with a logged reason when absent). */
  readonly native?: boolean;
  readonly log?: (message: string) => void;
}

export async function createTfjsEngine(options: TfjsEngineOptions = {}): Promise<Engine> {
  const { variant } = await selectTfjsBackend({
    native: options.native ?? false,
    ...(options.log ? { log: options.log } : {}),
  });
  const explicit = (options.transposes ?? 'explicit') === 'explicit';
  return {
    name: `tfjs-${variant}${explicit ? '' : '-stock-transposes'}`,
    createMlp: (spec, rng) => new TfjsMlp(spec, rng, explicit),
  };
}

interface TfjsPass extends Pass {
  /** Input of each layer and its activated output, kept for backward. */
  inputs: tf.Tensor2D[];
  outputs: tf.Tensor2D[];
  rows: number;
}

class TfjsMlp implements Mlp {
  readonly params: Float64Array;
  readonly grads: Float64Array;
  private readonly layers: LayerOffsets[];
  /** Per layer: W as [in × out] (for x·W) and [out × in] (for dY·Wᵀ without a transposed matMul). */
  private weightsInOut: tf.Tensor2D[] = [];
  private weightsOutIn: tf.Tensor2D[] = [];
  private biases: tf.Tensor1D[] = [];

  constructor(
    readonly spec: MlpSpec,
    rng: Rng,
    private readonly explicit: boolean,
  ) {
    // Same initialisation and layout as the TypeScript engine, so the engines are interchangeable.
    const reference = cpuEngine.createMlp(spec, rng);
    this.params = reference.params;
    this.grads = reference.grads;
    this.layers = layerOffsets(spec);
  }

  createPass(maxRows: number): TfjsPass {
    const output = new Float64Array(maxRows * this.spec.outputSize);
    return { maxRows, output, inputs: [], outputs: [], rows: 0 };
  }

  private uploadWeights(): void {
    tf.dispose([...this.weightsInOut, ...this.weightsOutIn, ...this.biases]);
    this.weightsInOut = [];
    this.weightsOutIn = [];
    this.biases = [];
    for (const { inSize, outSize, weight, bias } of this.layers) {
      const outIn = Float32Array.from(this.params.subarray(weight, bias));
      const inOut = new Float32Array(inSize * outSize);
      for (let j = 0; j < outSize; j++)
        for (let i = 0; i < inSize; i++) inOut[i * outSize + j] = outIn[j * inSize + i]!;
      this.weightsOutIn.push(tf.tensor2d(outIn, [outSize, inSize]));
      this.weightsInOut.push(tf.tensor2d(inOut, [inSize, outSize]));
      this.biases.push(tf.tensor1d(Float32Array.from(this.params.subarray(bias, bias + outSize))));
    }
  }

  forward(pass: Pass, input: Float64Array, rows: number): Float64Array {
    const p = pass as TfjsPass;
    if (rows > p.maxRows) throw new RangeError(`forward of ${rows} rows on a pass sized for ${p.maxRows}`);
    tf.dispose([...p.inputs, ...p.outputs]);
    p.inputs = [];
    p.outputs = [];
    p.rows = rows;
    // Adam changes the parameters between calls; uploading them is cheap next to the matmuls.
    this.uploadWeights();
    let x = tf.tensor2d(Float32Array.from(input.subarray(0, rows * this.spec.inputSize)), [
      rows,
      this.spec.inputSize,
    ]);
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      p.inputs.push(x);
      const y = tf.tidy(() => {
        const z = tf.add(tf.matMul(x, this.weightsInOut[l]!), this.biases[l]!) as tf.Tensor2D;
        if (l === last) return z;
        if (this.spec.activation === 'tanh') return tf.tanh(z);
        const slope = this.spec.negativeSlope ?? 0;
        return slope === 0 ? tf.relu(z) : tf.leakyRelu(z, slope);
      });
      p.outputs.push(y);
      x = y;
    }
    const data = x.dataSync();
    for (let i = 0; i < data.length; i++) p.output[i] = data[i]!;
    return p.output;
  }

  backward(pass: Pass, gradOutput: Float64Array, gradInput: Float64Array | null, accumulate: boolean): void {
    const p = pass as TfjsPass;
    const rows = p.rows;
    const last = this.layers.length - 1;
    // One tidy scope; it returns [dW_0 … dW_last (when accumulating), dX].
    const kept = tf.tidy(() => {
      let d = tf.tensor2d(Float32Array.from(gradOutput.subarray(0, rows * this.spec.outputSize)), [
        rows,
        this.spec.outputSize,
      ]);
      const weightGrads: tf.Tensor[] = new Array(last + 1);
      for (let l = last; l >= 0; l--) {
        const y = p.outputs[l]!;
        if (l < last) {
          // step(y, slope) is 1 where y > 0 and the ReLU's slope elsewhere.
          d = (
            this.spec.activation === 'relu'
              ? tf.mul(d, tf.step(y, this.spec.negativeSlope ?? 0))
              : tf.mul(d, tf.sub(1, tf.square(y)))
          ) as tf.Tensor2D;
        }
        const x = p.inputs[l]!;
        if (accumulate) {
          // dW [out × in] = dYᵀ·X, and db = Σ_rows dY.
          const dW = this.explicit ? tf.matMul(tf.transpose(d), x) : tf.matMul(d, x, true, false);
          weightGrads[l] = tf.concat([dW.reshape([-1]), tf.sum(d, 0)]);
        }
        if (l === 0 && gradInput === null) break;
        d = this.explicit
          ? tf.matMul(d, this.weightsOutIn[l]!)
          : tf.matMul(d, this.weightsInOut[l]!, false, true);
      }
      return accumulate ? [...weightGrads, d] : [d];
    });
    if (accumulate) {
      for (let l = 0; l <= last; l++) {
        const g = kept[l]!.dataSync();
        const o = this.layers[l]!.weight;
        for (let i = 0; i < g.length; i++) this.grads[o + i]! += g[i]!;
      }
    }
    if (gradInput !== null) {
      const dx = kept[kept.length - 1]!.dataSync();
      for (let i = 0; i < dx.length; i++) gradInput[i] = dx[i]!;
    }
    tf.dispose(kept);
  }

  zeroGrad(): void {
    this.grads.fill(0);
  }
}
