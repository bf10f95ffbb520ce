// Compiled from src/inference/backends/tfjs.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../../src/inference/backends/tfjs.ts", import.meta.url).href;

// src/inference/backends/tfjs.ts
import { createRequire } from "node:module";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { checkBatch } from "../policy.js";
async function optionalImport(specifier) {
  try {
    await import(specifier);
    return { ok: true };
  } catch (error) {
    const code = error.code;
    const reason = code === "ERR_MODULE_NOT_FOUND" ? "not installed" : error.message.split("\n")[0];
    return { ok: false, reason: `${specifier} ${reason}` };
  }
}
var wasmReady;
function ensureWasm() {
  wasmReady ??= (async () => {
    const require2 = createRequire(__sourceUrl);
    const dist = path.join(
      path.dirname(require2.resolve("@tensorflow/tfjs-backend-wasm/package.json")),
      "dist"
    );
    setWasmPaths(`${dist}${path.sep}`);
    if (!await tf.setBackend("wasm")) throw new Error("TensorFlow.js wasm backend failed to initialise");
  })();
  return wasmReady;
}
async function selectTfjsBackend(options = {}) {
  const wanted = options.device === "cuda" ? "node-gpu" : options.native ? "node" : "wasm";
  if (options.device === "webgpu") {
    const reason = "TensorFlow.js webgpu backend unavailable (Node has no navigator.gpu); running on wasm";
    options.log?.(reason);
    await ensureWasm();
    return { variant: "wasm", fallbackReason: reason };
  }
  if (wanted !== "wasm") {
    const loaded = await optionalImport(
      wanted === "node-gpu" ? "@tensorflow/tfjs-node-gpu" : "@tensorflow/tfjs-node"
    );
    if (loaded.ok && await tf.setBackend("tensorflow")) return { variant: wanted };
    const reason = `TensorFlow.js ${wanted} backend unavailable (${loaded.ok ? "tensorflow backend failed to start" : loaded.reason}); running on wasm`;
    options.log?.(reason);
    await ensureWasm();
    return { variant: "wasm", fallbackReason: reason };
  }
  await ensureWasm();
  return { variant: "wasm" };
}
function buildLayers(chain) {
  const weights = [];
  const keep = (t) => {
    weights.push(t);
    return t;
  };
  const layers = chain.steps.map((step) => {
    switch (step.op) {
      case "dense": {
        const w = keep(tf.transpose(tf.tensor2d(step.weight, [step.outSize, step.inSize])));
        const b = keep(tf.tensor1d(step.bias));
        return (x) => tf.add(tf.matMul(x, w), b);
      }
      case "relu":
        return (x) => tf.relu(x);
      case "tanh":
        return (x) => tf.tanh(x);
      case "sigmoid":
        return (x) => tf.sigmoid(x);
      case "elu": {
        const alpha = step.alpha;
        return alpha === 1 ? (x) => tf.elu(x) : (x) => tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.expm1(x)));
      }
      case "clip":
        return (x) => tf.clipByValue(x, step.lower, step.upper);
      default: {
        const c = keep(tf.tensor1d(step.constant));
        const op = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div }[step.op];
        return (x) => op(x, c);
      }
    }
  });
  return { layers, weights };
}
var TfjsPolicy = class {
  synchronous = true;
  backend;
  inputName;
  outputName;
  inputSize;
  outputSize;
  layers;
  weights;
  constructor(chain, variant) {
    this.backend = `tfjs-${variant}`;
    this.inputName = chain.inputName;
    this.outputName = chain.outputName;
    this.inputSize = chain.inputSize;
    this.outputSize = chain.outputSize;
    ({ layers: this.layers, weights: this.weights } = buildLayers(chain));
  }
  /** tfjs creates tensor objects per call (inside `tidy`, freed before returning); see docs. */
  act(input, output, batch = 1) {
    checkBatch(this, input, output, batch);
    const values = tf.tidy(() => {
      let x = tf.tensor2d(input.subarray(0, batch * this.inputSize), [batch, this.inputSize]);
      for (const layer of this.layers) x = layer(x);
      return x.dataSync();
    });
    output.set(values.subarray(0, batch * this.outputSize));
  }
  async dispose() {
    for (const w of this.weights) w.dispose();
  }
};
async function createTfjsPolicy(chain, options = {}) {
  const { variant } = await selectTfjsBackend(options);
  return new TfjsPolicy(chain, variant);
}
export {
  TfjsPolicy,
  createTfjsPolicy,
  selectTfjsBackend
};
