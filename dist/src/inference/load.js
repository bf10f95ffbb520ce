// Compiled from src/inference/load.ts by `npm run build`: edit the source, not this file.

// src/inference/load.ts
import { readFile } from "node:fs/promises";
import { createKernelPolicy } from "./backends/kernel.js";
import { compileChain } from "./chain.js";
import { dataInputs, decodeModel } from "./onnx/model.js";
async function readModel(model) {
  if (typeof model !== "string") return model;
  try {
    return new Uint8Array(await readFile(model));
  } catch (error) {
    throw new Error(`cannot read ONNX model '${model}': ${error.message}`);
  }
}
async function warmUp(policy, calls, maxBatch = 1) {
  const input = new Float32Array(policy.inputSize * maxBatch);
  const output = new Float32Array(policy.outputSize * maxBatch);
  for (let i = 0; i < calls; i++) await policy.act(input, output);
  if (maxBatch > 1) await policy.act(input, output, maxBatch);
}
async function loadPolicy(model, options = {}) {
  const bytes = await readModel(model);
  const backend = options.backend ?? "ort";
  const decoded = decodeModel(bytes);
  let policy;
  const recurrent = options.recurrent ?? [];
  if (recurrent.length > 0 && backend !== "ort")
    throw new Error(
      `a recurrent policy (${recurrent.map((r) => r.input).join(", ")}) runs on the ort backend only`
    );
  if (backend === "ort") {
    const stateInputs = new Set(recurrent.map((r) => r.input));
    const stateOutputs = new Set(recurrent.map((r) => r.output));
    const input = dataInputs(decoded.graph).find((v) => !stateInputs.has(v.name));
    const output = decoded.graph.outputs.find((v) => !stateOutputs.has(v.name));
    const last = (shape) => {
      const d = shape?.[shape.length - 1];
      return typeof d === "number" && d > 0 ? d : void 0;
    };
    const ortOptions = {
      device: options.device,
      log: options.log,
      declared: { inputSize: last(input?.shape), outputSize: last(output?.shape) }
    };
    const { createOrtPolicy, createOrtRecurrentPolicy } = await import("./backends/ort.js");
    policy = recurrent.length > 0 ? await createOrtRecurrentPolicy(
      bytes,
      { input: input?.name ?? "obs", output: output?.name ?? "actions" },
      recurrent,
      ortOptions
    ) : await createOrtPolicy(bytes, ortOptions);
  } else {
    const chain = compileChain(decoded);
    if (backend === "tfjs") {
      const { createTfjsPolicy } = await import("./backends/tfjs.js");
      policy = await createTfjsPolicy(chain, {
        device: options.device,
        native: options.tfjsNative,
        log: options.log
      });
    } else {
      if (options.device !== void 0 && options.device !== "cpu")
        options.log?.(`the synchronous kernel runs on the CPU only; device ${options.device} ignored`);
      policy = createKernelPolicy(chain);
    }
  }
  await warmUp(policy, options.warmup ?? 20, recurrent.length > 0 ? 1 : options.maxBatch ?? 1);
  return policy;
}
export {
  loadPolicy,
  readModel,
  warmUp
};
