/**
 * TensorFlow.js: the pure `@tensorflow/tfjs` package with its WebAssembly backend by default. The
 * native `@tensorflow/tfjs-node` / `@tensorflow/tfjs-node-gpu` packages download libtensorflow at
 * install time, so they are never dependencies: they are loaded by a guarded dynamic import when the
 * user asks for them, and a missing one falls back to wasm with the reason logged.
 * The model comes from the same ONNX file (as a compiled chain), so every backend runs one model.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Chain } from '../chain.ts';
import { checkBatch, type Device, type InferenceLogger, type Policy } from '../policy.ts';

export type TfjsVariant = 'wasm' | 'node' | 'node-gpu';

export interface TfjsOptions {
  /** `cuda` asks for tfjs-node-gpu. */
  readonly device?: Device;
  /** On CPU, try the native tfjs-node backend instead of wasm. */
  readonly native?: boolean;
  readonly log?: InferenceLogger;
}

/**
 * Imports an optional package by name; a variable specifier keeps bundlers and the type checker from
 * requiring it to exist.
 */
async function optionalImport(specifier: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await import(specifier);
    return { ok: true };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === 'ERR_MODULE_NOT_FOUND' ? 'not installed' : (error as Error).message.split('\n')[0];
    return { ok: false, reason: `${specifier} ${reason}` };
  }
}

let wasmReady: Promise<void> | undefined;

function ensureWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const dist = path.join(
      path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
      'dist',
    );
    setWasmPaths(`${dist}${path.sep}`);
    if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js wasm backend failed to initialise');
  })();
  return wasmReady;
}

/** Selects the tfjs backend the options ask for, falling back to wasm with a logged reason. */
export async function selectTfjsBackend(
  options: TfjsOptions = {},
): Promise<{ variant: TfjsVariant; fallbackReason?: string }> {
  const wanted: TfjsVariant = options.device === 'cuda' ? 'node-gpu' : options.native ? 'node' : 'wasm';
  if (options.device === 'webgpu') {
    // tfjs's WebGPU backend needs navigator.gpu, which Node does not have.
    const reason = 'TensorFlow.js webgpu backend unavailable (Node has no navigator.gpu); running on wasm';
    options.log?.(reason);
    await ensureWasm();
    return { variant: 'wasm', fallbackReason: reason };
  }
  if (wanted !== 'wasm') {
    const loaded = await optionalImport(
      wanted === 'node-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node',
    );
    if (loaded.ok && (await tf.setBackend('tensorflow'))) return { variant: wanted };
    const reason = `TensorFlow.js ${wanted} backend unavailable (${loaded.ok ? 'tensorflow backend failed to start' : loaded.reason}); running on wasm`;
    options.log?.(reason);
    await ensureWasm();
    return { variant: 'wasm', fallbackReason: reason };
  }
  await ensureWasm();
  return { variant: 'wasm' };
}

type Layer = (x: tf.Tensor2D) => tf.Tensor2D;

function buildLayers(chain: Chain): { layers: Layer[]; weights: tf.Tensor[] } {
  const weights: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => {
    weights.push(t);
    return t;
  };
  const layers = chain.steps.map((step): Layer => {
    switch (step.op) {
      case 'dense': {
        // Stored transposed once ([in × out]) so x Wᵀ is a plain matMul: tfjs-wasm sends matmuls
        // with a transposed operand to a much slower kernel.
        const w = keep(tf.transpose(tf.tensor2d(step.weight, [step.outSize, step.inSize])));
        const b = keep(tf.tensor1d(step.bias));
        return (x) => tf.add(tf.matMul(x, w), b);
      }
      case 'relu':
        return (x) => tf.relu(x);
      case 'tanh':
        return (x) => tf.tanh(x);
      case 'sigmoid':
        return (x) => tf.sigmoid(x);
      case 'elu': {
        const alpha = step.alpha;
        // tf.elu has a fixed alpha of 1; write the general form when it differs.
        return alpha === 1
          ? (x) => tf.elu(x)
          : (x) => tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.expm1(x))) as tf.Tensor2D;
      }
      case 'clip':
        return (x) => tf.clipByValue(x, step.lower, step.upper);
      default: {
        // add | sub | mul | div
        const c = keep(tf.tensor1d(step.constant));
        const op = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div }[step.op];
        return (x) => op(x, c) as tf.Tensor2D;
      }
    }
  });
  return { layers, weights };
}

export class TfjsPolicy implements Policy {
  readonly synchronous = true;
  readonly backend: string;
  readonly inputName: string;
  readonly outputName: string;
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly layers: Layer[];
  private readonly weights: tf.Tensor[];

  constructor(chain: Chain, variant: TfjsVariant) {
    this.backend = `tfjs-${variant}`;
    this.inputName = chain.inputName;
    this.outputName = chain.outputName;
    this.inputSize = chain.inputSize;
    this.outputSize = chain.outputSize;
    ({ layers: this.layers, weights: this.weights } = buildLayers(chain));
  }

  /** tfjs creates tensor objects per call (inside `tidy`, freed before returning); see docs. */
  act(input: Float32Array, output: Float32Array, batch = 1): void {
    checkBatch(this, input, output, batch);
    const values = tf.tidy(() => {
      let x = tf.tensor2d(input.subarray(0, batch * this.inputSize), [batch, this.inputSize]);
      for (const layer of this.layers) x = layer(x);
      return x.dataSync();
    });
    output.set(values.subarray(0, batch * this.outputSize));
  }

  async dispose(): Promise<void> {
    for (const w of this.weights) w.dispose();
  }
}

export async function createTfjsPolicy(chain: Chain, options: TfjsOptions = {}): Promise<TfjsPolicy> {
  const { variant } = await selectTfjsBackend(options);
  return new TfjsPolicy(chain, variant);
}
