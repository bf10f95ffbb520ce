// Compiled from src/safety/types.ts by `npm run build`: edit the source, not this file.

// src/safety/types.ts
var SafetyFlag = {
  none: 0,
  clampedPosition: 1 << 0,
  clampedVelocity: 1 << 1,
  clampedEffort: 1 << 2,
  rateLimited: 1 << 3,
  smoothed: 1 << 4,
  nonFiniteAction: 1 << 5,
  nonFiniteObservation: 1 << 6,
  staleObservation: 1 << 7,
  estop: 1 << 8,
  fault: 1 << 9
};
export {
  SafetyFlag
};
