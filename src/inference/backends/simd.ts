/**
 * Dense layers in WebAssembly SIMD, assembled here from a few dozen opcodes so there is no toolchain
 * or binary blob to trust. One exported function computes y = W x + b four output rows at a time:
 *
 *   for each block of 4 rows:                 acc_k = 0 (f32x4), k = 0..3
 *     for each 4-column chunk c:              acc_k += W[4·block + k, c:c+4] ⊙ x[c:c+4]
 *     y[4·block + k] = b[4·block + k] + Σ lanes(acc_k)
 *
 * W is stored block-interleaved (the 4 rows' chunks side by side, 64 bytes per step) so the inner
 * loop walks one pointer. Widths are padded to multiples of 4 with zeros, so padded outputs stay 0.
 * Accumulation is float32 (like ONNX Runtime), so results differ from the float64 oracle by ~1e-7.
 */
import type { Chain } from '../chain.ts';

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

// Opcodes (core and the 0xfd SIMD prefix).
const I32 = 0x7f;
const V128 = 0x7b;
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const tee = (i: number) => [0x22, i];
const i32c = (n: number) => [0x41, ...sleb(n)];
const i32add = [0x6a];
const i32mul = [0x6c];
const i32ltu = [0x49];
const f32add = [0x92];
const f32load = (offset: number) => [0x2a, 2, ...uleb(offset)];
const f32store = (offset: number) => [0x38, 2, ...uleb(offset)];
const v128load = (offset: number) => [0xfd, ...uleb(0x00), 4, ...uleb(offset)];
const v128zero = [0xfd, ...uleb(0x0c), ...new Array<number>(16).fill(0)];
const f32x4add = [0xfd, ...uleb(0xe4)];
const f32x4mul = [0xfd, ...uleb(0xe6)];
const lane = (k: number) => [0xfd, ...uleb(0x1f), k];

// Parameters and locals of `dense(w, b, x, y, inPad, outPad)`.
const W = 0;
const B = 1;
const X = 2;
const Y = 3;
const IN_PAD = 4;
const OUT_PAD = 5;
const P = 6;
const XP = 7;
const XEND = 8;
const O = 9;
const ACC = [10, 11, 12, 13] as const;
const XV = 14;

function denseBody(): number[] {
  const code: number[] = [
    ...get(W),
    ...set(P),
    ...get(X),
    ...get(IN_PAD),
    ...i32c(4),
    ...i32mul,
    ...i32add,
    ...set(XEND),
    ...i32c(0),
    ...set(O),
    0x03,
    0x40, // loop over row blocks
    ...ACC.flatMap((a) => [...v128zero, ...set(a)]),
    ...get(X),
    ...set(XP),
    0x03,
    0x40, // loop over 4-column chunks
    ...get(XP),
    ...v128load(0),
    ...set(XV),
    ...ACC.flatMap((a, k) => [
      ...get(P),
      ...v128load(16 * k),
      ...get(XV),
      ...f32x4mul,
      ...get(a),
      ...f32x4add,
      ...set(a),
    ]),
    ...get(P),
    ...i32c(64),
    ...i32add,
    ...set(P),
    ...get(XP),
    ...i32c(16),
    ...i32add,
    ...tee(XP),
    ...get(XEND),
    ...i32ltu,
    0x0d,
    0, // br_if chunk loop
    0x0b,
    ...ACC.flatMap((a, k) => [
      ...get(O),
      ...i32c(4),
      ...i32mul,
      ...get(Y),
      ...i32add, // &y[o]
      ...get(O),
      ...i32c(4),
      ...i32mul,
      ...get(B),
      ...i32add,
      ...f32load(4 * k), // b[o + k]
      ...get(a),
      ...lane(0),
      ...get(a),
      ...lane(1),
      ...f32add,
      ...get(a),
      ...lane(2),
      ...f32add,
      ...get(a),
      ...lane(3),
      ...f32add,
      ...f32add,
      ...f32store(4 * k),
    ]),
    ...get(O),
    ...i32c(4),
    ...i32add,
    ...tee(O),
    ...get(OUT_PAD),
    ...i32ltu,
    0x0d,
    0, // br_if row-block loop
    0x0b,
    0x0b, // end function
  ];
  const locals = [2, ...uleb(4), I32, ...uleb(5), V128];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/** The module's bytes: imports `env.memory`, exports `dense`. */
export function denseModuleBytes(): Uint8Array<ArrayBuffer> {
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('dense'), 0x00, 0]),
    ...section(10, [1, ...denseBody()]),
  ];
  return Uint8Array.from(bytes);
}

const pad4 = (n: number): number => Math.ceil(n / 4) * 4;

export interface SimdDense {
  /** Scratch vectors living in wasm memory; the kernel uses them as its ping-pong buffers. */
  readonly a: Float32Array;
  readonly b: Float32Array;
  /** Runs chain step `stepIndex` (a dense step) from `x` into `y`, both one of `a`/`b`. */
  run(stepIndex: number, x: Float32Array, y: Float32Array): void;
}

let compiled: WebAssembly.Module | null | undefined;

function module(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = denseModuleBytes();
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return compiled;
}

/** Lays the chain's dense weights out in wasm memory; undefined when WASM SIMD is unavailable. */
export function createSimdDense(chain: Chain): SimdDense | undefined {
  const mod = module();
  if (!mod) return undefined;
  const width = pad4(chain.maxWidth);
  let floats = 2 * width;
  const layouts = new Map<number, { w: number; b: number; inPad: number; outPad: number }>();
  chain.steps.forEach((step, s) => {
    if (step.op !== 'dense') return;
    const inPad = pad4(step.inSize);
    const outPad = pad4(step.outSize);
    layouts.set(s, { w: floats * 4, b: (floats + inPad * outPad) * 4, inPad, outPad });
    floats += inPad * outPad + outPad;
  });
  const memory = new WebAssembly.Memory({ initial: Math.ceil((floats * 4) / 65536) + 1 });
  const heap = new Float32Array(memory.buffer);
  chain.steps.forEach((step, s) => {
    const layout = layouts.get(s);
    if (step.op !== 'dense' || !layout) return;
    const base = layout.w / 4;
    let at = base;
    for (let block = 0; block < layout.outPad; block += 4) {
      for (let c = 0; c < layout.inPad; c += 4) {
        for (let k = 0; k < 4; k++) {
          const row = block + k;
          for (let j = 0; j < 4; j++) {
            const col = c + j;
            heap[at++] = row < step.outSize && col < step.inSize ? step.weight[row * step.inSize + col]! : 0;
          }
        }
      }
    }
    heap.set(step.bias, layout.b / 4);
  });
  const instance = new WebAssembly.Instance(mod, { env: { memory } });
  const dense = instance.exports['dense'] as (
    w: number,
    b: number,
    x: number,
    y: number,
    i: number,
    o: number,
  ) => void;
  const a = new Float32Array(memory.buffer, 0, width);
  const b = new Float32Array(memory.buffer, width * 4, width);
  return {
    a,
    b,
    run(stepIndex, x, y) {
      const layout = layouts.get(stepIndex)!;
      // Padded input lanes must be zero: they may hold a wider earlier layer's values.
      const inSize = (chain.steps[stepIndex] as { inSize: number }).inSize;
      for (let i = inSize; i < layout.inPad; i++) x[i] = 0;
      dense(layout.w, layout.b, x.byteOffset, y.byteOffset, layout.inPad, layout.outPad);
    },
  };
}
