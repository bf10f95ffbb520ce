// Compiled from sim/river/log.ts by `npm run build`: edit the source, not this file.

// sim/river/log.ts
import { Rng } from "../../src/core/rng.js";
import { ARENA, RiverCrossing } from "./river.js";
var riverLogDefaults = {
  episodes: 100,
  headingNoise: 0.7,
  randomFraction: 0.2,
  seed: 7
};
function generateRiverLog(config, options = riverLogDefaults) {
  const env = new RiverCrossing(config, options.seed);
  const rng = new Rng(options.seed + 1);
  const n = options.episodes * env.horizon;
  const obsColumn = new Float64Array(n * 2);
  const act = new Float64Array(n * 2);
  const reward = new Float64Array(n);
  const nextObs = new Float64Array(n * 2);
  const obs = new Float64Array(2);
  const action = new Float64Array(2);
  let row = 0;
  for (let e = 0; e < options.episodes; e++) {
    if (options.starts === "start") env.reset(obs);
    else env.resetAt(obs, rng.range(ARENA.xMin, ARENA.xMax), rng.range(ARENA.yMin, ARENA.yMax));
    for (let t = 0; t < env.horizon; t++) {
      if (rng.uniform() < options.randomFraction) {
        action[0] = rng.range(-1, 1);
        action[1] = rng.range(-1, 1);
      } else {
        const heading = Math.atan2(config.goalY - obs[1], config.goalX - obs[0]) + options.headingNoise * rng.normal();
        action[0] = Math.cos(heading);
        action[1] = Math.sin(heading);
      }
      obsColumn.set(obs, row * 2);
      act.set(action, row * 2);
      const step = env.step(action, obs);
      reward[row] = step.reward;
      nextObs.set(obs, row * 2);
      row += 1;
    }
  }
  return {
    obsSize: 2,
    actSize: 2,
    size: n,
    obs: obsColumn,
    act,
    reward,
    nextObs,
    terminated: new Float64Array(n),
    meta: { environment: "river-crossing", current: config.current, ...options }
  };
}
export {
  generateRiverLog,
  riverLogDefaults
};
