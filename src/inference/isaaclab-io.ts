/**
 * Reads the IO descriptors Isaac Lab (2.2 and later) exports for a manager-based RL environment,
 * `IO_descriptors.yaml`, the file left exactly as exported, and turns it into a policy contract through
 * the deploy reader (isaaclab.ts): the file is translated into the deploy layout that reader takes, and
 * its refusals are spelled with this file's keys.
 *
 * The layout, as `ManagerBasedEnv.export_IO_descriptors` writes it (`yaml.safe_dump` of
 * `get_IO_descriptors`: keys sorted, plain YAML, no Python tags):
 *
 *   actions:        the action manager's terms in manager order, a list of dicts: `name` (the term's
 *                   class in snake case), `full_path` (module.Class), `shape` [n], `dtype`,
 *                   `action_type`, `extras` (description), and for joint actions (JointAction's
 *                   `IO_descriptor`) `joint_names` (resolved, in the term's order), `scale` (a number,
 *                   or one per joint), `offset` (a number, or one per joint: the default pose of the
 *                   term's joints when `use_default_offset`), `clip` (null, or one [lower, upper] per
 *                   joint, applied after scale and offset).
 *   articulations:  per articulation of the scene (`robot`, …): `joint_names` in articulation order (the
 *                   policy's order), `default_joint_pos`, `default_joint_vel`, `default_joint_pos_limits`,
 *                   `default_joint_stiffness` / `default_joint_damping` (the actuator model's configured
 *                   gains; 0 where the actuator is not a PD, e.g. an actuator network),
 *                   `default_joint_friction`, `default_joint_armature`, all in articulation order.
 *   observations:   `policy`: the group's terms in manager order, a list of dicts: `name` (the term's
 *                   *function*, e.g. `generated_commands` for a term configured as `velocity_commands`),
 *                   `full_path`, `shape` [width of one frame], `dtype`, `observation_type`, `overloads`
 *                   (`scale`, `clip`, `history_length`, `flatten_history_dim`, after the group's history
 *                   override), `extras` (`description`, `units`, `axes`, `modifiers`), and by term
 *                   `joint_names` (joint terms, in the term's order), `joint_pos_offsets`
 *                   (joint_pos_rel), `joint_vel_offsets` (joint_vel_rel), `body_names`. A term's
 *                   `params` (e.g. `command_name`) and its noise are not written.
 *   scene:          `physics_dt`, `decimation`, `dt` (the policy period, physics_dt × decimation).
 *
 * What a deployment needs and the file lacks comes from the binding (the same `bind:` as for a deploy
 * YAML, plus `articulation` when the scene has several and none is `robot`); what the file says and
 * the runtime cannot reproduce is refused, each refusal naming the file, the key and what was expected.
 */
import { z } from 'zod';
import type { ContractInput } from './contract-schema.ts';
import { contractFromDeploy, DeployError } from './isaaclab.ts';

const numberOrList = z.union([z.number(), z.array(z.number())], {
  error: 'expected a number, or a list of numbers (one per joint or dimension)',
});
/**
 * A clip bound as PyYAML writes it: Isaac Lab fills the joints an action's clip does not name with
 * [-inf, inf] (`-.inf`, `.inf` in the file), so an infinite bound is "no limit" there.
 */
const bound = z.union([z.number(), z.literal(Number.POSITIVE_INFINITY), z.literal(Number.NEGATIVE_INFINITY)]);
const pair = z.tuple([bound, bound], { error: 'expected [lower, upper] (numbers; .inf for no bound)' });
/** An unbounded side as the deploy reader's finite bounds: the largest double clips nothing. */
const finite = ([lo, hi]: readonly [number, number]): [number, number] => [
  Math.max(lo, -Number.MAX_VALUE),
  Math.min(hi, Number.MAX_VALUE),
];

/** The joint action terms whose processing (raw · scale + offset, then the per-joint clip) is reproduced. */
const jointActionModule = 'isaaclab.envs.mdp.actions.joint_actions';
const jointActionClasses = ['JointPositionAction', 'JointVelocityAction', 'JointEffortAction'] as const;

const descriptorSchema = z.looseObject({
  actions: z.array(z.looseObject({ name: z.string(), full_path: z.string().nullable().optional() })),
  articulations: z.record(z.string(), z.unknown()),
  observations: z.record(z.string(), z.array(z.unknown()).nullable()),
  scene: z.looseObject({
    dt: z.number().positive(),
    physics_dt: z.number().positive().optional(),
    decimation: z.number().int().positive().optional(),
  }),
});

const jointActionSchema = z.looseObject({
  shape: z.array(z.number().int().nonnegative()).nullable().optional(),
  joint_names: z.array(z.string()).min(1),
  scale: numberOrList,
  offset: numberOrList,
  clip: z.array(pair).nullable().optional(),
});

const articulationSchema = z.looseObject({
  joint_names: z.array(z.string()).min(1),
  default_joint_pos: z.array(z.number()),
  default_joint_vel: z.array(z.number()).optional(),
  default_joint_stiffness: z.array(z.number()).optional(),
  default_joint_damping: z.array(z.number()).optional(),
});

const observationSchema = z.looseObject({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()).nullable().optional(),
  joint_names: z.array(z.string()).optional(),
  joint_pos_offsets: z.array(z.number()).optional(),
  joint_vel_offsets: z.array(z.number()).optional(),
  overloads: z.looseObject({
    scale: numberOrList.nullable().optional(),
    clip: pair.nullable().optional(),
    history_length: z.number().int().min(0).default(0),
    flatten_history_dim: z.boolean({ error: 'expected true or false' }).default(true),
  }),
  extras: z.looseObject({ modifiers: z.unknown().optional() }).nullable().optional(),
});

export interface IODescriptorFiles {
  /** The IO descriptor YAML (named in refusals about its keys). */
  readonly descriptors: string;
  /** The wrapper with the binding. */
  readonly wrapper: string;
}

/** Converts a parsed IO descriptor file plus a signal binding into a contract (validated later as usual). */
export function contractFromIODescriptors(
  descriptorData: unknown,
  bindingData: unknown,
  io: { input?: string | undefined; output?: string | undefined; model?: string | undefined } = {},
  files: IODescriptorFiles = { descriptors: 'IO descriptors', wrapper: 'deploy binding' },
): ContractInput {
  const refuse = (key: string, detail: string): never => {
    throw new DeployError(files.descriptors, key, detail);
  };
  const refuseBinding = (key: string, detail: string): never => {
    throw new DeployError(files.wrapper, key, detail);
  };
  const parse = <T extends z.ZodType>(schema: T, data: unknown, at: string): z.output<T> => {
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    return refuse([at, ...issue.path].filter((k) => k !== '').join('.') || '(root)', issue.message);
  };
  const file = parse(descriptorSchema, descriptorData, '');

  // --- the binding: the deploy reader's, plus which articulation the policy drives.
  const binding: Record<string, unknown> =
    bindingData != null && typeof bindingData === 'object' && !Array.isArray(bindingData)
      ? { ...(bindingData as Record<string, unknown>) }
      : bindingData == null
        ? {}
        : refuseBinding('bind', 'expected a mapping');
  const chosen = binding['articulation'];
  delete binding['articulation'];
  if (chosen !== undefined && typeof chosen !== 'string')
    refuseBinding('bind.articulation', 'expected the name of an articulation of the scene');

  // --- the articulation: the policy's joint order, default pose and gains.
  const names = Object.keys(file.articulations);
  const articulationName =
    (chosen as string | undefined) ??
    (names.length === 1 ? names[0]! : names.includes('robot') ? 'robot' : undefined) ??
    refuseBinding(
      'bind.articulation',
      `${files.descriptors} describes ${names.length === 0 ? 'no articulation' : `the articulations ${names.join(', ')}`}; name the one the policy drives`,
    );
  const artKey = `articulations.${articulationName}`;
  if (!Object.hasOwn(file.articulations, articulationName))
    refuseBinding(
      'bind.articulation',
      `'${articulationName}' is not an articulation of ${files.descriptors} (it has ${names.join(', ') || 'none'})`,
    );
  const art = parse(articulationSchema, file.articulations[articulationName], artKey);
  const joints = art.joint_names;
  const nj = joints.length;
  for (const key of [
    'default_joint_pos',
    'default_joint_vel',
    'default_joint_stiffness',
    'default_joint_damping',
  ] as const) {
    const v = art[key];
    if (v !== undefined && v.length !== nj)
      refuse(
        `${artKey}.${key}`,
        `${v.length} values, expected ${nj} (one per joint of ${artKey}.joint_names)`,
      );
  }
  const duplicate = joints.find((j, i) => joints.indexOf(j) !== i);
  if (duplicate !== undefined) refuse(`${artKey}.joint_names`, `'${duplicate}' is listed twice`);
  const robotJoints = binding['joints'];
  if (Array.isArray(robotJoints) && robotJoints.length !== nj)
    refuseBinding(
      'bind.joints',
      `${robotJoints.length} names for the ${nj} joints of ${files.descriptors}: ${artKey}.joint_names; expected the robot's name of each, in that order`,
    );
  /** Articulation indices of `list`, refusing a name the articulation does not have. */
  const indicesOf = (list: readonly string[], key: string): number[] =>
    list.map((j, k) => {
      const i = joints.indexOf(j);
      if (i < 0) refuse(`${key}.${k}`, `'${j}' is not a joint of ${artKey}.joint_names`);
      if (list.indexOf(j) !== k) refuse(`${key}.${k}`, `'${j}' is listed twice`);
      return i;
    });
  /** Null when `ids` are all the joints in articulation order (what the deploy layout calls all joints). */
  const subsetOrAll = (ids: number[]): number[] | null =>
    ids.length === nj && ids.every((id, k) => id === k) ? null : ids;

  // --- scene: the policy period.
  const { dt, physics_dt, decimation } = file.scene;
  if (
    physics_dt !== undefined &&
    decimation !== undefined &&
    Math.abs(physics_dt * decimation - dt) > 1e-9 * dt
  )
    refuse(
      'scene.dt',
      `${dt}, but physics_dt ${physics_dt} × decimation ${decimation} is ${physics_dt * decimation}`,
    );

  // --- the action term.
  if (file.actions.length !== 1)
    refuse(
      'actions',
      `expected one action term, found ${file.actions.length} (${file.actions.map((a) => a.name).join(', ') || 'none'})`,
    );
  const fullPath = file.actions[0]!.full_path ?? '';
  const dot = fullPath.lastIndexOf('.');
  const actionClass = jointActionClasses.find(
    (c) => fullPath.slice(0, dot) === jointActionModule && fullPath.slice(dot + 1) === c,
  );
  if (actionClass === undefined)
    refuse(
      'actions.0.full_path',
      `${fullPath || '(none)'} is not a term this reader reproduces; expected ${jointActionClasses.map((c) => `${jointActionModule}.${c}`).join(', ')} (raw · scale + offset, then the per-joint clip)`,
    );
  const action = parse(jointActionSchema, file.actions[0], 'actions.0');
  const actionIds = indicesOf(action.joint_names, 'actions.0.joint_names');
  const na = actionIds.length;
  if (action.shape != null && (action.shape.length !== 1 || action.shape[0] !== na))
    refuse(
      'actions.0.shape',
      `[${action.shape.join(', ')}], expected [${na}] (one value per joint of actions.0.joint_names)`,
    );
  const usesGains = binding['gains'] != null || binding['pd'] != null;
  if (usesGains && actionClass === 'JointPositionAction' && art.default_joint_stiffness !== undefined) {
    // Isaac Lab stores each actuator's configured stiffness here; 0 on a driven joint means its actuator
    // is not a PD (an actuator network, say), so the file has no gain to give the robot.
    const stiffness = art.default_joint_stiffness;
    const zero = actionIds.find((i) => stiffness[i] === 0);
    if (zero !== undefined)
      refuse(
        `${artKey}.default_joint_stiffness.${zero}`,
        `0 for ${joints[zero]}, a joint the action term drives: its actuator is not a PD (e.g. an actuator network), so there is no stiffness for bind.${binding['gains'] != null ? 'gains' : 'pd'}; expected a PD actuator's stiffness, or no bind.gains / bind.pd (the robot's own drive keeps its gains)`,
      );
  }

  // --- observation terms of the policy group, in manager order.
  const group = file.observations['policy'];
  if (group == null)
    refuse(
      'observations.policy',
      `missing; expected the policy group's terms (the groups written: ${Object.keys(file.observations).join(', ') || 'none'})`,
    );
  const terms = group!.map((raw, i) => parse(observationSchema, raw, `observations.policy.${i}`));
  const termIndex = new Map<string, number>();
  const defaults: Record<string, unknown> = {};
  const observations: Record<string, unknown> = {};
  terms.forEach((term, i) => {
    const key = `observations.policy.${i}`;
    const { name, overloads } = term;
    const earlier = termIndex.get(name);
    if (earlier !== undefined)
      refuse(
        `${key}.name`,
        `${name} again (also observations.policy.${earlier}): the file names terms by their function, so two terms of one function cannot be told apart; expected each function once`,
      );
    termIndex.set(name, i);
    const modifiers = term.extras?.modifiers;
    if (modifiers != null)
      refuse(
        `${key}.extras.modifiers`,
        `${JSON.stringify(modifiers)}: modifiers are not reproduced; expected null`,
      );
    if (overloads.history_length > 0 && !overloads.flatten_history_dim)
      refuse(
        `${key}.overloads.flatten_history_dim`,
        `false with history_length ${overloads.history_length}: an unflattened history is not one vector; expected true`,
      );
    if (term.shape != null && term.shape.length !== 1)
      refuse(
        `${key}.shape`,
        `[${term.shape.join(', ')}]: a term of more than one dimension is not read; expected [width]`,
      );
    let subset: number[] | null = null;
    if (term.joint_names !== undefined) {
      const ids = indicesOf(term.joint_names, `${key}.joint_names`);
      subset = subsetOrAll(ids);
      if (name === 'joint_pos_rel' && term.joint_pos_offsets !== undefined) {
        const offsets = term.joint_pos_offsets;
        if (
          offsets.length !== ids.length ||
          offsets.some((v, k) => Math.abs(v - art.default_joint_pos[ids[k]!]!) > 1e-6)
        )
          refuse(
            `${key}.joint_pos_offsets`,
            `[${offsets.join(', ')}], expected the default pose of its joints, [${ids.map((id) => art.default_joint_pos[id]).join(', ')}] (${artKey}.default_joint_pos)`,
          );
      }
      if (name === 'joint_vel_rel' && term.joint_vel_offsets?.some((v) => v !== 0))
        refuse(
          `${key}.joint_vel_offsets`,
          `[${term.joint_vel_offsets.join(', ')}]: a default joint velocity is not subtracted here; expected zeros`,
        );
    }
    const params: Record<string, unknown> = subset === null ? {} : { asset_cfg: { joint_ids: subset } };
    // The file does not write a term's params: a three-wide generated_commands is taken as Isaac Lab's
    // locomotion velocity command, `base_velocity` (another command needs bind.observations).
    if (name === 'generated_commands' && (term.shape == null || term.shape[0] === 3))
      params['command_name'] = 'base_velocity';
    // The deploy reader takes a term named joint_pos as relative (what the velocity task names its
    // joint_pos_rel term); here the name is the function's, which reads absolute positions.
    if (name === 'joint_pos') defaults[name] = { signals: '{joint}.pos', relative: false };
    observations[name] = {
      params,
      scale: overloads.scale ?? null,
      clip: overloads.clip ? finite(overloads.clip) : null,
      history_length: overloads.history_length,
    };
  });

  // --- the deploy reader, over the same content in its plainer layout.
  const deploy = {
    joint_names: joints,
    default_joint_pos: art.default_joint_pos,
    ...(art.default_joint_stiffness ? { stiffness: art.default_joint_stiffness } : {}),
    ...(art.default_joint_damping ? { damping: art.default_joint_damping } : {}),
    step_dt: dt,
    actions: {
      [actionClass!]: {
        scale: action.scale,
        offset: action.offset,
        clip: action.clip?.map(finite) ?? null,
        joint_ids: subsetOrAll(actionIds),
      },
    },
    observations,
  };
  const bound = binding['observations'];
  const userBound = (name: string): boolean =>
    bound != null && typeof bound === 'object' && name in (bound as Record<string, unknown>);
  // A binding that is not a mapping is left for the deploy reader to refuse.
  const bind =
    bound == null || (typeof bound === 'object' && !Array.isArray(bound))
      ? { ...binding, observations: { ...defaults, ...(bound ?? {}) } }
      : binding;
  const articulationKeys: Record<string, string> = {
    joint_names: 'joint_names',
    default_joint_pos: 'default_joint_pos',
    stiffness: 'default_joint_stiffness',
    damping: 'default_joint_damping',
  };
  /** A key of the deploy layout, as this file spells it. */
  const keyOf = (deployKey: string): string => {
    const [head, second, ...rest] = deployKey.split('.');
    if (head === 'step_dt') return 'scene.dt';
    if (head !== undefined && head in articulationKeys)
      return [artKey, articulationKeys[head], ...(second === undefined ? [] : [second]), ...rest].join('.');
    if (head === 'actions' && second === actionClass) {
      const field = rest[0] === 'joint_ids' ? ['joint_names'] : rest;
      return ['actions.0', ...field].join('.');
    }
    if (head === 'observations' && second !== undefined && termIndex.has(second)) {
      const at = `observations.policy.${termIndex.get(second)}`;
      if (rest[0] === 'params') return `${at}.joint_names`;
      if (rest[0] === 'scale' || rest[0] === 'clip' || rest[0] === 'history_length')
        return [at, 'overloads', ...rest].join('.');
      return [at, ...rest].join('.');
    }
    return deployKey;
  };
  const contract = contractFromDeploy(deploy, bind, io, {
    deploy: files.descriptors,
    wrapper: files.wrapper,
    key: keyOf,
  });

  // --- every term as read must be as wide as the file says one frame of it is.
  contract.observations.forEach((t, i) => {
    const shape = terms[i]!.shape;
    if (shape == null) return;
    const width =
      t.source === 'last_action'
        ? na
        : t.source === 'projected_gravity' || t.source === 'body_frame'
          ? 3
          : (t.signals?.length ?? t.value?.length ?? 0);
    if (width !== shape[0])
      refuse(
        `observations.policy.${i}.shape`,
        `[${shape[0]}], but ${t.name} as ${userBound(t.name) ? `bound (bind.observations.${t.name} of ${files.wrapper})` : 'read'} is ${width} wide${t.source === 'last_action' ? ` (the ${na} outputs of actions.0)` : ''}; expected the same width`,
      );
  });
  return contract;
}
