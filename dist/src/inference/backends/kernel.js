// Compiled from src/inference/backends/kernel.ts by `npm run build`: edit the source, not this file.

// src/inference/backends/kernel.ts
import { checkBatch } from "../policy.js";
import { createSimdDense } from "./simd.js";
function denseScalar(step, x, y) {
  const { weight, bias, inSize, outSize } = step;
  for (let o = 0; o < outSize; o++) {
    let sum = bias[o];
    const row = o * inSize;
    for (let i = 0; i < inSize; i++) sum += weight[row + i] * x[i];
    y[o] = sum;
  }
}
function elementwise(step, v, width) {
  switch (step.op) {
    case "relu":
      for (let i = 0; i < width; i++) if (v[i] < 0) v[i] = 0;
      return;
    case "tanh":
      for (let i = 0; i < width; i++) v[i] = Math.tanh(v[i]);
      return;
    case "sigmoid":
      for (let i = 0; i < width; i++) v[i] = 1 / (1 + Math.exp(-v[i]));
      return;
    case "elu": {
      const a = step.alpha;
      for (let i = 0; i < width; i++) if (v[i] < 0) v[i] = a * Math.expm1(v[i]);
      return;
    }
    case "clip":
      for (let i = 0; i < width; i++) v[i] = Math.min(step.upper, Math.max(step.lower, v[i]));
      return;
    case "add":
    case "sub":
    case "mul":
    case "div": {
      const c = step.constant;
      const broadcast = c.length === 1;
      for (let i = 0; i < width; i++) {
        const k = broadcast ? c[0] : c[i];
        const x = v[i];
        v[i] = step.op === "add" ? x + k : step.op === "sub" ? x - k : step.op === "mul" ? x * k : x / k;
      }
      return;
    }
    case "dense":
      throw new Error("dense is not element-wise");
  }
}
var KernelPolicy = class {
  constructor(chain, options = {}) {
    this.chain = chain;
    this.inputName = chain.inputName;
    this.outputName = chain.outputName;
    this.inputSize = chain.inputSize;
    this.outputSize = chain.outputSize;
    const mode = options.mode ?? "auto";
    this.simd = mode === "scalar" ? void 0 : createSimdDense(chain);
    if (mode === "simd" && !this.simd)
      throw new Error("kernel: WebAssembly SIMD is not available in this runtime");
    this.a = this.simd?.a ?? new Float32Array(chain.maxWidth);
    this.b = this.simd?.b ?? new Float32Array(chain.maxWidth);
    this.backend = this.simd ? "kernel-wasm-simd" : "kernel-scalar";
  }
  chain;
  synchronous = true;
  backend;
  inputName;
  outputName;
  inputSize;
  outputSize;
  a;
  b;
  simd;
  act(input, output, batch = 1) {
    checkBatch(this, input, output, batch);
    for (let r = 0; r < batch; r++) this.row(input, r * this.inputSize, output, r * this.outputSize);
  }
  row(input, inOffset, output, outOffset) {
    let cur = this.a;
    let spare = this.b;
    for (let i = 0; i < this.inputSize; i++) cur[i] = input[inOffset + i];
    let width = this.inputSize;
    const steps = this.chain.steps;
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s];
      if (step.op === "dense") {
        if (this.simd) this.simd.run(s, cur, spare);
        else denseScalar(step, cur, spare);
        const t = cur;
        cur = spare;
        spare = t;
        width = step.outSize;
      } else {
        elementwise(step, cur, width);
      }
    }
    for (let i = 0; i < this.outputSize; i++) output[outOffset + i] = cur[i];
  }
  async dispose() {
  }
};
function createKernelPolicy(chain, options = {}) {
  return new KernelPolicy(chain, options);
}
export {
  KernelPolicy,
  createKernelPolicy
};
