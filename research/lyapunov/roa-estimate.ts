import { Rng } from '../../src/core/rng.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import type { LyapunovModel } from '../../src/verification/model.ts';

/**
 * The seed paper's sampled region-of-attraction level (Meng & Fan 2023):
 *   c = min( max V(x₀) over rollouts judged stable,  min V(x₀) over rollouts judged unstable ).
 * It is an estimate from simulation, not a proof: the supervisor accepts switches only against
 * the verified ρ, and c is reported next to ρ to show how optimistic sampling is.
 */

export interface SampledLevel {
  readonly level: number;
  readonly stable: number;
  readonly unstable: number;
}

export interface SampledLevelConfig {
  readonly samples: number;
  readonly steps: number;
  /** A rollout is stable when it ends within this distance of x* without leaving B. */
  readonly tolerance: number;
  readonly seed: number;
}

export const defaultSampledLevelConfig: SampledLevelConfig = {
  samples: 2000,
  steps: 400,
  tolerance: 0.05,
  seed: 0,
};

export function sampledRoaLevel(
  model: LyapunovModel,
  config: SampledLevelConfig = defaultSampledLevelConfig,
): SampledLevel {
  const f = new ForwardModel(model);
  const rng = new Rng(config.seed);
  const { boxLo, boxUp } = model.spec;
  const n = model.stateDim;
  const x = new Float64Array(n);
  const next = new Float64Array(n);
  let maxStable = 0;
  let minUnstable = Number.POSITIVE_INFINITY;
  let stable = 0;
  for (let s = 0; s < config.samples; s++) {
    for (let i = 0; i < n; i++) x[i] = rng.range(boxLo[i]!, boxUp[i]!);
    const v0 = f.value(x);
    let inside = true;
    for (let k = 0; k < config.steps && inside; k++) {
      f.stepClosedLoop(x, next);
      x.set(next);
      for (let i = 0; i < n; i++) if (!(x[i]! >= boxLo[i]! && x[i]! <= boxUp[i]!)) inside = false;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(x[i]!));
    if (inside && norm < config.tolerance) {
      stable++;
      maxStable = Math.max(maxStable, v0);
    } else minUnstable = Math.min(minUnstable, v0);
  }
  return { level: Math.min(maxStable, minUnstable), stable, unstable: config.samples - stable };
}
