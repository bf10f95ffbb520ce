/**
 * ONNX Runtime (onnxruntime-node). CPU is the default: 1 intra-op and 1 inter-op thread, because at
 * batch 1 a second thread only adds synchronisation cost and long tails (docs/inference.md).
 * GPUs are opt-in. CUDA: the provider is not bundled with the npm package and asking for
 * `['cuda', 'cpu']` throws when it is missing. WebGPU: the provider is bundled (Dawn), but a machine
 * without a GPU adapter (or without Vulkan) cannot create a session on it. Either way we try the GPU
 * provider alone and fall back to the CPU ourselves, logging why.
 */
import * as ort from 'onnxruntime-node';
import {
  checkBatch,
  type Device,
  type InferenceLogger,
  type Policy,
  type StatefulPolicy,
} from '../policy.ts';

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
  const device = options.device ?? 'cpu';
  if (device !== 'cpu') {
    const provider = ort.listSupportedBackends().find((b) => b.name === device);
    // ORT prints the missing-library error itself; we report the fallback once, below. The level
    // is read when ORT's environment starts, so a process whose first session is this attempt
    // keeps it: errors still reach the caller as exceptions.
    const logLevel = ort.env.logLevel;
    ort.env.logLevel = 'fatal';
    try {
      const session = await ort.InferenceSession.create(model, {
        ...cpuOptions(threads),
        executionProviders: [device],
        logSeverityLevel: 4,
      });
      return { session, device };
    } catch (error) {
      const why = firstLine(error);
      const what =
        provider === undefined
          ? 'not in this onnxruntime-node build'
          : provider.bundled === false
            ? 'not bundled with onnxruntime-node; install it with the cuda12 flag on a CUDA host'
            : device === 'webgpu'
              ? 'bundled, but no usable GPU adapter here'
              : 'load failed';
      const reason = `ONNX Runtime ${device === 'cuda' ? 'CUDA' : 'WebGPU'} provider unavailable (${what}: ${why}); running on CPU`;
      options.log?.(reason);
      const session = await ort.InferenceSession.create(model, cpuOptions(threads));
      return { session, device: 'cpu', fallbackReason: reason };
    } finally {
      ort.env.logLevel = logLevel;
    }
  }
  return { session: await ort.InferenceSession.create(model, cpuOptions(threads)), device: 'cpu' };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Dawn's adapter error ends up on the last line of a long ORT message; keep the informative part.
  const adapter = /Failed to get a WebGPU adapter[^\n]*/.exec(text);
  return adapter ? adapter[0] : (text.split('\n')[0] ?? text);
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

/**
 * A recurrent export (rsl_rl: `obs`, `h_in`, `c_in` → `actions`, `h_out`, `c_out`): each call feeds
 * the state the previous call produced. Batch 1 only (a control loop); state buffers are preallocated
 * and swapped, so a call copies floats and allocates nothing of its own.
 */
export class OrtRecurrentPolicy implements StatefulPolicy {
  readonly synchronous = false;
  readonly backend: string;
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly input: Float32Array;
  private readonly output: Float32Array;
  private readonly feeds: Record<string, ort.Tensor>;
  private readonly fetches: Record<string, ort.Tensor>;
  /** Per state pair: the array fed as input and the array the output is written to. */
  private readonly states: { readonly fed: Float32Array; readonly produced: Float32Array }[];
  private target: Float32Array;
  private readonly finish = (): void => {
    this.target.set(this.output);
    for (const s of this.states) s.fed.set(s.produced);
  };

  constructor(
    readonly session: ort.InferenceSession,
    readonly device: Device,
    readonly inputName: string,
    readonly outputName: string,
    recurrent: readonly { readonly input: string; readonly output: string }[],
    declared: { readonly inputSize?: number | undefined; readonly outputSize?: number | undefined },
    readonly fallbackReason?: string,
  ) {
    const meta = (list: readonly ort.InferenceSession.ValueMetadata[], name: string) => {
      const found = list.find((m) => m.name === name);
      if (!found) throw new RangeError(`recurrent ONNX policy has no tensor '${name}'`);
      return found;
    };
    const inputSize = featureSize(meta(session.inputMetadata, inputName)) ?? declared.inputSize;
    const outputSize = featureSize(meta(session.outputMetadata, outputName)) ?? declared.outputSize;
    if (inputSize === undefined || outputSize === undefined)
      throw new RangeError(`recurrent ONNX policy needs static sizes for '${inputName}' and '${outputName}'`);
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.backend = `ort-${device}`;
    this.input = new Float32Array(inputSize);
    this.output = new Float32Array(outputSize);
    this.target = this.output;
    this.feeds = { [inputName]: new ort.Tensor('float32', this.input, [1, inputSize]) };
    this.fetches = { [outputName]: new ort.Tensor('float32', this.output, [1, outputSize]) };
    this.states = recurrent.map(({ input, output }) => {
      const m = meta(session.inputMetadata, input);
      meta(session.outputMetadata, output);
      const dims = (m.isTensor ? m.shape : []).map((d) => (typeof d === 'number' && d > 0 ? d : 1));
      const size = dims.reduce((a, b) => a * b, 1);
      const fed = new Float32Array(size);
      const produced = new Float32Array(size);
      this.feeds[input] = new ort.Tensor('float32', fed, dims);
      this.fetches[output] = new ort.Tensor('float32', produced, dims);
      return { fed, produced };
    });
  }

  act(input: Float32Array, output: Float32Array, batch = 1): Promise<void> {
    if (batch !== 1)
      throw new RangeError(`${this.backend}: a recurrent policy runs at batch 1, got ${batch}`);
    checkBatch(this, input, output, 1);
    this.input.set(input.subarray(0, this.inputSize));
    this.target = output;
    return this.session.run(this.feeds, this.fetches).then(this.finish);
  }

  resetState(): void {
    for (const s of this.states) s.fed.fill(0);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

export async function createOrtRecurrentPolicy(
  model: Uint8Array,
  names: { readonly input: string; readonly output: string },
  recurrent: readonly { readonly input: string; readonly output: string }[],
  options: OrtOptions = {},
): Promise<OrtRecurrentPolicy> {
  const { session, device, fallbackReason } = await createOrtSession(model, options);
  try {
    return new OrtRecurrentPolicy(
      session,
      device,
      names.input,
      names.output,
      recurrent,
      options.declared ?? {},
      fallbackReason,
    );
  } catch (error) {
    await session.release();
    throw error;
  }
}
