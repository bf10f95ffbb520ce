/**
 * Reads the deploy-style YAML that Isaac Lab based pipelines (unitree_rl_lab, legged_gym deploy
 * configs) write beside their ONNX export, and turns it into a policy contract. The deploy file knows
 * term names, scales, clips, history lengths, joint order and the default pose; it does not know the
 * robot's signal names, so a small binding says which robot signals feed each term:
 *
 *   format: isaaclab-deploy/1
 *   deploy: deploy.yaml
 *   bind:
 *     observations: { base_ang_vel: [imu.gyro.x, imu.gyro.y, imu.gyro.z], joint_pos_rel: '{joint}.pos' }
 *     actions: '{joint}.target'          # `{joint}` expands over the deploy's joint names, in order
 *
 * Terms named `last_action` read the previous raw policy output. `joint_pos_rel` subtracts the
 * default pose (Isaac Lab's definition). The action offset defaults to the default pose of the
 * actuated joints for position actions and to 0 for effort/velocity actions.
 */
import { z } from 'zod';
import type { ContractInput } from './contract-schema.ts';

const nullableRange = z.tuple([z.number(), z.number()]).nullable().optional();
const numberOrList = z.union([z.number(), z.array(z.number())]);

const deploySchema = z.looseObject({
  joint_names: z.array(z.string()).optional(),
  default_joint_pos: z.array(z.number()),
  step_dt: z.number().positive(),
  actions: z.record(
    z.string(),
    z.looseObject({
      scale: numberOrList.default(1),
      offset: numberOrList.optional(),
      clip: nullableRange,
      joint_names: z.array(z.string()).optional(),
    }),
  ),
  observations: z.record(
    z.string(),
    z.looseObject({
      scale: numberOrList.nullable().default(1),
      clip: nullableRange,
      history_length: z.number().int().min(0).default(1),
    }),
  ),
});

export type DeployConfig = z.output<typeof deploySchema>;

export const deployBindingSchema = z
  .object({
    observations: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    actions: z.union([z.string(), z.array(z.string())]),
    mode: z.enum(['torque', 'position', 'velocity']).default('position'),
    /** Velocity commands and other operator inputs that are constants in this deployment. */
    constants: z.record(z.string(), z.array(z.number())).default({}),
  })
  .strict();

export type DeployBinding = z.input<typeof deployBindingSchema>;

const expandJoints = (pattern: string | readonly string[], joints: readonly string[]): string[] =>
  typeof pattern === 'string'
    ? pattern.includes('{joint}')
      ? joints.map((j) => pattern.replaceAll('{joint}', j))
      : [pattern]
    : [...pattern];

/** Converts a parsed deploy YAML plus a signal binding into a contract (validated later as usual). */
export function contractFromDeploy(
  deployData: unknown,
  bindingData: unknown,
  io: { input?: string; output?: string; model?: string } = {},
): ContractInput {
  const deployResult = deploySchema.safeParse(deployData);
  if (!deployResult.success) {
    const issues = deployResult.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`deploy YAML: ${issues}`);
  }
  const bindingResult = deployBindingSchema.safeParse(bindingData);
  if (!bindingResult.success) {
    const issues = bindingResult.error.issues.map((i) => `bind.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`deploy binding: ${issues}`);
  }
  const deploy = deployResult.data;
  const bind = bindingResult.data;
  const actionTerms = Object.entries(deploy.actions);
  if (actionTerms.length !== 1) {
    throw new Error(
      `deploy YAML: expected one action term, got ${actionTerms.length} (${actionTerms.map(([k]) => k).join(', ')})`,
    );
  }
  const [, action] = actionTerms[0]!;
  // Observation terms cover every joint; the action term may drive only some (its own joint_names).
  const joints = deploy.joint_names ?? action.joint_names;
  const actuated = action.joint_names ?? joints;
  if (!joints || !actuated) throw new Error('deploy YAML: no joint_names (top level or in the action term)');
  if (deploy.default_joint_pos.length !== joints.length) {
    throw new Error(
      `deploy YAML: default_joint_pos has ${deploy.default_joint_pos.length} values for ${joints.length} joints`,
    );
  }
  const missing = actuated.find((j) => !joints.includes(j));
  if (missing) throw new Error(`deploy YAML: action joint '${missing}' is not in joint_names`);
  // Position actions are offsets around the default pose; effort and velocity actions around 0.
  const defaultOffset =
    bind.mode === 'position' ? actuated.map((j) => deploy.default_joint_pos[joints.indexOf(j)]!) : 0;

  const observations = Object.entries(deploy.observations).map(([name, term]) => {
    const common = {
      name,
      scale: term.scale ?? 1,
      history: Math.max(1, term.history_length),
      ...(term.clip ? { clip: term.clip } : {}),
    };
    if (name === 'last_action') return { ...common, source: 'last_action' as const };
    const constant = bind.constants[name];
    if (constant) return { ...common, source: 'constant' as const, value: constant };
    const pattern = bind.observations[name];
    if (pattern === undefined) {
      throw new Error(
        `deploy binding: observation term '${name}' has no robot signals (add bind.observations.${name})`,
      );
    }
    const signals = expandJoints(pattern, joints);
    return {
      ...common,
      source: 'signals' as const,
      signals,
      ...(name === 'joint_pos_rel' ? { offset: deploy.default_joint_pos } : {}),
    };
  });

  return {
    format: 'tether-policy/1',
    ...(io.model ? { model: io.model } : {}),
    input: io.input ?? 'obs',
    output: io.output ?? 'actions',
    policy_rate_hz: 1 / deploy.step_dt,
    observations,
    normalizer: { kind: 'inside_model' },
    actions: {
      signals: expandJoints(bind.actions, actuated),
      mode: bind.mode,
      scale: action.scale,
      offset: action.offset ?? defaultOffset,
      ...(action.clip ? { clip: action.clip } : {}),
    },
  };
}
