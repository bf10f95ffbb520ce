/**
 * The synchronous MLP kernel: executes a compiled chain (see ../chain.ts) in plain TypeScript, or
 * with the dense layers in WebAssembly SIMD when the runtime supports it. No promise round trip, no
 * native call: the lowest-latency path for small policies, and the numerical oracle for the other
 * backends (it accumulates in float64, so it is at least as accurate as a float32 runtime).
 */
import type { Chain, ChainStep } from '../chain.ts';
import { checkBatch, type Policy } from '../policy.ts';
import { createSimdDense, type SimdDense } from './simd.ts';

/** y[o] = b[o] + Σ_i W[o, i] x[i], accumulated in float64. */
function denseScalar(step: Extract<ChainStep, { op: 'dense' }>, x: Float32Array, y: Float32Array): void {
  const { weight, bias, inSize, outSize } = step;
  for (let o = 0; o < outSize; o++) {
    let sum = bias[o]!;
    const row = o * inSize;
    for (let i = 0; i < inSize; i++) sum += weight[row + i]! * x[i]!;
    y[o] = sum;
  }
}

/** Element-wise steps run in place on the first `width` entries. */
function elementwise(step: ChainStep, v: Float32Array, width: number): void {
  switch (step.op) {
    case 'relu':
      for (let i = 0; i < width; i++) if (v[i]! < 0) v[i] = 0;
      return;
    case 'tanh':
      for (let i = 0; i < width; i++) v[i] = Math.tanh(v[i]!);
      return;
    case 'sigmoid':
      for (let i = 0; i < width; i++) v[i] = 1 / (1 + Math.exp(-v[i]!));
      return;
    case 'elu': {
      const a = step.alpha;
      for (let i = 0; i < width; i++) if (v[i]! < 0) v[i] = a * Math.expm1(v[i]!);
      return;
    }
    case 'clip':
      for (let i = 0; i < width; i++) v[i] = Math.min(step.upper, Math.max(step.lower, v[i]!));
      return;
    case 'add':
    case 'sub':
    case 'mul':
    case 'div': {
      const c = step.constant;
      const broadcast = c.length === 1;
      for (let i = 0; i < width; i++) {
        const k = broadcast ? c[0]! : c[i]!;
        const x = v[i]!;
        v[i] = step.op === 'add' ? x + k : step.op === 'sub' ? x - k : step.op === 'mul' ? x * k : x / k;
      }
      return;
    }
    case 'dense':
      throw new Error('dense is not element-wise');
  }
}

export interface KernelOptions {
  /** `auto` uses WASM SIMD where the runtime validates it, else scalar TypeScript. */
  readonly mode?: 'auto' | 'scalar' | 'simd';
}

export class KernelPolicy implements Policy {
  readonly synchronous = true;
  readonly backend: string;
  readonly inputName: string;
  readonly outputName: string;
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly a: Float32Array;
  private readonly b: Float32Array;
  private readonly simd: SimdDense | undefined;

  constructor(
    private readonly chain: Chain,
    options: KernelOptions = {},
  ) {
    this.inputName = chain.inputName;
    this.outputName = chain.outputName;
    this.inputSize = chain.inputSize;
    this.outputSize = chain.outputSize;
    const mode = options.mode ?? 'auto';
    this.simd = mode === 'scalar' ? undefined : createSimdDense(chain);
    if (mode === 'simd' && !this.simd)
      throw new Error('kernel: WebAssembly SIMD is not available in this runtime');
    // With SIMD the scratch vectors live in wasm memory so dense layers read and write them in place.
    this.a = this.simd?.a ?? new Float32Array(chain.maxWidth);
    this.b = this.simd?.b ?? new Float32Array(chain.maxWidth);
    this.backend = this.simd ? 'kernel-wasm-simd' : 'kernel-scalar';
  }

  act(input: Float32Array, output: Float32Array, batch = 1): void {
    checkBatch(this, input, output, batch);
    for (let r = 0; r < batch; r++) this.row(input, r * this.inputSize, output, r * this.outputSize);
  }

  private row(input: Float32Array, inOffset: number, output: Float32Array, outOffset: number): void {
    let cur = this.a;
    let spare = this.b;
    for (let i = 0; i < this.inputSize; i++) cur[i] = input[inOffset + i]!;
    let width = this.inputSize;
    const steps = this.chain.steps;
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s]!;
      if (step.op === 'dense') {
        if (this.simd) this.simd.run(s, cur, spare);
        else denseScalar(step, cur, spare);
        const t = cur;
        cur = spare;
        spare = t;
        width = step.outSize;
      } else {
        elementwise(step, cur, width);
      }
    }
    for (let i = 0; i < this.outputSize; i++) output[outOffset + i] = cur[i]!;
  }

  async dispose(): Promise<void> {}
}

export function createKernelPolicy(chain: Chain, options: KernelOptions = {}): KernelPolicy {
  return new KernelPolicy(chain, options);
}
