/** Adam (Kingma & Ba 2015) over one flat parameter vector; state is plain data for checkpoints. */
export interface AdamConfig {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

export const adamDefaults: AdamConfig = { lr: 3e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

export class Adam {
  readonly m: Float64Array;
  readonly v: Float64Array;
  t = 0;

  constructor(
    readonly params: Float64Array,
    readonly grads: Float64Array,
    readonly config: AdamConfig = adamDefaults,
  ) {
    this.m = new Float64Array(params.length);
    this.v = new Float64Array(params.length);
  }

  /**
   * One step on the accumulated gradients (which it then zeroes), at the configured rate or at `lr`
   * when a schedule decays it.
   */
  step(lr = this.config.lr): void {
    const { beta1, beta2, eps } = this.config;
    this.t += 1;
    const correction1 = 1 - beta1 ** this.t;
    const correction2 = 1 - beta2 ** this.t;
    const stepSize = lr / correction1;
    const p = this.params;
    const g = this.grads;
    const m = this.m;
    const v = this.v;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * gi;
      v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
      p[i]! -= (stepSize * m[i]!) / (Math.sqrt(v[i]! / correction2) + eps);
      g[i] = 0;
    }
  }
}

/** Named optimisers' moment vectors for a checkpoint, keyed `adam.<name>.m` and `adam.<name>.v`. */
export function optimizerArrays(optimizers: Readonly<Record<string, Adam>>): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [name, adam] of Object.entries(optimizers)) {
    out[`adam.${name}.m`] = adam.m;
    out[`adam.${name}.v`] = adam.v;
  }
  return out;
}

/** Named optimisers' step counts for a checkpoint, keyed `adam.<name>.t`. */
export function optimizerScalars(optimizers: Readonly<Record<string, Adam>>): Record<string, number> {
  return Object.fromEntries(Object.entries(optimizers).map(([name, adam]) => [`adam.${name}.t`, adam.t]));
}

/** Restores what `optimizerScalars` wrote (0 for an optimiser the checkpoint does not name). */
export function loadOptimizerScalars(
  optimizers: Readonly<Record<string, Adam>>,
  scalars: Readonly<Record<string, number>>,
): void {
  for (const [name, adam] of Object.entries(optimizers)) adam.t = scalars[`adam.${name}.t`] ?? 0;
}
