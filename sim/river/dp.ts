import { Rng } from '../../src/core/rng.ts';
import { ARENA, clipToArena, type RiverConfig, RiverCrossing, riverMean } from './river.ts';

/**
 * Dynamic-programming references for the river crossing: finite-horizon value iteration on a
 * grid × grid lattice over the arena with actions × actions velocity commands, noise-free dynamics
 * and bilinear interpolation of V. The greedy policy (one-step lookahead on V_{t+1}) is then run on
 * the real, noisy environment by Monte Carlo. These anchor the normalised score:
 *   score = 100·(J − J_random)/(J_optimal − J_random).
 */
export interface DpOptions {
  readonly grid: number;
  readonly actions: number;
}

export const dpDefaults: DpOptions = { grid: 81, actions: 7 };

export interface ValueTable {
  readonly grid: number;
  readonly horizon: number;
  /** V[t][i·grid + j] at x_i, y_j, for t = 0..horizon (V[horizon] = 0). */
  readonly values: Float64Array[];
  readonly actionSet: Float64Array;
  readonly config: RiverConfig;
}

export function valueIteration(config: RiverConfig, options: DpOptions = dpDefaults): ValueTable {
  const { grid, actions } = options;
  const actionSet = new Float64Array(actions * actions * 2);
  for (let i = 0; i < actions; i++) {
    for (let j = 0; j < actions; j++) {
      actionSet[(i * actions + j) * 2] = -1 + (2 * i) / (actions - 1);
      actionSet[(i * actions + j) * 2 + 1] = -1 + (2 * j) / (actions - 1);
    }
  }
  const values: Float64Array[] = [];
  for (let t = 0; t <= config.horizon; t++) values.push(new Float64Array(grid * grid));
  const next = new Float64Array(2);
  for (let t = config.horizon - 1; t >= 0; t--) {
    const vNext = values[t + 1]!;
    const v = values[t]!;
    for (let i = 0; i < grid; i++) {
      const x = ARENA.xMin + ((ARENA.xMax - ARENA.xMin) * i) / (grid - 1);
      for (let j = 0; j < grid; j++) {
        const y = ARENA.yMin + ((ARENA.yMax - ARENA.yMin) * j) / (grid - 1);
        let best = -Infinity;
        for (let k = 0; k < actionSet.length; k += 2) {
          const q = lookahead(x, y, actionSet[k]!, actionSet[k + 1]!, vNext, grid, config, next);
          if (q > best) best = q;
        }
        v[i * grid + j] = best;
      }
    }
  }
  return { grid, horizon: config.horizon, values, actionSet, config };
}

function lookahead(
  x: number,
  y: number,
  ax: number,
  ay: number,
  vNext: Float64Array,
  grid: number,
  config: RiverConfig,
  next: Float64Array,
): number {
  riverMean(x, y, ax, ay, config, next);
  clipToArena(next);
  const reward = -Math.hypot(next[0]! - config.goalX, next[1]! - config.goalY);
  return reward + interpolate(vNext, grid, next[0]!, next[1]!);
}

function interpolate(v: Float64Array, grid: number, x: number, y: number): number {
  const fx = ((x - ARENA.xMin) / (ARENA.xMax - ARENA.xMin)) * (grid - 1);
  const fy = ((y - ARENA.yMin) / (ARENA.yMax - ARENA.yMin)) * (grid - 1);
  const i = Math.min(grid - 2, Math.max(0, Math.floor(fx)));
  const j = Math.min(grid - 2, Math.max(0, Math.floor(fy)));
  const u = fx - i;
  const w = fy - j;
  return (
    (1 - u) * (1 - w) * v[i * grid + j]! +
    u * (1 - w) * v[(i + 1) * grid + j]! +
    (1 - u) * w * v[i * grid + j + 1]! +
    u * w * v[(i + 1) * grid + j + 1]!
  );
}

/** A time-varying policy: writes the action for observation `obs` at step `t`. */
export type RiverPolicy = (obs: Float64Array, t: number, action: Float64Array) => void;

/** Greedy one-step lookahead on the value table (the DP-optimal policy for the table's dynamics). */
export function greedyPolicy(table: ValueTable): RiverPolicy {
  const next = new Float64Array(2);
  return (obs, t, action) => {
    const vNext = table.values[Math.min(t + 1, table.horizon)]!;
    let best = -Infinity;
    for (let k = 0; k < table.actionSet.length; k += 2) {
      const ax = table.actionSet[k]!;
      const ay = table.actionSet[k + 1]!;
      const q = lookahead(obs[0]!, obs[1]!, ax, ay, vNext, table.grid, table.config, next);
      if (q > best) {
        best = q;
        action[0] = ax;
        action[1] = ay;
      }
    }
  };
}

export function randomPolicy(seed: number): RiverPolicy {
  const rng = new Rng(seed);
  return (_obs, _t, action) => {
    action[0] = rng.range(-1, 1);
    action[1] = rng.range(-1, 1);
  };
}

/** Mean undiscounted return of `policy` over `episodes` episodes on `config`'s dynamics. */
export function evaluateRiverPolicy(
  config: RiverConfig,
  policy: RiverPolicy,
  episodes: number,
  seed: number,
): number {
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

export interface RiverReferences {
  readonly current: number;
  /** DP-optimal for the real dynamics, run on real. */
  readonly optimal: number;
  /** DP-optimal for the simulator (no current), run on real. */
  readonly simOptimalOnReal: number;
  readonly random: number;
}

export function riverReferences(config: RiverConfig, episodes = 200, seed = 12345): RiverReferences {
  const realTable = valueIteration(config);
  const simTable = valueIteration({ ...config, current: 0 });
  return {
    current: config.current,
    optimal: evaluateRiverPolicy(config, greedyPolicy(realTable), episodes, seed),
    simOptimalOnReal: evaluateRiverPolicy(config, greedyPolicy(simTable), episodes, seed),
    random: evaluateRiverPolicy(config, randomPolicy(seed), episodes, seed),
  };
}

export function normalisedScore(value: number, refs: RiverReferences): number {
  return (100 * (value - refs.random)) / (refs.optimal - refs.random);
}
