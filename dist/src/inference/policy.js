// Compiled from src/inference/policy.ts by `npm run build`: edit the source, not this file.

// src/inference/policy.ts
function isStateful(policy) {
  return typeof policy.resetState === "function";
}
function checkBatch(policy, input, output, batch) {
  if (input.length < batch * policy.inputSize) {
    throw new RangeError(
      `${policy.backend}: input holds ${input.length} floats, expected ${batch} × ${policy.inputSize} for '${policy.inputName}'`
    );
  }
  if (output.length < batch * policy.outputSize) {
    throw new RangeError(
      `${policy.backend}: output holds ${output.length} floats, expected ${batch} × ${policy.outputSize} for '${policy.outputName}'`
    );
  }
}
export {
  checkBatch,
  isStateful
};
