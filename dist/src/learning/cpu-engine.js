// Compiled from src/learning/cpu-engine.ts by `npm run build`: edit the source, not this file.

// src/learning/cpu-engine.ts
import { activate, activationGrad, DenseMlp } from "./dense-mlp.js";
var cpuEngine = {
  name: "ts-cpu",
  createMlp: (spec, rng) => new DenseMlp(spec, rng, typescriptKernels)
};
var scratchA = new Float64Array(0);
var scratchB = new Float64Array(0);
function scratch(which, size) {
  if (which === "a") {
    if (scratchA.length < size) scratchA = new Float64Array(size);
    return scratchA;
  }
  if (scratchB.length < size) scratchB = new Float64Array(size);
  return scratchB;
}
var typescriptKernels = {
  forward(x, rows, inSize, w, b, outSize, y, activation, slope) {
    gemmABt(x, rows, w, outSize, inSize, y, b, false);
    activate(y, rows * outSize, activation, slope);
  },
  backwardInput(delta, rows, outSize, w, inSize, dx, activated, activation, slope) {
    const wT = scratch("a", inSize * outSize);
    transpose(w, outSize, inSize, wT);
    gemmABt(delta, rows, wT, inSize, outSize, dx, null, false);
    activationGrad(dx, activated, rows * inSize, activation, slope);
  },
  backwardWeights(delta, rows, outSize, x, inSize, gw, gb) {
    const deltaT = scratch("a", rows * outSize);
    const inputT = scratch("b", rows * inSize);
    transpose(delta, rows, outSize, deltaT);
    transpose(x, rows, inSize, inputT);
    gemmABt(deltaT, outSize, inputT, inSize, rows, gw, null, true);
    for (let r = 0; r < rows; r++) {
      const d0 = r * outSize;
      for (let j = 0; j < outSize; j++) gb[j] += delta[d0 + j];
    }
  }
};
function gemmABt(a, m, b, n, k, c, bias, accumulate) {
  let r = 0;
  for (; r + 2 <= m; r += 2) {
    const a0 = r * k;
    const a1 = a0 + k;
    const c0 = r * n;
    const c1 = c0 + n;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const b0 = j * k;
      const b1 = b0 + k;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let i = 0; i < k; i++) {
        const x0 = a[a0 + i];
        const x1 = a[a1 + i];
        const w0 = b[b0 + i];
        const w1 = b[b1 + i];
        s00 += x0 * w0;
        s01 += x0 * w1;
        s10 += x1 * w0;
        s11 += x1 * w1;
      }
      if (bias !== null) {
        s00 += bias[j];
        s10 += bias[j];
        s01 += bias[j + 1];
        s11 += bias[j + 1];
      } else if (accumulate) {
        s00 += c[c0 + j];
        s01 += c[c0 + j + 1];
        s10 += c[c1 + j];
        s11 += c[c1 + j + 1];
      }
      c[c0 + j] = s00;
      c[c0 + j + 1] = s01;
      c[c1 + j] = s10;
      c[c1 + j + 1] = s11;
    }
    if (j < n) {
      dotCell(a, a0, b, j * k, k, c, c0 + j, bias === null ? 0 : bias[j], accumulate);
      dotCell(a, a1, b, j * k, k, c, c1 + j, bias === null ? 0 : bias[j], accumulate);
    }
  }
  if (r < m) {
    for (let j = 0; j < n; j++)
      dotCell(a, r * k, b, j * k, k, c, r * n + j, bias === null ? 0 : bias[j], accumulate);
  }
}
function dotCell(a, aOffset, b, bOffset, k, c, cIndex, bias, accumulate) {
  let sum = bias;
  for (let i = 0; i < k; i++) sum += a[aOffset + i] * b[bOffset + i];
  c[cIndex] = accumulate ? c[cIndex] + sum : sum;
}
function transpose(x, rows, cols, out) {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = x[o + c];
  }
}
export {
  cpuEngine
};
