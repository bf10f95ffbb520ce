// Compiled from controllers/hybrid/hopper/switching.ts by `npm run build`: edit the source, not this file.

// controllers/hybrid/hopper/switching.ts
import { gaitControl, gaitValue } from "./gait.js";
var defaultSwitching = {
  hopBudget: 10,
  tolerance: 0.01,
  estimateRadius: 2e-3,
  maxDwell: 5,
  searchSteps: 10
};
function checkRatio(gait, apex, radius) {
  if (!Number.isFinite(apex)) return Number.POSITIVE_INFINITY;
  const worst = Math.max(gaitValue(gait, apex - radius), gaitValue(gait, apex + radius));
  return worst / gait.sampledLevel;
}
function switchCheck(gait, apex, radius) {
  return checkRatio(gait, apex, radius) < 1;
}
var relu = (z) => Math.max(z, 0);
var GaitWaypointPlanner = class {
  constructor(library, map, config = defaultSwitching) {
    this.library = library;
    this.map = map;
    this.config = config;
  }
  library;
  map;
  config;
  /** Writes (best score, its dwell, V_b/c_b there, entry term) for waypoint w; the fewest hops win ties. */
  scoreWaypoint(w, to, apex, maxDwell, out) {
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
      if (score < out[0]) {
        out[0] = score;
        out[1] = n;
        out[2] = ratio;
      }
    }
  }
  plan(to, apex, hopsLeft) {
    const maxDwell = Math.min(this.config.maxDwell, hopsLeft - 1);
    if (maxDwell < 1 || !Number.isFinite(apex)) return null;
    const scored = new Float64Array(4);
    const best = { gait: null, score: Number.POSITIVE_INFINITY, dwell: 0, ratio: 0 };
    const safe = { ...best };
    const consider = (w) => {
      this.scoreWaypoint(w, to, apex, maxDwell, scored);
      const score = scored[0];
      const dwell = scored[1];
      const better = score < best.score || score === best.score && score === 0 && dwell < best.dwell;
      if (better) Object.assign(best, { gait: w, score, dwell, ratio: scored[2] });
      if (scored[3] === 0 && score < safe.score)
        Object.assign(safe, { gait: w, score, dwell, ratio: scored[2] });
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
        reachesTarget: true
      };
    if (safe.gait && safe.ratio < checkRatio(to, apex, this.config.estimateRadius))
      return {
        waypoint: safe.gait,
        dwell: safe.dwell,
        predictedRatio: safe.ratio,
        reachesTarget: false
      };
    return null;
  }
};
function runSwitchEpisode(policy, map, planner, from, to, startApex, config = defaultSwitching) {
  const limit = map.params.maxExtension;
  const apexes = [startApex];
  const gaitApexes = [];
  const checkMicros = [];
  const planMicros = [];
  let current = from;
  let switchedAtHop = -1;
  let plans = 0;
  let planLeft = 0;
  let h = startApex;
  for (let hop = 0; hop < config.hopBudget; hop++) {
    if (switchedAtHop < 0) {
      if (policy === "blind") switchedAtHop = hop;
      else {
        const start = performance.now();
        let planned = false;
        if (switchCheck(to, h, config.estimateRadius)) switchedAtHop = hop;
        else if (policy === "planner" && planLeft <= 0) {
          planned = true;
          const plan = planner.plan(to, h, config.hopBudget - hop);
          if (plan) {
            plans++;
            current = plan.waypoint;
            planLeft = plan.reachesTarget ? plan.dwell : 1;
          }
        }
        const micros = 1e3 * (performance.now() - start);
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
        planMicros
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
    planMicros
  };
}
export {
  GaitWaypointPlanner,
  checkRatio,
  defaultSwitching,
  runSwitchEpisode,
  switchCheck
};
