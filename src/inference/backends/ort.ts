/**
 * ONNX Runtime (onnxruntime-node). CPU is the default: 1 intra-op and 1 inter-op thread, because at
 * batch 1 a second thread only adds synchronisation cost and long tails (docs/inference.md).
 * CUDA is opt-in: the CUDA provider is not bundled with the npm package and asking for
 * `['cuda', 'cpu']` throws when it is missing, so we try CUDA alone and fall back to CPU ourselves,
 * logging why.
 */
import * as ort from 'onnxruntime-node';
import { checkBatch, type Device, type InferenceLogger, type Policy } from '../policy.ts';

export interface OrtOptions {
  readonly device?: Device;
  readonly intraOpThreads?: number;
  readonly log?: InferenceLogger;
  /**
   * Feature sizes declared in the model file; ORT reports a dim as '' when its own shape inference
   * disagrees with the declaration, and then these are what the model promised.
   */
  readonly declared?: { readonly inputSize?: number; readonly outputSize?: number };
}

/** Per-batch-size tensors over preallocated arrays, so a tick only copies floats. */
interface Binding {
  readonly input: Float32Array;
  readonly output: Float32Array;
  readonly feeds: Record<string, ort.Tensor>;
  readonly fetches: Record<string, ort.Tensor>;
  /** Where the current call's result goes; set before `run` so `copyOut` needs no closure per tick. */
  target: Float32Array;
  readonly copyOut: () => void;
}

const cpuOptions = (threads: number): ort.InferenceSession.SessionOptions => ({
  executionProviders: ['cpu'],
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  logSeverityLevel: 3,
});

/** Creates a session on the requested device; on CUDA failure returns a CPU session and the reason. */
export async function createOrtSession(
  model: Uint8Array,
  options: OrtOptions = {},
): Promise<{ session: ort.InferenceSession; device: Device; fallbackReason?: string }> {
  const threads = options.intraOpThreads ?? 1;
  if (options.device === 'cuda') {
    const cuda = ort.listSupportedBackends().find((b) => b.name === 'cuda');
    // ORT prints the missing-library error itself; we report the fallback once, below. The level
    // is read when ORT's environment starts, so a process whose first session is this attempt
    // keeps it: errors still reach the caller as exceptions.
    const logLevel = ort.env.logLevel;
    ort.env.logLevel = 'fatal';
    try {
      const session = await ort.InferenceSession.create(model, {
        ...cpuOptions(threads),
        executionProviders: ['cuda'],
        logSeverityLevel: 4,
      });
      return { session, device: 'cuda' };
    } catch (error) {
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      const reason = `ONNX Runtime CUDA provider unavailable (${cuda?.bundled === false ? 'not bundled with onnxruntime-node; install it with the cuda12 flag on a CUDA host' : 'load failed'}: ${why}); running on CPU`;
      options.log?.(reason);
      const session = await ort.InferenceSession.create(model, cpuOptions(threads));
      return { session, device: 'cpu', fallbackReason: reason };
    } finally {
      ort.env.logLevel = logLevel;
    }
  }
  return { session: await ort.InferenceSession.create(model, cpuOptions(threads)), device: 'cpu' };
}

/** Static size of the last dimension of a tensor input/output, or undefined if symbolic. */
export function featureSize(meta: ort.InferenceSession.ValueMetadata | undefined): number | undefined {
  if (!meta?.isTensor) return undefined;
  const last = meta.shape[meta.shape.length - 1];
  return typeof last === 'number' && last > 0 ? last : undefined;
}

export class OrtPolicy implements Policy {
  readonly synchronous = false;
  readonly backend: string;
  readonly inputName: string;
  readonly outputName: string;
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly bindings = new Map<number, Binding>();

  constructor(
    readonly session: ort.InferenceSession,
    readonly device: Device,
    readonly fallbackReason?: string,
    declared: OrtOptions['declared'] = {},
  ) {
    if (session.inputNames.length !== 1 || session.outputNames.length !== 1) {
      throw new RangeError(
        `ONNX policy must have one input and one output, got inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]`,
      );
    }
    this.inputName = session.inputNames[0]!;
    this.outputName = session.outputNames[0]!;
    for (const [meta, role] of [
      [session.inputMetadata[0], 'input'],
      [session.outputMetadata[0], 'output'],
    ] as const) {
      if (meta?.isTensor && meta.type !== 'float32') {
        throw new RangeError(`ONNX policy ${role} '${meta.name}' is ${meta.type}, expected float32`);
      }
    }
    const inputSize = featureSize(session.inputMetadata[0]) ?? declared.inputSize;
    const outputSize = featureSize(session.outputMetadata[0]) ?? declared.outputSize;
    if (inputSize === undefined || outputSize === undefined) {
      throw new RangeError(
        `ONNX policy needs a static feature dimension: '${this.inputName}' and '${this.outputName}' must be [batch, n]`,
      );
    }
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.backend = `ort-${device}`;
    this.binding(1);
  }

  private binding(batch: number): Binding {
    let b = this.bindings.get(batch);
    if (!b) {
      const input = new Float32Array(batch * this.inputSize);
      const output = new Float32Array(batch * this.outputSize);
      const binding: Binding = {
        input,
        output,
        feeds: { [this.inputName]: new ort.Tensor('float32', input, [batch, this.inputSize]) },
        // A preallocated fetch makes ORT write the result into `output` instead of a fresh array.
        fetches: { [this.outputName]: new ort.Tensor('float32', output, [batch, this.outputSize]) },
        target: output,
        copyOut: () => binding.target.set(output),
      };
      b = binding;
      this.bindings.set(batch, b);
    }
    return b;
  }

  act(input: Float32Array, output: Float32Array, batch = 1): Promise<void> {
    checkBatch(this, input, output, batch);
    const b = this.binding(batch);
    const n = batch * this.inputSize;
    for (let i = 0; i < n; i++) b.input[i] = input[i]!;
    b.target = output;
    return this.session.run(b.feeds, b.fetches).then(b.copyOut);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

export async function createOrtPolicy(model: Uint8Array, options: OrtOptions = {}): Promise<OrtPolicy> {
  const { session, device, fallbackReason } = await createOrtSession(model, options);
  try {
    return new OrtPolicy(session, device, fallbackReason, options.declared);
  } catch (error) {
    await session.release();
    throw error;
  }
}
