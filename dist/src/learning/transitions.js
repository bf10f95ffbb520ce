// Compiled from src/learning/transitions.ts by `npm run build`: edit the source, not this file.

// src/learning/transitions.ts
import { SafetyFlag } from "../safety/types.js";
function firstRows(columns, rows) {
  const O = columns.obsSize;
  const A = columns.actSize;
  return {
    size: rows,
    obsSize: O,
    actSize: A,
    obs: columns.obs.subarray(0, rows * O),
    act: columns.act.subarray(0, rows * A),
    reward: columns.reward.subarray(0, rows),
    nextObs: columns.nextObs.subarray(0, rows * O),
    terminated: columns.terminated.subarray(0, rows)
  };
}
var latched = SafetyFlag.fault | SafetyFlag.estop;
function allFinite(values, from, length) {
  for (let i = from; i < from + length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
function toTransitions(log, rewardOf, options = {}) {
  const t = log.ticks;
  if (t.count === 0) {
    throw new Error(
      `log ${log.path} has no ticks, so there are no transitions to build (the run stopped before its first tick, or a crash lost the only chunk)`
    );
  }
  const n = t.observationSize;
  const m = t.actionSize;
  const source = options.action === "proposal" ? t.action : t.command;
  const rows = [];
  for (let i = 0; i + 1 < t.count; i++) {
    if (t.tick[i + 1] !== t.tick[i] + 1) continue;
    if (t.safetyFlags[i] & latched) continue;
    if (!allFinite(t.observation, i * n, n) || !allFinite(source, i * m, m)) continue;
    if (!allFinite(t.observation, (i + 1) * n, n)) continue;
    rows.push(i);
  }
  if (rows.length === 0) {
    throw new Error(
      `log ${log.path} has ${t.count} ticks but no usable transition: expected two consecutive ticks with finite observations and actions, not latched by a fault or e-stop`
    );
  }
  const size = rows.length;
  const obs = new Float64Array(size * n);
  const act = new Float64Array(size * m);
  const reward = new Float64Array(size);
  const nextObs = new Float64Array(size * n);
  const terminated = new Float64Array(size);
  const tick = new Float64Array(size);
  const segmentEnd = new Uint8Array(size);
  rows.forEach((i, k) => {
    obs.set(t.observation.subarray(i * n, (i + 1) * n), k * n);
    act.set(source.subarray(i * m, (i + 1) * m), k * m);
    nextObs.set(t.observation.subarray((i + 1) * n, (i + 2) * n), k * n);
    reward[k] = rewardOf(
      obs.subarray(k * n, (k + 1) * n),
      act.subarray(k * m, (k + 1) * m),
      nextObs.subarray(k * n, (k + 1) * n)
    );
    terminated[k] = t.safetyFlags[i + 1] & latched ? 1 : 0;
    tick[k] = t.tick[i];
  });
  for (let k = 0; k < size; k++) {
    const continues = k + 1 < size && tick[k + 1] === tick[k] + 1 && terminated[k] === 0;
    segmentEnd[k] = continues ? 0 : 1;
  }
  return {
    size,
    obsSize: n,
    actSize: m,
    obs,
    act,
    reward,
    nextObs,
    terminated,
    tick,
    segmentEnd,
    meta: { source: log.path }
  };
}
function concatTransitions(parts) {
  const first = parts[0];
  if (!first) throw new Error("concatTransitions needs at least one set of transitions");
  const { obsSize: n, actSize: m } = first;
  parts.forEach((part, i) => {
    if (part.obsSize !== n || part.actSize !== m) {
      throw new Error(
        `transitions ${i} have ${part.obsSize} observations and ${part.actSize} actions, expected ${n} and ${m} like the first: logs of different robots cannot be joined`
      );
    }
  });
  const join = (pick, make) => {
    const out = make(parts.reduce((size, part) => size + pick(part).length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(pick(part), at);
      at += pick(part).length;
    }
    return out;
  };
  const floats = (pick) => join(pick, (size) => new Float64Array(size));
  const segmentEnd = join(
    (t) => t.segmentEnd,
    (size) => new Uint8Array(size)
  );
  let end = 0;
  for (const part of parts) {
    end += part.size;
    segmentEnd[end - 1] = 1;
  }
  return {
    size: end,
    obsSize: n,
    actSize: m,
    obs: floats((t) => t.obs),
    act: floats((t) => t.act),
    reward: floats((t) => t.reward),
    nextObs: floats((t) => t.nextObs),
    terminated: floats((t) => t.terminated),
    tick: floats((t) => t.tick),
    segmentEnd,
    meta: { sources: parts.map((part) => part.meta?.["source"]) }
  };
}
export {
  concatTransitions,
  firstRows,
  toTransitions
};
