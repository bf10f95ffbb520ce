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
