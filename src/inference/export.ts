/**
 * Exports our MLP policies to ONNX with the normaliser and action scaling baked in, verifies the file
 * through ONNX Runtime against the float64 kernel, and writes a model card beside it: the contract,
 * a hash of the training configuration, metrics, and hashes that tie the three files together.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { stringify } from 'yaml';
import { Rng } from '../core/rng.ts';
import { createKernelPolicy } from './backends/kernel.ts';
import { createOrtPolicy } from './backends/ort.ts';
import { compileChain } from './chain.ts';
import { type ContractInput, checkContractAgainstModel, parseContract } from './contract.ts';
import { type Activation, type DenseLayer, type MlpPolicy, mlpParameterCount } from './mlp.ts';
import { EXPORT_OPSET, type MlpExportOptions, mlpToOnnx } from './onnx/build.ts';
import { decodeModel } from './onnx/model.ts';

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Canonical JSON (sorted keys) so a config hashes the same however it was written. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * Largest |ORT − kernel| / max(1, |kernel|) over `samples` random inputs in [−range, range]: the
 * round-trip check of an exported file.
 */
export async function verifyOnnxRoundTrip(
  bytes: Uint8Array,
  samples = 64,
  range = 3,
  seed = 0,
): Promise<number> {
  const oracle = createKernelPolicy(compileChain(decodeModel(bytes)), { mode: 'scalar' });
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
      worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
    }
    return worst;
  } finally {
    await runtime.dispose();
  }
}

export interface ModelCard {
  readonly format: 'tether-model-card/1';
  readonly name: string;
  readonly description: string;
  readonly created: string;
  readonly onnx: {
    readonly file: string;
    readonly sha256: string;
    readonly opset: number;
    readonly parameters: number;
  };
  readonly contract: { readonly file: string; readonly sha256: string; readonly content: ContractInput };
  readonly training: { readonly config: unknown; readonly configSha256: string };
  readonly metrics: Readonly<Record<string, number>>;
  /** Largest relative difference between ONNX Runtime and the float64 kernel on random inputs. */
  readonly roundTripError: number;
}

export interface ExportRequest {
  readonly mlp: MlpPolicy;
  readonly contract: ContractInput;
  readonly name: string;
  readonly description: string;
  readonly trainingConfig: unknown;
  readonly metrics: Readonly<Record<string, number>>;
  /** Fixed timestamp for reproducible files; default now. */
  readonly created?: string;
  readonly onnx?: MlpExportOptions;
}

/**
 * Writes `<name>.onnx`, `<name>.contract.yaml` and `<name>.card.json` into `dir` and returns the card.
 * Refuses to write when the contract does not fit the model or the ORT round trip exceeds 1e-5.
 */
export async function exportPolicy(dir: string, request: ExportRequest): Promise<ModelCard> {
  const contract = parseContract(request.contract, `${request.name} contract`);
  const configSha256 = sha256(canonicalJson(request.trainingConfig));
  const bytes = mlpToOnnx(request.mlp, {
    inputName: contract.input,
    outputName: contract.output,
    graphName: request.name,
    docString: request.description,
    ...request.onnx,
    metadata: { training_config_sha256: configSha256, ...request.onnx?.metadata },
  });
  const graph = decodeModel(bytes).graph;
  checkContractAgainstModel(
    contract,
    { inputs: graph.inputs, outputs: graph.outputs },
    `${request.name}: contract vs exported model`,
  );
  const roundTripError = await verifyOnnxRoundTrip(bytes);
  if (!(roundTripError <= 1e-5)) {
    throw new Error(`${request.name}: ONNX Runtime differs from the kernel by ${roundTripError} (> 1e-5)`);
  }
  const contractText = stringify({ ...request.contract, model: `${request.name}.onnx` });
  const card: ModelCard = {
    format: 'tether-model-card/1',
    name: request.name,
    description: request.description,
    created: request.created ?? new Date().toISOString(),
    onnx: {
      file: `${request.name}.onnx`,
      sha256: sha256(bytes),
      opset: EXPORT_OPSET,
      parameters: mlpParameterCount(request.mlp),
    },
    contract: {
      file: `${request.name}.contract.yaml`,
      sha256: sha256(contractText),
      content: request.contract,
    },
    training: { config: request.trainingConfig, configSha256 },
    metrics: request.metrics,
    roundTripError,
  };
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, card.onnx.file), bytes);
  await writeFile(path.join(dir, card.contract.file), contractText);
  await writeFile(path.join(dir, `${request.name}.card.json`), `${JSON.stringify(card, null, 2)}\n`);
  return card;
}

/**
 * Reads the Dense layers of a TF.js sequential model into our MLP format (TF.js stores kernels
 * [in × out]; we store [out × in]). Only dense layers with relu/tanh/elu/linear activations.
 */
export function mlpFromTfjs(model: tf.LayersModel): MlpPolicy {
  const layers: DenseLayer[] = model.layers.map((layer, i) => {
    const config = layer.getConfig() as { activation?: string };
    const weights = layer.getWeights();
    if (layer.getClassName() !== 'Dense' || weights.length !== 2) {
      throw new RangeError(
        `TF.js layer ${i} (${layer.getClassName()}): only Dense layers with a bias are exported`,
      );
    }
    const activation = (
      { linear: 'identity', relu: 'relu', tanh: 'tanh', elu: 'elu' } as Record<string, Activation>
    )[config.activation ?? 'linear'];
    if (!activation)
      throw new RangeError(`TF.js layer ${i}: activation '${config.activation}' is not exported`);
    const [kernel, bias] = weights as [tf.Tensor, tf.Tensor];
    const [inSize, outSize] = kernel.shape as [number, number];
    const k = kernel.dataSync();
    const weight = new Float32Array(inSize * outSize);
    for (let r = 0; r < inSize; r++)
      for (let c = 0; c < outSize; c++) weight[c * inSize + r] = k[r * outSize + c]!;
    return { inSize, outSize, activation, weight, bias: Float32Array.from(bias.dataSync()) };
  });
  if (layers.length === 0) throw new RangeError('TF.js model has no layers');
  return { layers };
}
