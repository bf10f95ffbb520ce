// Compiled from src/inference/chain.ts by `npm run build`: edit the source, not this file.

// src/inference/chain.ts
import { dataInputs } from "./onnx/model.js";
var UnsupportedGraphError = class extends Error {
  name = "UnsupportedGraphError";
};
var attrNumber = (node, name, fallback) => {
  const a = node.attributes?.[name];
  return a && (a.type === "int" || a.type === "float") ? a.value : fallback;
};
function transpose(data, rows, cols) {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}
function compileChain(model) {
  const { graph } = model;
  const inputs = dataInputs(graph);
  if (inputs.length !== 1 || graph.outputs.length !== 1) {
    throw new UnsupportedGraphError(
      `expected one input and one output, got inputs [${inputs.map((i) => i.name).join(", ")}] and outputs [${graph.outputs.map((o) => o.name).join(", ")}]`
    );
  }
  const input = inputs[0];
  const output = graph.outputs[0];
  const featureDim = input.shape[input.shape.length - 1];
  if (typeof featureDim !== "number" || featureDim <= 0) {
    throw new UnsupportedGraphError(
      `input '${input.name}' has no static feature dimension (shape [${input.shape}])`
    );
  }
  const constants = new Map(graph.initializers.map((t) => [t.name, t]));
  for (const node of graph.nodes) {
    if (node.opType === "Constant") {
      const value = node.attributes?.["value_float"];
      if (value?.type === "float") {
        constants.set(node.outputs[0], {
          name: node.outputs[0],
          dims: [],
          dataType: 1,
          data: Float32Array.of(value.value)
        });
      }
    }
  }
  const constant = (node, name) => {
    const t = name === void 0 ? void 0 : constants.get(name);
    if (!t?.data)
      throw new UnsupportedGraphError(
        `node '${node.name || node.opType}': input '${name}' is not a float constant`
      );
    return t.data;
  };
  const steps = [];
  let current = input.name;
  let width = featureDim;
  let maxWidth = width;
  for (const node of graph.nodes) {
    if (node.opType === "Constant") continue;
    const label = `node '${node.name || node.opType}' (${node.opType})`;
    const position = node.inputs.indexOf(current);
    if (position < 0)
      throw new UnsupportedGraphError(`${label} does not consume '${current}': the graph is not a chain`);
    const others = node.inputs.filter((_, i) => i !== position && node.inputs[i] !== "");
    switch (node.opType) {
      case "Gemm": {
        if (position !== 0 || attrNumber(node, "transA", 0) !== 0)
          throw new UnsupportedGraphError(`${label}: only A = input, transA = 0`);
        const b = constant(node, node.inputs[1]);
        const outSize = b.length / width;
        if (!Number.isInteger(outSize))
          throw new UnsupportedGraphError(
            `${label}: weight of ${b.length} values does not match width ${width}`
          );
        const alpha = attrNumber(node, "alpha", 1);
        const beta = attrNumber(node, "beta", 1);
        const w = attrNumber(node, "transB", 0) === 1 ? Float32Array.from(b) : transpose(b, width, outSize);
        if (alpha !== 1) for (let i = 0; i < w.length; i++) w[i] *= alpha;
        const bias = new Float32Array(outSize);
        if (node.inputs[2]) {
          const c = constant(node, node.inputs[2]);
          for (let i = 0; i < outSize; i++) bias[i] = beta * (c.length === 1 ? c[0] : c[i]);
        }
        steps.push({ op: "dense", inSize: width, outSize, weight: w, bias });
        width = outSize;
        break;
      }
      case "MatMul": {
        if (position !== 0)
          throw new UnsupportedGraphError(`${label}: the constant must be the right operand`);
        const b = constant(node, others[0]);
        const outSize = b.length / width;
        if (!Number.isInteger(outSize))
          throw new UnsupportedGraphError(
            `${label}: weight of ${b.length} values does not match width ${width}`
          );
        steps.push({
          op: "dense",
          inSize: width,
          outSize,
          weight: transpose(b, width, outSize),
          bias: new Float32Array(outSize)
        });
        width = outSize;
        break;
      }
      case "Add":
      case "Mul":
      case "Sub":
      case "Div": {
        if ((node.opType === "Sub" || node.opType === "Div") && position !== 0) {
          throw new UnsupportedGraphError(
            `${label}: only input ${node.opType === "Sub" ? "−" : "/"} constant is supported`
          );
        }
        const c = constant(node, others[0]);
        if (c.length !== 1 && c.length !== width)
          throw new UnsupportedGraphError(
            `${label}: constant of ${c.length} values does not broadcast to width ${width}`
          );
        steps.push({ op: node.opType.toLowerCase(), constant: c });
        break;
      }
      case "Relu":
      case "Tanh":
      case "Sigmoid":
        steps.push({ op: node.opType.toLowerCase() });
        break;
      case "Elu":
        steps.push({ op: "elu", alpha: attrNumber(node, "alpha", 1) });
        break;
      case "Clip": {
        const lower = node.inputs[1] ? constant(node, node.inputs[1])[0] : attrNumber(node, "min", -Infinity);
        const upper = node.inputs[2] ? constant(node, node.inputs[2])[0] : attrNumber(node, "max", Infinity);
        steps.push({ op: "clip", lower, upper });
        break;
      }
      case "Identity":
        break;
      default:
        throw new UnsupportedGraphError(
          `${label}: op not supported by the chain backends (ONNX Runtime runs it)`
        );
    }
    current = node.outputs[0];
    maxWidth = Math.max(maxWidth, width);
  }
  if (current !== output.name)
    throw new UnsupportedGraphError(`the chain ends at '${current}', not at the output '${output.name}'`);
  return {
    inputName: input.name,
    outputName: output.name,
    inputSize: featureDim,
    outputSize: width,
    steps,
    maxWidth
  };
}
export {
  UnsupportedGraphError,
  compileChain
};
