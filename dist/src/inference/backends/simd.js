// Compiled from src/inference/backends/simd.ts by `npm run build`: edit the source, not this file.

// src/inference/backends/simd.ts
var uleb = (n) => {
  const out = [];
  do {
    let byte = n & 127;
    n >>>= 7;
    if (n !== 0) byte |= 128;
    out.push(byte);
  } while (n !== 0);
  return out;
};
var sleb = (n) => {
  const out = [];
  for (; ; ) {
    const byte = n & 127;
    n >>= 7;
    if (n === 0 && (byte & 64) === 0 || n === -1 && (byte & 64) !== 0) {
      out.push(byte);
      return out;
    }
    out.push(byte | 128);
  }
};
var section = (id, body) => [id, ...uleb(body.length), ...body];
var name = (s) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
var I32 = 127;
var V128 = 123;
var get = (i) => [32, i];
var set = (i) => [33, i];
var tee = (i) => [34, i];
var i32c = (n) => [65, ...sleb(n)];
var i32add = [106];
var i32mul = [108];
var i32ltu = [73];
var f32add = [146];
var f32load = (offset) => [42, 2, ...uleb(offset)];
var f32store = (offset) => [56, 2, ...uleb(offset)];
var v128load = (offset) => [253, ...uleb(0), 4, ...uleb(offset)];
var v128zero = [253, ...uleb(12), ...new Array(16).fill(0)];
var f32x4add = [253, ...uleb(228)];
var f32x4mul = [253, ...uleb(230)];
var lane = (k) => [253, ...uleb(31), k];
var W = 0;
var B = 1;
var X = 2;
var Y = 3;
var IN_PAD = 4;
var OUT_PAD = 5;
var P = 6;
var XP = 7;
var XEND = 8;
var O = 9;
var ACC = [10, 11, 12, 13];
var XV = 14;
function denseBody() {
  const code = [
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
    3,
    64,
    // loop over row blocks
    ...ACC.flatMap((a) => [...v128zero, ...set(a)]),
    ...get(X),
    ...set(XP),
    3,
    64,
    // loop over 4-column chunks
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
      ...set(a)
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
    13,
    0,
    // br_if chunk loop
    11,
    ...ACC.flatMap((a, k) => [
      ...get(O),
      ...i32c(4),
      ...i32mul,
      ...get(Y),
      ...i32add,
      // &y[o]
      ...get(O),
      ...i32c(4),
      ...i32mul,
      ...get(B),
      ...i32add,
      ...f32load(4 * k),
      // b[o + k]
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
      ...f32store(4 * k)
    ]),
    ...get(O),
    ...i32c(4),
    ...i32add,
    ...tee(O),
    ...get(OUT_PAD),
    ...i32ltu,
    13,
    0,
    // br_if row-block loop
    11,
    11
    // end function
  ];
  const locals = [2, ...uleb(4), I32, ...uleb(5), V128];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}
function denseModuleBytes() {
  const bytes = [
    ...[0, 97, 115, 109, 1, 0, 0, 0],
    ...section(1, [1, 96, 6, I32, I32, I32, I32, I32, I32, 0]),
    ...section(2, [1, ...name("env"), ...name("memory"), 2, 0, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name("dense"), 0, 0]),
    ...section(10, [1, ...denseBody()])
  ];
  return Uint8Array.from(bytes);
}
var pad4 = (n) => Math.ceil(n / 4) * 4;
var compiled;
function module() {
  if (compiled === void 0) {
    const bytes = denseModuleBytes();
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return compiled;
}
function createSimdDense(chain) {
  const mod = module();
  if (!mod) return void 0;
  const width = pad4(chain.maxWidth);
  let floats = 2 * width;
  const layouts = /* @__PURE__ */ new Map();
  chain.steps.forEach((step, s) => {
    if (step.op !== "dense") return;
    const inPad = pad4(step.inSize);
    const outPad = pad4(step.outSize);
    layouts.set(s, { w: floats * 4, b: (floats + inPad * outPad) * 4, inPad, outPad });
    floats += inPad * outPad + outPad;
  });
  const memory = new WebAssembly.Memory({ initial: Math.ceil(floats * 4 / 65536) + 1 });
  const heap = new Float32Array(memory.buffer);
  chain.steps.forEach((step, s) => {
    const layout = layouts.get(s);
    if (step.op !== "dense" || !layout) return;
    const base = layout.w / 4;
    let at = base;
    for (let block = 0; block < layout.outPad; block += 4) {
      for (let c = 0; c < layout.inPad; c += 4) {
        for (let k = 0; k < 4; k++) {
          const row = block + k;
          for (let j = 0; j < 4; j++) {
            const col = c + j;
            heap[at++] = row < step.outSize && col < step.inSize ? step.weight[row * step.inSize + col] : 0;
          }
        }
      }
    }
    heap.set(step.bias, layout.b / 4);
  });
  const instance = new WebAssembly.Instance(mod, { env: { memory } });
  const dense = instance.exports["dense"];
  const a = new Float32Array(memory.buffer, 0, width);
  const b = new Float32Array(memory.buffer, width * 4, width);
  return {
    a,
    b,
    run(stepIndex, x, y) {
      const layout = layouts.get(stepIndex);
      const inSize = chain.steps[stepIndex].inSize;
      for (let i = inSize; i < layout.inPad; i++) x[i] = 0;
      dense(layout.w, layout.b, x.byteOffset, y.byteOffset, layout.inPad, layout.outPad);
    }
  };
}
export {
  createSimdDense,
  denseModuleBytes
};
