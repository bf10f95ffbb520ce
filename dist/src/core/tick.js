// Compiled from src/core/tick.ts by `npm run build`: edit the source, not this file.

// src/core/tick.ts
function createTickRecord(observationSize, actionSize) {
  return {
    tick: 0,
    deadline: 0,
    periodError: 0,
    computeTime: 0,
    observationTime: Number.NaN,
    observation: new Float64Array(observationSize),
    action: new Float64Array(actionSize),
    command: new Float64Array(actionSize),
    safetyFlags: 0,
    controller: 0,
    mode: 0,
    missedDeadlines: 0
  };
}
export {
  createTickRecord
};
