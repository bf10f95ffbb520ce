// Compiled from src/inference/backends/ort.ts by `npm run build`: edit the source, not this file.

// src/inference/backends/ort.ts
import * as ort from "onnxruntime-node";
import {
  checkBatch
} from "../policy.js";
var cpuOptions = (threads) => ({
  executionProviders: ["cpu"],
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  executionMode: "sequential",
  graphOptimizationLevel: "all",
  logSeverityLevel: 3
});
async function createOrtSession(model, options = {}) {
  const threads = options.intraOpThreads ?? 1;
  const device = options.device ?? "cpu";
  if (device !== "cpu") {
    const provider = ort.listSupportedBackends().find((b) => b.name === device);
    const logLevel = ort.env.logLevel;
    ort.env.logLevel = "fatal";
    try {
      const session = await ort.InferenceSession.create(model, {
        ...cpuOptions(threads),
        executionProviders: [device],
        logSeverityLevel: 4
      });
      return { session, device };
    } catch (error) {
      const why = firstLine(error);
      const what = provider === void 0 ? "not in this onnxruntime-node build" : provider.bundled === false ? "not bundled with onnxruntime-node; install it with the cuda12 flag on a CUDA host" : device === "webgpu" ? "bundled, but no usable GPU adapter here" : "load failed";
      const reason = `ONNX Runtime ${device === "cuda" ? "CUDA" : "WebGPU"} provider unavailable (${what}: ${why}); running on CPU`;
      options.log?.(reason);
      const session = await ort.InferenceSession.create(model, cpuOptions(threads));
      return { session, device: "cpu", fallbackReason: reason };
    } finally {
      ort.env.logLevel = logLevel;
    }
  }
  return { session: await ort.InferenceSession.create(model, cpuOptions(threads)), device: "cpu" };
}
function firstLine(error) {
  const text = error instanceof Error ? error.message : String(error);
  const adapter = /Failed to get a WebGPU adapter[^\n]*/.exec(text);
  return adapter ? adapter[0] : text.split("\n")[0] ?? text;
}
function featureSize(meta) {
  if (!meta?.isTensor) return void 0;
  const last = meta.shape[meta.shape.length - 1];
  return typeof last === "number" && last > 0 ? last : void 0;
}
var OrtPolicy = class {
  constructor(session, device, fallbackReason, declared = {}) {
    this.session = session;
    this.device = device;
    this.fallbackReason = fallbackReason;
    if (session.inputNames.length !== 1 || session.outputNames.length !== 1) {
      throw new RangeError(
        `ONNX policy must have one input and one output, got inputs [${session.inputNames.join(", ")}] and outputs [${session.outputNames.join(", ")}]`
      );
    }
    this.inputName = session.inputNames[0];
    this.outputName = session.outputNames[0];
    for (const [meta, role] of [
      [session.inputMetadata[0], "input"],
      [session.outputMetadata[0], "output"]
    ]) {
      if (meta?.isTensor && meta.type !== "float32") {
        throw new RangeError(`ONNX policy ${role} '${meta.name}' is ${meta.type}, expected float32`);
      }
    }
    const inputSize = featureSize(session.inputMetadata[0]) ?? declared.inputSize;
    const outputSize = featureSize(session.outputMetadata[0]) ?? declared.outputSize;
    if (inputSize === void 0 || outputSize === void 0) {
      throw new RangeError(
        `ONNX policy needs a static feature dimension: '${this.inputName}' and '${this.outputName}' must be [batch, n]`
      );
    }
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.backend = `ort-${device}`;
    this.binding(1);
  }
  session;
  device;
  fallbackReason;
  synchronous = false;
  backend;
  inputName;
  outputName;
  inputSize;
  outputSize;
  bindings = /* @__PURE__ */ new Map();
  binding(batch) {
    let b = this.bindings.get(batch);
    if (!b) {
      const input = new Float32Array(batch * this.inputSize);
      const output = new Float32Array(batch * this.outputSize);
      const binding = {
        input,
        output,
        feeds: { [this.inputName]: new ort.Tensor("float32", input, [batch, this.inputSize]) },
        // A preallocated fetch makes ORT write the result into `output` instead of a fresh array.
        fetches: { [this.outputName]: new ort.Tensor("float32", output, [batch, this.outputSize]) },
        target: output,
        copyOut: () => binding.target.set(output)
      };
      b = binding;
      this.bindings.set(batch, b);
    }
    return b;
  }
  act(input, output, batch = 1) {
    checkBatch(this, input, output, batch);
    const b = this.binding(batch);
    const n = batch * this.inputSize;
    for (let i = 0; i < n; i++) b.input[i] = input[i];
    b.target = output;
    return this.session.run(b.feeds, b.fetches).then(b.copyOut);
  }
  async dispose() {
    await this.session.release();
  }
};
async function createOrtPolicy(model, options = {}) {
  const { session, device, fallbackReason } = await createOrtSession(model, options);
  try {
    return new OrtPolicy(session, device, fallbackReason, options.declared);
  } catch (error) {
    await session.release();
    throw error;
  }
}
var OrtRecurrentPolicy = class {
  constructor(session, device, inputName, outputName, recurrent, declared, fallbackReason) {
    this.session = session;
    this.device = device;
    this.inputName = inputName;
    this.outputName = outputName;
    this.fallbackReason = fallbackReason;
    const meta = (list, name) => {
      const found = list.find((m) => m.name === name);
      if (!found) throw new RangeError(`recurrent ONNX policy has no tensor '${name}'`);
      return found;
    };
    const inputSize = featureSize(meta(session.inputMetadata, inputName)) ?? declared.inputSize;
    const outputSize = featureSize(meta(session.outputMetadata, outputName)) ?? declared.outputSize;
    if (inputSize === void 0 || outputSize === void 0)
      throw new RangeError(`recurrent ONNX policy needs static sizes for '${inputName}' and '${outputName}'`);
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.backend = `ort-${device}`;
    this.input = new Float32Array(inputSize);
    this.output = new Float32Array(outputSize);
    this.target = this.output;
    this.feeds = { [inputName]: new ort.Tensor("float32", this.input, [1, inputSize]) };
    this.fetches = { [outputName]: new ort.Tensor("float32", this.output, [1, outputSize]) };
    this.states = recurrent.map(({ input, output }) => {
      const m = meta(session.inputMetadata, input);
      meta(session.outputMetadata, output);
      const dims = (m.isTensor ? m.shape : []).map((d) => typeof d === "number" && d > 0 ? d : 1);
      const size = dims.reduce((a, b) => a * b, 1);
      const fed = new Float32Array(size);
      const produced = new Float32Array(size);
      this.feeds[input] = new ort.Tensor("float32", fed, dims);
      this.fetches[output] = new ort.Tensor("float32", produced, dims);
      return { fed, produced };
    });
  }
  session;
  device;
  inputName;
  outputName;
  fallbackReason;
  synchronous = false;
  backend;
  inputSize;
  outputSize;
  input;
  output;
  feeds;
  fetches;
  /** Per state pair: the array fed as input and the array the output is written to. */
  states;
  target;
  finish = () => {
    this.target.set(this.output);
    for (const s of this.states) s.fed.set(s.produced);
  };
  act(input, output, batch = 1) {
    if (batch !== 1)
      throw new RangeError(`${this.backend}: a recurrent policy runs at batch 1, got ${batch}`);
    checkBatch(this, input, output, 1);
    this.input.set(input.subarray(0, this.inputSize));
    this.target = output;
    return this.session.run(this.feeds, this.fetches).then(this.finish);
  }
  resetState() {
    for (const s of this.states) s.fed.fill(0);
  }
  async dispose() {
    await this.session.release();
  }
};
async function createOrtRecurrentPolicy(model, names, recurrent, options = {}) {
  const { session, device, fallbackReason } = await createOrtSession(model, options);
  try {
    return new OrtRecurrentPolicy(
      session,
      device,
      names.input,
      names.output,
      recurrent,
      options.declared ?? {},
      fallbackReason
    );
  } catch (error) {
    await session.release();
    throw error;
  }
}
export {
  OrtPolicy,
  OrtRecurrentPolicy,
  createOrtPolicy,
  createOrtRecurrentPolicy,
  createOrtSession,
  featureSize
};
