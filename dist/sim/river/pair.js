// Compiled from sim/river/pair.ts by `npm run build`: edit the source, not this file.

// sim/river/pair.ts
import { z } from "zod";
import {
  inGapRegion,
  RiverCrossing,
  riverAction,
  riverDefaults,
  riverReward
} from "./river.js";
function riverPair(real) {
  return {
    name: `river-crossing(C0=${real.current})`,
    sim: (seed) => new RiverCrossing({ ...real, current: 0 }, seed),
    real: (seed) => new RiverCrossing(real, seed),
    gapRegion: (obs, row) => inGapRegion(obs[row * 2], obs[row * 2 + 1], real),
    // The learner commands the base velocity itself: no scaling between it and the robot.
    actionMap: riverAction.signals.map((s) => ({ name: s.name, unit: s.unit, scale: 1, offset: 0 })),
    reward: (_obs, _action, next) => riverReward(next[0], next[1], real)
  };
}
var riverOptions = z.object({
  /** Peak current C₀ of the real system (m/s): the gap's strength. The simulator has none. */
  current: z.number().min(0).default(riverDefaults.current),
  /** Centre and widths of the current's Gaussian profile: the gap's shape. */
  centerX: z.number().default(riverDefaults.centerX),
  centerY: z.number().default(riverDefaults.centerY),
  widthX: z.number().positive().default(riverDefaults.widthX),
  widthY: z.number().positive().default(riverDefaults.widthY),
  /** σ of the position noise per step (m), in both systems. */
  processNoise: z.number().min(0).default(riverDefaults.processNoise)
}).strict();
var riverCrossingPlugin = {
  kind: "river-crossing",
  description: "a base crossing a river whose current only the real system has (cheap, 2-D)",
  schema: riverOptions,
  create: (options) => riverPair({ ...riverDefaults, ...options })
};
export {
  riverCrossingPlugin,
  riverPair
};
