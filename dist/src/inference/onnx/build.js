// Compiled from src/inference/onnx/build.ts by `npm run build`: edit the source, not this file.

// src/inference/onnx/build.ts
import { mlpInputSize, mlpOutputSize, validateMlp } from "../mlp.js";
import { encodeModel, OnnxDataType } from "./model.js";
var EXPORT_OPSET = 17;
var EXPORT_IR_VERSION = 8;
var floatTensor = (name, dims, data) => ({
  name,
  dims,
  dataType: OnnxDataType.float,
  data
});
function mlpToOnnxModel(mlp, options = {}) {
  validateMlp(mlp);
  const inputName = options.inputName ?? "obs";
  const outputName = options.outputName ?? "actions";
  const batch = options.batch ?? "batch";
  const nodes = [];
  const initializers = [];
  let current = inputName;
  let step = 0;
  const next = (op, inputs, attributes) => {
    const out = `${op.toLowerCase()}_${step++}`;
    nodes.push({ opType: op, inputs: [current, ...inputs], outputs: [out], name: out, attributes });
    current = out;
  };
  if (mlp.normalizer) {
    const n = mlpInputSize(mlp);
    initializers.push(floatTensor("obs_mean", [n], mlp.normalizer.mean));
    initializers.push(floatTensor("obs_std", [n], mlp.normalizer.std));
    next("Sub", ["obs_mean"]);
    next("Div", ["obs_std"]);
  }
  mlp.layers.forEach((layer, i) => {
    initializers.push(floatTensor(`layer${i}.weight`, [layer.outSize, layer.inSize], layer.weight));
    initializers.push(floatTensor(`layer${i}.bias`, [layer.outSize], layer.bias));
    next("Gemm", [`layer${i}.weight`, `layer${i}.bias`], { transB: { type: "int", value: 1 } });
    if (layer.activation === "relu") next("Relu", []);
    else if (layer.activation === "tanh") next("Tanh", []);
    else if (layer.activation === "elu") next("Elu", [], { alpha: { type: "float", value: 1 } });
  });
  if (mlp.actionScale) {
    const m = mlpOutputSize(mlp);
    initializers.push(floatTensor("action_scale", [m], mlp.actionScale.scale));
    initializers.push(floatTensor("action_offset", [m], mlp.actionScale.offset));
    next("Mul", ["action_scale"]);
    next("Add", ["action_offset"]);
  }
  if (mlp.actionClip) {
    initializers.push(floatTensor("action_min", [], Float32Array.of(mlp.actionClip.lower)));
    initializers.push(floatTensor("action_max", [], Float32Array.of(mlp.actionClip.upper)));
    next("Clip", ["action_min", "action_max"]);
  }
  const last = nodes[nodes.length - 1];
  nodes[nodes.length - 1] = { ...last, outputs: [outputName] };
  return {
    irVersion: EXPORT_IR_VERSION,
    opsets: [{ domain: "", version: EXPORT_OPSET }],
    producerName: "tether",
    producerVersion: options.producerVersion ?? "0.1.0",
    docString: options.docString ?? "",
    graph: {
      name: options.graphName ?? "mlp_policy",
      nodes,
      initializers,
      inputs: [{ name: inputName, elemType: OnnxDataType.float, shape: [batch, mlpInputSize(mlp)] }],
      outputs: [{ name: outputName, elemType: OnnxDataType.float, shape: [batch, mlpOutputSize(mlp)] }]
    },
    metadata: options.metadata ?? {}
  };
}
function mlpToOnnx(mlp, options = {}) {
  return encodeModel(mlpToOnnxModel(mlp, options));
}
export {
  EXPORT_IR_VERSION,
  EXPORT_OPSET,
  mlpToOnnx,
  mlpToOnnxModel
};
