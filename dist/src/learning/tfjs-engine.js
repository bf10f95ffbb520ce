// Compiled from src/learning/tfjs-engine.ts by `npm run build`: edit the source, not this file.

// src/learning/tfjs-engine.ts
import * as tf from "@tensorflow/tfjs";
import { selectTfjsBackend } from "../inference/backends/tfjs.js";
import { cpuEngine } from "./cpu-engine.js";
import { layerOffsets } from "./engine.js";
async function createTfjsEngine(options = {}) {
  const { variant } = await selectTfjsBackend({
    native: options.native ?? false,
    ...options.log ? { log: options.log } : {}
  });
  const explicit = (options.transposes ?? "explicit") === "explicit";
  return {
    name: `tfjs-${variant}${explicit ? "" : "-stock-transposes"}`,
    createMlp: (spec, rng) => new TfjsMlp(spec, rng, explicit)
  };
}
var TfjsMlp = class {
  constructor(spec, rng, explicit) {
    this.spec = spec;
    this.explicit = explicit;
    const reference = cpuEngine.createMlp(spec, rng);
    this.params = reference.params;
    this.grads = reference.grads;
    this.layers = layerOffsets(spec);
  }
  spec;
  explicit;
  params;
  grads;
  layers;
  /** Per layer: W as [in × out] (for x·W) and [out × in] (for dY·Wᵀ without a transposed matMul). */
  weightsInOut = [];
  weightsOutIn = [];
  biases = [];
  createPass(maxRows) {
    const output = new Float64Array(maxRows * this.spec.outputSize);
    return { maxRows, output, inputs: [], outputs: [], rows: 0 };
  }
  uploadWeights() {
    tf.dispose([...this.weightsInOut, ...this.weightsOutIn, ...this.biases]);
    this.weightsInOut = [];
    this.weightsOutIn = [];
    this.biases = [];
    for (const { inSize, outSize, weight, bias } of this.layers) {
      const outIn = Float32Array.from(this.params.subarray(weight, bias));
      const inOut = new Float32Array(inSize * outSize);
      for (let j = 0; j < outSize; j++)
        for (let i = 0; i < inSize; i++) inOut[i * outSize + j] = outIn[j * inSize + i];
      this.weightsOutIn.push(tf.tensor2d(outIn, [outSize, inSize]));
      this.weightsInOut.push(tf.tensor2d(inOut, [inSize, outSize]));
      this.biases.push(tf.tensor1d(Float32Array.from(this.params.subarray(bias, bias + outSize))));
    }
  }
  forward(pass, input, rows) {
    const p = pass;
    if (rows > p.maxRows) throw new RangeError(`forward of ${rows} rows on a pass sized for ${p.maxRows}`);
    tf.dispose([...p.inputs, ...p.outputs]);
    p.inputs = [];
    p.outputs = [];
    p.rows = rows;
    this.uploadWeights();
    let x = tf.tensor2d(Float32Array.from(input.subarray(0, rows * this.spec.inputSize)), [
      rows,
      this.spec.inputSize
    ]);
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      p.inputs.push(x);
      const y = tf.tidy(() => {
        const z = tf.add(tf.matMul(x, this.weightsInOut[l]), this.biases[l]);
        if (l === last) return z;
        if (this.spec.activation === "tanh") return tf.tanh(z);
        const slope = this.spec.negativeSlope ?? 0;
        return slope === 0 ? tf.relu(z) : tf.leakyRelu(z, slope);
      });
      p.outputs.push(y);
      x = y;
    }
    const data = x.dataSync();
    for (let i = 0; i < data.length; i++) p.output[i] = data[i];
    return p.output;
  }
  backward(pass, gradOutput, gradInput, accumulate) {
    const p = pass;
    const rows = p.rows;
    const last = this.layers.length - 1;
    const kept = tf.tidy(() => {
      let d = tf.tensor2d(Float32Array.from(gradOutput.subarray(0, rows * this.spec.outputSize)), [
        rows,
        this.spec.outputSize
      ]);
      const weightGrads = new Array(last + 1);
      for (let l = last; l >= 0; l--) {
        const y = p.outputs[l];
        if (l < last) {
          d = this.spec.activation === "relu" ? tf.mul(d, tf.step(y, this.spec.negativeSlope ?? 0)) : tf.mul(d, tf.sub(1, tf.square(y)));
        }
        const x = p.inputs[l];
        if (accumulate) {
          const dW = this.explicit ? tf.matMul(tf.transpose(d), x) : tf.matMul(d, x, true, false);
          weightGrads[l] = tf.concat([dW.reshape([-1]), tf.sum(d, 0)]);
        }
        if (l === 0 && gradInput === null) break;
        d = this.explicit ? tf.matMul(d, this.weightsOutIn[l]) : tf.matMul(d, this.weightsInOut[l], false, true);
      }
      return accumulate ? [...weightGrads, d] : [d];
    });
    if (accumulate) {
      for (let l = 0; l <= last; l++) {
        const g = kept[l].dataSync();
        const o = this.layers[l].weight;
        for (let i = 0; i < g.length; i++) this.grads[o + i] += g[i];
      }
    }
    if (gradInput !== null) {
      const dx = kept[kept.length - 1].dataSync();
      for (let i = 0; i < dx.length; i++) gradInput[i] = dx[i];
    }
    tf.dispose(kept);
  }
  zeroGrad() {
    this.grads.fill(0);
  }
};
export {
  createTfjsEngine
};
