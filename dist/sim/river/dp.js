// Compiled from sim/river/dp.ts by `npm run build`: edit the source, not this file.

// sim/river/dp.ts
import { Rng } from "../../src/core/rng.js";
import { ARENA, clipToArena, RiverCrossing, riverMean } from "./river.js";
var dpDefaults = { grid: 81, actions: 7 };
function valueIteration(config, options = dpDefaults) {
  const { grid, actions } = options;
  const actionSet = new Float64Array(actions * actions * 2);
  for (let i = 0; i < actions; i++) {
    for (let j = 0; j < actions; j++) {
      actionSet[(i * actions + j) * 2] = -1 + 2 * i / (actions - 1);
      actionSet[(i * actions + j) * 2 + 1] = -1 + 2 * j / (actions - 1);
    }
  }
  const values = [];
  for (let t = 0; t <= config.horizon; t++) values.push(new Float64Array(grid * grid));
  const next = new Float64Array(2);
  for (let t = config.horizon - 1; t >= 0; t--) {
    const vNext = values[t + 1];
    const v = values[t];
    for (let i = 0; i < grid; i++) {
      const x = ARENA.xMin + (ARENA.xMax - ARENA.xMin) * i / (grid - 1);
      for (let j = 0; j < grid; j++) {
        const y = ARENA.yMin + (ARENA.yMax - ARENA.yMin) * j / (grid - 1);
        let best = -Infinity;
        for (let k = 0; k < actionSet.length; k += 2) {
          const q = lookahead(x, y, actionSet[k], actionSet[k + 1], vNext, grid, config, next);
          if (q > best) best = q;
        }
        v[i * grid + j] = best;
      }
    }
  }
  return { grid, horizon: config.horizon, values, actionSet, config };
}
function lookahead(x, y, ax, ay, vNext, grid, config, next) {
  riverMean(x, y, ax, ay, config, next);
  clipToArena(next);
  const reward = -Math.hypot(next[0] - config.goalX, next[1] - config.goalY);
  return reward + interpolate(vNext, grid, next[0], next[1]);
}
function interpolate(v, grid, x, y) {
  const fx = (x - ARENA.xMin) / (ARENA.xMax - ARENA.xMin) * (grid - 1);
  const fy = (y - ARENA.yMin) / (ARENA.yMax - ARENA.yMin) * (grid - 1);
  const i = Math.min(grid - 2, Math.max(0, Math.floor(fx)));
  const j = Math.min(grid - 2, Math.max(0, Math.floor(fy)));
  const u = fx - i;
  const w = fy - j;
  return (1 - u) * (1 - w) * v[i * grid + j] + u * (1 - w) * v[(i + 1) * grid + j] + (1 - u) * w * v[i * grid + j + 1] + u * w * v[(i + 1) * grid + j + 1];
}
function greedyPolicy(table) {
  const next = new Float64Array(2);
  return (obs, t, action) => {
    const vNext = table.values[Math.min(t + 1, table.horizon)];
    let best = -Infinity;
    for (let k = 0; k < table.actionSet.length; k += 2) {
      const ax = table.actionSet[k];
      const ay = table.actionSet[k + 1];
      const q = lookahead(obs[0], obs[1], ax, ay, vNext, table.grid, table.config, next);
      if (q > best) {
        best = q;
        action[0] = ax;
        action[1] = ay;
      }
    }
  };
}
function randomPolicy(seed) {
  const rng = new Rng(seed);
  return (_obs, _t, action) => {
    action[0] = rng.range(-1, 1);
    action[1] = rng.range(-1, 1);
  };
}
function evaluateRiverPolicy(config, policy, episodes, seed) {
  const env = new RiverCrossing(config, seed);
  const obs = new Float64Array(2);
  const action = new Float64Array(2);
  let total = 0;
  for (let e = 0; e < episodes; e++) {
    env.reset(obs);
    for (let t = 0; t < env.horizon; t++) {
      policy(obs, t, action);
      const step = env.step(action, obs);
      total += step.reward;
    }
  }
  return total / episodes;
}
function riverReferences(config, episodes = 200, seed = 12345) {
  const realTable = valueIteration(config);
  const simTable = valueIteration({ ...config, current: 0 });
  return {
    current: config.current,
    optimal: evaluateRiverPolicy(config, greedyPolicy(realTable), episodes, seed),
    simOptimalOnReal: evaluateRiverPolicy(config, greedyPolicy(simTable), episodes, seed),
    random: evaluateRiverPolicy(config, randomPolicy(seed), episodes, seed)
  };
}
function normalisedScore(value, refs) {
  return 100 * (value - refs.random) / (refs.optimal - refs.random);
}
export {
  dpDefaults,
  evaluateRiverPolicy,
  greedyPolicy,
  normalisedScore,
  randomPolicy,
  riverReferences,
  valueIteration
};
