/**
 * Writes the arm's closed-loop sim-only policy (configs/loop/arm-sim-policy/): the policy a newcomer
 * would deploy on the torque-controlled arm rig first, designed in the level simulator alone.
 *
 *   1. Operational-space reaching with gravity compensation (controllers/classical/arm-reach.ts) on
 *      the nominal MuJoCo arm at 50 Hz, to targets drawn from the reach task's box.
 *   2. Rollouts whose applied torques carry Gaussian noise, every visited state labelled with the
 *      clean controller's torque, so the data cover the states the net itself will drift into.
 *   3. The learners' actor (20 → 64 → 64 → 7, ReLU, tanh output in [−1, 1] = ± each joint's torque
 *      limit) fitted by Adam to atanh(τ / limit): the network SAC and H2O fine-tune.
 *   4. Exported through the one exporter with the trained-policy contract.
 *
 *   node --import tsx bench/data/make-arm-sim-policy.ts
 */
import { fileURLToPath } from 'node:url';
import { ArmReachController, armReachDefaults } from '../../controllers/classical/arm-reach.ts';
import { createEnv } from '../../sim/envs/index.ts';
import { normalizingMap } from '../../sim/gaps/pair.ts';
import { EventBuffer } from '../../src/core/events.ts';
import { Rng } from '../../src/core/rng.ts';
import { createKernelPolicy } from '../../src/inference/backends/kernel.ts';
import { compileChain } from '../../src/inference/chain.ts';
import { exportPolicy } from '../../src/inference/export.ts';
import type { MlpPolicy } from '../../src/inference/mlp.ts';
import { mlpToOnnx } from '../../src/inference/onnx/build.ts';
import { decodeModel } from '../../src/inference/onnx/model.ts';
import { POLICY_NAME, trainedPolicyContract } from '../../src/learning/deployment.ts';
import { fitMlp } from '../../src/learning/regression.ts';

export const config = {
  rateHz: 50,
  data: { episodes: 160, noiseStd: 0.08, seed: 1 },
  regression: {
    hidden: [64, 64],
    activation: 'relu' as const,
    epochs: 40,
    batchSize: 128,
    learningRate: 2e-3,
    seed: 2,
  },
  evaluation: { episodes: 10, seed: 1000 },
};

const observationSize = 20;
const jointCount = 7;

/** Noisy OSC rollouts; targets are the actor's pre-tanh output for the clean OSC torque. */
async function collect(): Promise<{ x: Float64Array; y: Float64Array; limits: Float64Array }> {
  const env = await createEnv('arm', { controlDt: 1 / config.rateHz, seed: config.data.seed });
  const controller = new ArmReachController(armReachDefaults);
  const limits = Float64Array.from(env.action.signals, (s) => s.upper);
  await controller.configure({
    observation: env.observation,
    action: env.action,
    dt: env.dt,
    events: new EventBuffer(),
  });
  const rng = new Rng(config.data.seed);
  const samples = config.data.episodes * env.horizon;
  const x = new Float64Array(samples * observationSize);
  const y = new Float64Array(samples * jointCount);
  const obs = new Float64Array(observationSize);
  const clean = new Float64Array(jointCount);
  const applied = new Float64Array(jointCount);
  let row = 0;
  try {
    for (let e = 0; e < config.data.episodes; e++) {
      env.reset(obs, config.data.seed + e);
      for (let t = 0; t < env.horizon; t++) {
        controller.update(obs, t * env.dt, clean);
        x.set(obs, row * observationSize);
        for (let j = 0; j < jointCount; j++) {
          const u = Math.max(-0.97, Math.min(0.97, clean[j]! / limits[j]!));
          y[row * jointCount + j] = Math.atanh(u);
          applied[j] = clean[j]! + config.data.noiseStd * limits[j]! * rng.normal();
        }
        row++;
        env.step(applied, obs);
      }
    }
  } finally {
    env.dispose();
    await controller.dispose?.();
  }
  return { x, y, limits };
}

/** Mean return and final flange distance of the exported policy (through the kernel) in a simulator. */
export async function evaluateInSim(
  bytes: Uint8Array,
  dynamics: unknown = {},
): Promise<{ meanReturn: number; meanFinalDistance: number }> {
  const { episodes, seed } = config.evaluation;
  const policy = createKernelPolicy(compileChain(decodeModel(bytes)));
  const env = await createEnv('arm', { controlDt: 1 / config.rateHz, seed, dynamics });
  const limits = Float64Array.from(env.action.signals, (s) => s.upper);
  const obs = new Float64Array(observationSize);
  const input = new Float32Array(observationSize);
  const output = new Float32Array(jointCount);
  const torque = new Float64Array(jointCount);
  let total = 0;
  let distance = 0;
  try {
    for (let e = 0; e < episodes; e++) {
      env.reset(obs, seed + e);
      for (let t = 0; t < env.horizon; t++) {
        input.set(obs);
        policy.act(input, output);
        for (let j = 0; j < jointCount; j++) torque[j] = limits[j]! * output[j]!;
        total += env.step(torque, obs).reward;
      }
      distance += Math.hypot(obs[14]! - obs[17]!, obs[15]! - obs[18]!, obs[16]! - obs[19]!);
    }
  } finally {
    env.dispose();
  }
  return { meanReturn: total / episodes, meanFinalDistance: distance / episodes };
}

export async function make(outDir: string): Promise<void> {
  const { x, y } = await collect();
  const { mlp, losses } = fitMlp(x, y, observationSize, jointCount, config.regression);
  const layers = mlp.layers.map((l, i) =>
    i === mlp.layers.length - 1 ? { ...l, activation: 'tanh' as const } : l,
  );
  const policy: MlpPolicy = { layers };
  const onnx = mlpToOnnx(policy);
  const sim = await evaluateInSim(onnx);
  const weak = await evaluateInSim(onnx, { actuatorGainScale: 0.6 });
  const env = await createEnv('arm', { controlDt: 1 / config.rateHz });
  const contract = trainedPolicyContract(env, normalizingMap(env.action));
  env.dispose();
  const card = await exportPolicy(outDir, {
    mlp: policy,
    contract,
    name: POLICY_NAME,
    description:
      'Arm reach, sim-only: operational-space reaching with gravity compensation on the nominal MuJoCo arm, distilled into the 64-64 ReLU actor the learners use.',
    trainingConfig: config,
    metrics: {
      samples: y.length / jointCount,
      finalMse: losses.at(-1)!,
      simReturn: sim.meanReturn,
      simFinalDistance: sim.meanFinalDistance,
      weakMotorReturn: weak.meanReturn,
      weakMotorFinalDistance: weak.meanFinalDistance,
    },
    created: process.env['SOURCE_DATE_EPOCH']
      ? new Date(Number(process.env['SOURCE_DATE_EPOCH']) * 1000).toISOString()
      : undefined,
  });
  process.stdout.write(
    `fit mse ${losses.at(-1)!.toFixed(4)}; sim return ${sim.meanReturn.toFixed(1)}, final distance ${sim.meanFinalDistance.toFixed(3)} m; motors at 0.6 (configs/rig/arm-weak-motor.yaml): ${weak.meanReturn.toFixed(1)}, ${weak.meanFinalDistance.toFixed(3)} m; onnx sha256 ${card.onnx.sha256}\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await make(fileURLToPath(new URL('../../configs/loop/arm-sim-policy/', import.meta.url)));
}
