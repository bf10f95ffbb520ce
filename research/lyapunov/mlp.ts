/**
 * A small batched MLP with hand-written backpropagation, for 2-D control problems where a tensor
 * library would spend more time dispatching than computing. σ(z) = max(z, slope·z) after every
 * layer but the last. Parameters and gradients are flat Float64Arrays (weights row-major [out][in],
 * then biases, layer by layer).
 */

export class Mlp {
  readonly params: Float64Array;
  readonly grads: Float64Array;
  private readonly offsets: { readonly w: number; readonly b: number }[] = [];
  /** Per layer: pre-activations of the last forward pass (batch × width). */
  private pre: Float64Array[] = [];
  private post: Float64Array[] = [];
  private input: Float64Array = new Float64Array(0);
  private batch = 0;

  constructor(
    readonly sizes: readonly number[],
    readonly slope: number,
    random: () => number,
  ) {
    let count = 0;
    for (let k = 0; k + 1 < sizes.length; k++) {
      this.offsets.push({ w: count, b: count + sizes[k]! * sizes[k + 1]! });
      count += sizes[k]! * sizes[k + 1]! + sizes[k + 1]!;
    }
    this.params = new Float64Array(count);
    this.grads = new Float64Array(count);
    // He-uniform initialisation, zero biases.
    for (let k = 0; k + 1 < sizes.length; k++) {
      const fanIn = sizes[k]!;
      const bound = Math.sqrt(6 / fanIn);
      const { w } = this.offsets[k]!;
      for (let i = 0; i < fanIn * sizes[k + 1]!; i++) this.params[w + i] = (2 * random() - 1) * bound;
    }
  }

  get layers(): number {
    return this.sizes.length - 1;
  }

  private ensure(batch: number): void {
    if (batch <= this.batch) return;
    this.batch = batch;
    this.pre = this.sizes.slice(1).map((s) => new Float64Array(batch * s));
    this.post = this.sizes.slice(1).map((s) => new Float64Array(batch * s));
  }

  /** Forward pass over `batch` rows of `x` (batch × in); returns the output buffer (batch × out), owned by the net. */
  forward(x: Float64Array, batch: number): Float64Array {
    this.ensure(batch);
    this.input = x;
    let h = x;
    const last = this.layers - 1;
    for (let k = 0; k <= last; k++) {
      const nIn = this.sizes[k]!;
      const nOut = this.sizes[k + 1]!;
      const { w, b } = this.offsets[k]!;
      const pre = this.pre[k]!;
      const post = this.post[k]!;
      for (let s = 0; s < batch; s++) {
        for (let i = 0; i < nOut; i++) {
          let z = this.params[b + i]!;
          const row = w + i * nIn;
          for (let j = 0; j < nIn; j++) z += this.params[row + j]! * h[s * nIn + j]!;
          pre[s * nOut + i] = z;
          post[s * nOut + i] = k < last && z < 0 ? this.slope * z : z;
        }
      }
      h = post;
    }
    return this.post[last]!;
  }

  /**
   * Backward pass for the last forward: accumulates parameter gradients into `grads` and, when
   * `dInput` is given, writes ∂L/∂input there.
   */
  backward(dOut: Float64Array, batch: number, dInput?: Float64Array): void {
    const last = this.layers - 1;
    let delta = Float64Array.from(dOut.subarray(0, batch * this.sizes[last + 1]!));
    for (let k = last; k >= 0; k--) {
      const nIn = this.sizes[k]!;
      const nOut = this.sizes[k + 1]!;
      const { w, b } = this.offsets[k]!;
      if (k < last) {
        const pre = this.pre[k]!;
        for (let i = 0; i < batch * nOut; i++) if (pre[i]! < 0) delta[i] = delta[i]! * this.slope;
      }
      const h = k === 0 ? this.input : this.post[k - 1]!;
      const prev = new Float64Array(batch * nIn);
      for (let s = 0; s < batch; s++) {
        for (let i = 0; i < nOut; i++) {
          const d = delta[s * nOut + i]!;
          if (d === 0) continue;
          this.grads[b + i] = this.grads[b + i]! + d;
          const row = w + i * nIn;
          for (let j = 0; j < nIn; j++) {
            this.grads[row + j] = this.grads[row + j]! + d * h[s * nIn + j]!;
            prev[s * nIn + j] = prev[s * nIn + j]! + d * this.params[row + j]!;
          }
        }
      }
      if (k === 0) {
        if (dInput) dInput.set(prev);
      } else delta = prev;
    }
  }

  /** Layers in the JSON layout of the model files. */
  toJson(): { weight: number[][]; bias: number[] }[] {
    return this.offsets.map(({ w, b }, k) => {
      const nIn = this.sizes[k]!;
      const nOut = this.sizes[k + 1]!;
      return {
        weight: Array.from({ length: nOut }, (_, i) =>
          Array.from(this.params.subarray(w + i * nIn, w + (i + 1) * nIn)),
        ),
        bias: Array.from(this.params.subarray(b, b + nOut)),
      };
    });
  }
}

/** Adam (Kingma & Ba 2015) with the paper's defaults. */
export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  constructor(
    private readonly params: Float64Array,
    private readonly grads: Float64Array,
    public learningRate = 1e-3,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.m = new Float64Array(params.length);
    this.v = new Float64Array(params.length);
  }

  step(): void {
    this.t++;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    for (let i = 0; i < this.params.length; i++) {
      const g = this.grads[i]!;
      this.m[i] = this.beta1 * this.m[i]! + (1 - this.beta1) * g;
      this.v[i] = this.beta2 * this.v[i]! + (1 - this.beta2) * g * g;
      this.params[i] =
        this.params[i]! -
        (this.learningRate * (this.m[i]! / c1)) / (Math.sqrt(this.v[i]! / c2) + this.epsilon);
    }
    this.grads.fill(0);
  }
}
