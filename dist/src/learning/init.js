// Compiled from src/learning/init.ts by `npm run build`: edit the source, not this file.

// src/learning/init.ts
import { readFile } from "node:fs/promises";
import { compileChain } from "../inference/chain.js";
import { decodeModel } from "../inference/onnx/model.js";
import { layerOffsets } from "./engine.js";
function actorFromOnnx(bytes, source) {
  const chain = compileChain(decodeModel(bytes));
  const steps = [...chain.steps];
  const fail = (why) => {
    throw new Error(`${source}: cannot start fine-tuning from this policy: ${why}`);
  };
  let mean;
  let std;
  for (let head = steps[0]; head !== void 0 && (head.op === "sub" || head.op === "div"); head = steps[0]) {
    const step = steps.shift();
    if (step.op === "sub") {
      if (std !== void 0) fail("a subtraction after the division is not a normaliser");
      mean = step.constant;
    } else std = step.constant;
  }
  while (steps.length > 0) {
    const last = steps.at(-1);
    if (last.op === "clip") {
      if (last.lower > -1 || last.upper < 1)
        fail(`its output is clipped to [${last.lower}, ${last.upper}], inside tanh's [-1, 1]`);
      steps.pop();
    } else if (last.op === "mul" || last.op === "add" || last.op === "div" || last.op === "sub") {
      const neutral = last.op === "mul" || last.op === "div" ? 1 : 0;
      if (last.constant.some((v) => v !== neutral))
        fail(
          `its output is scaled inside the model (${last.op} [${Array.from(last.constant).join(", ")}]); a fine-tuned actor acts in the learner's units and leaves the scale to its contract`
        );
      steps.pop();
    } else break;
  }
  if (steps.at(-1)?.op !== "tanh")
    fail("its output does not end in tanh (the learners squash their actions)");
  steps.pop();
  const layers = [];
  let hidden;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (step.op !== "dense") fail(`step ${i} is ${step.op}, expected a dense layer`);
    const dense = step;
    layers.push({
      inSize: dense.inSize,
      outSize: dense.outSize,
      weight: Float64Array.from(dense.weight),
      bias: Float64Array.from(dense.bias)
    });
    const next = steps[i + 1];
    if (next === void 0) break;
    const activation = next.op;
    if (activation !== "relu" && activation !== "tanh") {
      fail(`hidden activation ${activation}: expected relu or tanh`);
      break;
    }
    if (hidden !== void 0 && activation !== hidden) fail("mixed hidden activations");
    hidden = activation;
    i++;
  }
  if (layers.length === 0) fail("no dense layer");
  const first = layers[0];
  if (mean !== void 0 || std !== void 0) {
    const n = first.inSize;
    const w = first.weight;
    const b = first.bias;
    for (let o = 0; o < first.outSize; o++) {
      let shift = 0;
      for (let k = 0; k < n; k++) {
        const s = std === void 0 ? 1 : std.length === 1 ? std[0] : std[k];
        const m = mean === void 0 ? 0 : mean.length === 1 ? mean[0] : mean[k];
        w[o * n + k] = w[o * n + k] / s;
        shift += w[o * n + k] * m;
      }
      b[o] = b[o] - shift;
    }
  }
  return {
    source,
    layers,
    hiddenActivation: hidden ?? "relu",
    inputSize: first.inSize,
    outputSize: layers.at(-1).outSize
  };
}
async function readActorInit(file) {
  return actorFromOnnx(new Uint8Array(await readFile(file)), file);
}
function loadActor(net, init, options = {}) {
  const spec = net.spec;
  const problems = [];
  if (spec.inputSize !== init.inputSize)
    problems.push(`it takes ${init.inputSize} inputs, the learner's actor ${spec.inputSize}`);
  const hidden = init.layers.slice(0, -1).map((l) => l.outSize);
  if (hidden.join(",") !== spec.hidden.join(","))
    problems.push(
      `its hidden layers are [${hidden.join(", ")}], the config's [${spec.hidden.join(", ")}] (set options.hidden to match)`
    );
  if (init.hiddenActivation !== spec.activation)
    problems.push(`its hidden activation is ${init.hiddenActivation}, the learner's ${spec.activation}`);
  if (init.outputSize > spec.outputSize)
    problems.push(`it has ${init.outputSize} outputs, the learner's actor ${spec.outputSize}`);
  if (problems.length > 0)
    throw new Error(`${init.source}: cannot start fine-tuning from this policy: ${problems.join("; ")}`);
  const offsets = layerOffsets(spec);
  const p = net.params;
  init.layers.forEach((layer, l) => {
    const { weight, bias, inSize, outSize } = offsets[l];
    let w = layer.weight;
    let b = layer.bias;
    if (l === 0 && (options.inputMean || options.inputStd)) {
      w = Float64Array.from(layer.weight);
      b = Float64Array.from(layer.bias);
      for (let o = 0; o < layer.outSize; o++) {
        for (let k = 0; k < inSize; k++) {
          const original = layer.weight[o * inSize + k];
          b[o] = b[o] + original * (options.inputMean?.[k] ?? 0);
          w[o * inSize + k] = original * (options.inputStd?.[k] ?? 1);
        }
      }
    }
    for (let o = 0; o < outSize; o++) {
      for (let k = 0; k < inSize; k++)
        p[weight + o * inSize + k] = o < layer.outSize ? w[o * inSize + k] : 0;
      p[bias + o] = o < layer.outSize ? b[o] : options.extraBias ?? 0;
    }
  });
}
export {
  actorFromOnnx,
  loadActor,
  readActorInit
};
