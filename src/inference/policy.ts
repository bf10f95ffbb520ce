/**
 * One interface for every inference backend. Buffers are caller-owned and reused: `act` reads
 * `batch × inputSize` floats and writes `batch × outputSize` floats, so the control loop allocates
 * nothing per tick (beyond what an async runtime allocates internally; see docs/inference.md).
 */

export type BackendName = 'ort' | 'tfjs' | 'kernel';
/**
 * Where inference runs: the CPU, CUDA (ONNX Runtime's provider when installed; tfjs-node-gpu) or
 * WebGPU (the Dawn-based provider bundled with onnxruntime-node). A GPU request that cannot be met
 * falls back to the CPU and says why.
 */
export type Device = 'cpu' | 'cuda' | 'webgpu';

export interface Policy {
  /** What actually runs, e.g. `ort-cpu`, `ort-cuda`, `tfjs-wasm`, `tfjs-node`, `kernel-wasm-simd`. */
  readonly backend: string;
  readonly inputName: string;
  readonly outputName: string;
  readonly inputSize: number;
  readonly outputSize: number;
  /** True when `act` always completes synchronously (returns undefined). */
  readonly synchronous: boolean;
  /**
   * Runs the model on `batch` rows (default 1). Throws or rejects on a backend failure; never
   * returns partially written output silently (callers still check for NaN).
   */
  act(input: Float32Array, output: Float32Array, batch?: number): void | Promise<void>;
  dispose(): Promise<void>;
}

/** Where backends report why they chose what they chose (e.g. a CUDA fallback). */
export type InferenceLogger = (message: string) => void;

export interface LoadOptions {
  readonly backend?: BackendName;
  readonly device?: Device;
  /** tfjs on CPU: use `@tensorflow/tfjs-node` if installed (else wasm, with the reason logged). */
  readonly tfjsNative?: boolean;
  /** Largest batch the caller will pass (preallocates scratch; default 1). */
  readonly maxBatch?: number;
  /** Warm-up calls at load so the first control tick is not the slow one (default 20). */
  readonly warmup?: number;
  readonly log?: InferenceLogger;
  /**
   * Recurrent state tensors fed back from output to input on every call (rsl_rl's `h_in/c_in →
   * h_out/c_out`); ONNX Runtime only. The policy then also has `resetState()`.
   */
  readonly recurrent?: readonly { readonly input: string; readonly output: string }[];
}

/** A policy with internal state between calls (a recurrent export); `resetState` zeroes it. */
export interface StatefulPolicy extends Policy {
  resetState(): void;
}

export function isStateful(policy: Policy): policy is StatefulPolicy {
  return typeof (policy as Partial<StatefulPolicy>).resetState === 'function';
}

export function checkBatch(policy: Policy, input: Float32Array, output: Float32Array, batch: number): void {
  if (input.length < batch * policy.inputSize) {
    throw new RangeError(
      `${policy.backend}: input holds ${input.length} floats, expected ${batch} × ${policy.inputSize} for '${policy.inputName}'`,
    );
  }
  if (output.length < batch * policy.outputSize) {
    throw new RangeError(
      `${policy.backend}: output holds ${output.length} floats, expected ${batch} × ${policy.outputSize} for '${policy.outputName}'`,
    );
  }
}
