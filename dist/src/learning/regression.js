// Compiled from src/learning/regression.ts by `npm run build`: edit the source, not this file.

// src/learning/regression.ts
import { Rng } from "../core/rng.js";
import { Adam, adamDefaults } from "./adam.js";
import { cpuEngine } from "./cpu-engine.js";
import { toMlpPolicy } from "./engine.js";
var regressionDefaults = {
  hidden: [64, 64],
  activation: "tanh",
  epochs: 200,
  batchSize: 256,
  learningRate: 1e-3,
  seed: 0
};
function fitMlp(x, y, inSize, outSize, config = {}) {
  const c = { ...regressionDefaults, ...config };
  const n = x.length / inSize;
  if (!Number.isInteger(n) || y.length !== n * outSize) {
    throw new RangeError(
      `fitMlp: x has ${x.length} values and y ${y.length}; expected n × ${inSize} and n × ${outSize}`
    );
  }
  const rng = new Rng(c.seed);
  const net = cpuEngine.createMlp(
    { inputSize: inSize, hidden: c.hidden, outputSize: outSize, activation: c.activation },
    rng
  );
  const adam = new Adam(net.params, net.grads, { ...adamDefaults, lr: c.learningRate });
  const pass = net.createPass(c.batchSize);
  const input = new Float64Array(c.batchSize * inSize);
  const gradOutput = new Float64Array(c.batchSize * outSize);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const forward = (start, rows) => {
    for (let r = 0; r < rows; r++)
      input.set(x.subarray(order[start + r] * inSize, (order[start + r] + 1) * inSize), r * inSize);
    return net.forward(pass, input, rows);
  };
  const losses = [];
  for (let epoch = 0; epoch < c.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (let start = 0; start < n; start += c.batchSize) {
      const rows = Math.min(c.batchSize, n - start);
      const out = forward(start, rows);
      const scale = 2 / (rows * outSize);
      for (let r = 0; r < rows; r++) {
        const row = order[start + r];
        for (let o = 0; o < outSize; o++) {
          gradOutput[r * outSize + o] = scale * (out[r * outSize + o] - y[row * outSize + o]);
        }
      }
      net.backward(pass, gradOutput, null, true);
      adam.step();
    }
    let loss = 0;
    for (let start = 0; start < n; start += c.batchSize) {
      const rows = Math.min(c.batchSize, n - start);
      const out = forward(start, rows);
      for (let r = 0; r < rows; r++) {
        const row = order[start + r];
        for (let o = 0; o < outSize; o++) loss += (out[r * outSize + o] - y[row * outSize + o]) ** 2;
      }
    }
    losses.push(loss / (n * outSize));
  }
  return { mlp: toMlpPolicy(net, { outputs: outSize, activation: "identity" }), losses };
}
export {
  fitMlp,
  regressionDefaults
};
