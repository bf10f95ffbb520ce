import type { Rng } from '../core/rng.ts';

const LOG_STD_MIN = -20;
const LOG_STD_MAX = 2;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** Keeps log(1 − tanh²u) finite when |a| rounds to 1. */
const SQUASH_EPS = 1e-6;

/**
 * The SAC policy head: the actor MLP outputs a mean μ and a raw log-std r per action dimension;
 * log σ = clamp(m·r + o, −20, 2) with learnable scalars m, o; u = μ + σ·ε (ε ~ N(0, I)); a = tanh(u).
 *   log π(a|s) = Σᵢ [ −ε²/2 − ½ log 2π − log σᵢ − log(1 − aᵢ² + 1e-6) ]
 * `sample` records everything `backward` needs (reparameterisation: ε is held fixed).
 */
export class TanhGaussianHead {
  readonly action: Float64Array;
  readonly logProb: Float64Array;
  private readonly eps: Float64Array;
  private readonly sigma: Float64Array;
  private readonly rawLogStd: Float64Array;
  /** 1 where the log-std clamp was inactive (gradient passes), 0 where it saturated. */
  private readonly open: Float64Array;
  /** m at the last `sample`, for d logσ / d raw in `backward`. */
  private scaleM = 1;

  constructor(
    readonly actionSize: number,
    readonly maxRows: number,
  ) {
    const n = actionSize * maxRows;
    this.action = new Float64Array(n);
    this.logProb = new Float64Array(maxRows);
    this.eps = new Float64Array(n);
    this.sigma = new Float64Array(n);
    this.rawLogStd = new Float64Array(n);
    this.open = new Float64Array(n);
  }

  /**
   * `netOutput` is rows × 2A (means, then raw log-stds); `scale` = [m, o]. With `rng` null the
   * action is the deterministic tanh(μ).
   */
  sample(netOutput: Float64Array, rows: number, scale: Float64Array, rng: Rng | null): void {
    const A = this.actionSize;
    const m = scale[0]!;
    const o = scale[1]!;
    this.scaleM = m;
    for (let r = 0; r < rows; r++) {
      let logProb = 0;
      for (let i = 0; i < A; i++) {
        const k = r * A + i;
        const mean = netOutput[r * 2 * A + i]!;
        const raw = netOutput[r * 2 * A + A + i]!;
        const unclamped = m * raw + o;
        const logStd = Math.min(LOG_STD_MAX, Math.max(LOG_STD_MIN, unclamped));
        const sigma = Math.exp(logStd);
        const eps = rng === null ? 0 : rng.normal();
        const a = Math.tanh(mean + sigma * eps);
        this.eps[k] = eps;
        this.sigma[k] = sigma;
        this.rawLogStd[k] = raw;
        this.open[k] = unclamped === logStd ? 1 : 0;
        this.action[k] = a;
        logProb += -0.5 * eps * eps - HALF_LOG_2PI - logStd - Math.log(1 - a * a + SQUASH_EPS);
      }
      this.logProb[r] = logProb;
    }
  }

  /**
   * Given dL/da (rows × A) and dL/dlogπ (rows), writes dL/d(net output) (rows × 2A) and adds
   * dL/dm, dL/do into `gradScale`.
   */
  backward(
    gradAction: Float64Array,
    gradLogProb: Float64Array,
    rows: number,
    gradOutput: Float64Array,
    gradScale: Float64Array,
  ): void {
    const A = this.actionSize;
    for (let r = 0; r < rows; r++) {
      const gl = gradLogProb[r]!;
      for (let i = 0; i < A; i++) {
        const k = r * A + i;
        const a = this.action[k]!;
        const oneMinusA2 = 1 - a * a;
        // du: through tanh for the action, and through −log(1 − tanh²u) for log π.
        const gu = gradAction[k]! * oneMinusA2 + (gl * 2 * a * oneMinusA2) / (oneMinusA2 + SQUASH_EPS);
        // d logσ: via u = μ + σε, and the direct −log σ term of log π.
        const gLogStd = (gu * this.sigma[k]! * this.eps[k]! - gl) * this.open[k]!;
        gradOutput[r * 2 * A + i] = gu;
        gradOutput[r * 2 * A + A + i] = gLogStd * this.scaleM;
        gradScale[0]! += gLogStd * this.rawLogStd[k]!;
        gradScale[1]! += gLogStd;
      }
    }
  }
}
