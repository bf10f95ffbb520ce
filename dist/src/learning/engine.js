// Compiled from src/learning/engine.ts by `npm run build`: edit the source, not this file.

// src/learning/engine.ts
function layerSizes(spec) {
  return [spec.inputSize, ...spec.hidden, spec.outputSize];
}
function layerOffsets(spec) {
  const sizes = layerSizes(spec);
  const layers = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inSize = sizes[l];
    const outSize = sizes[l + 1];
    layers.push({ inSize, outSize, weight: offset, bias: offset + inSize * outSize });
    offset += inSize * outSize + outSize;
  }
  return layers;
}
function toMlpPolicy(net, last) {
  if (net.spec.negativeSlope) throw new Error("the deployment MLP format has no LeakyReLU");
  const offsets = layerOffsets(net.spec);
  const layers = offsets.map(({ inSize, outSize, weight, bias }, l) => {
    const isLast = l === offsets.length - 1;
    const keep = isLast ? last.outputs : outSize;
    return {
      weight: Float32Array.from(net.params.subarray(weight, weight + keep * inSize)),
      bias: Float32Array.from(net.params.subarray(bias, bias + keep)),
      inSize,
      outSize: keep,
      activation: isLast ? last.activation : net.spec.activation
    };
  });
  return { layers };
}
function polyak(target, source, tau) {
  const t = target.params;
  const s = source.params;
  for (let i = 0; i < t.length; i++) t[i] = t[i] + tau * (s[i] - t[i]);
}
function copyParams(target, source) {
  target.params.set(source.params);
}
export {
  copyParams,
  layerOffsets,
  layerSizes,
  polyak,
  toMlpPolicy
};
