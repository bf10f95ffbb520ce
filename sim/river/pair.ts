import type { EnvironmentPair } from '../../src/learning/trainer.ts';
import { inGapRegion, type RiverConfig, RiverCrossing } from './river.ts';

/** The river crossing as a (simulator, real system) pair: the simulator has no current. */
export function riverPair(real: RiverConfig): EnvironmentPair {
  return {
    name: `river-crossing(C0=${real.current})`,
    sim: (seed) => new RiverCrossing({ ...real, current: 0 }, seed),
    real: (seed) => new RiverCrossing(real, seed),
    gapRegion: (obs, row) => inGapRegion(obs[row * 2]!, obs[row * 2 + 1]!, real),
  };
}
