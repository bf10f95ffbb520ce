// Compiled from src/core/environment.ts by `npm run build`: edit the source, not this file.

// src/core/environment.ts
function returnBound(reference, ratio) {
  return reference - (1 - ratio) * Math.abs(reference);
}
function toLearnerActions(map, actions) {
  const n = map.length;
  for (let i = 0; i < actions.length; i++) {
    const entry = map[i % n];
    actions[i] = (actions[i] - entry.offset) / entry.scale;
  }
  return actions;
}
export {
  returnBound,
  toLearnerActions
};
