// Compiled from src/inference/onnx/model.ts by `npm run build`: edit the source, not this file.

// src/inference/onnx/model.ts
import {
  allOf,
  decodeFields,
  decodeString,
  firstOf,
  ProtoDecodeError,
  ProtoWriter,
  repeatedFloats,
  repeatedInts
} from "./protobuf.js";
var OnnxDataType = { float: 1, int64: 7, double: 11 };
var ATTR_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 };
function encodeTensor(t) {
  const w = new ProtoWriter().packedInts(1, t.dims).int(2, t.dataType).string(8, t.name);
  if (t.data) {
    w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return w;
}
function encodeValueInfo(v) {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    const dim = new ProtoWriter();
    if (typeof d === "number") dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoWriter().int(1, v.elemType).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, v.name).message(2, type);
}
function encodeAttribute(name, a) {
  const w = new ProtoWriter().string(1, name);
  switch (a.type) {
    case "float":
      w.float(2, a.value);
      break;
    case "int":
      w.int(3, a.value);
      break;
    case "string":
      w.string(4, a.value);
      break;
    case "floats":
      w.packedFloats(7, a.value);
      break;
    case "ints":
      w.packedInts(8, a.value);
      break;
  }
  return w.int(20, ATTR_TYPE[a.type]);
}
function encodeNode(n) {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, a] of Object.entries(n.attributes ?? {})) w.message(5, encodeAttribute(name, a));
  if (n.domain) w.string(7, n.domain);
  return w;
}
function encodeModel(model) {
  const graph = new ProtoWriter();
  for (const n of model.graph.nodes) graph.message(1, encodeNode(n));
  graph.string(2, model.graph.name);
  for (const t of model.graph.initializers) graph.message(5, encodeTensor(t));
  for (const i of model.graph.inputs) graph.message(11, encodeValueInfo(i));
  for (const o of model.graph.outputs) graph.message(12, encodeValueInfo(o));
  const w = new ProtoWriter().int(1, model.irVersion);
  w.string(2, model.producerName).string(3, model.producerVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, graph);
  for (const o of model.opsets) w.message(8, new ProtoWriter().string(1, o.domain).int(2, o.version));
  for (const [key, value] of Object.entries(model.metadata)) {
    w.message(14, new ProtoWriter().string(1, key).string(2, value));
  }
  return w.finish();
}
var str = (fields, field) => {
  const f = firstOf(fields, field);
  return f?.wire === 2 ? decodeString(f.value) : "";
};
var int = (fields, field) => {
  const f = firstOf(fields, field);
  return f?.wire === 0 ? Number(BigInt.asIntN(64, f.value)) : 0;
};
var sub = (f) => {
  if (f.wire !== 2)
    throw new ProtoDecodeError(`field ${f.field}: expected a message, got wire type ${f.wire}`);
  return decodeFields(f.value);
};
function decodeTensor(f) {
  const dims = repeatedInts(f, 1).map((d) => Number(d));
  const dataType = int(f, 2);
  const name = str(f, 8);
  if (dataType !== OnnxDataType.float) return { name, dims, dataType };
  const raw = firstOf(f, 9);
  if (raw?.wire === 2) {
    const data = new Float32Array(raw.value.byteLength / 4);
    new Uint8Array(data.buffer).set(raw.value);
    return { name, dims, dataType, data };
  }
  const floats = repeatedFloats(f, 4);
  const count = dims.reduce((a, b) => a * b, 1);
  if (floats.length === count) return { name, dims, dataType, data: Float32Array.from(floats) };
  return { name, dims, dataType };
}
function decodeValueInfo(f) {
  const name = str(f, 1);
  const type = firstOf(f, 2);
  const tensorType = type ? firstOf(sub(type), 1) : void 0;
  if (!tensorType) return { name, elemType: 0, shape: [] };
  const tt = sub(tensorType);
  const shapeField = firstOf(tt, 2);
  const shape = shapeField ? allOf(sub(shapeField), 1).map((d) => {
    const dim = sub(d);
    const param = firstOf(dim, 2);
    return param?.wire === 2 ? decodeString(param.value) : int(dim, 1);
  }) : [];
  return { name, elemType: int(tt, 1), shape };
}
function decodeAttribute(f) {
  const name = str(f, 1);
  switch (int(f, 20)) {
    case ATTR_TYPE.float: {
      const v = firstOf(f, 2);
      return [name, { type: "float", value: v?.wire === 5 ? v.value : 0 }];
    }
    case ATTR_TYPE.int:
      return [name, { type: "int", value: int(f, 3) }];
    case ATTR_TYPE.string:
      return [name, { type: "string", value: str(f, 4) }];
    case ATTR_TYPE.floats:
      return [name, { type: "floats", value: repeatedFloats(f, 7) }];
    case ATTR_TYPE.ints:
      return [name, { type: "ints", value: repeatedInts(f, 8).map(Number) }];
    default:
      return void 0;
  }
}
function decodeNode(f) {
  const attributes = {};
  for (const a of allOf(f, 5)) {
    const decoded = decodeAttribute(sub(a));
    if (decoded) attributes[decoded[0]] = decoded[1];
  }
  const strings = (field) => allOf(f, field).map((x) => x.wire === 2 ? decodeString(x.value) : "");
  return {
    opType: str(f, 4),
    inputs: strings(1),
    outputs: strings(2),
    name: str(f, 3),
    domain: str(f, 7),
    attributes
  };
}
function decodeModel(bytes) {
  const f = decodeFields(bytes);
  const graphField = firstOf(f, 7);
  if (!graphField) throw new ProtoDecodeError("not an ONNX model: no graph (ModelProto field 7)");
  const g = sub(graphField);
  const metadata = {};
  for (const m of allOf(f, 14)) {
    const kv = sub(m);
    metadata[str(kv, 1)] = str(kv, 2);
  }
  return {
    irVersion: int(f, 1),
    opsets: allOf(f, 8).map((o) => {
      const fields = sub(o);
      return { domain: str(fields, 1), version: int(fields, 2) };
    }),
    producerName: str(f, 2),
    producerVersion: str(f, 3),
    docString: str(f, 6),
    graph: {
      name: str(g, 2),
      nodes: allOf(g, 1).map((n) => decodeNode(sub(n))),
      initializers: allOf(g, 5).map((t) => decodeTensor(sub(t))),
      inputs: allOf(g, 11).map((v) => decodeValueInfo(sub(v))),
      outputs: allOf(g, 12).map((v) => decodeValueInfo(sub(v)))
    },
    metadata
  };
}
function dataInputs(graph) {
  const init = new Set(graph.initializers.map((t) => t.name));
  return graph.inputs.filter((i) => !init.has(i.name));
}
function parameterCount(graph) {
  return graph.initializers.reduce((sum, t) => sum + t.dims.reduce((a, b) => a * b, 1), 0);
}
export {
  OnnxDataType,
  dataInputs,
  decodeModel,
  encodeModel,
  parameterCount
};
