// Compiled from src/inference/export.ts by `npm run build`: edit the source, not this file.

// src/inference/export.ts
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { Rng } from "../core/rng.js";
import { createKernelPolicy } from "./backends/kernel.js";
import { createOrtPolicy } from "./backends/ort.js";
import { compileChain } from "./chain.js";
import { checkContractAgainstModel, parseContract } from "./contract.js";
import { mlpParameterCount } from "./mlp.js";
import { EXPORT_OPSET, mlpToOnnx } from "./onnx/build.js";
import { decodeModel } from "./onnx/model.js";
var sha256 = (data) => createHash("sha256").update(data).digest("hex");
function canonicalJson(value) {
  return JSON.stringify(
    value,
    (_, v) => v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v
  );
}
async function verifyOnnxRoundTrip(bytes, samples = 64, range = 3, seed = 0) {
  const oracle = createKernelPolicy(compileChain(decodeModel(bytes)), { mode: "scalar" });
  const runtime = await createOrtPolicy(bytes);
  try {
    const rng = new Rng(seed);
    const x = Float32Array.from({ length: samples * oracle.inputSize }, () => rng.range(-range, range));
    const expected = new Float32Array(samples * oracle.outputSize);
    const actual = new Float32Array(samples * oracle.outputSize);
    oracle.act(x, expected, samples);
    await runtime.act(x, actual, samples);
    let worst = 0;
    for (let i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
    }
    return worst;
  } finally {
    await runtime.dispose();
  }
}
async function exportPolicy(dir, request) {
  const contract = parseContract(request.contract, `${request.name} contract`);
  const configSha256 = sha256(canonicalJson(request.trainingConfig));
  const bytes = mlpToOnnx(request.mlp, {
    inputName: contract.input,
    outputName: contract.output,
    graphName: request.name,
    docString: request.description,
    ...request.onnx,
    metadata: { training_config_sha256: configSha256, ...request.onnx?.metadata }
  });
  const graph = decodeModel(bytes).graph;
  checkContractAgainstModel(
    contract,
    { inputs: graph.inputs, outputs: graph.outputs },
    `${request.name}: contract vs exported model`
  );
  const roundTripError = await verifyOnnxRoundTrip(bytes);
  if (!(roundTripError <= 1e-5)) {
    throw new Error(`${request.name}: ONNX Runtime differs from the kernel by ${roundTripError} (> 1e-5)`);
  }
  const contractText = stringify({ ...request.contract, model: `${request.name}.onnx` });
  const card = {
    format: "tether-model-card/1",
    name: request.name,
    description: request.description,
    created: request.created ?? (/* @__PURE__ */ new Date()).toISOString(),
    onnx: {
      file: `${request.name}.onnx`,
      sha256: sha256(bytes),
      opset: EXPORT_OPSET,
      parameters: mlpParameterCount(request.mlp)
    },
    contract: {
      file: `${request.name}.contract.yaml`,
      sha256: sha256(contractText),
      content: request.contract
    },
    training: { config: request.trainingConfig, configSha256 },
    metrics: request.metrics,
    roundTripError
  };
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, card.onnx.file), bytes);
  await writeFile(path.join(dir, card.contract.file), contractText);
  await writeFile(path.join(dir, `${request.name}.card.json`), `${JSON.stringify(card, null, 2)}
`);
  return card;
}
function mlpFromTfjs(model) {
  const layers = model.layers.map((layer, i) => {
    const config = layer.getConfig();
    const weights = layer.getWeights();
    if (layer.getClassName() !== "Dense" || weights.length !== 2) {
      throw new RangeError(
        `TF.js layer ${i} (${layer.getClassName()}): only Dense layers with a bias are exported`
      );
    }
    const activation = { linear: "identity", relu: "relu", tanh: "tanh", elu: "elu" }[config.activation ?? "linear"];
    if (!activation)
      throw new RangeError(`TF.js layer ${i}: activation '${config.activation}' is not exported`);
    const [kernel, bias] = weights;
    const [inSize, outSize] = kernel.shape;
    const k = kernel.dataSync();
    const weight = new Float32Array(inSize * outSize);
    for (let r = 0; r < inSize; r++)
      for (let c = 0; c < outSize; c++) weight[c * inSize + r] = k[r * outSize + c];
    return { inSize, outSize, activation, weight, bias: Float32Array.from(bias.dataSync()) };
  });
  if (layers.length === 0) throw new RangeError("TF.js model has no layers");
  return { layers };
}
export {
  canonicalJson,
  exportPolicy,
  mlpFromTfjs,
  sha256,
  verifyOnnxRoundTrip
};
