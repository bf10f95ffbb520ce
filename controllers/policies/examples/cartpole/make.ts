/**
 * Regenerates the bundled cartpole balance policy, deterministically:
 *
 *   1. LQR about the upright pose, linearised from the MuJoCo cartpole at the policy rate (50 Hz).
 *   2. States from the real MuJoCo cartpole: LQR rollouts with exploration noise on the force, from
 *      wide initial states; each state is labelled with the clean LQR force (distillation).
 *   3. A 4→32→32→1 tanh MLP fitted by Adam on normalised states, predicting force / 20 N.
 *   4. Exported to ONNX with the normaliser and the ×20 N scaling and ±20 N clip baked in, checked
 *      through ONNX Runtime, with a contract and a model card (training config hash, metrics).
 *
 * Run: node --import tsx controllers/policies/examples/cartpole/make.ts
 */
import { fileURLToPath } from 'node:url';
import { createEnv } from '../../../../sim/envs/index.ts';
import { EventBuffer } from '../../../../src/core/events.ts';
import { createKernelPolicy } from '../../../../src/inference/backends/kernel.ts';
import { compileChain } from '../../../../src/inference/chain.ts';
import type { ContractInput } from '../../../../src/inference/contract.ts';
import { exportPolicy } from '../../../../src/inference/export.ts';
import type { MlpPolicy } from '../../../../src/inference/mlp.ts';
import { mlpToOnnx } from '../../../../src/inference/onnx/build.ts';
import { decodeModel } from '../../../../src/inference/onnx/model.ts';
import { fitMlp } from '../../../../src/learning/regression.ts';
import { LqrController } from '../../../classical/lqr.ts';
import { noisyLqrRollouts } from '../../../classical/lqr-rollouts.ts';

export const config = {
  policyRateHz: 50,
  lqr: { model: 'cartpole', q: [1, 1, 1, 1], r: [0.1] },
  data: { episodes: 80, steps: 250, resetNoise: 6, explorationStd: 4, seed: 1 },
  forceLimit: 20,
  regression: {
    hidden: [32, 32],
    activation: 'tanh' as const,
    epochs: 120,
    batchSize: 128,
    learningRate: 3e-3,
    seed: 2,
  },
  evaluation: { episodes: 20, resetNoise: 4, seed: 1000 },
};

export const contract: ContractInput = {
  format: 'tether-policy/1',
  input: 'obs',
  output: 'actions',
  policy_rate_hz: config.policyRateHz,
  observations: [
    { name: 'cart_pos', signals: ['cart.pos'], unit: 'm' },
    { name: 'pole_angle', signals: ['pole.angle'], unit: 'rad' },
    { name: 'cart_vel', signals: ['cart.vel'], unit: 'm/s' },
    { name: 'pole_angvel', signals: ['pole.angvel'], unit: 'rad/s' },
  ],
  normalizer: { kind: 'inside_model' },
  // The ONNX graph scales to newtons and clips at ±20 N itself; the clip tells the robot check so.
  actions: {
    signals: ['cart.force'],
    mode: 'torque',
    unit: 'N',
    scale: 1,
    offset: 0,
    clip: [-config.forceLimit, config.forceLimit],
  },
};

const dt = 1 / config.policyRateHz;

async function lqrGain(): Promise<LqrController> {
  const env = await createEnv('cartpole', { controlDt: dt });
  try {
    const lqr = new LqrController(config.lqr);
    await lqr.configure({ observation: env.observation, action: env.action, dt, events: new EventBuffer() });
    return lqr;
  } finally {
    env.dispose();
  }
}

/** Balance episodes in MuJoCo driven by the exported ONNX through the kernel. */
async function evaluate(bytes: Uint8Array): Promise<{ balanced: number; meanAbsAngle: number }> {
  const { episodes, resetNoise, seed } = config.evaluation;
  const policy = createKernelPolicy(compileChain(decodeModel(bytes)));
  const env = await createEnv('cartpole', { controlDt: dt, task: 'balance', resetNoise, seed });
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
        action[0] = output[0]!;
        const r = env.step(action, obs);
        angleSum += Math.abs(obs[1]!);
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

function meanStd(x: Float64Array, width: number): { mean: Float32Array; std: Float32Array } {
  const n = x.length / width;
  const mean = new Float64Array(width);
  const sq = new Float64Array(width);
  for (let r = 0; r < n; r++) for (let i = 0; i < width; i++) mean[i]! += x[r * width + i]! / n;
  for (let r = 0; r < n; r++)
    for (let i = 0; i < width; i++) sq[i]! += (x[r * width + i]! - mean[i]!) ** 2 / n;
  return { mean: Float32Array.from(mean), std: Float32Array.from(sq, (v) => Math.sqrt(v) + 1e-6) };
}

export async function make(outDir: string): Promise<void> {
  const lqr = await lqrGain();
  const { x, u } = await noisyLqrRollouts(lqr, { ...config.data, controlDt: dt });
  const { mean, std } = meanStd(x, 4);
  const xn = x.map((v, i) => (v - mean[i % 4]!) / std[i % 4]!);
  const target = u.map((v) => v / config.forceLimit);
  const { mlp, losses } = fitMlp(xn, target, 4, 1, config.regression);
  const policy: MlpPolicy = {
    ...mlp,
    normalizer: { mean, std },
    actionScale: { scale: Float32Array.of(config.forceLimit), offset: Float32Array.of(0) },
    actionClip: { lower: -config.forceLimit, upper: config.forceLimit },
  };
  const evaluation = await evaluate(mlpToOnnx(policy));
  const card = await exportPolicy(outDir, {
    mlp: policy,
    contract,
    name: 'cartpole-balance',
    description: 'Cartpole balance policy distilled from LQR on states of the MuJoCo cartpole (tether sim).',
    trainingConfig: { ...config, lqrGain: Array.from(lqr.gain) },
    metrics: {
      samples: u.length,
      finalMse: losses[losses.length - 1]!,
      balancedFraction: evaluation.balanced,
      meanAbsPoleAngle: evaluation.meanAbsAngle,
    },
    created: process.env['SOURCE_DATE_EPOCH']
      ? new Date(Number(process.env['SOURCE_DATE_EPOCH']) * 1000).toISOString()
      : undefined,
  });
  process.stdout.write(`${JSON.stringify({ ...card, contract: undefined }, null, 2)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await make(fileURLToPath(new URL('.', import.meta.url)));
}
