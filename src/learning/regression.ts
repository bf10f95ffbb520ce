/**
 * Supervised MLP regression (behaviour cloning / policy distillation): fit an MLP to (x, y) pairs by
 * minibatch Adam on the mean squared error,
 *
 *   L = 1/(B·m) Σ ‖f(x) − y‖²,   ∂L/∂f(x) = 2 (f(x) − y) / (B·m),
 *
 * on the training engine (`cpuEngine`, float64) with its Adam, so there is one backprop and one
 * optimiser in the project. The result is float32 weights in the deployment MLP format.
 */
import { Rng } from '../core/rng.ts';
import type { MlpPolicy } from '../inference/mlp.ts';
import { Adam, adamDefaults } from './adam.ts';
import { cpuEngine } from './cpu-engine.ts';
import { type MlpSpec, toMlpPolicy } from './engine.ts';

export interface RegressionConfig {
  /** Hidden layer sizes. */
  readonly hidden: readonly number[];
  readonly activation: MlpSpec['activation'];
  readonly epochs: number;
  readonly batchSize: number;
  /** Adam's step size; its other constants are `adamDefaults` (β1 = 0.9, β2 = 0.999, ε = 1e-8). */
  readonly learningRate: number;
  readonly seed: number;
}

export const regressionDefaults: RegressionConfig = {
  hidden: [64, 64],
  activation: 'tanh',
  epochs: 200,
  batchSize: 256,
  learningRate: 1e-3,
  seed: 0,
};

export interface RegressionResult {
  readonly mlp: MlpPolicy;
  /** Mean squared error over all samples after each epoch. */
  readonly losses: readonly number[];
}

/**
 * Fits an MLP mapping rows of `x` (n × inSize) to rows of `y` (n × outSize). Inputs should already be
 * normalised; the caller bakes the normaliser into the exported policy.
 */
export function fitMlp(
  x: Float64Array,
  y: Float64Array,
  inSize: number,
  outSize: number,
  config: Partial<RegressionConfig> = {},
): RegressionResult {
  const c: RegressionConfig = { ...regressionDefaults, ...config };
  const n = x.length / inSize;
  if (!Number.isInteger(n) || y.length !== n * outSize) {
    throw new RangeError(
      `fitMlp: x has ${x.length} values and y ${y.length}; expected n × ${inSize} and n × ${outSize}`,
    );
  }
  const rng = new Rng(c.seed);
  const net = cpuEngine.createMlp(
    { inputSize: inSize, hidden: c.hidden, outputSize: outSize, activation: c.activation },
    rng,
  );
  const adam = new Adam(net.params, net.grads, { ...adamDefaults, lr: c.learningRate });
  const pass = net.createPass(c.batchSize);
  const input = new Float64Array(c.batchSize * inSize);
  const gradOutput = new Float64Array(c.batchSize * outSize);
  const order = Int32Array.from({ length: n }, (_, i) => i);

  /** Copies rows order[start, start + rows) into `input` and runs the net on them. */
  const forward = (start: number, rows: number): Float64Array => {
    for (let r = 0; r < rows; r++)
      input.set(x.subarray(order[start + r]! * inSize, (order[start + r]! + 1) * inSize), r * inSize);
    return net.forward(pass, input, rows);
  };

  const losses: number[] = [];
  for (let epoch = 0; epoch < c.epochs; epoch++) {
    // Fisher–Yates shuffle with the seeded generator: same data, same seed → same weights.
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (let start = 0; start < n; start += c.batchSize) {
      const rows = Math.min(c.batchSize, n - start);
      const out = forward(start, rows);
      const scale = 2 / (rows * outSize);
      for (let r = 0; r < rows; r++) {
        const row = order[start + r]!;
        for (let o = 0; o < outSize; o++) {
          gradOutput[r * outSize + o] = scale * (out[r * outSize + o]! - y[row * outSize + o]!);
        }
      }
      net.backward(pass, gradOutput, null, true);
      adam.step();
    }
    let loss = 0;
    for (let start = 0; start < n; start += c.batchSize) {
      const rows = Math.min(c.batchSize, n - start);
      const out = forward(start, rows);
      for (let r = 0; r < rows; r++) {
        const row = order[start + r]!;
        for (let o = 0; o < outSize; o++) loss += (out[r * outSize + o]! - y[row * outSize + o]!) ** 2;
      }
    }
    losses.push(loss / (n * outSize));
  }
  return { mlp: toMlpPolicy(net, { outputs: outSize, activation: 'identity' }), losses };
}
