/**
 * The region plot B1 (bench/certify-pendulum.ts) draws for each published pendulum model, kept apart
 * so the plots can be redrawn from the committed results without verifying again, and so the
 * plot-layout test renders the very titles the benchmark writes.
 */
import type { LyapunovModel } from '../src/verification/model.ts';
import { levelSetGrid, type RegionPlot, rollout } from '../src/verification/region.ts';

/** Starts of the closed-loop trajectories drawn over the region. */
const starts = [
  [-4, 6],
  [4, -6],
  [8, -2],
  [-8, 2],
  [1, 9],
  [-1, -9],
];

/**
 * The certified region of `model` at its spec's ρ, six closed-loop trajectories and, when the
 * verifier found one at ρ × 1.25, that counterexample.
 */
export function pendulumRegionPlot(
  name: string,
  model: LyapunovModel,
  raisedCounterexample: readonly number[] | undefined,
): RegionPlot {
  return {
    title: `${name}: certified region V < ${model.spec.rho} (verified), x = counterexample at rho x1.25`,
    model,
    grid: levelSetGrid(model, model.spec.rho, 240),
    trajectories: starts.map((x) => rollout(model, x, 200)),
    counterexamples: raisedCounterexample ? [raisedCounterexample] : [],
    labels: ['theta (rad)', 'theta dot (rad/s)'],
  };
}
