import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { mlpToOnnx } from '../inference/onnx/build.ts';
import type { Trainer } from './trainer.ts';

/**
 * Writes the trained deterministic actor as `policy.onnx` (normaliser and tanh baked in) and its
 * contract `policy.contract.yaml` (signal order, units, rate, action mode), which the runtime checks
 * against the robot before the policy may drive it.
 */
export async function exportPolicy(
  trainer: Trainer,
  dir: string,
): Promise<{ onnx: string; contract: string }> {
  mkdirSync(dir, { recursive: true });
  const env = await trainer.envs.real(0);
  const policy = trainer.learner.exportPolicy();
  const onnx = path.join(dir, 'policy.onnx');
  writeFileSync(
    onnx,
    mlpToOnnx(policy, {
      docString: `${trainer.options.algorithm} actor trained on ${trainer.envs.name}, seed ${trainer.options.seed}`,
      metadata: { algorithm: trainer.options.algorithm, updates: String(trainer.updatesDone) },
    }),
  );
  const contract = {
    format: 'tether-policy/1',
    model: 'policy.onnx',
    input: 'obs',
    output: 'actions',
    policy_rate_hz: 1 / env.dt,
    observations: env.observation.signals.map((s) => ({
      name: s.name.replace(/\W/g, '_'),
      signals: [s.name],
      unit: s.unit,
    })),
    normalizer: { kind: 'inside_model' },
    actions: { signals: env.action.signals.map((s) => s.name), mode: env.action.mode, scale: 1, offset: 0 },
  };
  const contractFile = path.join(dir, 'policy.contract.yaml');
  writeFileSync(contractFile, stringify(contract));
  env.dispose?.();
  return { onnx, contract: contractFile };
}
