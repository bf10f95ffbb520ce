/**
 * The formats people export, read unchanged: unitree_rl_lab's params/deploy.yaml (joint_ids_map,
 * per-motor stiffness/damping, the default pose per policy joint, JointPositionAction arrays,
 * observation terms with per-dimension scale, clip and history, command ranges) and the plainer
 * legged_gym-style layout,
 * against the sim quadruped whose joint order differs from both the policy's and the motors'.
 * Every refusal names the file, the key and what was expected.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createEnv, type MujocoEnv } from '../../sim/envs/index.ts';
import { CommandBoard } from '../../src/core/commands.ts';
import type { ActionSpec, VectorSpec } from '../../src/core/spec.ts';
import {
  ContractError,
  checkContractAgainstRobot,
  loadContract,
  observationSize,
} from '../../src/inference/contract.ts';
import { PolicyIOMap } from '../../src/inference/io-map.ts';

/**
 * A deploy.yaml as unitree_rl_lab's exporter (source/unitree_rl_lab/unitree_rl_lab/utils/
 * export_deploy_cfg.py) writes it for a Go2: keys and nesting as exported, the Go2's default pose
 * (hips +0.1 left / -0.1 right, thighs 0.8 front / 1.0 rear, calves -1.5). Policy order: Isaac Lab's
 * articulation order, by joint type (FL, FR, RL, RR hips, then thighs, then calves). Motor order:
 * Unitree's SDK order (FR, FL, RR, RL; hip, thigh, calf each). The exporter scatters stiffness and
 * damping into motor order through joint_ids_map (`stiffness[joint_ids_map] = …`; here hip 40, thigh
 * 41, calf 42) and writes default_joint_pos unmapped, in policy order, the order of the action offsets.
 */
const unitreeDeploy = `joint_ids_map: [3, 0, 9, 6, 4, 1, 10, 7, 5, 2, 11, 8]
step_dt: 0.02
stiffness: [40.0, 41.0, 42.0, 40.0, 41.0, 42.0, 40.0, 41.0, 42.0, 40.0, 41.0, 42.0]
damping: [1.0, 1.1, 1.2, 1.0, 1.1, 1.2, 1.0, 1.1, 1.2, 1.0, 1.1, 1.2]
default_joint_pos: [0.1, -0.1, 0.1, -0.1, 0.8, 0.8, 1.0, 1.0, -1.5, -1.5, -1.5, -1.5]
commands:
  base_velocity:
    ranges:
      lin_vel_x: [-0.5, 1.0]
      lin_vel_y: [-0.3, 0.3]
      ang_vel_z: [-1.0, 1.0]
      heading: null
actions:
  JointPositionAction:
    joint_names: [.*]
    scale: [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25]
    offset: [0.1, -0.1, 0.1, -0.1, 0.8, 0.8, 1.0, 1.0, -1.5, -1.5, -1.5, -1.5]
    clip: null
    joint_ids: null
observations:
  base_ang_vel:
    params: {}
    clip: [-100.0, 100.0]
    scale: [0.2, 0.2, 0.2]
    history_length: 2
  projected_gravity:
    params: {}
    clip: [-100.0, 100.0]
    scale: [1.0, 1.0, 1.0]
    history_length: 1
  velocity_commands:
    params: {command_name: base_velocity}
    clip: [-100.0, 100.0]
    scale: [1.0, 1.0, 1.0]
    history_length: 1
  joint_pos_rel:
    params: {}
    clip: [-100.0, 100.0]
    scale: [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    history_length: 1
  joint_vel_rel:
    params: {}
    clip: [-1.0, 1.0]
    scale: [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]
    history_length: 1
  last_action:
    params: {}
    clip: [-100.0, 100.0]
    scale: [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    history_length: 2
`;

/** The robot's joints in the deploy's motor order (FR, FL, RR, RL). */
const motors = ['fr', 'fl', 'rr', 'rl'].flatMap((l) => ['hip', 'thigh', 'knee'].map((p) => `${l}_${p}`));
/** The policy's joint order (Isaac Lab's, by joint type). */
const policyOrder = ['hip', 'thigh', 'knee'].flatMap((p) => ['fl', 'fr', 'rl', 'rr'].map((l) => `${l}_${p}`));

const binding = {
  joints: motors,
  imu: {
    quaternion: ['base.qw', 'base.qx', 'base.qy', 'base.qz'],
    angular_velocity: ['base.wx', 'base.wy', 'base.wz'],
  },
  gains: { kp: '{joint}.kp', kd: '{joint}.kd' },
};

let dir = '';
let pd: MujocoEnv;
let torque: MujocoEnv;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tether-deploy-'));
  pd = await createEnv('quadruped', { controlDt: 0.02, drive: { mode: 'pd', damping: 4 } });
  torque = await createEnv('quadruped', { controlDt: 0.02 });
});
afterAll(() => {
  pd?.dispose();
  torque?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a deploy file and its wrapper; returns the wrapper's path. */
function files(name: string, deploy: string | object, bind: object): { wrapper: string; deploy: string } {
  const deployFile = path.join(dir, `${name}.deploy.yaml`);
  writeFileSync(deployFile, typeof deploy === 'string' ? deploy : stringify(deploy));
  const wrapper = path.join(dir, `${name}.yaml`);
  writeFileSync(
    wrapper,
    stringify({ format: 'isaaclab-deploy/1', deploy: `${name}.deploy.yaml`, model: 'policy.onnx', bind }),
  );
  return { wrapper, deploy: deployFile };
}

// biome-ignore lint/suspicious/noExplicitAny: the parsed YAML is edited freely to break one key at a time
const edited = (change: (d: Record<string, any>) => void): Record<string, unknown> => {
  const d = parse(unitreeDeploy);
  change(d);
  return d;
};

describe("unitree_rl_lab's deploy.yaml, unchanged", () => {
  it('maps policy order → motor order → robot signals, with the default pose, gains and commands', () => {
    const { wrapper } = files('unitree', unitreeDeploy, binding);
    const c = loadContract(wrapper);
    expect(c.policy_rate_hz).toBe(50);
    expect(c.normalizer.kind).toBe('inside_model');
    expect(c.observations.map((t) => [t.name, t.source, t.history])).toEqual([
      ['base_ang_vel', 'signals', 2],
      ['projected_gravity', 'projected_gravity', 1],
      ['velocity_commands', 'command', 1],
      ['joint_pos_rel', 'signals', 1],
      ['joint_vel_rel', 'signals', 1],
      ['last_action', 'last_action', 2],
    ]);
    const jointPos = c.observations[3]!;
    // Policy joint i is motor joint_ids_map[i]: fl_hip is motor 3, fr_hip motor 0, …
    expect(jointPos.signals).toEqual(policyOrder.map((j) => `${j}.pos`));
    // The default pose as written: already in policy order.
    expect(jointPos.offset).toEqual([0.1, -0.1, 0.1, -0.1, 0.8, 0.8, 1.0, 1.0, -1.5, -1.5, -1.5, -1.5]);
    expect(jointPos.clip_stage).toBe('before_scale');
    expect(c.observations[2]).toMatchObject({
      command: 'base_velocity',
      value: [0, 0, 0],
      ranges: [
        [-0.5, 1.0],
        [-0.3, 0.3],
        [-1.0, 1.0],
      ],
    });
    expect(c.actions.signals).toEqual(policyOrder.map((j) => `${j}.target`));
    expect(c.actions.mode).toBe('position');
    expect(c.actions.offset).toEqual(jointPos.offset);
    // Stiffness and damping go to each motor's kp/kd signal by the motor's name.
    expect(c.actions.constants['fr_hip.kp']).toBe(40);
    expect(c.actions.constants['fr_thigh.kp']).toBe(41);
    expect(c.actions.constants['rl_knee.kd']).toBe(1.2);
    expect(Object.keys(c.actions.constants)).toHaveLength(24);
    expect(observationSize(c)).toBe(3 * 2 + 3 + 3 + 12 + 12 + 12 * 2);
    expect(checkContractAgainstRobot(c, pd.observation, pd.action)).toEqual([]);
  });

  it('assembles the input exactly: orders, gravity from the quaternion, clip before scale, commands clamped', () => {
    const { wrapper } = files('unitree-io', unitreeDeploy, binding);
    const c = loadContract(wrapper);
    const board = new CommandBoard();
    const io = new PolicyIOMap(c, pd.observation, pd.action, dir, board);
    const names = pd.observation.signals.map((s) => s.name);
    const obs = new Float64Array(names.length);
    const set = (name: string, v: number) => {
      obs[names.indexOf(name)] = v;
    };
    // Pitched nose-down by 0.3 rad about y: gravity in the body frame is (sin 0.3, 0, −cos 0.3).
    set('base.qw', Math.cos(0.15));
    set('base.qy', Math.sin(0.15));
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
    const close = (a: number[], b: number[]) => {
      for (const [i, v] of a.entries()) expect(v).toBeCloseTo(b[i]!, 5);
    };
    // base_ang_vel, history 2, oldest first: the reset frame, then the current one; × 0.2.
    close(x.slice(0, 6), [0.2, 0.4, 0.6, 0.8, 0.4, 0.6]);
    close(x.slice(6, 9), [Math.sin(0.3), 0, -Math.cos(0.3)]);
    // The command is clamped to the deploy's ranges ([-0.5, 1], [-0.3, 0.3], [-1, 1]).
    close(x.slice(9, 12), [1, 0.1, -1]);
    const offset = c.observations[3]!.offset as number[];
    close(
      x.slice(12, 24),
      policyOrder.map((_, i) => i - offset[i]!),
    );
    // joint_vel_rel clips to [-1, 1] before its 0.05 scale: every |v| ≥ 10 clips to 1 → 0.05.
    close(x.slice(24, 36), new Array(12).fill(0.05));
    close(x.slice(36, 60), new Array(24).fill(0));

    // The output, in policy order, lands on the robot's signals with offset, scale and gains.
    io.output.set(policyOrder.map((_, i) => i / 10));
    const action = new Float64Array(pd.action.signals.length);
    io.command(action);
    const act = pd.action.signals.map((s) => s.name);
    policyOrder.forEach((j, i) => {
      expect(action[act.indexOf(`${j}.target`)]).toBeCloseTo(offset[i]! + 0.25 * (i / 10), 6);
    });
    expect(action[act.indexOf('fl_thigh.kp')]).toBe(41);
    expect(action[act.indexOf('rr_hip.kd')]).toBe(1.0);
    io.assemble(obs);
    // last_action, history 2: the zero after reset, then the output just applied.
    close(Array.from(io.input).slice(36, 60), [
      ...new Array(12).fill(0),
      ...policyOrder.map((_, i) => i / 10),
    ]);
  });

  it("reads `offset: default_joint_pos` and per-joint processed clips (Isaac Lab's JointAction clip)", () => {
    const { wrapper } = files(
      'offset-name',
      edited((d) => {
        d.actions.JointPositionAction.offset = 'default_joint_pos';
        d.actions.JointPositionAction.clip = policyOrder.map(() => [-3, 3]);
      }),
      binding,
    );
    const c = loadContract(wrapper);
    expect(c.actions.offset).toEqual([0.1, -0.1, 0.1, -0.1, 0.8, 0.8, 1.0, 1.0, -1.5, -1.5, -1.5, -1.5]);
    expect(c.actions.command_clip).toHaveLength(12);
    expect(c.actions.clip).toBeUndefined();
  });

  it('binds a PD stage for a torque-driven robot (bind.pd) with the deploy gains in policy order', () => {
    const { gains: _gains, ...rest } = binding;
    const { wrapper } = files('pd-stage', unitreeDeploy, { ...rest, pd: true });
    const c = loadContract(wrapper);
    expect(c.actions.signals).toEqual(policyOrder.map((j) => `${j}.torque`));
    expect(c.actions.pd?.kp).toEqual([40, 40, 40, 40, 41, 41, 41, 41, 42, 42, 42, 42]);
    expect(c.actions.pd?.position).toEqual(policyOrder.map((j) => `${j}.pos`));
    expect(checkContractAgainstRobot(c, torque.observation, torque.action)).toEqual([]);
  });
});

/** The Go2's default angle of one of our joints, by name (unitree_rl_lab's UNITREE_GO2_CFG init_state). */
const go2Default = (joint: string): number => {
  const [leg, part] = joint.split('_') as [string, string];
  if (part === 'hip') return leg.endsWith('l') ? 0.1 : -0.1;
  if (part === 'thigh') return leg.startsWith('f') ? 0.8 : 1.0;
  return -1.5;
};

describe('default_joint_pos is in policy order, as the exporter writes it', () => {
  it('every policy joint is offset by its own default: a hip by a hip angle, never a calf angle', () => {
    const { wrapper } = files('go2-defaults', unitreeDeploy, binding);
    const c = loadContract(wrapper);
    const jointPos = c.observations[3]!;
    // Read through joint_ids_map instead, rl_hip (policy joint 2, motor 9) would get -1.5, a calf's.
    expect(jointPos.offset).toEqual(policyOrder.map(go2Default));
    // The robot standing exactly in the default pose: every joint_pos_rel input is zero.
    const io = new PolicyIOMap(c, pd.observation, pd.action, dir, new CommandBoard());
    const names = pd.observation.signals.map((s) => s.name);
    const obs = new Float64Array(names.length);
    obs[names.indexOf('base.qw')] = 1;
    for (const j of policyOrder) obs[names.indexOf(`${j}.pos`)] = go2Default(j);
    io.reset(obs);
    io.assemble(obs);
    expect(Array.from(io.input).slice(12, 24)).toEqual(new Array(12).fill(0));
  });

  it('joints the action term leaves out are held at their own default, not a motor-order neighbour', () => {
    // The action drives thighs and calves only (Isaac Lab joint_ids 4…11); the hips hold their pose.
    const { wrapper } = files(
      'legs-only',
      edited((d) => {
        const term = d.actions.JointPositionAction;
        term.joint_ids = [4, 5, 6, 7, 8, 9, 10, 11];
        term.scale = term.scale.slice(4);
        term.offset = term.offset.slice(4);
        d.observations.last_action.scale = d.observations.last_action.scale.slice(4);
      }),
      binding,
    );
    const c = loadContract(wrapper);
    expect(c.actions.signals).toEqual(policyOrder.slice(4).map((j) => `${j}.target`));
    for (const hip of ['fl_hip', 'fr_hip', 'rl_hip', 'rr_hip'])
      expect(c.actions.constants[`${hip}.target`]).toBe(go2Default(hip));
  });

  it("an older export's Python slice (`joint_ids: !!python/object/apply:builtins.slice`) reads as all joints", () => {
    const older = unitreeDeploy.replace(
      '    joint_ids: null',
      '    joint_ids: !!python/object/apply:builtins.slice [null, null, null]',
    );
    const c = loadContract(files('older-slice', older, binding).wrapper);
    expect(c.actions.signals).toEqual(policyOrder.map((j) => `${j}.target`));
  });
});

describe('joint subsets of an observation term (params.asset_cfg.joint_ids)', () => {
  /** joint_pos_rel over the hips only, with the rest of Isaac Lab's SceneEntityCfg as to_dict() writes it. */
  const hipsOnly = (term: string, ids: string, width: number) =>
    unitreeDeploy
      .replace(
        `  ${term}:\n    params: {}`,
        [
          `  ${term}:`,
          '    params:',
          '      asset_cfg:',
          '        name: robot',
          '        joint_names: [FL_hip_joint, FR_hip_joint, RL_hip_joint, RR_hip_joint]',
          `        joint_ids: ${ids}`,
          '        fixed_tendon_names: null',
          '        fixed_tendon_ids: !!python/object/apply:builtins.slice [null, null, null]',
          '        body_names: null',
          '        body_ids: !!python/object/apply:builtins.slice [null, null, null]',
          '        preserve_order: false',
        ].join('\n'),
      )
      .replace(
        /( {2}joint_pos_rel:[\s\S]*?scale: )\[[^\]]*\]/,
        `$1[${new Array(width).fill('1.0').join(', ')}]`,
      );

  it('are honoured on joint terms: the selected policy joints, each with its own default', () => {
    const c = loadContract(files('subset', hipsOnly('joint_pos_rel', '[0, 1, 2, 3]', 4), binding).wrapper);
    const jointPos = c.observations[3]!;
    expect(jointPos.signals).toEqual(['fl_hip.pos', 'fr_hip.pos', 'rl_hip.pos', 'rr_hip.pos']);
    expect(jointPos.offset).toEqual([0.1, -0.1, 0.1, -0.1]);
    expect(observationSize(c)).toBe(3 * 2 + 3 + 3 + 4 + 12 + 12 * 2);
  });

  it('are refused where they would be ignored, and only slice(None) is read as a slice', () => {
    const onGravity = files(
      'subset-gravity',
      hipsOnly('joint_pos_rel', 'null', 12).replace(
        '  projected_gravity:\n    params: {}',
        '  projected_gravity:\n    params: {asset_cfg: {name: robot, joint_ids: [0]}}',
      ),
      binding,
    );
    expect(() => loadContract(onGravity.wrapper)).toThrow(
      `${onGravity.deploy}: observations.projected_gravity.params.asset_cfg.joint_ids: [0] selects joints, but projected_gravity (a vector of the base) is not one value per joint; expected null or slice(None)`,
    );
    const sliced = files(
      'subset-slice',
      hipsOnly('joint_pos_rel', '!!python/object/apply:builtins.slice [0, 4, null]', 4),
      binding,
    );
    expect(() => loadContract(sliced.wrapper)).toThrow(
      `${sliced.deploy}: observations.joint_pos_rel.params.asset_cfg.joint_ids: slice(0, 4, None) is not read; expected null, slice(None) (all joints) or a list of joint indices`,
    );
    const outside = files('subset-range', hipsOnly('joint_pos_rel', '[0, 12]', 2), binding);
    expect(() => loadContract(outside.wrapper)).toThrow(
      `${outside.deploy}: observations.joint_pos_rel.params.asset_cfg.joint_ids: joint 12 does not exist (the policy has 12 joints)`,
    );
  });
});

describe('refusals name the file, the key and what was expected', () => {
  const refused = (name: string, deploy: string | object, bind: object) => {
    const f = files(name, deploy, bind);
    return { ...f, load: () => loadContract(f.wrapper) };
  };

  it('joint_ids_map without the robot joints in motor order', () => {
    const { gains, imu } = binding;
    const f = refused('no-joints', unitreeDeploy, { gains, imu });
    expect(f.load).toThrow(
      `${f.wrapper}: bind.joints: ${f.deploy} maps policy joints to motors (joint_ids_map); list the robot's 12 joints in motor order`,
    );
  });

  it('a motor list of the wrong length, a motor out of range, a motor mapped twice, gains of the wrong length', () => {
    const f = refused('short', unitreeDeploy, { ...binding, joints: motors.slice(1) });
    expect(f.load).toThrow(`${f.wrapper}: bind.joints: 11 joints given, expected 12 (one per motor`);
    const g = refused(
      'range',
      edited((d) => {
        d.joint_ids_map[0] = 12;
      }),
      binding,
    );
    expect(g.load).toThrow(
      `${g.deploy}: joint_ids_map.0: motor 12 does not exist (bind.joints of ${g.wrapper} names 12 motors)`,
    );
    const h = refused(
      'twice',
      edited((d) => {
        d.joint_ids_map[1] = 3;
      }),
      binding,
    );
    expect(h.load).toThrow(`${h.deploy}: joint_ids_map.1: motor 3 is mapped twice`);
    const k = refused(
      'stiff',
      edited((d) => {
        d.stiffness.pop();
      }),
      binding,
    );
    expect(k.load).toThrow(
      `${k.deploy}: stiffness: 11 values, expected 12 (one per motor, in motor order, like bind.joints of ${k.wrapper})`,
    );
  });

  it('a default pose in motor order, a default pose per motor, a gain on a motor outside joint_ids_map', () => {
    // The layout this reader once assumed: the Go2 pose in SDK order (FR, FL, RR, RL; hip, thigh, calf).
    const f = refused(
      'motor-order-pose',
      edited((d) => {
        d.default_joint_pos = motors.map(go2Default);
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.deploy}: default_joint_pos: in motor order (actions.JointPositionAction.offset equals it only when read through joint_ids_map); expected policy order, as unitree_rl_lab's exporter writes it (the order of the action offsets)`,
    );
    // A robot with a 13th motor the policy does not drive (unitree_rl_lab: in joint_sdk_names, not in
    // the articulation): the pose has 12 values, the gains 13.
    const withSpare = (spareStiffness: number) =>
      edited((d) => {
        d.stiffness.push(spareStiffness);
        d.damping.push(0);
      });
    const spareBinding = { ...binding, joints: [...motors, 'tail'] };
    const g = refused(
      'pose-per-motor',
      edited((d) => {
        d.stiffness.push(0);
        d.damping.push(0);
        d.default_joint_pos.push(0);
      }),
      spareBinding,
    );
    expect(g.load).toThrow(
      `${g.deploy}: default_joint_pos: 13 values, expected 12 (one per policy joint, in policy order like joint_ids_map)`,
    );
    const h = refused('spare-gain', withSpare(20), spareBinding);
    expect(h.load).toThrow(
      `${h.deploy}: stiffness.12: 20, but motor 12 (tail) is not in joint_ids_map, so the file has no default position to hold it at; expected 0`,
    );
    // As the exporter writes it (zero gains there), the spare motor is passive: gains 0, no target.
    const passive = loadContract(files('spare-passive', withSpare(0), spareBinding).wrapper);
    expect(passive.actions.constants['tail.kp']).toBe(0);
    expect(passive.actions.constants['tail.kd']).toBe(0);
    expect(passive.actions.constants['tail.target']).toBeUndefined();
  });

  it('a default pose that does not fit joint_names, and pattern joint names without an order', () => {
    const f = refused(
      'plain',
      {
        joint_names: ['a', 'b'],
        default_joint_pos: new Array(23).fill(0),
        step_dt: 0.02,
        actions: { JointPositionAction: { scale: 0.25 } },
        observations: { joint_pos_rel: { scale: 1 } },
      },
      {},
    );
    expect(f.load).toThrow(
      `${f.deploy}: default_joint_pos: 23 values for the 2 joints of joint_names, expected one per joint`,
    );
    const g = refused(
      'patterns',
      edited((d) => {
        delete d.joint_ids_map;
      }),
      binding,
    );
    expect(g.load).toThrow(
      `${g.deploy}: joint_names: no joint order: give joint_names (one per default_joint_pos value) or joint_ids_map (the action term's joint_names [".*"] are patterns, not an order)`,
    );
  });

  it('per-joint arrays of the wrong length', () => {
    const f = refused(
      'scale',
      edited((d) => {
        d.actions.JointPositionAction.scale = [0.25, 0.25];
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.deploy}: actions.JointPositionAction.scale: 2 values, expected 12 (one per joint of the action term)`,
    );
    const g = refused(
      'obs-scale',
      edited((d) => {
        d.observations.joint_vel_rel.scale = [0.05];
      }),
      binding,
    );
    expect(g.load).toThrow(
      `${g.deploy}: observations.joint_vel_rel.scale: 1 values, expected 12 (one per dimension of the term)`,
    );
  });

  it('a term the reader cannot compute, and an IMU term without the IMU binding', () => {
    const f = refused(
      'scan',
      edited((d) => {
        d.observations.height_scan = { params: {}, clip: null, scale: 1, history_length: 1 };
      }),
      binding,
    );
    expect(f.load).toThrow(
      `${f.wrapper}: bind.observations.height_scan: ${f.deploy}: observations.height_scan is not a term this reader computes by itself`,
    );
    const g = refused('no-imu', unitreeDeploy, {
      ...binding,
      imu: { angular_velocity: binding.imu.angular_velocity },
    });
    expect(g.load).toThrow(
      `${g.wrapper}: bind.imu.quaternion: ${g.deploy}: observations.projected_gravity is computed from it; give it in the binding`,
    );
  });

  it('a position policy bound as torque is refused at read time, naming both files', () => {
    const f = refused('as-torque', unitreeDeploy, { ...binding, gains: undefined, mode: 'torque' });
    expect(f.load).toThrow(
      `${f.wrapper}: bind.mode: torque, but ${f.deploy}: actions.JointPositionAction outputs joint positions (expected bind.mode: position, with a pd drive (bind.gains) or, on a torque robot, a PD stage (bind.pd: true))`,
    );
  });

  it('a position policy on a torque robot without a PD stage, and gains from a file that has none', () => {
    const { gains: _gains, ...rest } = binding;
    const { wrapper } = files('no-stage', unitreeDeploy, rest);
    const c = loadContract(wrapper);
    const check = () =>
      checkContractAgainstRobot(c, torque.observation, torque.action, `${wrapper}: policy contract vs robot`);
    expect(check).toThrow(ContractError);
    expect(check).toThrow(
      `${wrapper}: policy contract vs robot:\n  - actions: robot has no action signal 'fl_hip.target'`,
    );
    expect(check).toThrow(
      "actions.mode: the policy outputs position commands, the robot takes torque commands: a position policy needs the robot's pd drive (kp/kd on the motors) or a PD stage in the runtime (actions.pd)",
    );
    // The same torque policy the other way round: a torque policy on the pd drive.
    const effort = refused(
      'effort',
      edited((d) => {
        d.actions = { JointEffortAction: { ...d.actions.JointPositionAction, offset: null } };
      }),
      { ...rest, actions: '{joint}.target' },
    );
    const e = loadContract(effort.wrapper);
    expect(() => checkContractAgainstRobot(e, pd.observation, pd.action)).toThrow(
      "actions.mode: the policy outputs torque commands, the robot takes position commands: nothing turns a torque policy's output into position targets",
    );
    const noGains = refused(
      'no-gains',
      edited((d) => {
        delete d.stiffness;
      }),
      binding,
    );
    expect(noGains.load).toThrow(
      `${noGains.deploy}: stiffness: bind.gains uses the deploy's stiffness and damping; this file has none`,
    );
  });
});

describe('robot specs used above', () => {
  it('the sim quadruped with a pd drive takes targets, kp and kd; its safe action is damping', () => {
    const act: ActionSpec = pd.action;
    expect(act.mode).toBe('position');
    expect(act.signals.slice(0, 3).map((s) => s.name)).toEqual([
      'fl_hip.target',
      'fl_thigh.target',
      'fl_knee.target',
    ]);
    expect(act.signals[12]).toMatchObject({ name: 'fl_hip.kp', unit: 'N*m/rad', lower: 0 });
    expect(act.safe.slice(12, 24)).toEqual(new Array(12).fill(0));
    expect(act.safe.slice(24)).toEqual(new Array(12).fill(4));
    const obs: VectorSpec = pd.observation;
    expect(obs.signals.map((s) => s.name)).toContain('base.qw');
  });
});
