import { z } from 'zod';
import type { EnvironmentPlugin } from '../../src/config/plugin.ts';
import type { EnvironmentPair } from '../../src/core/environment.ts';
import {
  inGapRegion,
  type RiverConfig,
  RiverCrossing,
  riverAction,
  riverDefaults,
  riverReward,
} from './river.ts';

/** The river crossing as a (simulator, real system) pair: the simulator has no current. */
export function riverPair(real: RiverConfig): EnvironmentPair {
  return {
    name: `river-crossing(C0=${real.current})`,
    sim: (seed) => new RiverCrossing({ ...real, current: 0 }, seed),
    real: (seed) => new RiverCrossing(real, seed),
    gapRegion: (obs, row) => inGapRegion(obs[row * 2]!, obs[row * 2 + 1]!, real),
    // The learner commands the base velocity itself: no scaling between it and the robot.
    actionMap: riverAction.signals.map((s) => ({ name: s.name, unit: s.unit, scale: 1, offset: 0 })),
    reward: (_obs, _action, next) => riverReward(next[0]!, next[1]!, real),
  };
}

/** What a train config may set (the real system's current and its shape); the rest is fixed. */
const riverOptions = z
  .object({
    /** Peak current C₀ of the real system (m/s): the gap's strength. The simulator has none. */
    current: z.number().min(0).default(riverDefaults.current),
    /** Centre and widths of the current's Gaussian profile: the gap's shape. */
    centerX: z.number().default(riverDefaults.centerX),
    centerY: z.number().default(riverDefaults.centerY),
    widthX: z.number().positive().default(riverDefaults.widthX),
    widthY: z.number().positive().default(riverDefaults.widthY),
    /** σ of the position noise per step (m), in both systems. */
    processNoise: z.number().min(0).default(riverDefaults.processNoise),
  })
  .strict();

export type RiverOptions = z.output<typeof riverOptions>;

export const riverCrossingPlugin: EnvironmentPlugin<RiverOptions> = {
  kind: 'river-crossing',
  description: 'a base crossing a river whose current only the real system has (cheap, 2-D)',
  schema: riverOptions,
  create: (options) => riverPair({ ...riverDefaults, ...options }),
};
