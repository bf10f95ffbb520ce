import type { Rng } from '../../src/core/rng.ts';
import { layerOffsets, type Mlp } from '../../src/learning/engine.ts';
import type { ModelJson } from '../../src/verification/model.ts';

/**
 * The pieces of Yang et al.'s neural Lyapunov function V(x) = |φ(x) − φ(0)| + ‖(εI + RᵀR)x‖₁ that
 * every trainer here shares, for any state dimension n: the initialisation, the matrix M, V with
 * the signs its gradient needs, the gradient with respect to R, and the model file's layer layout.
 * φ itself is a learning-engine MLP, so its back-propagation is the engine's.
 */

/** He-uniform weights U(±√(6/fan_in)) and zero biases, the hybrid-clf initialisation. */
export function heUniform(net: Mlp, rng: Rng): Mlp {
  for (const { inSize, outSize, weight, bias } of layerOffsets(net.spec)) {
    const bound = Math.sqrt(6 / inSize);
    for (let i = weight; i < bias; i++) net.params[i] = rng.range(-bound, bound);
    net.params.fill(0, bias, bias + outSize);
  }
  return net;
}

/** An engine MLP's layers in the model file's layout: weight rows [out][in], then bias. */
export function layersJson(net: Mlp): ModelJson['controller']['layers'] {
  return layerOffsets(net.spec).map(({ inSize, outSize, weight, bias }) => ({
    weight: Array.from({ length: outSize }, (_, i) =>
      Array.from(net.params.subarray(weight + i * inSize, weight + (i + 1) * inSize)),
    ),
    bias: Array.from(net.params.subarray(bias, bias + outSize)),
  }));
}

/** M = εI + RᵀR into `out` (n × n, row-major); R is rRows × n, row-major. */
export function lyapunovMatrixInto(
  r: Float64Array,
  rRows: number,
  n: number,
  eps: number,
  out: Float64Array,
): void {
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? eps : 0;
      for (let k = 0; k < rRows; k++) s += r[k * n + i]! * r[k * n + j]!;
      out[i * n + j] = s;
    }
}

/**
 * V at one state, given φ(x) − φ(0) as `phiDelta`; `signs` receives sign(φ(x) − φ(0)) and then
 * sign((Mx)ᵢ) for each i, which is all ∂V needs (V is piecewise linear in φ and in M).
 */
export function neuralValue(
  phiDelta: number,
  m: Float64Array,
  x: Float64Array,
  offset: number,
  n: number,
  signs: Float64Array,
): number {
  signs[0] = Math.sign(phiDelta);
  let v = Math.abs(phiDelta);
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let j = 0; j < n; j++) z += m[i * n + j]! * x[offset + j]!;
    signs[1 + i] = Math.sign(z);
    v += Math.abs(z);
  }
  return v;
}

/**
 * Adds w·∂V/∂M at one state to `gM` (n × n): ∂‖Mx‖₁/∂M_ij = sign((Mx)ᵢ)·x_j.
 */
export function addMatrixGradient(
  gM: Float64Array,
  w: number,
  signs: Float64Array,
  x: Float64Array,
  offset: number,
  n: number,
): void {
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) gM[i * n + j] = gM[i * n + j]! + w * signs[1 + i]! * x[offset + j]!;
}

/** ∂L/∂R = R(G + Gᵀ) for M = εI + RᵀR and G = ∂L/∂M, added into `rGrad`. */
export function addRGradient(
  r: Float64Array,
  rRows: number,
  n: number,
  gM: Float64Array,
  rGrad: Float64Array,
): void {
  for (let k = 0; k < rRows; k++)
    for (let j = 0; j < n; j++) {
      let g = 0;
      for (let i = 0; i < n; i++) g += r[k * n + i]! * (gM[i * n + j]! + gM[j * n + i]!);
      rGrad[k * n + j] = rGrad[k * n + j]! + g;
    }
}
