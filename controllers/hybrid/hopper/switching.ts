import type { HopperReturnMap } from '../../../sim/hybrid/hopper.ts';
import { type Gait, type GaitLibrary, gaitControl, gaitValue } from './gait.ts';

/**
 * Gait switching for the pogo hopper, decided at each flight apex: the switch check and the seed
 * paper's region-of-attraction planner (Meng & Fan 2023), on the apex-to-apex map.
 *
 * The check accepts gait b at the measured apex h when V_b stays below b's level over the
 * estimate interval h ± r. V is a convex quadratic in one variable, so its maximum over the
 * interval is at an end point and the check is exact for V; the level is the **sampled, not
 * verified** c of the seed paper, so passing the check is evidence from simulation, not a proof.
 *
 * The planner, when the check fails, searches a waypoint gait w and a dwell of n hops in it:
 *   score(w, n) = relu(V_w(h₀) − c_w)/c_w + relu(V_b(h_n) − c_b)/c_b,
 * where h_n is the apex after n hops of w's closed loop (a fall scores +∞). It scores the grid of
 * library gaits × dwells 1..maxDwell, then, if no candidate scores 0, refines the best waypoint
 * apex with a few pattern-search steps on the interpolated gaits. When still no candidate
 * reaches b's region, the argmin becomes one link of a chain of waypoints if it is safe to enter
 * now and ends closer to b's region; the planner runs again at the next apex. A plan is a
 * proposal: the check is repeated at every apex and the switch to b happens only when it passes.
 */

export interface SwitchingConfig {
  /** Hops allowed from the request to success. */
  readonly hopBudget: number;
  /** Success: |h − h_b| below this at the last hop of the budget, m. */
  readonly tolerance: number;
  /** Apex measurement uncertainty r, m. */
  readonly estimateRadius: number;
  /** Longest dwell in a waypoint gait the planner considers. */
  readonly maxDwell: number;
  /** Pattern-search steps on the waypoint apex when the grid finds no zero score. */
  readonly searchSteps: number;
}

export const defaultSwitching: SwitchingConfig = {
  hopBudget: 10,
  tolerance: 0.01,
  estimateRadius: 0.002,
  maxDwell: 5,
  searchSteps: 10,
};

export type SwitchPolicy = 'blind' | 'check' | 'planner';

/** V_b over h ± r relative to b's sampled level; below 1 passes the check. */
export function checkRatio(gait: Gait, apex: number, radius: number): number {
  if (!Number.isFinite(apex)) return Number.POSITIVE_INFINITY;
  const worst = Math.max(gaitValue(gait, apex - radius), gaitValue(gait, apex + radius));
  return worst / gait.sampledLevel;
}

export function switchCheck(gait: Gait, apex: number, radius: number): boolean {
  return checkRatio(gait, apex, radius) < 1;
}

export interface GaitPlan {
  readonly waypoint: Gait;
  readonly dwell: number;
  /** Predicted V_b/c_b after the dwell (for the decision log). */
  readonly predictedRatio: number;
  /** False for one link of a chain: the dwell ends closer to b's region but not yet inside. */
  readonly reachesTarget: boolean;
}

const relu = (z: number) => Math.max(z, 0);

export class GaitWaypointPlanner {
  constructor(
    private readonly library: GaitLibrary,
    private readonly map: HopperReturnMap,
    private readonly config: SwitchingConfig = defaultSwitching,
  ) {}

  /** Writes (best score, its dwell, V_b/c_b there, entry term) for waypoint w; the fewest hops win ties. */
  private scoreWaypoint(w: Gait, to: Gait, apex: number, maxDwell: number, out: Float64Array): void {
    const limit = this.map.params.maxExtension;
    const r = this.config.estimateRadius;
    const entry = relu(checkRatio(w, apex, r) - 1);
    let h = apex;
    out[0] = Number.POSITIVE_INFINITY;
    out[1] = 0;
    out[2] = Number.POSITIVE_INFINITY;
    out[3] = entry;
    for (let n = 1; n <= maxDwell; n++) {
      h = this.map.hop(h, gaitControl(w, h, limit));
      if (!Number.isFinite(h)) return;
      const ratio = checkRatio(to, h, r);
      const score = entry + relu(ratio - 1);
      if (score < out[0]!) {
        out[0] = score;
        out[1] = n;
        out[2] = ratio;
      }
    }
  }

  plan(to: Gait, apex: number, hopsLeft: number): GaitPlan | null {
    const maxDwell = Math.min(this.config.maxDwell, hopsLeft - 1);
    if (maxDwell < 1 || !Number.isFinite(apex)) return null;
    const scored = new Float64Array(4);
    const best = { gait: null as Gait | null, score: Number.POSITIVE_INFINITY, dwell: 0, ratio: 0 };
    // The best among waypoints that the current apex may enter at once (entry term 0).
    const safe = { ...best };
    const consider = (w: Gait) => {
      this.scoreWaypoint(w, to, apex, maxDwell, scored);
      const score = scored[0]!;
      const dwell = scored[1]!;
      const better = score < best.score || (score === best.score && score === 0 && dwell < best.dwell);
      if (better) Object.assign(best, { gait: w, score, dwell, ratio: scored[2]! });
      if (scored[3] === 0 && score < safe.score)
        Object.assign(safe, { gait: w, score, dwell, ratio: scored[2]! });
    };
    for (const w of this.library.gaits) consider(w);
    const { gaits, lowest, highest } = this.library;
    let step = gaits.length > 1 ? (highest - lowest) / (gaits.length - 1) / 2 : 0;
    for (let it = 0; it < this.config.searchSteps && best.score > 0 && best.gait && step > 1e-5; it++) {
      const centre = best.gait;
      for (const dir of [-1, 1]) {
        const candidate = centre.apex + dir * step;
        if (candidate >= lowest && candidate <= highest) consider(this.library.at(candidate));
      }
      if (best.gait === centre) step /= 2;
    }
    if (best.gait && best.score === 0)
      return {
        waypoint: best.gait,
        dwell: best.dwell,
        predictedRatio: best.ratio,
        reachesTarget: true,
      };
    // No waypoint reaches b's region within the dwell: a chain of waypoints may. Take a step only
    // when the waypoint is safe to enter now and brings the state closer to b's region.
    if (safe.gait && safe.ratio < checkRatio(to, apex, this.config.estimateRadius))
      return {
        waypoint: safe.gait,
        dwell: safe.dwell,
        predictedRatio: safe.ratio,
        reachesTarget: false,
      };
    return null;
  }
}

export interface SwitchEpisode {
  readonly success: boolean;
  readonly fell: boolean;
  /** True when the switch to b never happened within the budget. */
  readonly denied: boolean;
  /** Apex heights from the request (index 0) to the end of the budget; NaN after a fall. */
  readonly apexes: number[];
  /** Gait apex in force for each hop. */
  readonly gaitApexes: number[];
  /** Hop at which gait b took over, −1 if never. */
  readonly switchedAtHop: number;
  readonly plans: number;
  /** Wall time of each switch decision that was a check only, µs. */
  readonly checkMicros: number[];
  /** Wall time of each decision in which the planner ran (check included), µs. */
  readonly planMicros: number[];
}

/**
 * One switch request from gait `from` (hopper at apex h₀) to gait `to`, under a policy:
 * blind (switch at once), check (switch only when the check passes; re-checked each apex),
 * planner (check; when it fails, follow a waypoint plan and re-check each apex).
 */
export function runSwitchEpisode(
  policy: SwitchPolicy,
  map: HopperReturnMap,
  planner: GaitWaypointPlanner,
  from: Gait,
  to: Gait,
  startApex: number,
  config: SwitchingConfig = defaultSwitching,
): SwitchEpisode {
  const limit = map.params.maxExtension;
  const apexes = [startApex];
  const gaitApexes: number[] = [];
  const checkMicros: number[] = [];
  const planMicros: number[] = [];
  let current = from;
  let switchedAtHop = -1;
  let plans = 0;
  let planLeft = 0;
  let h = startApex;
  for (let hop = 0; hop < config.hopBudget; hop++) {
    if (switchedAtHop < 0) {
      if (policy === 'blind') switchedAtHop = hop;
      else {
        const start = performance.now();
        let planned = false;
        if (switchCheck(to, h, config.estimateRadius)) switchedAtHop = hop;
        else if (policy === 'planner' && planLeft <= 0) {
          planned = true;
          const plan = planner.plan(to, h, config.hopBudget - hop);
          if (plan) {
            plans++;
            current = plan.waypoint;
            // A chain link is re-planned at the next apex.
            planLeft = plan.reachesTarget ? plan.dwell : 1;
          }
        }
        const micros = 1000 * (performance.now() - start);
        (planned ? planMicros : checkMicros).push(micros);
      }
      if (switchedAtHop >= 0) current = to;
    }
    h = map.hop(h, gaitControl(current, h, limit));
    planLeft--;
    gaitApexes.push(current.apex);
    apexes.push(h);
    if (!Number.isFinite(h)) {
      for (let k = hop + 1; k < config.hopBudget; k++) apexes.push(Number.NaN);
      return {
        success: false,
        fell: true,
        denied: switchedAtHop < 0,
        apexes,
        gaitApexes,
        switchedAtHop,
        plans,
        checkMicros,
        planMicros,
      };
    }
  }
  const success = switchedAtHop >= 0 && Math.abs(h - to.apex) < config.tolerance;
  return {
    success,
    fell: false,
    denied: switchedAtHop < 0,
    apexes,
    gaitApexes,
    switchedAtHop,
    plans,
    checkMicros,
    planMicros,
  };
}
