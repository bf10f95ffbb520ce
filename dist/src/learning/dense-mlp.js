// Compiled from src/learning/dense-mlp.ts by `npm run build`: edit the source, not this file.

// src/learning/dense-mlp.ts
import { layerOffsets, layerSizes } from "./engine.js";
var Activation = { identity: 0, relu: 1, tanh: 2 };
function activate(y, n, activation, slope) {
  if (activation === Activation.relu && slope === 0) {
    for (let i = 0; i < n; i++) if (y[i] < 0) y[i] = 0;
  } else if (activation === Activation.relu) {
    for (let i = 0; i < n; i++) if (y[i] < 0) y[i] *= slope;
  } else if (activation === Activation.tanh) {
    for (let i = 0; i < n; i++) y[i] = Math.tanh(y[i]);
  }
}
function activationGrad(grad, a, n, activation, slope) {
  if (activation === Activation.relu && slope === 0) {
    for (let i = 0; i < n; i++) if (a[i] <= 0) grad[i] = 0;
  } else if (activation === Activation.relu) {
    for (let i = 0; i < n; i++) if (a[i] <= 0) grad[i] *= slope;
  } else if (activation === Activation.tanh) {
    for (let i = 0; i < n; i++) grad[i] *= 1 - a[i] * a[i];
  }
}
var DenseMlp = class {
  constructor(spec, rng, kernels) {
    this.spec = spec;
    this.kernels = kernels;
    const sizes = layerSizes(spec);
    for (const size of sizes) {
      if (!Number.isInteger(size) || size <= 0) {
        throw new RangeError(`MLP layer sizes must be positive integers, got [${sizes}]`);
      }
    }
    const offsets = layerOffsets(spec);
    const last = offsets[offsets.length - 1];
    const count = last.bias + last.outSize;
    this.params = new Float64Array(count);
    this.grads = new Float64Array(count);
    this.hiddenActivation = spec.activation === "relu" ? Activation.relu : Activation.tanh;
    this.slope = spec.negativeSlope ?? 0;
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
      this.layers.push({ inSize, outSize, w, b, gw, gb });
    }
  }
  spec;
  kernels;
  params;
  grads;
  layers = [];
  hiddenActivation;
  /** ReLU's slope below zero (0 = plain ReLU). */
  slope;
  createPass(maxRows) {
    const activations = this.layers.map((layer) => new Float64Array(maxRows * layer.outSize));
    const deltas = this.layers.map((layer) => new Float64Array(maxRows * layer.outSize));
    return {
      maxRows,
      output: activations[activations.length - 1],
      activations,
      deltas,
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
      const activation = l < last ? this.hiddenActivation : Activation.identity;
      this.kernels.forward(x, rows, layer.inSize, layer.w, layer.b, layer.outSize, y, activation, this.slope);
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
      if (accumulate) this.kernels.backwardWeights(delta, rows, outSize, x, inSize, layer.gw, layer.gb);
      const target = l === 0 ? gradInput : p.deltas[l - 1];
      if (target === null) break;
      const activation = l > 0 ? this.hiddenActivation : Activation.identity;
      this.kernels.backwardInput(delta, rows, outSize, layer.w, inSize, target, x, activation, this.slope);
      delta = target;
    }
  }
  zeroGrad() {
    this.grads.fill(0);
  }
};
export {
  Activation,
  DenseMlp,
  activate,
  activationGrad
};
