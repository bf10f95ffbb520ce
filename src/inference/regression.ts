/**
 * Supervised MLP regression (behaviour cloning / policy distillation): fit an MLP to (x, y) pairs by
 * minibatch Adam on the mean squared error. Small and explicit, in the spirit of Spinning Up:
 *
 *   forward:   h_0 = x,  z_k = W_k h_{k−1} + b_k,  h_k = σ(z_k)   (σ = identity on the last layer)
 *   loss:      L = 1/(B·m) Σ ‖h_K − y‖²
 *   backward:  δ_K = 2 (h_K − y) / (B·m),  δ_{k−1} = (W_kᵀ δ_k) ⊙ σ'(z_{k−1}),  ∂L/∂W_k = δ_k h_{k−1}ᵀ
 *   Adam:      m ← β1 m + (1−β1) g,  v ← β2 v + (1−β2) g²,  θ ← θ − α m̂ / (√v̂ + ε)
 *
 * It trains in float64 and returns float32 weights in our MLP format.
 */
import { type Activation, type DenseLayer, type MlpPolicy, mulberry32, randomMlp } from './mlp.ts';

export interface RegressionConfig {
  /** Hidden layer sizes. */
  readonly hidden: readonly number[];
  readonly activation: Activation;
  readonly epochs: number;
  readonly batchSize: number;
  /** Adam (Kingma & Ba 2015) defaults: α = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8. */
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly seed: number;
}

export const regressionDefaults: RegressionConfig = {
  hidden: [64, 64],
  activation: 'tanh',
  epochs: 200,
  batchSize: 256,
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  seed: 0,
};

interface Param {
  readonly value: Float64Array;
  readonly grad: Float64Array;
  readonly m: Float64Array;
  readonly v: Float64Array;
}

const param = (init: Float32Array): Param => ({
  value: Float64Array.from(init),
  grad: new Float64Array(init.length),
  m: new Float64Array(init.length),
  v: new Float64Array(init.length),
});

function activate(a: Activation, z: number): number {
  if (a === 'relu') return Math.max(0, z);
  if (a === 'tanh') return Math.tanh(z);
  if (a === 'elu') return z > 0 ? z : Math.expm1(z);
  return z;
}

/** σ'(z) written in terms of z and h = σ(z). */
function derivative(a: Activation, z: number, h: number): number {
  if (a === 'relu') return z > 0 ? 1 : 0;
  if (a === 'tanh') return 1 - h * h;
  if (a === 'elu') return z > 0 ? 1 : h + 1;
  return 1;
}

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
  const sizes = [inSize, ...c.hidden, outSize];
  const init = randomMlp(sizes, c.activation, c.seed);
  const layers = init.layers.map((l) => ({ ...l, w: param(l.weight), b: param(l.bias) }));
  const rand = mulberry32(c.seed + 1);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  // Per-sample activations and deltas, reused across samples.
  const z = sizes.map((s) => new Float64Array(s));
  const h = sizes.map((s) => new Float64Array(s));
  const delta = sizes.map((s) => new Float64Array(s));
  let step = 0;
  const losses: number[] = [];

  const forward = (row: number): void => {
    for (let i = 0; i < inSize; i++) h[0]![i] = x[row * inSize + i]!;
    layers.forEach((l, k) => {
      const input = h[k]!;
      const zk = z[k + 1]!;
      const hk = h[k + 1]!;
      for (let o = 0; o < l.outSize; o++) {
        let s = l.b.value[o]!;
        for (let i = 0; i < l.inSize; i++) s += l.w.value[o * l.inSize + i]! * input[i]!;
        zk[o] = s;
        hk[o] = activate(l.activation, s);
      }
    });
  };

  for (let epoch = 0; epoch < c.epochs; epoch++) {
    // Fisher–Yates shuffle with the seeded generator: same data, same seed → same weights.
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (let start = 0; start < n; start += c.batchSize) {
      const end = Math.min(n, start + c.batchSize);
      const scale = 2 / ((end - start) * outSize);
      for (const l of layers) {
        l.w.grad.fill(0);
        l.b.grad.fill(0);
      }
      for (let s = start; s < end; s++) {
        const row = order[s]!;
        forward(row);
        const K = layers.length;
        for (let o = 0; o < outSize; o++) delta[K]![o] = scale * (h[K]![o]! - y[row * outSize + o]!);
        for (let k = K - 1; k >= 0; k--) {
          const l = layers[k]!;
          const d = delta[k + 1]!;
          const input = h[k]!;
          for (let o = 0; o < l.outSize; o++) {
            const g = d[o]!;
            l.b.grad[o]! += g;
            for (let i = 0; i < l.inSize; i++) l.w.grad[o * l.inSize + i]! += g * input[i]!;
          }
          if (k === 0) break;
          const prev = layers[k - 1]!;
          for (let i = 0; i < l.inSize; i++) {
            let s = 0;
            for (let o = 0; o < l.outSize; o++) s += l.w.value[o * l.inSize + i]! * d[o]!;
            delta[k]![i] = s * derivative(prev.activation, z[k]![i]!, h[k]![i]!);
          }
        }
      }
      step++;
      const correction1 = 1 - c.beta1 ** step;
      const correction2 = 1 - c.beta2 ** step;
      for (const l of layers) {
        for (const p of [l.w, l.b]) {
          for (let i = 0; i < p.value.length; i++) {
            const g = p.grad[i]!;
            p.m[i] = c.beta1 * p.m[i]! + (1 - c.beta1) * g;
            p.v[i] = c.beta2 * p.v[i]! + (1 - c.beta2) * g * g;
            p.value[i]! -=
              (c.learningRate * (p.m[i]! / correction1)) / (Math.sqrt(p.v[i]! / correction2) + c.epsilon);
          }
        }
      }
    }
    let loss = 0;
    for (let row = 0; row < n; row++) {
      forward(row);
      const out = h[layers.length]!;
      for (let o = 0; o < outSize; o++) loss += (out[o]! - y[row * outSize + o]!) ** 2;
    }
    losses.push(loss / (n * outSize));
  }
  const trained: DenseLayer[] = layers.map((l) => ({
    inSize: l.inSize,
    outSize: l.outSize,
    activation: l.activation,
    weight: Float32Array.from(l.w.value),
    bias: Float32Array.from(l.b.value),
  }));
  return { mlp: { layers: trained }, losses };
}
