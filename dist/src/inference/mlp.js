// Compiled from src/inference/mlp.ts by `npm run build`: edit the source, not this file.

// src/inference/mlp.ts
import { Rng } from "../core/rng.js";
function mlpInputSize(mlp) {
  return mlp.layers[0].inSize;
}
function mlpOutputSize(mlp) {
  return mlp.layers[mlp.layers.length - 1].outSize;
}
function mlpParameterCount(mlp) {
  return mlp.layers.reduce((n, l) => n + l.weight.length + l.bias.length, 0);
}
function mlpMacs(mlp) {
  return mlp.layers.reduce((n, l) => n + l.inSize * l.outSize, 0);
}
function validateMlp(mlp) {
  if (mlp.layers.length === 0) throw new RangeError("MLP has no layers");
  mlp.layers.forEach((l, i) => {
    if (l.weight.length !== l.inSize * l.outSize) {
      throw new RangeError(
        `layer ${i}: weight has ${l.weight.length} values, expected ${l.outSize}×${l.inSize} = ${l.inSize * l.outSize}`
      );
    }
    if (l.bias.length !== l.outSize) {
      throw new RangeError(`layer ${i}: bias has ${l.bias.length} values, expected ${l.outSize}`);
    }
    const prev = mlp.layers[i - 1];
    if (prev && prev.outSize !== l.inSize) {
      throw new RangeError(
        `layer ${i}: input size ${l.inSize} does not match layer ${i - 1} output ${prev.outSize}`
      );
    }
  });
  const n = mlpInputSize(mlp);
  const m = mlpOutputSize(mlp);
  if (mlp.normalizer && (mlp.normalizer.mean.length !== n || mlp.normalizer.std.length !== n)) {
    throw new RangeError(`normalizer: mean/std need ${n} values (the input size)`);
  }
  if (mlp.normalizer?.std.some((s) => !(s > 0))) throw new RangeError("normalizer: every std must be > 0");
  if (mlp.actionScale && (mlp.actionScale.scale.length !== m || mlp.actionScale.offset.length !== m)) {
    throw new RangeError(`actionScale: scale/offset need ${m} values (the output size)`);
  }
}
function randomMlp(sizes, hidden, seed) {
  const rng = new Rng(seed);
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const inSize = sizes[i];
    const outSize = sizes[i + 1];
    const bound = 1 / Math.sqrt(inSize);
    const u = () => rng.range(-bound, bound);
    layers.push({
      inSize,
      outSize,
      weight: Float32Array.from({ length: inSize * outSize }, u),
      bias: Float32Array.from({ length: outSize }, u),
      activation: i + 2 < sizes.length ? hidden : "identity"
    });
  }
  return { layers };
}
export {
  mlpInputSize,
  mlpMacs,
  mlpOutputSize,
  mlpParameterCount,
  randomMlp,
  validateMlp
};
