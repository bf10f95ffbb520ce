import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEnv } from '../../sim/envs/index.ts';
import { normalizingMap } from '../../sim/gaps/pair.ts';
import { exportPolicy } from '../../src/inference/export.ts';
import type { Activation } from '../../src/inference/mlp.ts';
import { POLICY_NAME, trainedPolicyContract } from '../../src/learning/deployment.ts';

/**
 * Exports a small 4-8-1 cart-pole policy in the learners' layout (contract and normaliser as
 * `tether train` writes them) into `out`, with the given hidden and output activations: a network
 * the verifier must refuse, for tests of its reasons. Returns the ONNX and contract paths.
 */
export async function exportSmallPolicy(
  out: string,
  hidden: Activation,
  output: Activation,
  description: string,
): Promise<{ onnx: string; contract: string }> {
  const env = await createEnv('cartpole', { task: 'balance' });
  const contract = trainedPolicyContract(env, normalizingMap(env.action));
  env.dispose();
  await exportPolicy(out, {
    mlp: {
      layers: [
        {
          inSize: 4,
          outSize: 8,
          weight: new Float32Array(32).fill(0.1),
          bias: new Float32Array(8),
          activation: hidden,
        },
        {
          inSize: 8,
          outSize: 1,
          weight: new Float32Array(8).fill(-0.1),
          bias: Float32Array.of(0),
          activation: output,
        },
      ],
    },
    contract,
    name: POLICY_NAME,
    description,
    trainingConfig: { test: description },
    metrics: {},
  });
  return { onnx: `${out}/${POLICY_NAME}.onnx`, contract: `${out}/${POLICY_NAME}.contract.yaml` };
}

/** The cart-pole LQR model the certificate tests verify (its controller is the LQR law u = −Kx). */
export const lqrModelFile = path.resolve(
  import.meta.dirname,
  '../../controllers/hybrid/models/cartpole/cartpole_lqr.json',
);

/**
 * Exports `gain × (the LQR law of the cart-pole certificate model)` as a one-layer ONNX policy in
 * the learners' layout (command = 20 N × output) into `out`: a policy the verifier can prove within
 * seconds near upright, or refute (a negative gain pushes the pole over). Returns its paths.
 */
export async function exportLinearPolicy(
  out: string,
  gain: number,
): Promise<{ onnx: string; contract: string }> {
  const json = JSON.parse(readFileSync(lqrModelFile, 'utf8')) as {
    controller: { layers: { weight: number[][] }[] };
  };
  const w = json.controller.layers[0]!.weight[0]!;
  const env = await createEnv('cartpole', { task: 'balance' });
  const contract = trainedPolicyContract(env, normalizingMap(env.action)); // command = 20 × output
  env.dispose();
  await exportPolicy(out, {
    mlp: {
      layers: [
        {
          inSize: 4,
          outSize: 1,
          weight: Float32Array.from(w, (v) => (gain * v) / 20),
          bias: Float32Array.of(0),
          activation: 'identity',
        },
      ],
    },
    contract,
    name: POLICY_NAME,
    description: `the certified LQR law × ${gain}, as a linear policy`,
    trainingConfig: { test: `lqr × ${gain}` },
    metrics: {},
  });
  return {
    onnx: path.join(out, `${POLICY_NAME}.onnx`),
    contract: path.join(out, `${POLICY_NAME}.contract.yaml`),
  };
}
