// Compiled from research/lyapunov/neural-lyapunov.ts by `npm run build`: edit the source, not this file.

// research/lyapunov/neural-lyapunov.ts
import { layerOffsets } from "../../src/learning/engine.js";
function heUniform(net, rng) {
  for (const { inSize, outSize, weight, bias } of layerOffsets(net.spec)) {
    const bound = Math.sqrt(6 / inSize);
    for (let i = weight; i < bias; i++) net.params[i] = rng.range(-bound, bound);
    net.params.fill(0, bias, bias + outSize);
  }
  return net;
}
function layersJson(net) {
  return layerOffsets(net.spec).map(({ inSize, outSize, weight, bias }) => ({
    weight: Array.from(
      { length: outSize },
      (_, i) => Array.from(net.params.subarray(weight + i * inSize, weight + (i + 1) * inSize))
    ),
    bias: Array.from(net.params.subarray(bias, bias + outSize))
  }));
}
function lyapunovMatrixInto(r, rRows, n, eps, out) {
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? eps : 0;
      for (let k = 0; k < rRows; k++) s += r[k * n + i] * r[k * n + j];
      out[i * n + j] = s;
    }
}
function neuralValue(phiDelta, m, x, offset, n, signs) {
  signs[0] = Math.sign(phiDelta);
  let v = Math.abs(phiDelta);
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let j = 0; j < n; j++) z += m[i * n + j] * x[offset + j];
    signs[1 + i] = Math.sign(z);
    v += Math.abs(z);
  }
  return v;
}
function addMatrixGradient(gM, w, signs, x, offset, n) {
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) gM[i * n + j] = gM[i * n + j] + w * signs[1 + i] * x[offset + j];
}
function addRGradient(r, rRows, n, gM, rGrad) {
  for (let k = 0; k < rRows; k++)
    for (let j = 0; j < n; j++) {
      let g = 0;
      for (let i = 0; i < n; i++) g += r[k * n + i] * (gM[i * n + j] + gM[j * n + i]);
      rGrad[k * n + j] = rGrad[k * n + j] + g;
    }
}
export {
  addMatrixGradient,
  addRGradient,
  heUniform,
  layersJson,
  lyapunovMatrixInto,
  neuralValue
};
