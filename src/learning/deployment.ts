import type { ActionMapEntry, Environment } from '../core/environment.ts';
import type { ContractInput } from '../inference/contract.ts';
import type { ExportRequest } from '../inference/export.ts';
import type { Trainer } from './trainer.ts';

/**
 * What a trained actor needs to reach a robot. The learner acts in its own units (the MuJoCo gap
 * pairs: [−1, 1]); the contract carries the pair's action map, so the deployed policy drives the
 * actuator's real range, in its unit. The files are written by src/inference/export.ts
 * `exportPolicy`, which also checks the contract against the model, runs the ONNX file through
 * ONNX Runtime and writes the model card.
 */

/** Base name of the exported files: `policy.onnx`, `policy.contract.yaml`, `policy.card.json`. */
export const POLICY_NAME = 'policy';

/** The contract of an actor trained on `env` whose actions map onto the robot by `actionMap`. */
export function trainedPolicyContract(
  env: Pick<Environment, 'observation' | 'action' | 'dt'>,
  actionMap: readonly ActionMapEntry[],
): ContractInput {
  const names = env.action.signals.map((s) => s.name);
  if (actionMap.length !== names.length || actionMap.some((a, i) => a.name !== names[i])) {
    throw new Error(
      `action map [${actionMap.map((a) => a.name).join(', ')}] does not match the environment's actions [${names.join(', ')}]`,
    );
  }
  return {
    format: 'tether-policy/1',
    input: 'obs',
    output: 'actions',
    // 1/dt of a whole number of physics steps is not always exact in binary (49.999… Hz).
    policy_rate_hz: Number((1 / env.dt).toPrecision(12)),
    observations: env.observation.signals.map((s) => ({
      name: s.name.replace(/\W/g, '_'),
      signals: [s.name],
      unit: s.unit,
    })),
    // The actor takes raw observations; the state normaliser of TD3+BC and IQL is baked into the ONNX graph.
    normalizer: { kind: 'inside_model' },
    actions: {
      signals: names,
      mode: env.action.mode,
      unit: compact(actionMap.map((a) => a.unit)),
      scale: compact(actionMap.map((a) => a.scale)),
      offset: compact(actionMap.map((a) => a.offset)),
      // The actor ends in tanh: its raw output lies in [−1, 1], which the robot check relies on.
      clip: [-1, 1],
    },
  };
}

/** The export request for a trainer's deterministic actor; `trainingConfig` goes into the card. */
export function trainedPolicyExport(trainer: Trainer, trainingConfig: unknown): ExportRequest {
  const { algorithm, seed } = trainer.options;
  const last = trainer.history.at(-1);
  return {
    mlp: trainer.learner.actorPolicy(),
    contract: trainedPolicyContract(trainer.environment, trainer.envs.actionMap),
    name: POLICY_NAME,
    description: `${algorithm} actor trained on ${trainer.envs.name}, seed ${seed}, ${trainer.updatesDone} updates`,
    trainingConfig,
    metrics: {
      updates: trainer.updatesDone,
      simSteps: trainer.simSteps,
      ...(last ? { realReturn: last.realReturn } : {}),
    },
    onnx: { metadata: { algorithm, updates: String(trainer.updatesDone) } },
  };
}

/** One value when every signal shares it, else the list (as contracts write scale and offset). */
function compact<T extends string | number>(values: readonly T[]): T | T[] {
  return values.every((v) => v === values[0]) ? values[0]! : [...values];
}
