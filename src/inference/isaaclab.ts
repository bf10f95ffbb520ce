/**
 * Reads the deploy YAML that Isaac Lab based pipelines write beside their ONNX export and turns it
 * into a policy contract, the file left exactly as exported. Two layouts are read:
 *
 * - unitree_rl_lab's `params/deploy.yaml`, as its exporter writes it
 *   (source/unitree_rl_lab/unitree_rl_lab/utils/export_deploy_cfg.py) and its C++ deploy reads it
 *   (deploy/include/isaaclab/…): `joint_ids_map` (policy joint i is motor joint_ids_map[i]),
 *   `step_dt`, `stiffness` and `damping` per motor in motor (SDK) order, `default_joint_pos` per
 *   policy joint in policy (Isaac Lab articulation) order, `commands.<name>.ranges` (lin_vel_x,
 *   lin_vel_y, ang_vel_z), one action term (`JointPositionAction`: per-joint `scale` and `offset`
 *   arrays in policy order, `clip` null or per-joint [lower, upper] pairs applied after scale and
 *   offset, `joint_names` patterns and `joint_ids` null or a Python slice for all joints), and the
 *   policy's observation terms in file order, each with per-dimension `scale`, `clip` and
 *   `history_length` (clipped, then scaled, stacked oldest first).
 * - the plainer layout of legged_gym-style deploy configs: `joint_names` (the policy's joint order),
 *   `default_joint_pos` in that order, one action term with scalar or per-joint `scale`, `offset`
 *   (a list, or `default_joint_pos`) and `clip: [lower, upper]` on the raw output.
 *
 * The deploy file knows term names, scales, clips, histories, joint order, gains and the default pose;
 * it does not know the robot's signal names, so a small binding beside it says which robot signals
 * feed what:
 *
 *   format: isaaclab-deploy/1
 *   deploy: params/deploy.yaml
 *   model: exported/policy.onnx
 *   bind:
 *     joints: [fr_hip, fr_thigh, …]    # the robot's joints in the deploy's motor order (joint_ids_map)
 *     imu: { quaternion: [base.qw, base.qx, base.qy, base.qz], angular_velocity: [base.wx, base.wy, base.wz] }
 *     gains: { kp: '{joint}.kp', kd: '{joint}.kd' }   # a pd drive takes stiffness/damping per motor
 *
 * Standard term names are bound by default: `base_ang_vel` (the IMU's body-frame angular velocity),
 * `base_lin_vel` (the world-frame velocity rotated into the body frame), `projected_gravity` (from the
 * IMU quaternion), `velocity_commands` and any term whose `params.command_name` names a command (a
 * command channel of the run, clamped to the deploy's ranges), `joint_pos_rel` / `joint_pos`
 * (`{joint}.pos` minus the default pose), `joint_vel_rel` / `joint_vel` (`{joint}.vel`), and
 * `last_action` / `actions`. Any other term needs `bind.observations.<term>`.
 *
 * Isaac Lab's own IO descriptor export is a third layout: isaaclab-io.ts translates it into the plainer
 * one and reads it here (`io_descriptors:` in the binding instead of `deploy:`).
 *
 * Every refusal names the file, the key and what was expected.
 */
import type { CollectionTag } from 'yaml';
import { z } from 'zod';
import type { ContractInput } from './contract-schema.ts';

/** A deploy file or its binding that cannot be read as a contract: `file: key: what was expected`. */
export class DeployError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    detail: string,
  ) {
    super(`${file}: ${key}: ${detail}`);
    this.name = 'DeployError';
  }
}

/**
 * PyYAML writes a Python `slice` as `!!python/object/apply:builtins.slice [start, stop, step]`; older
 * unitree_rl_lab exports carry one as an action term's `joint_ids` (`slice(None)`, all joints), and an
 * observation's `params.asset_cfg` carries them as its `*_ids`. Read as `{ slice: [start, stop, step] }`.
 */
export const pythonSliceTag: CollectionTag = {
  tag: 'tag:yaml.org,2002:python/object/apply:builtins.slice',
  collection: 'seq',
  resolve: (seq) => ({ slice: seq.toJSON() }),
};

const pair = z.tuple([z.number(), z.number()]);
const numberOrList = z.union([z.number(), z.array(z.number())]);
const index = z.number().int().nonnegative();
/** Joint indices: a list, null or `slice(None)` (all joints; other slices are refused where read). */
const jointIds = z.union([
  z.array(index),
  z.object({ slice: z.tuple([index.nullable(), index.nullable(), z.number().int().nullable()]) }),
]);
/** An observation's `params.asset_cfg` (Isaac Lab's SceneEntityCfg, written by `to_dict()`). */
const assetCfgSchema = z.looseObject({ joint_ids: jointIds.nullable().optional() });

const deploySchema = z.looseObject({
  joint_names: z.array(z.string()).optional(),
  joint_ids_map: z.array(z.number().int().nonnegative()).optional(),
  default_joint_pos: z.array(z.number()),
  stiffness: z.array(z.number()).optional(),
  damping: z.array(z.number()).optional(),
  step_dt: z.number().positive(),
  commands: z
    .record(
      z.string(),
      z.looseObject({ ranges: z.record(z.string(), pair.nullable()).optional() }).nullable(),
    )
    .optional(),
  actions: z.record(
    z.string(),
    z.looseObject({
      scale: numberOrList.nullable().default(1),
      offset: z.union([numberOrList, z.string()]).nullable().optional(),
      /** [lower, upper] on the raw output, or one [lower, upper] per joint after scale and offset. */
      clip: z
        .union([pair, z.array(pair)])
        .nullable()
        .optional(),
      joint_names: z.array(z.string()).nullable().optional(),
      joint_ids: jointIds.nullable().optional(),
    }),
  ),
  observations: z.record(
    z.string(),
    z.looseObject({
      params: z.record(z.string(), z.unknown()).nullable().optional(),
      scale: numberOrList.nullable().default(1),
      clip: pair.nullable().optional(),
      history_length: z.number().int().min(0).default(1),
    }),
  ),
});

export type DeployConfig = z.output<typeof deploySchema>;

const signalsOrPattern = z.union([z.string(), z.array(z.string())]);
const quaternion = z.array(z.string()).length(4);

const termBindingSchema = z.union([
  signalsOrPattern,
  z
    .object({
      source: z
        .enum(['signals', 'projected_gravity', 'body_frame', 'command', 'last_action', 'constant'])
        .default('signals'),
      signals: signalsOrPattern.optional(),
      quaternion: quaternion.optional(),
      /** Command channel of the run (source: command). */
      command: z.string().optional(),
      value: z.array(z.number()).optional(),
      /** Subtract the default pose (joint position terms); default: true for `joint_pos*` terms. */
      relative: z.boolean().optional(),
    })
    .strict(),
]);

export const deployBindingSchema = z
  .object({
    /**
     * The robot's joint names: in the deploy's motor order when it has `joint_ids_map` (required then),
     * else in the order of its `joint_names` (renaming them). `{joint}` in patterns expands over the
     * policy's joints, in policy order.
     */
    joints: z.array(z.string()).optional(),
    /** The IMU signals the standard terms are computed from. */
    imu: z
      .object({
        quaternion: quaternion.optional(),
        /** Body-frame angular velocity (base_ang_vel). */
        angular_velocity: z.array(z.string()).length(3).optional(),
        /** World-frame linear velocity (base_lin_vel, rotated into the body frame). */
        linear_velocity: z.array(z.string()).length(3).optional(),
      })
      .strict()
      .default({}),
    observations: z.record(z.string(), termBindingSchema).default({}),
    /** Deploy command name → the run's command channel (default: the same name). */
    commands: z.record(z.string(), z.string()).default({}),
    /** Velocity commands and other operator inputs that are constants in this deployment. */
    constants: z.record(z.string(), z.array(z.number())).default({}),
    /** Robot action signals, in the action term's joint order; default `{joint}.target` / `.torque` / `.velocity`. */
    actions: signalsOrPattern.optional(),
    /** What the policy outputs; default: from the action term (JointPositionAction → position). */
    mode: z.enum(['torque', 'position', 'velocity']).optional(),
    /** The robot's per-joint gain signals (a pd drive): the deploy's stiffness and damping go there. */
    gains: z.object({ kp: signalsOrPattern, kd: signalsOrPattern }).strict().optional(),
    /**
     * A PD stage in the runtime for a torque robot, with the deploy's stiffness and damping: `true`, or
     * the position/velocity signal patterns and torque action pattern.
     */
    pd: z
      .union([
        z.literal(true),
        z
          .object({
            position: signalsOrPattern.default('{joint}.pos'),
            velocity: signalsOrPattern.default('{joint}.vel'),
            torque: signalsOrPattern.default('{joint}.torque'),
          })
          .strict(),
      ])
      .optional(),
  })
  .strict();

export type DeployBinding = z.input<typeof deployBindingSchema>;

type Mode = 'torque' | 'position' | 'velocity';

/** What an action term's name says it outputs (Isaac Lab's term classes and the usual term names). */
export function actionTermMode(name: string): Mode | undefined {
  if (/position|joint_pos/i.test(name)) return 'position';
  if (/effort|torque/i.test(name)) return 'torque';
  if (/velocity|joint_vel/i.test(name)) return 'velocity';
  return undefined;
}

const defaultActionPattern: Record<Mode, string> = {
  position: '{joint}.target',
  torque: '{joint}.torque',
  velocity: '{joint}.velocity',
};

export interface DeployFiles {
  /** The deploy YAML (named in refusals about its keys). */
  readonly deploy: string;
  /** The wrapper with the binding. */
  readonly wrapper: string;
  /**
   * How a key of the deploy layout is spelled in the file actually read, for refusals: a reader that
   * translates another layout into this one (isaaclab-io.ts) names its own keys. Default: unchanged.
   */
  readonly key?: (deployKey: string) => string;
}

/** Converts a parsed deploy YAML plus a signal binding into a contract (validated later as usual). */
export function contractFromDeploy(
  deployData: unknown,
  bindingData: unknown,
  io: { input?: string | undefined; output?: string | undefined; model?: string | undefined } = {},
  files: DeployFiles = { deploy: 'deploy YAML', wrapper: 'deploy binding' },
): ContractInput {
  const at = files.key ?? ((key: string) => key);
  const deployResult = deploySchema.safeParse(deployData);
  if (!deployResult.success) {
    const issue = deployResult.error.issues[0]!;
    throw new DeployError(files.deploy, at(issue.path.join('.') || '(root)'), issue.message);
  }
  const bindingResult = deployBindingSchema.safeParse(bindingData);
  if (!bindingResult.success) {
    const issue = bindingResult.error.issues[0]!;
    throw new DeployError(files.wrapper, `bind.${issue.path.join('.')}`, issue.message);
  }
  const deploy = deployResult.data;
  const bind = bindingResult.data;
  const refuseDeploy = (key: string, detail: string): never => {
    throw new DeployError(files.deploy, at(key), detail);
  };
  const refuseBinding = (key: string, detail: string): never => {
    throw new DeployError(files.wrapper, key, detail);
  };

  // --- joints: the policy's joint order, as robot joint names, and the default pose in that order.
  let policyJoints: string[];
  let defaultPose: number[];
  /** Robot joint name of every motor (unitree layout), for the per-motor gains. */
  let motors: string[] | undefined;
  const map = deploy.joint_ids_map;
  if (map !== undefined) {
    // unitree_rl_lab's export_deploy_cfg writes stiffness and damping per motor (scattered through
    // joint_ids_map into SDK order) but default_joint_pos unmapped, in the policy's (Isaac Lab's)
    // joint order; its C++ deploy subtracts default_joint_pos[i] from policy joint i.
    const fileMotors =
      deploy.stiffness !== undefined &&
      deploy.damping !== undefined &&
      deploy.stiffness.length !== deploy.damping.length
        ? undefined
        : (deploy.stiffness ?? deploy.damping)?.length;
    if (bind.joints === undefined)
      refuseBinding(
        'bind.joints',
        `${files.deploy} maps policy joints to motors (joint_ids_map); list the robot's ${
          fileMotors === undefined ? '' : `${fileMotors} `
        }joints in motor order`,
      );
    motors = bind.joints!;
    const motorCount = motors.length;
    if (fileMotors !== undefined && motorCount !== fileMotors)
      refuseBinding(
        'bind.joints',
        `${motorCount} joints given, expected ${fileMotors} (one per motor: stiffness and damping of ${files.deploy} have ${fileMotors} values)`,
      );
    for (const key of ['stiffness', 'damping'] as const) {
      const v = deploy[key];
      if (v !== undefined && v.length !== motorCount)
        refuseDeploy(
          key,
          `${v.length} values, expected ${motorCount} (one per motor, in motor order, like bind.joints of ${files.wrapper})`,
        );
    }
    map.forEach((m, i) => {
      if (m >= motorCount)
        refuseDeploy(
          `joint_ids_map.${i}`,
          `motor ${m} does not exist (bind.joints of ${files.wrapper} names ${motorCount} motors)`,
        );
      if (map.indexOf(m) !== i) refuseDeploy(`joint_ids_map.${i}`, `motor ${m} is mapped twice`);
    });
    if (deploy.default_joint_pos.length !== map.length)
      refuseDeploy(
        'default_joint_pos',
        `${deploy.default_joint_pos.length} values, expected ${map.length} (one per policy joint, in policy order like joint_ids_map)`,
      );
    policyJoints = map.map((m) => motors![m]!);
    defaultPose = [...deploy.default_joint_pos];
  } else {
    const names = deploy.joint_names;
    if (names === undefined) {
      const first = Object.values(deploy.actions)[0]?.joint_names;
      refuseDeploy(
        'joint_names',
        `no joint order: give joint_names (one per default_joint_pos value) or joint_ids_map${
          first ? ` (the action term's joint_names ${JSON.stringify(first)} are patterns, not an order)` : ''
        }`,
      );
    }
    if (deploy.default_joint_pos.length !== names!.length)
      refuseDeploy(
        'default_joint_pos',
        `${deploy.default_joint_pos.length} values for the ${names!.length} joints of joint_names, expected one per joint`,
      );
    if (bind.joints !== undefined && bind.joints.length !== names!.length)
      refuseBinding(
        'bind.joints',
        `${bind.joints.length} names for the ${names!.length} joints of joint_names`,
      );
    policyJoints = bind.joints ?? names!;
    defaultPose = [...deploy.default_joint_pos];
    if (deploy.stiffness !== undefined || deploy.damping !== undefined) motors = policyJoints;
  }
  const expand = (pattern: string | readonly string[], joints: readonly string[]): string[] =>
    typeof pattern === 'string'
      ? pattern.includes('{joint}')
        ? joints.map((j) => pattern.replaceAll('{joint}', j))
        : [pattern]
      : [...pattern];

  // --- the action term.
  const actionTerms = Object.entries(deploy.actions);
  if (actionTerms.length !== 1)
    refuseDeploy(
      'actions',
      `expected one action term, found ${actionTerms.length} (${actionTerms.map(([k]) => k).join(', ') || 'none'})`,
    );
  const [termName, action] = actionTerms[0]!;
  const termKey = `actions.${termName}`;
  const termMode = actionTermMode(termName);
  if (bind.mode !== undefined && termMode !== undefined && bind.mode !== termMode) {
    const remedy =
      termMode === 'position'
        ? 'bind.mode: position, with a pd drive (bind.gains) or, on a torque robot, a PD stage (bind.pd: true)'
        : `bind.mode: ${termMode}`;
    refuseBinding(
      'bind.mode',
      `${bind.mode}, but ${files.deploy}: ${at(termKey)} outputs ${termMode === 'torque' ? 'joint torques' : `joint ${termMode}s`} (expected ${remedy})`,
    );
  }
  const mode: Mode | undefined = bind.mode ?? termMode;
  if (mode === undefined)
    refuseBinding(
      'bind.mode',
      `${files.deploy}: ${at(termKey)} does not say what it outputs; give bind.mode (position, torque or velocity)`,
    );
  /**
   * Policy-joint indices (Isaac Lab's `joint_ids`, into the articulation's joints, which is the
   * policy's order); undefined for all joints (null or `slice(None)`).
   */
  const selectedJoints = (
    ids: z.output<typeof jointIds> | null | undefined,
    key: string,
  ): number[] | undefined => {
    if (ids == null) return undefined;
    if (!Array.isArray(ids)) {
      if (ids.slice.every((v) => v === null)) return undefined;
      return refuseDeploy(
        key,
        `slice(${ids.slice.map((v) => (v === null ? 'None' : v)).join(', ')}) is not read; expected null, slice(None) (all joints) or a list of joint indices`,
      );
    }
    const bad = ids.find((i) => i >= policyJoints.length);
    if (bad !== undefined)
      refuseDeploy(key, `joint ${bad} does not exist (the policy has ${policyJoints.length} joints)`);
    return [...ids];
  };
  let actuated: number[];
  const actionIds = selectedJoints(action.joint_ids, `${termKey}.joint_ids`);
  if (actionIds !== undefined) {
    actuated = actionIds;
  } else if (action.joint_names == null || action.joint_names.every((p) => p === '.*')) {
    actuated = policyJoints.map((_, i) => i);
  } else {
    const patterns = action.joint_names.map((p) => new RegExp(`^(?:${p})$`));
    actuated = policyJoints.flatMap((j, i) => (patterns.some((r) => r.test(j)) ? [i] : []));
    if (actuated.length === 0)
      refuseDeploy(
        `${termKey}.joint_names`,
        `${JSON.stringify(action.joint_names)} matches none of the joints ${policyJoints.join(', ')}`,
      );
  }
  const actuatedNames = actuated.map((i) => policyJoints[i]!);
  const na = actuated.length;
  const perJoint = (key: string, v: number | readonly number[]): number | number[] => {
    if (typeof v === 'number') return v;
    if (v.length !== na)
      refuseDeploy(
        `${termKey}.${key}`,
        `${v.length} values, expected ${na} (one per joint of the action term)`,
      );
    return [...v];
  };
  const scale = perJoint('scale', action.scale ?? 1);
  let offset: number | number[];
  if (action.offset === undefined || action.offset === null || action.offset === 'default_joint_pos') {
    // Position targets are offsets around the default pose; efforts and velocities around 0.
    offset =
      action.offset === 'default_joint_pos' || mode === 'position' ? actuated.map((i) => defaultPose[i]!) : 0;
  } else if (typeof action.offset === 'string') {
    offset = refuseDeploy(
      `${termKey}.offset`,
      `'${action.offset}' is not a number, a list or 'default_joint_pos'`,
    );
  } else offset = perJoint('offset', action.offset);
  if (map !== undefined && Array.isArray(offset)) {
    // A default pose written in motor order, like the gains, is caught where it can be: unitree_rl_lab's
    // offsets are default_joint_pos of the action's joints, so offsets that match the pose only when
    // it is read through joint_ids_map mean the pose is in the wrong order.
    const near = (a: number, b: number | undefined) => b !== undefined && Math.abs(a - b) < 1e-6;
    const offsets = offset;
    const asWritten = offsets.every((v, k) => near(v, defaultPose[actuated[k]!]));
    const throughMap = offsets.every((v, k) => near(v, deploy.default_joint_pos[map[actuated[k]!]!]));
    if (!asWritten && throughMap)
      refuseDeploy(
        'default_joint_pos',
        `in motor order (${at(`${termKey}.offset`)} equals it only when read through joint_ids_map); expected policy order, as unitree_rl_lab's exporter writes it (the order of the action offsets)`,
      );
  }
  const clip = action.clip ?? undefined;
  const perJointClip = clip !== undefined && Array.isArray(clip[0]);
  if (perJointClip && (clip as unknown[]).length !== na)
    refuseDeploy(`${termKey}.clip`, `${(clip as unknown[]).length} ranges, expected ${na} (one per joint)`);

  // --- observation terms, in file order.
  const imu = bind.imu;
  const observations = Object.entries(deploy.observations).map(([name, term]) => {
    const key = `observations.${name}`;
    const common = {
      name,
      history: Math.max(1, term.history_length),
      clip_stage: 'before_scale' as const,
      ...(term.clip ? { clip: term.clip } : {}),
    };
    const withScale = (width: number) => {
      const s = term.scale ?? 1;
      if (Array.isArray(s) && s.length !== width)
        refuseDeploy(`${key}.scale`, `${s.length} values, expected ${width} (one per dimension of the term)`);
      return { ...common, scale: s };
    };
    const missing = (what: string): never =>
      refuseBinding(
        `bind.${what}`,
        `${files.deploy}: ${at(key)} is computed from it; give it in the binding`,
      );
    // Isaac Lab's joint terms read only `params.asset_cfg.joint_ids` of the policy's joints (so does
    // unitree_rl_lab's C++ joint_pos_rel); on any other term a subset would be ignored, so it is refused.
    const subsetKey = `${key}.params.asset_cfg.joint_ids`;
    let subset: number[] | undefined;
    const assetCfg = term.params?.['asset_cfg'];
    if (assetCfg != null) {
      const parsed = assetCfgSchema.safeParse(assetCfg);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        refuseDeploy(`${key}.params.asset_cfg.${issue.path.join('.')}`, issue.message);
      }
      subset = selectedJoints(parsed.data!.joint_ids, subsetKey);
    }
    const termJoints = subset ? subset.map((i) => policyJoints[i]!) : policyJoints;
    const termDefault = subset ? subset.map((i) => defaultPose[i]!) : defaultPose;
    /** Refuses a joint subset on a term that is not one value per policy joint. */
    const wholeTerm = (what: string): void => {
      if (subset !== undefined)
        refuseDeploy(
          subsetKey,
          `[${subset.join(', ')}] selects joints, but ${what} is not one value per joint; expected null or slice(None)`,
        );
    };
    const explicit = bind.observations[name];
    const constant = bind.constants[name];
    const commandName =
      typeof term.params?.['command_name'] === 'string'
        ? (term.params['command_name'] as string)
        : name === 'velocity_commands'
          ? 'base_velocity'
          : undefined;
    if (explicit === undefined && constant !== undefined) {
      wholeTerm('a constant (bind.constants)');
      return { ...withScale(constant.length), source: 'constant' as const, value: constant };
    }
    if (explicit === undefined) {
      if (name === 'last_action' || name === 'actions') {
        wholeTerm('the last action');
        return { ...withScale(na), source: 'last_action' as const };
      }
      if (commandName !== undefined) {
        wholeTerm(`the command ${commandName}`);
        const ranges = deploy.commands?.[commandName]?.ranges;
        const value = [0, 0, 0];
        const r = ranges
          ? (['lin_vel_x', 'lin_vel_y', 'ang_vel_z'] as const).map(
              (k) => ranges[k] ?? ([-Infinity, Infinity] as [number, number]),
            )
          : undefined;
        return {
          ...withScale(3),
          source: 'command' as const,
          command: bind.commands[commandName] ?? commandName,
          value,
          ...(r ? { ranges: r } : {}),
        };
      }
      if (name === 'projected_gravity' || name === 'base_ang_vel' || name === 'base_lin_vel')
        wholeTerm(`${name} (a vector of the base)`);
      if (name === 'projected_gravity')
        return {
          ...withScale(3),
          source: 'projected_gravity' as const,
          quaternion: imu.quaternion ?? missing('imu.quaternion'),
        };
      if (name === 'base_ang_vel')
        return {
          ...withScale(3),
          source: 'signals' as const,
          signals: imu.angular_velocity ?? missing('imu.angular_velocity'),
        };
      if (name === 'base_lin_vel')
        return {
          ...withScale(3),
          source: 'body_frame' as const,
          quaternion: imu.quaternion ?? missing('imu.quaternion'),
          signals: imu.linear_velocity ?? missing('imu.linear_velocity'),
        };
      if (name === 'joint_pos_rel' || name === 'joint_pos')
        return {
          ...withScale(termJoints.length),
          source: 'signals' as const,
          signals: expand('{joint}.pos', termJoints),
          offset: termDefault,
        };
      if (name === 'joint_vel_rel' || name === 'joint_vel')
        return {
          ...withScale(termJoints.length),
          source: 'signals' as const,
          signals: expand('{joint}.vel', termJoints),
        };
      return refuseBinding(
        `bind.observations.${name}`,
        `${files.deploy}: ${at(key)} is not a term this reader computes by itself; bind it to robot signals (a list, a '{joint}' pattern, or { source: projected_gravity | body_frame | command | … })`,
      );
    }
    const b: Exclude<z.output<typeof termBindingSchema>, string | string[]> = typeof explicit === 'string' ||
    Array.isArray(explicit)
      ? { source: 'signals', signals: explicit }
      : explicit;
    const source = b.source;
    const signals = b.signals === undefined ? undefined : expand(b.signals, termJoints);
    if (source !== 'signals') wholeTerm(`a ${source} term`);
    switch (source) {
      case 'last_action':
        return { ...withScale(na), source };
      case 'constant':
        return {
          ...withScale(b.value?.length ?? 0),
          source,
          value:
            b.value ?? refuseBinding(`bind.observations.${name}.value`, 'a constant term needs its values'),
        };
      case 'command': {
        const value = b.value ?? [0, 0, 0];
        return {
          ...withScale(value.length),
          source,
          command: b.command ?? commandName ?? name,
          value,
        };
      }
      case 'projected_gravity':
        return {
          ...withScale(3),
          source,
          quaternion: b.quaternion ?? imu.quaternion ?? missing(`observations.${name}.quaternion`),
        };
      case 'body_frame':
        return {
          ...withScale(3),
          source,
          quaternion: b.quaternion ?? imu.quaternion ?? missing(`observations.${name}.quaternion`),
          signals:
            signals ??
            refuseBinding(`bind.observations.${name}.signals`, 'a body_frame term needs 3 signals'),
        };
      default: {
        const list =
          signals ?? refuseBinding(`bind.observations.${name}.signals`, 'give the robot signals of the term');
        const relative = b.relative ?? name.startsWith('joint_pos');
        if (relative && list.length !== termJoints.length)
          refuseBinding(
            `bind.observations.${name}`,
            `${list.length} signals, but a joint position term relative to the default pose needs ${termJoints.length} (one per ${subset ? `joint of ${at(subsetKey)}` : 'policy joint'})`,
          );
        return {
          ...withScale(list.length),
          source: 'signals' as const,
          signals: list,
          ...(relative ? { offset: termDefault } : {}),
        };
      }
    }
  });

  // --- actions: signals, gains, PD stage.
  const constants: Record<string, number> = {};
  let signals: string[];
  let pd: { kp: number[]; kd: number[]; position: string[]; velocity: string[] } | undefined;
  const needGains = (what: string): { stiffness: number[]; damping: number[] } => {
    if (deploy.stiffness === undefined || deploy.damping === undefined)
      refuseDeploy(
        deploy.stiffness === undefined ? 'stiffness' : 'damping',
        `${what} uses the deploy's stiffness and damping; this file has none`,
      );
    return { stiffness: deploy.stiffness!, damping: deploy.damping! };
  };
  /** Gain of policy joint i, from the per-motor list. */
  const motorValue = (list: readonly number[], i: number): number =>
    map !== undefined ? list[map[i]!]! : list[i]!;
  if (bind.pd !== undefined) {
    if (mode !== 'position')
      refuseBinding(
        'bind.pd',
        `a PD stage turns position targets into torques; ${at(termKey)} outputs ${mode}`,
      );
    const { stiffness, damping } = needGains('bind.pd');
    const stage =
      bind.pd === true
        ? { position: '{joint}.pos', velocity: '{joint}.vel', torque: '{joint}.torque' }
        : bind.pd;
    pd = {
      kp: actuated.map((i) => motorValue(stiffness, i)),
      kd: actuated.map((i) => motorValue(damping, i)),
      position: expand(stage.position, actuatedNames),
      velocity: expand(stage.velocity, actuatedNames),
    };
    signals = expand(bind.actions ?? stage.torque, actuatedNames);
  } else {
    signals = expand(bind.actions ?? defaultActionPattern[mode!], actuatedNames);
  }
  if (bind.gains !== undefined) {
    if (pd !== undefined)
      refuseBinding('bind.gains', 'give either bind.gains (a pd drive) or bind.pd (a PD stage), not both');
    const { stiffness, damping } = needGains('bind.gains');
    // Every motor gets its gains; motors the policy does not drive hold the default pose.
    const all = motors ?? policyJoints;
    const kp = expand(bind.gains.kp, all);
    const kd = expand(bind.gains.kd, all);
    if (kp.length !== all.length || kd.length !== all.length)
      refuseBinding(
        'bind.gains',
        `expected one kp and one kd signal per motor (${all.length}); use '{joint}' patterns`,
      );
    all.forEach((joint, m) => {
      constants[kp[m]!] = stiffness[m]!;
      constants[kd[m]!] = damping[m]!;
      if (actuatedNames.includes(joint)) return;
      const p = map !== undefined ? map.indexOf(m) : m;
      if (p < 0) {
        // A motor outside joint_ids_map has no default position in the file; unitree_rl_lab leaves
        // its gains at zero, so it is passive and needs no target.
        if (stiffness[m] !== 0)
          refuseDeploy(
            `stiffness.${m}`,
            `${stiffness[m]}, but motor ${m} (${joint}) is not in joint_ids_map, so the file has no default position to hold it at; expected 0`,
          );
        return;
      }
      const target = expand(bind.actions ?? defaultActionPattern.position, [joint])[0]!;
      constants[target] = defaultPose[p]!;
    });
  }
  if (signals.length !== na)
    refuseBinding(
      'bind.actions',
      `${signals.length} signals for the ${na} outputs of ${files.deploy}: ${at(termKey)}`,
    );

  return {
    format: 'tether-policy/1',
    ...(io.model ? { model: io.model } : {}),
    input: io.input ?? 'obs',
    output: io.output ?? 'actions',
    policy_rate_hz: 1 / deploy.step_dt,
    observations,
    normalizer: { kind: 'inside_model' },
    actions: {
      signals,
      mode: mode!,
      scale,
      offset,
      ...(clip !== undefined && !perJointClip ? { clip: clip as [number, number] } : {}),
      ...(perJointClip ? { command_clip: clip as [number, number][] } : {}),
      constants,
      ...(pd ? { pd } : {}),
    },
  };
}
