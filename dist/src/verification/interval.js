// Compiled from src/verification/interval.ts by `npm run build`: edit the source, not this file.

// src/verification/interval.ts
import { down, sumError, tanhDown, tanhUp, up } from "./rounding.js";
function intervalAffine(layer, lo, hi, outLo, outHi, centre, radius) {
  const { inSize, outSize, weight, bias } = layer;
  for (let j = 0; j < inSize; j++) {
    const c = 0.5 * (lo[j] + hi[j]);
    centre[j] = c;
    radius[j] = up(Math.max(up(hi[j] - c), up(c - lo[j])));
  }
  for (let i = 0; i < outSize; i++) {
    const row = i * inSize;
    let c = bias[i];
    let cAbs = Math.abs(c);
    let r = 0;
    for (let j = 0; j < inSize; j++) {
      const w = weight[row + j];
      const t = w * centre[j];
      c += t;
      cAbs += Math.abs(t);
      r += Math.abs(w) * radius[j];
    }
    const spread = r + sumError(r, inSize) + sumError(cAbs, inSize + 1);
    outLo[i] = down(c - spread);
    outHi[i] = up(c + spread);
  }
}
function intervalActivation(lo, hi, size, slope) {
  for (let i = 0; i < size; i++) {
    const l = lo[i];
    const h = hi[i];
    if (l >= 0) continue;
    if (h <= 0) {
      const a = slope * l;
      const b = slope * h;
      lo[i] = down(Math.min(a, b));
      hi[i] = up(Math.max(a, b));
    } else if (slope >= 0) {
      lo[i] = down(slope * l);
    } else {
      lo[i] = 0;
      hi[i] = Math.max(h, up(slope * l));
    }
  }
}
function intervalTanh(lo, hi, size) {
  for (let i = 0; i < size; i++) {
    lo[i] = tanhDown(lo[i]);
    hi[i] = tanhUp(hi[i]);
  }
}
function intervalHidden(mlp, k, lo, hi, size) {
  if (mlp.activations[k] === "tanh") intervalTanh(lo, hi, size);
  else intervalActivation(lo, hi, size, mlp.slope);
}
function intervalAtPoint(mlp, x) {
  const width = Math.max(x.length, ...mlp.layers.map((l) => Math.max(l.inSize, l.outSize)));
  let lo = Float64Array.from(x);
  let hi = Float64Array.from(x);
  const c = new Float64Array(width);
  const r = new Float64Array(width);
  mlp.layers.forEach((layer, k) => {
    const nLo = new Float64Array(layer.outSize);
    const nHi = new Float64Array(layer.outSize);
    intervalAffine(layer, lo, hi, nLo, nHi, c, r);
    if (k < mlp.layers.length - 1) intervalHidden(mlp, k, nLo, nHi, layer.outSize);
    lo = nLo;
    hi = nHi;
  });
  return { lo: lo[0], hi: hi[0] };
}
export {
  intervalActivation,
  intervalAffine,
  intervalAtPoint,
  intervalHidden,
  intervalTanh
};
