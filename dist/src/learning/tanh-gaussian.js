// Compiled from src/learning/tanh-gaussian.ts by `npm run build`: edit the source, not this file.

// src/learning/tanh-gaussian.ts
var LOG_STD_MIN = -20;
var LOG_STD_MAX = 2;
var HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
var SQUASH_EPS = 1e-6;
var TanhGaussianHead = class {
  constructor(actionSize, maxRows) {
    this.actionSize = actionSize;
    this.maxRows = maxRows;
    const n = actionSize * maxRows;
    this.action = new Float64Array(n);
    this.logProb = new Float64Array(maxRows);
    this.eps = new Float64Array(n);
    this.sigma = new Float64Array(n);
    this.rawLogStd = new Float64Array(n);
    this.open = new Float64Array(n);
  }
  actionSize;
  maxRows;
  action;
  logProb;
  eps;
  sigma;
  rawLogStd;
  /** 1 where the log-std clamp was inactive (gradient passes), 0 where it saturated. */
  open;
  /** m at the last `sample`, for d logσ / d raw in `backward`. */
  scaleM = 1;
  /**
   * `netOutput` is rows × 2A (means, then raw log-stds); `scale` = [m, o]. With `rng` null the
   * action is the deterministic tanh(μ).
   */
  sample(netOutput, rows, scale, rng) {
    const A = this.actionSize;
    const m = scale[0];
    const o = scale[1];
    this.scaleM = m;
    for (let r = 0; r < rows; r++) {
      let logProb = 0;
      for (let i = 0; i < A; i++) {
        const k = r * A + i;
        const mean = netOutput[r * 2 * A + i];
        const raw = netOutput[r * 2 * A + A + i];
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
  backward(gradAction, gradLogProb, rows, gradOutput, gradScale) {
    const A = this.actionSize;
    for (let r = 0; r < rows; r++) {
      const gl = gradLogProb[r];
      for (let i = 0; i < A; i++) {
        const k = r * A + i;
        const a = this.action[k];
        const oneMinusA2 = 1 - a * a;
        const gu = gradAction[k] * oneMinusA2 + gl * 2 * a * oneMinusA2 / (oneMinusA2 + SQUASH_EPS);
        const gLogStd = (gu * this.sigma[k] * this.eps[k] - gl) * this.open[k];
        gradOutput[r * 2 * A + i] = gu;
        gradOutput[r * 2 * A + A + i] = gLogStd * this.scaleM;
        gradScale[0] += gLogStd * this.rawLogStd[k];
        gradScale[1] += gLogStd;
      }
    }
  }
};
export {
  TanhGaussianHead
};
