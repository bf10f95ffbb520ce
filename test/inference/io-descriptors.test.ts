/**
 * Isaac Lab's IO descriptors (IO_descriptors.yaml, written by ManagerBasedEnv.export_IO_descriptors in
 * Isaac Lab 2.2+), read unchanged: a quadruped locomotion export with Isaac Lab's joint names and
 * order (grouped by joint type), against the sim quadruped whose joint order differs; the same policy
 * as a deploy.yaml gives the same contract and input; the shipped walking export described this way
 * walks the sim quadruped exactly as its deploy.yaml does; every refusal names the file, the key and
 * what was expected.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  actionScale,
  history,
  trot,
  policyJoints as trotJoints,
} from '../../controllers/policies/examples/quadruped-trot/make.ts';
import { WalkRecorder } from '../../controllers/policies/examples/quadruped-trot/metrics.ts';
import { createEnv, type MujocoEnv } from '../../sim/envs/index.ts';
import { CommandBoard } from '../../src/core/commands.ts';
import type { TickRecord } from '../../src/core/tick.ts';
import { checkContractAgainstRobot, loadContract, observationSize } from '../../src/inference/contract.ts';
import { PolicyIOMap } from '../../src/inference/io-map.ts';
import { readLog } from '../../src/logging/reader.ts';
import { tether } from '../support/cli.ts';

/** Isaac Lab's joint names and articulation order for a Go2: all hips, then thighs, then calves. */
const isaacJoints = ['hip', 'thigh', 'calf'].flatMap((p) =>
  ['FL', 'FR', 'RL', 'RR'].map((l) => `${l}_${p}_joint`),
);
/** The sim quadruped's names for those joints, in the same (policy) order; its own order is per leg. */
const policyOrder = ['hip', 'thigh', 'knee'].flatMap((p) => ['fl', 'fr', 'rl', 'rr'].map((l) => `${l}_${p}`));
/** The Go2's default pose as the exporter writes it: float32 values widened to double. */
const go2Pose = isaacJoints.map((j) =>
  Math.fround(
    j.includes('hip') ? (j[1] === 'L' ? 0.1 : -0.1) : j.includes('thigh') ? (j[0] === 'F' ? 0.8 : 1) : -1.5,
  ),
);
const fill = (v: number, n = 12) => new Array<number>(n).fill(v);

type Dict = Record<string, unknown>;
/** One observation term as the observation manager's get_IO_descriptors formats it. */
function term(
  name: string,
  width: number,
  observationType: string,
  overloads: Dict = {},
  extras: Dict = {},
  more: Dict = {},
): Dict {
  return {
    dtype: 'torch.float32',
    extras: { description: `${name} (the function's docstring)`, modifiers: null, ...extras },
    full_path: `isaaclab.envs.mdp.observations.${name}`,
    mdp_type: 'Observation',
    name,
    observation_type: observationType,
    overloads: { clip: null, flatten_history_dim: true, history_length: 0, scale: null, ...overloads },
    shape: [width],
    ...more,
  };
}

/**
 * The IO descriptors of a Go2 flat-terrain velocity task as the exporter writes them: the action
 * manager's JointPositionAction (scale 0.25, use_default_offset, so `offset` is the default pose), the
 * articulation's joint data (DC motors: stiffness 25, damping 0.5), the policy group's terms in
 * manager order with their overloads (base_ang_vel scaled by 0.25 with 2 frames of history, joint
 * velocities clipped to ±20 before a 0.05 scale), and the scene's time steps.
 */
function go2Descriptors(): Dict {
  return {
    actions: [
      {
        action_type: 'JointAction',
        clip: null,
        dtype: 'torch.float32',
        extras: {
          description:
            "Joint action term that applies the processed actions to the articulation's joints as position commands.",
        },
        full_path: 'isaaclab.envs.mdp.actions.joint_actions.JointPositionAction',
        joint_names: [...isaacJoints],
        mdp_type: 'Action',
        name: 'joint_position_action',
        offset: [...go2Pose],
        scale: 0.25,
        shape: [12],
      },
    ],
    articulations: {
      robot: {
        default_joint_armature: fill(0),
        default_joint_damping: fill(0.5),
        default_joint_friction: fill(0),
        default_joint_pos: [...go2Pose],
        default_joint_pos_limits: isaacJoints.map(() => [-2.7, 2.7]),
        default_joint_stiffness: fill(25),
        default_joint_vel: fill(0),
        joint_names: [...isaacJoints],
      },
    },
    observations: {
      policy: [
        term('base_lin_vel', 3, 'RootState', {}, { axes: ['X', 'Y', 'Z'], units: 'm/s' }),
        term('base_ang_vel', 3, 'RootState', { scale: 0.25, history_length: 2 }, { units: 'rad/s' }),
        term('projected_gravity', 3, 'RootState', {}, { units: 'm/s^2' }),
        term('generated_commands', 3, 'Command'),
        term(
          'joint_pos_rel',
          12,
          'JointState',
          {},
          { units: 'rad' },
          {
            joint_names: [...isaacJoints],
            joint_pos_offsets: [...go2Pose],
          },
        ),
        term(
          'joint_vel_rel',
          12,
          'JointState',
          { clip: [-20, 20], scale: 0.05 },
          { units: 'rad/s' },
          {
            joint_names: [...isaacJoints],
            joint_vel_offsets: fill(0),
          },
        ),
        term('last_action', 12, 'Action'),
      ],
    },
    scene: { decimation: 4, dt: 0.02, physics_dt: 0.005 },
  };
}

/** yaml.safe_dump's output: keys sorted, block style, sequences not indented under their key. */
const safeDump = (d: unknown) => stringify(d, { sortMapEntries: true, indentSeq: false });

const binding = {
  joints: policyOrder,
  imu: {
    quaternion: ['base.qw', 'base.qx', 'base.qy', 'base.qz'],
    angular_velocity: ['base.wx', 'base.wy', 'base.wz'],
    linear_velocity: ['base.vx', 'base.vy', 'base.vz'],
  },
  gains: { kp: '{joint}.kp', kd: '{joint}.kd' },
};

let dir = '';
let pd: MujocoEnv;
let torque: MujocoEnv;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tether-io-descriptors-'));
  pd = await createEnv('quadruped', { controlDt: 0.02, drive: { mode: 'pd', damping: 4 } });
  torque = await createEnv('quadruped', { controlDt: 0.02 });
});
afterAll(() => {
  pd?.dispose();
  torque?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes an IO descriptor file and its binding; returns both paths and a loader. */
function files(name: string, descriptors: Dict, bind: object, wrapper: Dict = {}) {
  const io = path.join(dir, `${name}.IO_descriptors.yaml`);
  writeFileSync(io, safeDump(descriptors));
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      format: 'isaaclab-deploy/1',
      io_descriptors: `${name}.IO_descriptors.yaml`,
      model: 'policy.onnx',
      bind,
      ...wrapper,
    }),
  );
  return { wrapper: file, io, load: () => loadContract(file) };
}

// biome-ignore lint/suspicious/noExplicitAny: the exported dict is edited freely to change one key at a time
const edited = (change: (d: Record<string, any>) => void): Dict => {
  const d = go2Descriptors();
  change(d);
  return d;
};

describe("Isaac Lab's IO descriptors, unchanged", () => {
  it('an action clip on some joints only: the others are written unbounded (.inf) and stay unclipped', () => {
    const d = edited((x) => {
      x['actions'][0].clip = isaacJoints.map((_, i) =>
        i === 0 ? [-0.5, 0.5] : [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
      );
    });
    const f = files('partial-clip', d, binding);
    expect(readFileSync(f.io, 'utf8')).toContain('- -.inf');
    const c = f.load();
    const clip = c.actions.command_clip as [number, number][];
    // Clipped after scale and offset, on the command of the joint the clip names; the rest unbounded.
    expect(clip[0]).toEqual([-0.5, 0.5]);
    expect(clip.slice(1)).toEqual(isaacJoints.slice(1).map(() => [-Number.MAX_VALUE, Number.MAX_VALUE]));
  });

  it('read in manager order: Isaac Lab joint order renamed to the robot, default pose, gains, policy rate', () => {
    const c = files('go2', go2Descriptors(), binding).load();
    expect(c.policy_rate_hz).toBe(50);
    expect(c.normalizer.kind).toBe('inside_model');
    expect(c.observations.map((t) => [t.name, t.source, t.history])).toEqual([
      ['base_lin_vel', 'body_frame', 1],
      ['base_ang_vel', 'signals', 2],
      ['projected_gravity', 'projected_gravity', 1],
      ['generated_commands', 'command', 1],
      ['joint_pos_rel', 'signals', 1],
      ['joint_vel_rel', 'signals', 1],
      ['last_action', 'last_action', 1],
    ]);
    const jointPos = c.observations[4]!;
    expect(jointPos.signals).toEqual(policyOrder.map((j) => `${j}.pos`));
    expect(jointPos.offset).toEqual(go2Pose);
    expect(c.observations[3]).toMatchObject({ command: 'base_velocity', value: [0, 0, 0] });
    // The file carries no command ranges: the run's channel clamps, if it declares ranges.
    expect(c.observations[3]!.ranges).toBeUndefined();
    expect(c.observations[5]).toMatchObject({ clip: [-20, 20], clip_stage: 'before_scale', scale: 0.05 });
    expect(c.actions.signals).toEqual(policyOrder.map((j) => `${j}.target`));
    expect(c.actions.mode).toBe('position');
    expect(c.actions.scale).toBe(0.25);
    expect(c.actions.offset).toEqual(go2Pose);
    expect(c.actions.constants['fl_knee.kp']).toBe(25);
    expect(c.actions.constants['rr_hip.kd']).toBe(0.5);
    expect(Object.keys(c.actions.constants)).toHaveLength(24);
    expect(observationSize(c)).toBe(3 + 3 * 2 + 3 + 3 + 12 + 12 + 12);
    expect(checkContractAgainstRobot(c, pd.observation, pd.action)).toEqual([]);
  });

  it('assembles the input element by element from a known robot state, and the output onto the robot', () => {
    const c = files('go2-input', go2Descriptors(), binding).load();
    const board = new CommandBoard();
    const io = new PolicyIOMap(c, pd.observation, pd.action, dir, board);
    const names = pd.observation.signals.map((s) => s.name);
    const obs = new Float64Array(names.length);
    const set = (name: string, v: number) => {
      expect(names).toContain(name);
      obs[names.indexOf(name)] = v;
    };
    // Pitched nose-down by 0.3 rad about y, moving (1, 2, 0) m/s in the world frame.
    set('base.qw', Math.cos(0.15));
    set('base.qy', Math.sin(0.15));
    set('base.vx', 1);
    set('base.vy', 2);
    set('base.wx', 1);
    set('base.wy', 2);
    set('base.wz', 3);
    policyOrder.forEach((j, i) => {
      set(`${j}.pos`, i);
      set(`${j}.vel`, 10 * (i + 1));
    });
    io.reset(obs);
    board.set('base_velocity', [2, 0.1, -5], 'test');
    set('base.wx', 4);
    io.assemble(obs);
    const x = Array.from(io.input);
    expect(x).toHaveLength(51);
    const expected = [
      // base_lin_vel: R(q)ᵀ·v, the world velocity in the body frame.
      Math.cos(0.3),
      2,
      Math.sin(0.3),
      // base_ang_vel × 0.25, two frames oldest first: the reset frame, then the current one.
      0.25,
      0.5,
      0.75,
      1,
      0.5,
      0.75,
      // projected_gravity: R(q)ᵀ·(0, 0, −1).
      Math.sin(0.3),
      0,
      -Math.cos(0.3),
      // generated_commands: the channel as set (the file has no ranges to clamp it to).
      2,
      0.1,
      -5,
      // joint_pos_rel in Isaac Lab's order: position minus that joint's default.
      ...policyOrder.map((_, i) => i - go2Pose[i]!),
      // joint_vel_rel clipped to ±20, then × 0.05: 10 → 0.5, every other ≥ 20 → 1.
      0.5,
      ...fill(1, 11),
      // last_action: zero after the reset.
      ...fill(0),
    ];
    expected.forEach((v, i) => {
      expect(x[i], `input ${i}`).toBeCloseTo(v, 6);
    });

    io.output.set(policyOrder.map((_, i) => i / 10));
    const action = new Float64Array(pd.action.signals.length);
    io.command(action);
    const act = pd.action.signals.map((s) => s.name);
    policyOrder.forEach((j, i) => {
      expect(action[act.indexOf(`${j}.target`)]).toBeCloseTo(go2Pose[i]! + 0.25 * (i / 10), 6);
    });
    expect(action[act.indexOf('fr_thigh.kp')]).toBe(25);
    expect(action[act.indexOf('rl_knee.kd')]).toBe(0.5);
    io.assemble(obs);
    expect(Array.from(io.input).slice(39)).toEqual(
      Array.from(Float32Array.from(policyOrder.map((_, i) => i / 10))),
    );
  });

  it('gives the contract and the input a deploy.yaml of the same policy gives', () => {
    const viaIO = files('same-io', go2Descriptors(), binding).load();
    const overloads = (
      scale: number | null,
      history_length: number,
      clip: [number, number] | null = null,
    ) => ({
      scale,
      clip,
      history_length,
    });
    const deploy = {
      joint_names: isaacJoints,
      default_joint_pos: go2Pose,
      stiffness: fill(25),
      damping: fill(0.5),
      step_dt: 0.02,
      actions: { JointPositionAction: { scale: 0.25, offset: go2Pose, clip: null, joint_ids: null } },
      observations: {
        base_lin_vel: overloads(null, 0),
        base_ang_vel: overloads(0.25, 2),
        projected_gravity: overloads(null, 0),
        generated_commands: { params: { command_name: 'base_velocity' }, ...overloads(null, 0) },
        joint_pos_rel: overloads(null, 0),
        joint_vel_rel: overloads(0.05, 0, [-20, 20]),
        last_action: overloads(null, 0),
      },
    };
    writeFileSync(path.join(dir, 'same.deploy.yaml'), stringify(deploy));
    const wrapper = path.join(dir, 'same-deploy.yaml');
    writeFileSync(
      wrapper,
      stringify({
        format: 'isaaclab-deploy/1',
        deploy: 'same.deploy.yaml',
        model: 'policy.onnx',
        bind: binding,
      }),
    );
    const viaDeploy = loadContract(wrapper);
    expect(viaIO).toEqual(viaDeploy);

    // And the same robot state gives the same input and the same commands through either.
    const names = pd.observation.signals.map((s) => s.name);
    const obs = Float64Array.from(names, (_, i) => Math.sin(i));
    obs[names.indexOf('base.qw')] = 1;
    obs[names.indexOf('base.qx')] = 0;
    obs[names.indexOf('base.qy')] = 0;
    obs[names.indexOf('base.qz')] = 0;
    const maps = [viaIO, viaDeploy].map((c) => {
      const board = new CommandBoard();
      const io = new PolicyIOMap(c, pd.observation, pd.action, dir, board);
      io.reset(obs);
      board.set('base_velocity', [0.4, -0.1, 0.3], 'test');
      io.assemble(obs);
      io.output.set(policyOrder.map((_, i) => Math.cos(i)));
      const action = new Float64Array(pd.action.signals.length);
      io.command(action);
      return { input: Array.from(io.input), action: Array.from(action) };
    });
    expect(maps[0]).toEqual(maps[1]);
  });

  it('reads a joint_pos term as absolute positions, a joint subset, and an action in its own joint order', () => {
    const d = edited((d) => {
      const [action] = d.actions;
      // preserve_order: the action lists calves first; its scale and offset follow that order.
      const order = [8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7];
      action.joint_names = order.map((i) => isaacJoints[i]);
      action.offset = order.map((i) => go2Pose[i]);
      d.observations.policy[4] = term(
        'joint_pos',
        4,
        'JointState',
        {},
        { units: 'rad' },
        {
          joint_names: isaacJoints.slice(0, 4),
        },
      );
    });
    const c = files('absolute', d, binding).load();
    expect(c.observations[4]).toMatchObject({
      name: 'joint_pos',
      signals: policyOrder.slice(0, 4).map((j) => `${j}.pos`),
    });
    expect(c.observations[4]!.offset).toBe(0);
    const order = [8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7];
    expect(c.actions.signals).toEqual(order.map((i) => `${policyOrder[i]}.target`));
    expect(c.actions.offset).toEqual(order.map((i) => go2Pose[i]));
  });

  it('reads JointEffortAction as torques and picks bind.articulation among several', () => {
    const d = edited((d) => {
      d.actions[0].full_path = 'isaaclab.envs.mdp.actions.joint_actions.JointEffortAction';
      d.actions[0].name = 'joint_effort_action';
      d.actions[0].offset = 0;
      d.actions[0].scale = 20;
      d.articulations = {
        quadruped: d.articulations.robot,
        door: { joint_names: ['hinge'], default_joint_pos: [0] },
      };
    });
    const { gains: _gains, ...rest } = binding;
    const c = files('effort', d, { ...rest, articulation: 'quadruped' }).load();
    expect(c.actions.mode).toBe('torque');
    expect(c.actions.signals).toEqual(policyOrder.map((j) => `${j}.torque`));
    expect(c.actions.offset).toBe(0);
    expect(checkContractAgainstRobot(c, torque.observation, torque.action)).toEqual([]);
  });
});

describe('refusals name the file, the key and what was expected', () => {
  it('an IO descriptors file named as deploy: says which key it belongs under', () => {
    const io = path.join(dir, 'misnamed.IO_descriptors.yaml');
    writeFileSync(io, safeDump(go2Descriptors()));
    const file = path.join(dir, 'misnamed.yaml');
    writeFileSync(
      file,
      stringify({
        format: 'isaaclab-deploy/1',
        deploy: 'misnamed.IO_descriptors.yaml',
        model: 'policy.onnx',
        bind: binding,
      }),
    );
    expect(() => loadContract(file)).toThrow(
      `${file}: deploy: misnamed.IO_descriptors.yaml is an Isaac Lab IO descriptors file (it has articulations and scene), not a deploy YAML; name it as io_descriptors: misnamed.IO_descriptors.yaml`,
    );
  });

  it('malformed values say what was expected, not only that the input is invalid', () => {
    const nested = files(
      'nested-scale',
      edited((d) => {
        d.actions[0].scale = [[0.25]];
      }),
      binding,
    );
    expect(nested.load).toThrow(
      `${nested.io}: actions.0.scale: expected a number, or a list of numbers (one per joint or dimension)`,
    );
    const flatten = files(
      'flatten-null',
      edited((d) => {
        d.observations.policy[0].overloads.flatten_history_dim = null;
      }),
      binding,
    );
    expect(flatten.load).toThrow(
      /observations\.policy\.0\.overloads\.flatten_history_dim: expected true or false/,
    );
    const clip = files(
      'clip-triple',
      edited((d) => {
        d.actions[0].clip = d.actions[0].joint_names.map(() => [-1, 0, 1]);
      }),
      binding,
    );
    expect(clip.load).toThrow(/actions\.0\.clip\.0: expected \[lower, upper\]/);
  });

  it('an action term other than the joint actions reproduced here', () => {
    const f = files(
      'relative',
      edited((d) => {
        d.actions[0].full_path = 'isaaclab.envs.mdp.actions.joint_actions.RelativeJointPositionAction';
        d.actions[0].name = 'relative_joint_position_action';
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.io}: actions.0.full_path: isaaclab.envs.mdp.actions.joint_actions.RelativeJointPositionAction is not a term this reader reproduces; expected isaaclab.envs.mdp.actions.joint_actions.JointPositionAction, isaaclab.envs.mdp.actions.joint_actions.JointVelocityAction, isaaclab.envs.mdp.actions.joint_actions.JointEffortAction (raw · scale + offset, then the per-joint clip)`,
    );
  });

  it('more than one action term', () => {
    const f = files(
      'two-actions',
      edited((d) => {
        d.actions.push({ ...d.actions[0], name: 'gripper' });
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.io}: actions: expected one action term, found 2 (joint_position_action, gripper)`,
    );
  });

  it('an action joint the articulation does not have, and a per-joint array of the wrong length', () => {
    const f = files(
      'action-joint',
      edited((d) => {
        d.actions[0].joint_names[3] = 'RR_wheel_joint';
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.io}: actions.0.joint_names.3: 'RR_wheel_joint' is not a joint of articulations.robot.joint_names`,
    );
    const g = files(
      'action-scale',
      edited((d) => {
        d.actions[0].offset = [0, 0];
      }),
      binding,
    );
    expect(g.load).toThrow(
      `${g.io}: actions.0.offset: 2 values, expected 12 (one per joint of the action term)`,
    );
  });

  it('an observation modifier', () => {
    const f = files(
      'modifier',
      edited((d) => {
        d.observations.policy[1].extras.modifiers = [{ func: 'isaaclab.utils.modifiers.clip' }];
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.io}: observations.policy.1.extras.modifiers: [{"func":"isaaclab.utils.modifiers.clip"}]: modifiers are not reproduced; expected null`,
    );
  });

  it('a history that is not flattened', () => {
    const f = files(
      'unflattened',
      edited((d) => {
        d.observations.policy[1].overloads.flatten_history_dim = false;
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.io}: observations.policy.1.overloads.flatten_history_dim: false with history_length 2: an unflattened history is not one vector; expected true`,
    );
  });

  it('a term of more than one dimension', () => {
    const f = files(
      'image',
      edited((d) => {
        d.observations.policy.push(term('image', 0, 'Image', {}, {}, { shape: [64, 64, 3] }));
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.io}: observations.policy.7.shape: [64, 64, 3]: a term of more than one dimension is not read; expected [width]`,
    );
  });

  it('two terms of one function', () => {
    const f = files(
      'twice',
      edited((d) => {
        d.observations.policy.push(d.observations.policy[4]);
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.io}: observations.policy.7.name: joint_pos_rel again (also observations.policy.4): the file names terms by their function, so two terms of one function cannot be told apart; expected each function once`,
    );
  });

  it('a default joint velocity to subtract, and joint_pos offsets that are not the default pose', () => {
    const f = files(
      'vel-offset',
      edited((d) => {
        d.observations.policy[5].joint_vel_offsets[0] = 0.5;
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.io}: observations.policy.5.joint_vel_offsets: [0.5, ${fill(0, 11).join(', ')}]: a default joint velocity is not subtracted here; expected zeros`,
    );
    const g = files(
      'pos-offset',
      edited((d) => {
        d.observations.policy[4].joint_pos_offsets = fill(0);
      }),
      binding,
    );
    expect(g.load).toThrow(
      `${g.io}: observations.policy.4.joint_pos_offsets: [${fill(0).join(', ')}], expected the default pose of its joints, [${go2Pose.join(', ')}] (articulations.robot.default_joint_pos)`,
    );
  });

  it('a term the reader does not compute needs bind.observations, and then its width must match', () => {
    const scan = edited((d) => {
      d.observations.policy.push(term('height_scan', 4, 'Sensor'));
    });
    const f = files('scan', scan, binding);
    expect(f.load).toThrow(
      `${f.wrapper}: bind.observations.height_scan: ${f.io}: observations.policy.7 is not a term this reader computes by itself`,
    );
    const g = files('scan-bound', scan, {
      ...binding,
      observations: { height_scan: ['base.z', 'base.z', 'base.z'] },
    });
    expect(g.load).toThrow(
      `${g.io}: observations.policy.7.shape: [4], but height_scan as bound (bind.observations.height_scan of ${g.wrapper}) is 3 wide; expected the same width`,
    );
    const ok = files('scan-ok', scan, {
      ...binding,
      observations: { height_scan: ['base.z', 'base.z', 'base.z', 'base.z'] },
    }).load();
    expect(ok.observations[7]!.signals).toHaveLength(4);
    // A command term the file does not say is the velocity command is not guessed either.
    const h = files(
      'pose-command',
      edited((d) => {
        d.observations.policy[3].shape = [7];
      }),
      binding,
    );
    expect(h.load).toThrow(
      `${h.wrapper}: bind.observations.generated_commands: ${h.io}: observations.policy.3 is not a term this reader computes by itself`,
    );
  });

  it('a last action narrower than the action term', () => {
    const f = files(
      'last-action',
      edited((d) => {
        d.observations.policy[6].shape = [8];
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.io}: observations.policy.6.shape: [8], but last_action as read is 12 wide (the 12 outputs of actions.0); expected the same width`,
    );
  });

  it('an observation scale of the wrong width, named at its overloads key', () => {
    const f = files(
      'obs-scale',
      edited((d) => {
        d.observations.policy[5].overloads.scale = [0.05, 0.05];
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.io}: observations.policy.5.overloads.scale: 2 values, expected 12 (one per dimension of the term)`,
    );
  });

  it('an IMU term without the IMU signal it is computed from', () => {
    const f = files('no-velocity', go2Descriptors(), {
      ...binding,
      imu: { ...binding.imu, linear_velocity: undefined },
    });
    expect(f.load).toThrow(
      `${f.wrapper}: bind.imu.linear_velocity: ${f.io}: observations.policy.0 is computed from it; give it in the binding`,
    );
  });

  it('gains from an actuator that is not a PD', () => {
    const f = files(
      'actuator-net',
      edited((d) => {
        d.articulations.robot.default_joint_stiffness = fill(0);
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.io}: articulations.robot.default_joint_stiffness.0: 0 for FL_hip_joint, a joint the action term drives: its actuator is not a PD (e.g. an actuator network), so there is no stiffness for bind.gains; expected a PD actuator's stiffness, or no bind.gains / bind.pd (the robot's own drive keeps its gains)`,
    );
  });

  it('a position policy bound as torque', () => {
    const { gains: _gains, ...rest } = binding;
    const f = files('as-torque', go2Descriptors(), { ...rest, mode: 'torque' });
    expect(f.load).toThrow(
      `${f.wrapper}: bind.mode: torque, but ${f.io}: actions.0 outputs joint positions (expected bind.mode: position, with a pd drive (bind.gains) or, on a torque robot, a PD stage (bind.pd: true))`,
    );
  });

  it('no policy group', () => {
    const f = files(
      'no-policy',
      edited((d) => {
        d.observations = { critic: d.observations.policy };
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.io}: observations.policy: missing; expected the policy group's terms (the groups written: critic)`,
    );
  });

  it('a policy period that is not physics_dt × decimation', () => {
    const f = files(
      'dt',
      edited((d) => {
        d.scene.dt = 0.025;
      }),
      binding,
    );
    expect(f.load).toThrow(`${f.io}: scene.dt: 0.025, but physics_dt 0.005 × decimation 4 is 0.02`);
  });

  it('several articulations and none named robot, or one that is not there', () => {
    const several = edited((d) => {
      d.articulations = {
        quadruped: d.articulations.robot,
        door: { joint_names: ['hinge'], default_joint_pos: [0] },
      };
    });
    const f = files('several', several, binding);
    expect(f.load).toThrow(
      `${f.wrapper}: bind.articulation: ${f.io} describes the articulations door, quadruped; name the one the policy drives`,
    );
    const g = files('missing-articulation', several, { ...binding, articulation: 'robot' });
    expect(g.load).toThrow(
      `${g.wrapper}: bind.articulation: 'robot' is not an articulation of ${g.io} (it has door, quadruped)`,
    );
  });

  it('robot joint names that do not match the articulation joint for joint', () => {
    const f = files('short-joints', go2Descriptors(), { ...binding, joints: policyOrder.slice(1) });
    expect(f.load).toThrow(
      `${f.wrapper}: bind.joints: 11 names for the 12 joints of ${f.io}: articulations.robot.joint_names; expected the robot's name of each, in that order`,
    );
  });

  it('a binding file that names both a deploy YAML and IO descriptors, or neither', () => {
    const f = files('both', go2Descriptors(), binding, { deploy: 'deploy.yaml' });
    expect(f.load).toThrow(
      `${f.wrapper}: io_descriptors: expected either deploy (a deploy YAML) or io_descriptors (Isaac Lab's IO_descriptors.yaml), not both`,
    );
    const g = files('neither', go2Descriptors(), binding, { io_descriptors: undefined });
    expect(g.load).toThrow(
      `${g.wrapper}: deploy: expected either deploy (a deploy YAML) or io_descriptors (Isaac Lab's IO_descriptors.yaml), found neither`,
    );
  });
});

describe('the shipped walking export, described by IO descriptors', () => {
  const root = path.join(import.meta.dirname, '../..');
  const example = path.join(root, 'controllers/policies/examples/quadruped-trot');

  /**
   * What export_IO_descriptors would write for the env the walking policy stands for: the articulation
   * in the policy's (Isaac Lab's) joint order, the quadruped's home pose, its pd gains, and the policy
   * group of params/deploy.yaml (clip ±100 on every term, three frames of history but for the command).
   */
  function walkDescriptors(): Dict {
    const deploy = parse(readFileSync(path.join(example, 'params/deploy.yaml'), 'utf8'));
    const pose: number[] = deploy.default_joint_pos;
    const clip = [-100, 100];
    const frames = { clip, history_length: history };
    return {
      actions: [
        {
          action_type: 'JointAction',
          clip: null,
          dtype: 'torch.float32',
          extras: {
            description: 'Joint action term that applies the processed actions as position commands.',
          },
          full_path: 'isaaclab.envs.mdp.actions.joint_actions.JointPositionAction',
          joint_names: trotJoints,
          mdp_type: 'Action',
          name: 'joint_position_action',
          offset: pose,
          scale: actionScale,
          shape: [12],
        },
      ],
      articulations: {
        robot: {
          default_joint_damping: fill(trot.kd),
          default_joint_pos: pose,
          default_joint_stiffness: fill(trot.kp),
          default_joint_vel: fill(0),
          joint_names: trotJoints,
        },
      },
      observations: {
        policy: [
          term('base_ang_vel', 3, 'RootState', { ...frames, scale: 0.25 }),
          term('projected_gravity', 3, 'RootState', frames),
          term('generated_commands', 3, 'Command', { clip }),
          term(
            'joint_pos_rel',
            12,
            'JointState',
            frames,
            {},
            { joint_names: trotJoints, joint_pos_offsets: pose },
          ),
          term(
            'joint_vel_rel',
            12,
            'JointState',
            { ...frames, scale: 0.05 },
            {},
            {
              joint_names: trotJoints,
              joint_vel_offsets: fill(0),
            },
          ),
          term('last_action', 12, 'Action', frames),
        ],
      },
      scene: { decimation: 4, dt: 0.02, physics_dt: 0.005 },
    };
  }

  it('walks the sim quadruped tick for tick as its deploy.yaml does', async () => {
    const io = path.join(dir, 'walk.IO_descriptors.yaml');
    writeFileSync(io, safeDump(walkDescriptors()));
    const shipped = parse(readFileSync(path.join(example, 'policy.yaml'), 'utf8'));
    const { joints: _motorOrder, ...bind } = shipped.bind;
    const wrapper = path.join(dir, 'walk-io.yaml');
    writeFileSync(
      wrapper,
      stringify({
        format: 'isaaclab-deploy/1',
        io_descriptors: io,
        model: path.join(example, 'exported/policy.onnx'),
        bind,
      }),
    );
    const walk = async (contract: string) => {
      const config = parse(readFileSync(path.join(root, 'configs/quadruped-walk.yaml'), 'utf8'));
      config.loop.mode = 'fast';
      config.controllers.walk.contract = contract;
      config.commands.base_velocity.schedule = [{ at: 2.5, value: [0.5, 0, 0] }];
      const file = path.join(dir, `run-${path.basename(contract)}`);
      writeFileSync(file, stringify(config));
      // As a user runs it: tether run in its own process, then its log.
      const log = `${file}.mcap`;
      const result = await tether(['run', file, '--duration', '6', '--log', log]);
      expect(result.code, result.stderr).toBe(0);
      const read = await readLog(log);
      const rec = new WalkRecorder();
      const t = read.ticks;
      for (let i = 0; i < t.count; i++)
        rec.writeTick({
          deadline: t.time[i]!,
          controller: t.controller[i]!,
          observation: t.observation.subarray(i * t.observationSize, (i + 1) * t.observationSize),
        } as TickRecord);
      return { rec, result, read };
    };
    const viaIO = await walk(wrapper);
    const viaDeploy = await walk(path.join(example, 'policy.yaml'));
    expect(viaIO.result.stdout).toMatch(/walk active at the end/);
    expect(viaIO.result.stdout).toMatch(/safety: ok/);
    expect(viaIO.read.ticks.count).toBe(viaDeploy.read.ticks.count);
    // The same observations every tick: the two readings drive the robot identically.
    expect(viaIO.rec.vx).toEqual(viaDeploy.rec.vx);
    expect(viaIO.rec.z).toEqual(viaDeploy.rec.z);
    // And it walks: the last second's forward speed near the commanded 0.5 m/s, upright.
    const last = viaIO.rec.vx.slice(-50);
    expect(Math.abs(last.reduce((a, b) => a + b, 0) / last.length - 0.5)).toBeLessThan(0.1);
    expect(Math.min(...viaIO.rec.up.slice(-150))).toBeGreaterThan(0.8);
  }, 60_000);
});
