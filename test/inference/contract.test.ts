import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type ActionSpec, signal, type VectorSpec } from '../../src/core/spec.ts';
import {
  type ContractInput,
  checkContractAgainstModel,
  checkContractAgainstRobot,
  loadContract,
  observationSize,
  parseContract,
  resolveDecimation,
} from '../../src/inference/contract.ts';
import { PolicyIOMap } from '../../src/inference/io-map.ts';

const robotObs: VectorSpec = {
  signals: [
    signal('a.pos', 'rad'),
    signal('b.pos', 'rad'),
    signal('a.vel', 'rad/s'),
    signal('b.vel', 'rad/s'),
  ],
};
const robotAct: ActionSpec = {
  signals: [signal('a.target', 'rad', -2, 2), signal('b.target', 'rad', -2, 2), signal('gripper', '1', 0, 1)],
  mode: 'position',
  safe: [0, 0, 0.5],
};

const base = (): ContractInput => ({
  format: 'tether-policy/1',
  policy_rate_hz: 50,
  observations: [
    { name: 'joint_pos', signals: ['b.pos', 'a.pos'], offset: [0.1, -0.2], unit: 'rad' },
    { name: 'joint_vel', signals: ['b.vel', 'a.vel'], scale: 0.5, clip: [-1, 1], history: 3 },
    { name: 'last_action', source: 'last_action' },
    { name: 'command', source: 'constant', value: [0.7] },
  ],
  actions: {
    signals: ['b.target', 'a.target'],
    mode: 'position',
    scale: 0.25,
    offset: [0.1, -0.2],
    clip: [-4, 4],
  },
});

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'tether-contract-'));
  dirs.push(d);
  return d;
};

describe('contract validation', () => {
  it('computes the input size from terms and histories', () => {
    expect(observationSize(parseContract(base()))).toBe(2 + 2 * 3 + 2 + 1);
  });

  it('names the field when a list has the wrong length', () => {
    const c = base();
    c.actions.scale = [1, 2, 3];
    expect(() => parseContract(c, 'my.yaml')).toThrow(
      /my\.yaml:[\s\S]*actions\.scale: 3 values, expected 1 or 2/,
    );
  });

  it('reports schema errors with their path', () => {
    expect(() => parseContract({ ...base(), policy_rate_hz: -1 })).toThrow(/policy_rate_hz/);
    expect(() =>
      parseContract({ ...base(), observations: [{ name: 'x', signals: ['a.pos'], histroy: 2 }] }),
    ).toThrow(/observations\.0.*histroy/);
  });
});

describe('contract files load through the one config loader', () => {
  /** Writes `text` as a contract file; the file and the message loading it throws. */
  function loadError(name: string, text: string): { file: string; message: string } {
    const file = path.join(tempDir(), name);
    writeFileSync(file, text);
    try {
      loadContract(file);
    } catch (error) {
      return { file, message: (error as Error).message };
    }
    throw new Error(`${name} loaded`);
  }
  const lineOf = (text: string, mark: string) => text.split('\n').findIndex((l) => l.includes(mark)) + 1;

  it('locates a typo, a wrong value, a length mismatch and a YAML syntax error at file:line:col', () => {
    const good = stringify(base());
    const typo = good.replace('history: 3', 'histroy: 3');
    expect(typo).not.toBe(good);
    const t = loadError('typo.yaml', typo);
    expect(t.message).toContain(
      `${t.file}:${lineOf(typo, 'histroy')}:5: observations[1]: unknown key 'histroy'; expected name,`,
    );

    const rate = good.replace('policy_rate_hz: 50', 'policy_rate_hz: -50');
    expect(rate).not.toBe(good);
    const r = loadError('rate.yaml', rate);
    expect(r.message).toContain(`${r.file}:${lineOf(rate, 'policy_rate_hz')}:1: policy_rate_hz: `);

    const scales = stringify({ ...base(), actions: { ...base().actions, scale: [1, 2, 3] } });
    const sc = loadError('scales.yaml', scales);
    expect(sc.message).toContain(
      `${sc.file}:${scales.split('\n').findIndex((l) => l.startsWith('  scale:')) + 1}:3: actions.scale: 3 values, expected 1 or 2`,
    );

    const syntax = loadError('syntax.yaml', `${good}observations: [\n`);
    expect(syntax.message).toMatch(/syntax\.yaml:\d+:\d+: \(top level\): YAML syntax/);
  });

  it('reads a JSON contract the same way, and the unedited contract loads', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'ok.json'), JSON.stringify(base(), null, 2));
    expect(observationSize(loadContract(path.join(dir, 'ok.json')))).toBe(2 + 2 * 3 + 2 + 1);
    const json = JSON.stringify({ ...base(), policy_rate_hz: 'fast' }, null, 2);
    const j = loadError('bad.json', json);
    expect(j.message).toContain(
      `${j.file}:${lineOf(json, 'policy_rate_hz')}:3: policy_rate_hz: expected number, got "fast"`,
    );
  });
});

describe('contract vs model', () => {
  const contract = parseContract(base());
  it('accepts the matching model', () => {
    expect(() =>
      checkContractAgainstModel(contract, {
        inputs: [{ name: 'obs', shape: ['batch', 11] }],
        outputs: [{ name: 'actions', shape: ['batch', 2] }],
      }),
    ).not.toThrow();
  });
  it('names the tensor, the expected and the actual size, and the terms', () => {
    const check = () =>
      checkContractAgainstModel(contract, {
        inputs: [{ name: 'obs', shape: ['batch', 12] }],
        outputs: [{ name: 'action', shape: ['batch', 2] }],
      });
    expect(check).toThrow(
      "input 'obs': expected 11 features (joint_pos 2×1 + joint_vel 2×3 + last_action 2×1 + command 1×1), model has 12",
    );
    expect(check).toThrow("output tensor: contract names 'actions', model has ['action']");
  });
});

describe('contract vs robot', () => {
  it('accepts the matching robot', () => {
    expect(() => checkContractAgainstRobot(parseContract(base()), robotObs, robotAct)).not.toThrow();
  });
  it('refuses missing signals, wrong units and the wrong command mode, all at once', () => {
    const c = base();
    c.observations[0]!.unit = 'deg';
    c.observations[1]!.signals = ['b.vel', 'c.vel'];
    c.actions.mode = 'torque';
    const check = () => checkContractAgainstRobot(parseContract(c), robotObs, robotAct);
    expect(check).toThrow("signal 'b.pos' is in rad, contract expects deg");
    expect(check).toThrow(
      "observation term 'joint_vel': robot has no signal 'c.vel' (robot signals: a.pos, b.pos, a.vel, b.vel)",
    );
    expect(check).toThrow(
      "actions.mode: the policy outputs torque commands, the robot takes position commands: nothing turns a torque policy's output into position targets",
    );
  });
  describe('actions against the actuators', () => {
    const cartObs: VectorSpec = { signals: [signal('pole.angle', 'rad')] };
    const cartAct: ActionSpec = { signals: [signal('cart.force', 'N', -20, 20)], mode: 'torque', safe: [0] };
    const cart = (actions: Partial<ContractInput['actions']>): ContractInput => ({
      format: 'tether-policy/1',
      policy_rate_hz: 50,
      observations: [{ name: 'angle', signals: ['pole.angle'] }],
      actions: { signals: ['cart.force'], mode: 'torque', ...actions },
    });
    const check = (actions: Partial<ContractInput['actions']>) =>
      checkContractAgainstRobot(parseContract(cart(actions)), cartObs, cartAct);

    it('refuses a policy mapped to ±1 on a ±20 N actuator, naming both ranges', () => {
      // What training used to export: normalised actions with the actuator scale lost.
      expect(() => check({ scale: 1, offset: 0 })).toThrow(
        "action 'cart.force': the contract maps the policy's [-1, 1] (no actions.clip: the usual range of a raw output) to [-1, 1] N, but the robot's actuator spans [-20, 20] N: the policy could use only 5 % of it",
      );
      expect(() => check({ scale: 3, clip: [-1, 1] })).toThrow(/maps the policy's \[-1, 1\] to \[-3, 3\] N/);
    });

    it('accepts the real scale, and a model that scales and clips in newtons itself', () => {
      expect(check({ unit: 'N', scale: 20, clip: [-1, 1] })).toEqual([]);
      expect(check({ unit: 'N', scale: 1, clip: [-20, 20] })).toEqual([]);
    });

    it('refuses an action unit the actuator does not take, naming both', () => {
      expect(() => check({ unit: 'N*m', scale: 20 })).toThrow(
        "action 'cart.force': the contract commands N*m, the robot's actuator takes N",
      );
      expect(() => parseContract(cart({ unit: ['N', 'N'] }), 'c.yaml')).toThrow(
        /actions\.unit: 2 values, expected 1 or 1/,
      );
    });

    it('refuses a reach outside the actuator; warns about one beyond it, which the safety layer clamps', () => {
      expect(() => check({ scale: 5, offset: 40 })).toThrow(
        /maps .* to \[35, 45\] N, .*: the policy can never command a value the actuator accepts/,
      );
      const warnings = check({ scale: 30 });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /to \[-30, 30\] N, .* spans \[-20, 20\] N: commands beyond it are clamped by the safety layer/,
      );
      // The contract's own command clip is part of its reach: clipped to the actuator, nothing is beyond.
      expect(check({ scale: 30, command_clip: [-20, 20] })).toEqual([]);
      expect(check({ scale: 30, command_clip: [[-25, 25]] })[0]).toMatch(/to \[-25, 25\] N/);
    });

    it('leaves position targets around a pose alone: they use a small part of a joint by design', () => {
      const joint: ActionSpec = {
        signals: [signal('cart.force', 'N', -20, 20)],
        mode: 'position',
        safe: [0],
      };
      const c = parseContract(cart({ mode: 'position', scale: 0.25 }));
      expect(checkContractAgainstRobot(c, cartObs, joint)).toEqual([]);
    });
  });

  it('derives the decimation and refuses rates that do not divide', () => {
    const c = parseContract(base());
    expect(resolveDecimation(c, 1 / 200)).toBe(4);
    expect(() => resolveDecimation(c, 1 / 120)).toThrow(/not an integer divisor of the loop rate 120/);
    expect(() => resolveDecimation(parseContract({ ...base(), decimation: 2 }), 1 / 200)).toThrow(
      /decimation 2/,
    );
  });
});

describe('observation and action mapping', () => {
  it('applies offset/scale/clip, stacks history oldest first and maps actions to robot order', () => {
    const io = new PolicyIOMap(parseContract(base()), robotObs, robotAct, '.');
    const obs = (t: number) => Float64Array.of(t, 10 * t, 0.1 * t, -0.1 * t);
    io.reset(obs(0));
    io.assemble(obs(1));
    io.assemble(obs(2));
    // joint_pos: (b.pos − 0.1, a.pos + 0.2) at t = 2
    expect(io.input[0]).toBeCloseTo(20 - 0.1, 5);
    expect(io.input[1]).toBeCloseTo(2 + 0.2, 5);
    // joint_vel history: frames t = 0, 1, 2 of (b.vel, a.vel) · 0.5
    expect(Array.from(io.input.subarray(2, 8), (v) => v + 0)).toEqual(
      [0, 0, -0.05, 0.05, -0.1, 0.1].map((v) => Math.fround(v)),
    );
    expect(Array.from(io.input.subarray(8, 11))).toEqual([0, 0, Math.fround(0.7)]);

    io.output.set([8, -1]); // b.target raw 8 is clipped to 4
    const action = new Float64Array(3);
    io.command(action);
    expect(action[1]).toBeCloseTo(4 * 0.25 + 0.1, 12); // b.target
    expect(action[0]).toBeCloseTo(-1 * 0.25 - 0.2, 12); // a.target
    expect(action[2]).toBe(0.5); // not driven by the policy: safe value
    io.assemble(obs(3));
    expect(Array.from(io.input.subarray(8, 10))).toEqual([4, -1]); // last_action = clipped raw output
    io.assemble(Float64Array.of(0, 0, 100, 100));
    expect(io.input[7]).toBe(1); // clip of the newest joint_vel frame
  });

  it('normalises with LeRobot stats.json', () => {
    const dir = tempDir();
    const n = 11;
    writeFileSync(
      path.join(dir, 'stats.json'),
      JSON.stringify({
        'observation.state': { mean: new Array(n).fill(1), std: new Array(n).fill(2), min: [], max: [] },
        'observation.images.top': { mean: [[[0.5]], [[0.5]], [[0.5]]], std: [[[0.2]], [[0.2]], [[0.2]]] },
      }),
    );
    const c = parseContract({
      ...base(),
      normalizer: { kind: 'lerobot_stats', path: 'stats.json', key: 'observation.state' },
    });
    const io = new PolicyIOMap(c, robotObs, robotAct, dir);
    io.reset(new Float64Array(4));
    io.assemble(new Float64Array(4));
    expect(io.input[10]).toBeCloseTo((0.7 - 1) / 2, 6);
    const wrongKey = parseContract({
      ...base(),
      normalizer: { kind: 'lerobot_stats', path: 'stats.json', key: 'action' },
    });
    expect(() => new PolicyIOMap(wrongKey, robotObs, robotAct, dir)).toThrow(
      /no key 'action' \(keys: observation\.state, observation\.images\.top\)/,
    );
  });
});

describe('Isaac Lab deploy YAML', () => {
  it('becomes a contract: joint order, default pose offset, scales, history, last action', () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'deploy.yaml'),
      stringify({
        joint_names: ['b', 'a'],
        default_joint_pos: [0.3, -0.1],
        step_dt: 0.02,
        actions: { JointPositionAction: { scale: 0.25, clip: null, offset: [0.3, -0.1] } },
        observations: {
          joint_pos_rel: { scale: 1, clip: null, history_length: 1 },
          joint_vel_rel: { scale: 0.05, clip: [-100, 100], history_length: 2 },
          last_action: { scale: 1, history_length: 1 },
        },
      }),
    );
    writeFileSync(
      path.join(dir, 'policy.yaml'),
      stringify({
        format: 'isaaclab-deploy/1',
        deploy: 'deploy.yaml',
        bind: {
          observations: { joint_pos_rel: '{joint}.pos', joint_vel_rel: '{joint}.vel' },
          actions: '{joint}.target',
        },
      }),
    );
    const c = loadContract(path.join(dir, 'policy.yaml'));
    expect(c.policy_rate_hz).toBe(50);
    expect(c.normalizer.kind).toBe('inside_model');
    expect(c.observations.map((t) => [t.name, t.signals, t.history])).toEqual([
      ['joint_pos_rel', ['b.pos', 'a.pos'], 1],
      ['joint_vel_rel', ['b.vel', 'a.vel'], 2],
      ['last_action', undefined, 1],
    ]);
    expect(c.observations[0]!.offset).toEqual([0.3, -0.1]);
    expect(c.actions.signals).toEqual(['b.target', 'a.target']);
    expect(observationSize(c)).toBe(2 + 4 + 2);
    checkContractAgainstRobot(c, robotObs, robotAct);

    // The standard terms bind by default; a term the reader does not know needs a binding.
    writeFileSync(
      path.join(dir, 'deploy-scan.yaml'),
      stringify({
        joint_names: ['b', 'a'],
        default_joint_pos: [0.3, -0.1],
        step_dt: 0.02,
        actions: { JointPositionAction: { scale: 0.25 } },
        observations: { joint_pos_rel: { scale: 1 }, height_scan: { scale: 1 } },
      }),
    );
    writeFileSync(
      path.join(dir, 'unbound.yaml'),
      stringify({ format: 'isaaclab-deploy/1', deploy: 'deploy-scan.yaml', bind: {} }),
    );
    expect(() => loadContract(path.join(dir, 'unbound.yaml'))).toThrow(
      `${path.join(dir, 'unbound.yaml')}: bind.observations.height_scan: ${path.join(dir, 'deploy-scan.yaml')}: observations.height_scan is not a term this reader computes by itself`,
    );
  });
});
