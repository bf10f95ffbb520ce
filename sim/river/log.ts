import { Rng } from '../../src/core/rng.ts';
import type { Transitions } from '../../src/learning/transitions.ts';
import { ARENA, type RiverConfig, RiverCrossing } from './river.ts';

/**
 * The "real log": episodes on the real river with a mediocre behaviour policy: head for the goal
 * with N(0, headingNoise²) heading error, and a uniformly random action with probability
 * `randomFraction`. Starts are uniform over the arena by default, so the log covers the state space
 * (a narrow log makes the discriminator mistake missing support for a dynamics gap); `starts:
 * 'start'` begins every episode at the task's start instead, so the log shows only what the
 * behaviour policy reaches from there (against the current, never the far bank).
 */
export interface RiverLogOptions {
  readonly episodes: number;
  readonly headingNoise: number;
  readonly randomFraction: number;
  readonly seed: number;
  readonly starts?: 'arena' | 'start';
}

export const riverLogDefaults: RiverLogOptions = {
  episodes: 100,
  headingNoise: 0.7,
  randomFraction: 0.2,
  seed: 7,
};

export function generateRiverLog(
  config: RiverConfig,
  options: RiverLogOptions = riverLogDefaults,
): Transitions {
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
    if (options.starts === 'start') env.reset(obs);
    else env.resetAt(obs, rng.range(ARENA.xMin, ARENA.xMax), rng.range(ARENA.yMin, ARENA.yMax));
    for (let t = 0; t < env.horizon; t++) {
      if (rng.uniform() < options.randomFraction) {
        action[0] = rng.range(-1, 1);
        action[1] = rng.range(-1, 1);
      } else {
        const heading =
          Math.atan2(config.goalY - obs[1]!, config.goalX - obs[0]!) + options.headingNoise * rng.normal();
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
    meta: { environment: 'river-crossing', current: config.current, ...options },
  };
}
