// Compiled from src/logging/stats.ts by `npm run build`: edit the source, not this file.

// src/logging/stats.ts
import { SafetyFlag } from "../safety/types.js";
import { MetadataName } from "./layout.js";
function spread(values) {
  const sorted = values.filter(Number.isFinite).sort();
  if (sorted.length === 0) return void 0;
  const rank = (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  return { p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1] };
}
var flagNames = Object.keys(SafetyFlag).filter((f) => SafetyFlag[f] !== 0);
function summarizeLog(log) {
  const t = log.ticks;
  const count = t.count;
  const durationS = count > 1 ? t.time[count - 1] - t.time[0] : 0;
  let missingTicks = 0;
  for (let i = 1; i < count; i++) missingTicks += Math.max(0, t.tick[i] - t.tick[i - 1] - 1);
  const byFlag = {};
  let ticksWithInterventions = 0;
  for (let i = 0; i < count; i++) {
    const flags = t.safetyFlags[i];
    if (flags === 0) continue;
    ticksWithInterventions++;
    for (const name of flagNames) if (flags & SafetyFlag[name]) byFlag[name] = (byFlag[name] ?? 0) + 1;
  }
  const byKind = {};
  for (const event of log.events) byKind[event.kind] = (byKind[event.kind] ?? 0) + 1;
  const span = count > 1 ? t.tick[count - 1] - t.tick[0] : 0;
  return {
    path: log.path,
    bytes: log.bytes,
    truncated: log.truncated,
    truncation: log.truncation,
    chunks: log.chunks,
    robot: log.robot && {
      name: log.robot.name,
      transport: log.robot.transport,
      observations: log.robot.observation.signals.length,
      actions: log.robot.action.signals.length
    },
    controller: log.controller,
    startedAt: log.startedAt,
    nominalRateHz: log.rateHz,
    measuredRateHz: durationS > 0 ? span / durationS : void 0,
    ticks: count,
    missingTicks,
    droppedTicks: log.summary?.droppedTicks ?? log.logger?.droppedTicks,
    droppedEvents: log.logger?.droppedEvents,
    droppedAsOf: log.summary === void 0 && log.logger !== void 0 ? log.logger.time : void 0,
    incompleteTicks: log.incompleteTicks,
    durationS,
    periodError: spread(t.periodError),
    computeTime: spread(t.computeTime),
    missedDeadlines: count > 0 ? t.missedDeadlines[count - 1] : 0,
    safety: { ticksWithInterventions, byFlag },
    events: {
      count: log.events.length,
      byKind,
      faults: log.events.filter((e) => e.kind === "fault" || e.kind === "estop").map(({ time, kind, source, message }) => ({ time, kind, source, message }))
    },
    channels: log.channels,
    task: loggedTaskOutcome(log),
    link: log.link.length === 0 ? void 0 : {
      samples: log.link.length,
      last: log.link[log.link.length - 1].health,
      session: [...log.link].reverse().find((sample) => sample.health.session !== void 0)?.health.session
    }
  };
}
function loggedTaskOutcome(log) {
  const text = log.metadata.get(MetadataName.summary)?.["task"];
  if (text === void 0) return void 0;
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}
export {
  spread,
  summarizeLog
};
