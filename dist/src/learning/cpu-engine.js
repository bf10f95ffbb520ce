// Compiled from src/learning/cpu-engine.ts by `npm run build`: edit the source, not this file.

// src/learning/cpu-engine.ts
import { layerOffsets, layerSizes } from "./engine.js";
var cpuEngine = {
  name: "ts-cpu",
  createMlp: (spec, rng) => new CpuMlp(spec, rng)
};
var CpuMlp = class {
  constructor(spec, rng) {
    this.spec = spec;
    const sizes = layerSizes(spec);
    for (const size of sizes) {
      if (!Number.isInteger(size) || size <= 0) {
        throw new RangeError(`MLP layer sizes must be positive integers, got [${sizes}]`);
      }
    }
    this.widest = Math.max(...sizes);
    const offsets = layerOffsets(spec);
    const last = offsets[offsets.length - 1];
    const count = last.bias + last.outSize;
    this.params = new Float64Array(count);
    this.grads = new Float64Array(count);
    this.reluSlope = spec.activation === "relu" ? spec.negativeSlope ?? 0 : null;
    for (const { inSize, outSize, weight, bias } of offsets) {
      const w = this.params.subarray(weight, bias);
      const gw = this.grads.subarray(weight, bias);
      const b = this.params.subarray(bias, bias + outSize);
      const gb = this.grads.subarray(bias, bias + outSize);
      const isLast = last.weight === weight;
      if (isLast && spec.outputGain !== void 0) {
        const bound = spec.outputGain * Math.sqrt(6 / (inSize + outSize));
        for (let i = 0; i < w.length; i++) w[i] = rng.range(-bound, bound);
      } else {
        const bound = 1 / Math.sqrt(inSize);
        for (let i = 0; i < w.length; i++) w[i] = rng.range(-bound, bound);
        for (let i = 0; i < b.length; i++) b[i] = rng.range(-bound, bound);
      }
      this.layers.push({ inSize, outSize, w, b, gw, gb, wT: new Float64Array(inSize * outSize) });
    }
  }
  spec;
  params;
  grads;
  layers = [];
  /** Hidden activation: ReLU with this slope below zero (0 = plain ReLU), or null for tanh. */
  reluSlope;
  widest;
  createPass(maxRows) {
    const activations = this.layers.map((layer) => new Float64Array(maxRows * layer.outSize));
    const deltas = this.layers.map((layer) => new Float64Array(maxRows * layer.outSize));
    return {
      maxRows,
      output: activations[activations.length - 1],
      activations,
      deltas,
      inputT: new Float64Array(maxRows * this.widest),
      deltaT: new Float64Array(maxRows * this.widest),
      input: new Float64Array(0),
      rows: 0
    };
  }
  forward(pass, input, rows) {
    const p = pass;
    if (rows > p.maxRows) throw new RangeError(`forward of ${rows} rows on a pass sized for ${p.maxRows}`);
    p.input = input;
    p.rows = rows;
    let x = input;
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const layer = this.layers[l];
      const y = p.activations[l];
      gemmABt(x, rows, layer.w, layer.outSize, layer.inSize, y, layer.b, false);
      if (l < last) activate(y, rows * layer.outSize, this.reluSlope);
      x = y;
    }
    return p.output;
  }
  backward(pass, gradOutput, gradInput, accumulate) {
    const p = pass;
    const rows = p.rows;
    let delta = gradOutput;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const { inSize, outSize } = layer;
      const x = l === 0 ? p.input : p.activations[l - 1];
      if (accumulate) {
        transpose(delta, rows, outSize, p.deltaT);
        transpose(x, rows, inSize, p.inputT);
        gemmABt(p.deltaT, outSize, p.inputT, inSize, rows, layer.gw, null, true);
        for (let r = 0; r < rows; r++) {
          const d0 = r * outSize;
          for (let j = 0; j < outSize; j++) layer.gb[j] += delta[d0 + j];
        }
      }
      const target = l === 0 ? gradInput : p.deltas[l - 1];
      if (target === null) break;
      transpose(layer.w, outSize, inSize, layer.wT);
      gemmABt(delta, rows, layer.wT, inSize, outSize, target, null, false);
      if (l > 0) activationGrad(target, x, rows * inSize, this.reluSlope);
      delta = target;
    }
  }
  zeroGrad() {
    this.grads.fill(0);
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
function activate(y, n, reluSlope) {
  if (reluSlope === 0) {
    for (let i = 0; i < n; i++) if (y[i] < 0) y[i] = 0;
  } else if (reluSlope !== null) {
    for (let i = 0; i < n; i++) if (y[i] < 0) y[i] *= reluSlope;
  } else {
    for (let i = 0; i < n; i++) y[i] = Math.tanh(y[i]);
  }
}
function activationGrad(grad, a, n, reluSlope) {
  if (reluSlope === 0) {
    for (let i = 0; i < n; i++) if (a[i] <= 0) grad[i] = 0;
  } else if (reluSlope !== null) {
    for (let i = 0; i < n; i++) if (a[i] <= 0) grad[i] *= reluSlope;
  } else {
    for (let i = 0; i < n; i++) grad[i] *= 1 - a[i] * a[i];
  }
}
export {
  cpuEngine
};
