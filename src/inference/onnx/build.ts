/**
 * Builds an ONNX graph from our MLP format with the normaliser and action scaling baked in, so the
 * exported file is the whole observation→action map and any ONNX runtime reproduces it exactly.
 */
import { type MlpPolicy, mlpInputSize, mlpOutputSize, validateMlp } from '../mlp.ts';
import { encodeModel, OnnxDataType, type OnnxModel, type OnnxNode, type OnnxTensor } from './model.ts';

/** Opset 17 (ONNX 1.12): every op we emit is stable there and ORT ≥ 1.12 runs it. */
export const EXPORT_OPSET = 17;
/** IR version 8 matches opset 17. */
export const EXPORT_IR_VERSION = 8;

export interface MlpExportOptions {
  /** Isaac Lab / Unitree exports use `obs` and `actions`. */
  readonly inputName?: string;
  readonly outputName?: string;
  /** Batch dimension: a number fixes it, a string makes it symbolic (default `batch`). */
  readonly batch?: number | string;
  readonly graphName?: string;
  readonly producerVersion?: string;
  readonly docString?: string;
  /** Stored as ModelProto.metadata_props (e.g. the contract hash). */
  readonly metadata?: Readonly<Record<string, string>>;
}

const floatTensor = (name: string, dims: number[], data: Float32Array): OnnxTensor => ({
  name,
  dims,
  dataType: OnnxDataType.float,
  data,
});

export function mlpToOnnxModel(mlp: MlpPolicy, options: MlpExportOptions = {}): OnnxModel {
  validateMlp(mlp);
  const inputName = options.inputName ?? 'obs';
  const outputName = options.outputName ?? 'actions';
  const batch = options.batch ?? 'batch';
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  let current = inputName;
  let step = 0;
  const next = (op: string, inputs: string[], attributes?: OnnxNode['attributes']): void => {
    const out = `${op.toLowerCase()}_${step++}`;
    nodes.push({ opType: op, inputs: [current, ...inputs], outputs: [out], name: out, attributes });
    current = out;
  };

  if (mlp.normalizer) {
    const n = mlpInputSize(mlp);
    initializers.push(floatTensor('obs_mean', [n], mlp.normalizer.mean));
    initializers.push(floatTensor('obs_std', [n], mlp.normalizer.std));
    next('Sub', ['obs_mean']);
    next('Div', ['obs_std']);
  }
  mlp.layers.forEach((layer, i) => {
    initializers.push(floatTensor(`layer${i}.weight`, [layer.outSize, layer.inSize], layer.weight));
    initializers.push(floatTensor(`layer${i}.bias`, [layer.outSize], layer.bias));
    // Gemm with transB=1 consumes the [out × in] weight as stored, like torch.onnx's Linear export.
    next('Gemm', [`layer${i}.weight`, `layer${i}.bias`], { transB: { type: 'int', value: 1 } });
    if (layer.activation === 'relu') next('Relu', []);
    else if (layer.activation === 'tanh') next('Tanh', []);
    else if (layer.activation === 'elu') next('Elu', [], { alpha: { type: 'float', value: 1 } });
  });
  if (mlp.actionScale) {
    const m = mlpOutputSize(mlp);
    initializers.push(floatTensor('action_scale', [m], mlp.actionScale.scale));
    initializers.push(floatTensor('action_offset', [m], mlp.actionScale.offset));
    next('Mul', ['action_scale']);
    next('Add', ['action_offset']);
  }
  if (mlp.actionClip) {
    initializers.push(floatTensor('action_min', [], Float32Array.of(mlp.actionClip.lower)));
    initializers.push(floatTensor('action_max', [], Float32Array.of(mlp.actionClip.upper)));
    next('Clip', ['action_min', 'action_max']);
  }
  // Rename the last value to the requested output name.
  const last = nodes[nodes.length - 1]!;
  nodes[nodes.length - 1] = { ...last, outputs: [outputName] };

  return {
    irVersion: EXPORT_IR_VERSION,
    opsets: [{ domain: '', version: EXPORT_OPSET }],
    producerName: 'tether',
    producerVersion: options.producerVersion ?? '0.1.0',
    docString: options.docString ?? '',
    graph: {
      name: options.graphName ?? 'mlp_policy',
      nodes,
      initializers,
      inputs: [{ name: inputName, elemType: OnnxDataType.float, shape: [batch, mlpInputSize(mlp)] }],
      outputs: [{ name: outputName, elemType: OnnxDataType.float, shape: [batch, mlpOutputSize(mlp)] }],
    },
    metadata: options.metadata ?? {},
  };
}

/** The `.onnx` bytes of an MLP policy. */
export function mlpToOnnx(mlp: MlpPolicy, options: MlpExportOptions = {}): Uint8Array {
  return encodeModel(mlpToOnnxModel(mlp, options));
}
