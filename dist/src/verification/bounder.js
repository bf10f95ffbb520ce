// Compiled from src/verification/bounder.ts by `npm run build`: edit the source, not this file.

// src/verification/bounder.ts
function createBoxBounds(n, dims = n) {
  return {
    vLo: 0,
    vUp: 0,
    gUp: 0,
    vnUp: 0,
    xnLo: new Float64Array(n),
    xnHi: new Float64Array(n),
    gSlope: new Float64Array(dims)
  };
}
export {
  createBoxBounds
};
