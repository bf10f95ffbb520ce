/**
 * A plain-data view of an ONNX model (onnx.proto3) and its encoder/decoder. It covers what our
 * policies use: float tensors, the ops of MLPs, graph inputs/outputs with static or symbolic dims,
 * opset imports and metadata. Field numbers follow https://github.com/onnx/onnx/blob/main/onnx/onnx.proto.
 */
import {
  allOf,
  decodeFields,
  decodeString,
  firstOf,
  ProtoDecodeError,
  type ProtoField,
  ProtoWriter,
  repeatedFloats,
  repeatedInts,
} from './protobuf.ts';

/** TensorProto.DataType values we name; others are kept as numbers. */
export const OnnxDataType = { float: 1, int64: 7, double: 11 } as const;

export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: number;
  /** Present for float tensors stored inline; undefined for other types or external data. */
  readonly data?: Float32Array;
}

export type OnnxAttribute =
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'ints'; readonly value: readonly number[] };

export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly domain?: string;
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
}

/** A graph input or output; a dim is a number (static) or a string (symbolic, e.g. `batch`). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType: number;
  readonly shape: readonly (number | string)[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  readonly irVersion: number;
  readonly opsets: readonly { readonly domain: string; readonly version: number }[];
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString: string;
  readonly graph: OnnxGraph;
  readonly metadata: Readonly<Record<string, string>>;
}

const ATTR_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

function encodeTensor(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter().packedInts(1, t.dims).int(2, t.dataType).string(8, t.name);
  if (t.data) {
    // raw_data is little-endian; Float32Array on every platform Node supports is little-endian too.
    w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return w;
}

function encodeValueInfo(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoWriter().int(1, v.elemType).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, v.name).message(2, type);
}

function encodeAttribute(name: string, a: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  switch (a.type) {
    case 'float':
      w.float(2, a.value);
      break;
    case 'int':
      w.int(3, a.value);
      break;
    case 'string':
      w.string(4, a.value);
      break;
    case 'floats':
      w.packedFloats(7, a.value);
      break;
    case 'ints':
      w.packedInts(8, a.value);
      break;
  }
  return w.int(20, ATTR_TYPE[a.type]);
}

function encodeNode(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, a] of Object.entries(n.attributes ?? {})) w.message(5, encodeAttribute(name, a));
  if (n.domain) w.string(7, n.domain);
  return w;
}

/** Serialises a model to the bytes of an `.onnx` file. */
export function encodeModel(model: OnnxModel): Uint8Array {
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

const str = (fields: readonly ProtoField[], field: number): string => {
  const f = firstOf(fields, field);
  return f?.wire === 2 ? decodeString(f.value) : '';
};
const int = (fields: readonly ProtoField[], field: number): number => {
  const f = firstOf(fields, field);
  return f?.wire === 0 ? Number(BigInt.asIntN(64, f.value)) : 0;
};
const sub = (f: ProtoField): ProtoField[] => {
  if (f.wire !== 2)
    throw new ProtoDecodeError(`field ${f.field}: expected a message, got wire type ${f.wire}`);
  return decodeFields(f.value);
};

function decodeTensor(f: readonly ProtoField[]): OnnxTensor {
  const dims = repeatedInts(f, 1).map((d) => Number(d));
  const dataType = int(f, 2);
  const name = str(f, 8);
  if (dataType !== OnnxDataType.float) return { name, dims, dataType };
  const raw = firstOf(f, 9);
  if (raw?.wire === 2) {
    // Copy: the source bytes may be unaligned for a Float32Array view.
    const data = new Float32Array(raw.value.byteLength / 4);
    new Uint8Array(data.buffer).set(raw.value);
    return { name, dims, dataType, data };
  }
  const floats = repeatedFloats(f, 4);
  const count = dims.reduce((a, b) => a * b, 1);
  if (floats.length === count) return { name, dims, dataType, data: Float32Array.from(floats) };
  return { name, dims, dataType };
}

function decodeValueInfo(f: readonly ProtoField[]): OnnxValueInfo {
  const name = str(f, 1);
  const type = firstOf(f, 2);
  const tensorType = type ? firstOf(sub(type), 1) : undefined;
  if (!tensorType) return { name, elemType: 0, shape: [] };
  const tt = sub(tensorType);
  const shapeField = firstOf(tt, 2);
  const shape = shapeField
    ? allOf(sub(shapeField), 1).map((d): number | string => {
        const dim = sub(d);
        const param = firstOf(dim, 2);
        return param?.wire === 2 ? decodeString(param.value) : int(dim, 1);
      })
    : [];
  return { name, elemType: int(tt, 1), shape };
}

function decodeAttribute(f: readonly ProtoField[]): [string, OnnxAttribute] | undefined {
  const name = str(f, 1);
  switch (int(f, 20)) {
    case ATTR_TYPE.float: {
      const v = firstOf(f, 2);
      return [name, { type: 'float', value: v?.wire === 5 ? v.value : 0 }];
    }
    case ATTR_TYPE.int:
      return [name, { type: 'int', value: int(f, 3) }];
    case ATTR_TYPE.string:
      return [name, { type: 'string', value: str(f, 4) }];
    case ATTR_TYPE.floats:
      return [name, { type: 'floats', value: repeatedFloats(f, 7) }];
    case ATTR_TYPE.ints:
      return [name, { type: 'ints', value: repeatedInts(f, 8).map(Number) }];
    default:
      return undefined; // graphs, tensors, sparse tensors: not used by the ops we interpret
  }
}

function decodeNode(f: readonly ProtoField[]): OnnxNode {
  const attributes: Record<string, OnnxAttribute> = {};
  for (const a of allOf(f, 5)) {
    const decoded = decodeAttribute(sub(a));
    if (decoded) attributes[decoded[0]] = decoded[1];
  }
  const strings = (field: number) => allOf(f, field).map((x) => (x.wire === 2 ? decodeString(x.value) : ''));
  return {
    opType: str(f, 4),
    inputs: strings(1),
    outputs: strings(2),
    name: str(f, 3),
    domain: str(f, 7),
    attributes,
  };
}

/** Parses the bytes of an `.onnx` file; throws a ProtoDecodeError if they are not a model. */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  const f = decodeFields(bytes);
  const graphField = firstOf(f, 7);
  if (!graphField) throw new ProtoDecodeError('not an ONNX model: no graph (ModelProto field 7)');
  const g = sub(graphField);
  const metadata: Record<string, string> = {};
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
      outputs: allOf(g, 12).map((v) => decodeValueInfo(sub(v))),
    },
    metadata,
  };
}

/** Graph inputs that are real inputs, not initializers listed as inputs (older exporters do that). */
export function dataInputs(graph: OnnxGraph): OnnxValueInfo[] {
  const init = new Set(graph.initializers.map((t) => t.name));
  return graph.inputs.filter((i) => !init.has(i.name));
}

/** Number of scalar parameters stored in the initializers. */
export function parameterCount(graph: OnnxGraph): number {
  return graph.initializers.reduce((sum, t) => sum + t.dims.reduce((a, b) => a * b, 1), 0);
}
