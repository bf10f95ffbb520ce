// Compiled from controllers/policies/examples/cartpole/make.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../../../controllers/policies/examples/cartpole/make.ts", import.meta.url).href;

// controllers/policies/examples/cartpole/make.ts
import { fileURLToPath } from "node:url";
import { createEnv } from "../../../../sim/envs/index.js";
import { EventBuffer } from "../../../../src/core/events.js";
import { createKernelPolicy } from "../../../../src/inference/backends/kernel.js";
import { compileChain } from "../../../../src/inference/chain.js";
import { exportPolicy } from "../../../../src/inference/export.js";
import { mlpToOnnx } from "../../../../src/inference/onnx/build.js";
import { decodeModel } from "../../../../src/inference/onnx/model.js";
import { fitMlp } from "../../../../src/learning/regression.js";
import { LqrController } from "../../../classical/lqr.js";
import { noisyLqrRollouts } from "../../../classical/lqr-rollouts.js";
var config = {
  policyRateHz: 50,
  lqr: { model: "cartpole", q: [1, 1, 1, 1], r: [0.1] },
  data: { episodes: 80, steps: 250, resetNoise: 6, explorationStd: 4, seed: 1 },
  forceLimit: 20,
  regression: {
    hidden: [32, 32],
    activation: "tanh",
    epochs: 120,
    batchSize: 128,
    learningRate: 3e-3,
    seed: 2
  },
  evaluation: { episodes: 20, resetNoise: 4, seed: 1e3 }
};
var contract = {
  format: "tether-policy/1",
  input: "obs",
  output: "actions",
  policy_rate_hz: config.policyRateHz,
  observations: [
    { name: "cart_pos", signals: ["cart.pos"], unit: "m" },
    { name: "pole_angle", signals: ["pole.angle"], unit: "rad" },
    { name: "cart_vel", signals: ["cart.vel"], unit: "m/s" },
    { name: "pole_angvel", signals: ["pole.angvel"], unit: "rad/s" }
  ],
  normalizer: { kind: "inside_model" },
  // The ONNX graph scales to newtons and clips at ±20 N itself; the clip tells the robot check so.
  actions: {
    signals: ["cart.force"],
    mode: "torque",
    unit: "N",
    scale: 1,
    offset: 0,
    clip: [-config.forceLimit, config.forceLimit]
  }
};
var dt = 1 / config.policyRateHz;
async function lqrGain() {
  const env = await createEnv("cartpole", { controlDt: dt });
  try {
    const lqr = new LqrController(config.lqr);
    await lqr.configure({ observation: env.observation, action: env.action, dt, events: new EventBuffer() });
    return lqr;
  } finally {
    env.dispose();
  }
}
async function evaluate(bytes) {
  const { episodes, resetNoise, seed } = config.evaluation;
  const policy = createKernelPolicy(compileChain(decodeModel(bytes)));
  const env = await createEnv("cartpole", { controlDt: dt, task: "balance", resetNoise, seed });
  const obs = new Float64Array(4);
  const input = new Float32Array(4);
  const output = new Float32Array(1);
  const action = new Float64Array(1);
  let balanced = 0;
  let angleSum = 0;
  let samples = 0;
  try {
    for (let e = 0; e < episodes; e++) {
      env.reset(obs, seed + e);
      let fell = false;
      for (let t = 0; t < env.horizon; t++) {
        input.set(obs);
        policy.act(input, output);
        action[0] = output[0];
        const r = env.step(action, obs);
        angleSum += Math.abs(obs[1]);
        samples++;
        if (r.terminated) {
          fell = true;
          break;
        }
      }
      if (!fell) balanced++;
    }
  } finally {
    env.dispose();
  }
  return { balanced: balanced / episodes, meanAbsAngle: angleSum / samples };
}
function meanStd(x, width) {
  const n = x.length / width;
  const mean = new Float64Array(width);
  const sq = new Float64Array(width);
  for (let r = 0; r < n; r++) for (let i = 0; i < width; i++) mean[i] += x[r * width + i] / n;
  for (let r = 0; r < n; r++)
    for (let i = 0; i < width; i++) sq[i] += (x[r * width + i] - mean[i]) ** 2 / n;
  return { mean: Float32Array.from(mean), std: Float32Array.from(sq, (v) => Math.sqrt(v) + 1e-6) };
}
async function make(outDir) {
  const lqr = await lqrGain();
  const { x, u } = await noisyLqrRollouts(lqr, { ...config.data, controlDt: dt });
  const { mean, std } = meanStd(x, 4);
  const xn = x.map((v, i) => (v - mean[i % 4]) / std[i % 4]);
  const target = u.map((v) => v / config.forceLimit);
  const { mlp, losses } = fitMlp(xn, target, 4, 1, config.regression);
  const policy = {
    ...mlp,
    normalizer: { mean, std },
    actionScale: { scale: Float32Array.of(config.forceLimit), offset: Float32Array.of(0) },
    actionClip: { lower: -config.forceLimit, upper: config.forceLimit }
  };
  const evaluation = await evaluate(mlpToOnnx(policy));
  const card = await exportPolicy(outDir, {
    mlp: policy,
    contract,
    name: "cartpole-balance",
    description: "Cartpole balance policy distilled from LQR on states of the MuJoCo cartpole (tether sim).",
    trainingConfig: { ...config, lqrGain: Array.from(lqr.gain) },
    metrics: {
      samples: u.length,
      finalMse: losses[losses.length - 1],
      balancedFraction: evaluation.balanced,
      meanAbsPoleAngle: evaluation.meanAbsAngle
    },
    created: process.env["SOURCE_DATE_EPOCH"] ? new Date(Number(process.env["SOURCE_DATE_EPOCH"]) * 1e3).toISOString() : void 0
  });
  process.stdout.write(`${JSON.stringify({ ...card, contract: void 0 }, null, 2)}
`);
}
if (process.argv[1] === fileURLToPath(__sourceUrl)) {
  await make(fileURLToPath(new URL(".", __sourceUrl)));
}
export {
  config,
  contract,
  make
};
