/**
 * The emulated rig's firmware as legged robots and Franka-class arms need it, without a link: joint
 * PD with per-command gains and damping as the legged safe state, gravity compensation, and the
 * libfranka-style limits and reflexes, each tripping with libfranka's error name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCommandSample } from '../../hardware/protocol/messages.ts';
import { Firmware, type FirmwareLimits } from '../../hardware/rig/firmware.ts';
import { buildRigLayout } from '../../hardware/rig/rig-model.ts';
import { envDefinition } from '../../sim/envs/index.ts';
import { SimModel } from '../../sim/model.ts';

const made: { fw: Firmware; sim: SimModel }[] = [];
afterEach(() => {
  for (const { fw, sim } of made.splice(0)) {
    fw.dispose();
    sim.dispose();
  }
});

const off = (n: number) => new Float64Array(n).fill(Infinity);

async function firmware(
  model: 'quadruped' | 'arm',
  options: {
    commandMode: 'torque' | 'position';
    safeMode?: 'hold' | 'damping';
    gravityCompensation?: boolean;
    limits?: Partial<FirmwareLimits>;
    kp?: number;
    kd?: number;
    dampingKd?: number;
  },
): Promise<Firmware> {
  const sim = await SimModel.load(model, { timestep: 0.001 });
  const definition = envDefinition(model);
  const kernel = definition.bind(sim, definition.tasks[0]!);
  const layout = buildRigLayout(sim, kernel, {
    name: model,
    commandMode: options.commandMode,
    stateRateHz: 500,
    innerLoopHz: 1000,
    watchdogMs: 200,
  });
  const n = kernel.action.signals.length;
  const limits = options.limits
    ? {
        lostCommands: 0,
        jointVelocity: off(n),
        torqueRate: off(n),
        targetVelocity: off(n),
        targetAcceleration: off(n),
        targetJerk: off(n),
        extrapolate: false,
        positionLimits: false,
        externalTorque: off(n),
        ...options.limits,
      }
    : undefined;
  const fw = new Firmware(sim, kernel, layout, {
    commandMode: options.commandMode,
    kp: new Float64Array(n).fill(options.kp ?? 0),
    kd: new Float64Array(n).fill(options.kd ?? 0),
    safeMode: options.safeMode ?? 'hold',
    dampingKd: new Float64Array(n).fill(options.dampingKd ?? 4),
    gravityCompensation: options.gravityCompensation ?? false,
    ...(limits ? { limits } : {}),
    actuatorDelayUs: 0,
    actuatorNoise: 0,
    sensorNoise: 0,
    seed: 0,
    resetNoise: 0,
  });
  made.push({ fw, sim });
  return fw;
}

/** Queues a command of `values` (targets or torques), with per-joint gains when given. */
function command(
  fw: Firmware,
  seq: number,
  values: ArrayLike<number>,
  gains?: { kp: number; kd: number },
): void {
  const c = createCommandSample();
  c.seq = seq;
  c.count = values.length;
  c.mode = fw.layout.hello.commandMode === 'torque' ? 0 : 1;
  for (let i = 0; i < values.length; i++) c.target[i] = values[i]!;
  c.hasGains = gains !== undefined;
  if (gains) {
    c.kp.fill(gains.kp, 0, values.length);
    c.kd.fill(gains.kd, 0, values.length);
  }
  fw.enqueue(c, fw.simTimeUs);
}

const trunkZ = (fw: Firmware) => fw.data.qpos[2]!;
const home = (fw: Firmware) =>
  Array.from(fw.layout.actionJoint, (j) => fw.data.qpos[fw.layout.joints[j]!.qposAddress]!);

describe('legged safe state: damping', () => {
  it('a latched quadruped sinks slowly under damping where a torque rig collapses', async () => {
    // kd 4 (the rig's damping) against kd 0: zero torque, what a torque rig's safe action does.
    const sink = async (dampingKd: number) => {
      const fw = await firmware('quadruped', { commandMode: 'position', safeMode: 'damping', dampingKd });
      fw.held = false;
      fw.activate();
      // Stand for 0.5 s on PD commands (per-command gains), then the rig latches (e-stop).
      const pose = Array.from(home(fw));
      for (let k = 0; k < 500; k++) {
        command(fw, k + 1, pose, { kp: 100, kd: 2.5 });
        fw.tick(1000);
      }
      const before = trunkZ(fw);
      fw.latch(1);
      let fastest = 0;
      let z = trunkZ(fw);
      for (let k = 0; k < 1500; k++) {
        fw.tick(1000);
        fastest = Math.max(fastest, (z - trunkZ(fw)) / 0.001);
        z = trunkZ(fw);
      }
      return { before, after: trunkZ(fw), fastest };
    };
    const damping = await sink(4);
    const limp = await sink(0);
    expect(damping.before).toBeGreaterThan(0.27);
    expect(damping.after).toBeLessThan(0.16);
    expect(damping.fastest).toBeLessThan(0.6);
    expect(limp.fastest).toBeGreaterThan(2 * damping.fastest);
  });
});

describe('Franka-class limits and reflexes', () => {
  it('gravity compensation: joint impedance holds the arm at its target without sagging', async () => {
    const hold = async (gravityCompensation: boolean) => {
      const fw = await firmware('arm', { commandMode: 'position', gravityCompensation });
      fw.held = false;
      fw.activate();
      const pose = Array.from(home(fw));
      for (let k = 0; k < 1000; k++) {
        command(fw, k + 1, pose, { kp: 100, kd: 10 });
        fw.tick(1000);
      }
      return Math.max(...home(fw).map((q, i) => Math.abs(q - pose[i]!)));
    };
    expect(await hold(true)).toBeLessThan(1e-3);
    expect(await hold(false)).toBeGreaterThan(0.05);
  });

  it('stops after lost commands (communication_constraints_violation)', async () => {
    const fw = await firmware('arm', {
      commandMode: 'position',
      gravityCompensation: true,
      limits: { lostCommands: 20 },
    });
    fw.held = false;
    fw.activate();
    const pose = Array.from(home(fw));
    for (let k = 0; k < 100; k++) {
      command(fw, k + 1, pose, { kp: 600, kd: 50 });
      fw.tick(1000);
    }
    for (let k = 0; k < 19; k++) fw.tick(1000);
    expect(fw.latchedFlags).toBe(0);
    fw.tick(1000);
    expect(fw.tripped?.kind).toBe('communication_constraints_violation');
    expect(fw.tripped?.message).toMatch(/20 consecutive inner-loop periods without a command \(limit 20\)/);
    expect(fw.latchedFlags).not.toBe(0);
    // Latched in hold: the arm stays where it was.
    const at = home(fw);
    for (let k = 0; k < 500; k++) fw.tick(1000);
    expect(Math.max(...home(fw).map((q, i) => Math.abs(q - at[i]!)))).toBeLessThan(0.01);
  });

  it('refuses target jumps, targets outside the joint range and torque steps', async () => {
    const fast = await firmware('arm', {
      commandMode: 'position',
      gravityCompensation: true,
      limits: { targetVelocity: new Float64Array(7).fill(2) },
    });
    fast.held = false;
    fast.activate();
    const pose = Array.from(home(fast));
    command(fast, 1, pose, { kp: 600, kd: 50 });
    fast.tick(1000);
    command(
      fast,
      2,
      pose.map((q, i) => (i === 3 ? q + 0.01 : q)),
      { kp: 600, kd: 50 },
    );
    fast.tick(1000);
    expect(fast.tripped?.kind).toBe('joint_motion_generator_velocity_limits_violation');
    expect(fast.tripped?.message).toMatch(/targets for joint 'joint4' move at 10\.000 rad\/s \(limit 2\)/);

    const range = await firmware('arm', {
      commandMode: 'position',
      limits: { positionLimits: true },
    });
    range.held = false;
    range.activate();
    command(range, 1, [0, 0, 0, 0, 0, 0, 0], { kp: 600, kd: 50 });
    range.tick(1000);
    expect(range.tripped?.kind).toBe('joint_position_limits_violation');
    expect(range.tripped?.message).toMatch(
      /target 0\.0000 for joint 'joint4' outside \[-3\.0718, -0\.0698\]/,
    );

    const torque = await firmware('arm', {
      commandMode: 'torque',
      gravityCompensation: true,
      limits: { torqueRate: new Float64Array(7).fill(1000) },
    });
    torque.held = false;
    torque.activate();
    command(torque, 1, new Array(7).fill(0));
    torque.tick(1000);
    command(torque, 2, [0.5, 0, 0, 0, 0, 0, 0]);
    torque.tick(1000);
    expect(torque.latchedFlags).toBe(0);
    command(torque, 3, [5, 0, 0, 0, 0, 0, 0]);
    torque.tick(1000);
    expect(torque.tripped?.kind).toBe('controller_torque_discontinuity');
    expect(torque.trips).toEqual({ controller_torque_discontinuity: 1 });
  });

  it('extrapolates a lost target with its velocity, and trips on target acceleration and jerk', async () => {
    const fw = await firmware('arm', {
      commandMode: 'position',
      gravityCompensation: true,
      limits: { lostCommands: 20, extrapolate: true, targetAcceleration: new Float64Array(7).fill(15) },
    });
    fw.held = false;
    fw.activate();
    const pose = Array.from(home(fw));
    // joint1 moves at 0.2 rad/s (ramped up at 10 rad/s², inside the 15 rad/s² limit).
    let q = pose[0]!;
    let v = 0;
    for (let k = 0; k < 100; k++) {
      v = Math.min(0.2, v + 10 * 0.001);
      q += v * 0.001;
      command(fw, k + 1, [q, ...pose.slice(1)], { kp: 600, kd: 50 });
      fw.tick(1000);
    }
    expect(fw.latchedFlags).toBe(0);
    for (let k = 0; k < 5; k++) fw.tick(1000);
    expect(fw.currentTarget[0]).toBeCloseTo(q + 5 * 0.001 * 0.2, 9);
    // The runtime resumes where its own clock says the motion is (6 periods on): accepted as it is.
    q += 6 * 0.001 * 0.2;
    command(fw, 200, [q, ...pose.slice(1)], { kp: 600, kd: 50 });
    fw.tick(1000);
    q += 0.001 * 0.2;
    command(fw, 201, [q, ...pose.slice(1)], { kp: 600, kd: 50 });
    fw.tick(1000);
    expect(fw.latchedFlags).toBe(0);
    // A target that jumps from 0.2 rad/s to 0.5 rad/s in one period accelerates at 300 rad/s².
    q += 0.5 * 0.001;
    command(fw, 202, [q, ...pose.slice(1)], { kp: 600, kd: 50 });
    fw.tick(1000);
    expect(fw.tripped?.kind).toBe('joint_motion_generator_acceleration_discontinuity');
    expect(fw.tripped?.message).toMatch(
      /targets for joint 'joint1' accelerate at 300\.0 rad\/s² \(limit 15\)/,
    );

    const jerky = await firmware('arm', {
      commandMode: 'position',
      gravityCompensation: true,
      limits: { targetJerk: new Float64Array(7).fill(3750) },
    });
    jerky.held = false;
    jerky.activate();
    let p = pose[1]!;
    // 0 → 5 rad/s² in one period: a jerk of 5000 rad/s³.
    for (const [k, vel] of [0, 0, 0, 0.005].entries()) {
      p += vel * 0.001;
      command(jerky, k + 1, [pose[0]!, p, ...pose.slice(2)], { kp: 600, kd: 50 });
      jerky.tick(1000);
    }
    expect(jerky.tripped?.kind).toBe('joint_motion_generator_joint_jerk_limits_violation');
  });

  it('a push on the flange trips the collision reflex (joint_reflex) and the arm holds', async () => {
    const fw = await firmware('arm', {
      commandMode: 'position',
      gravityCompensation: true,
      limits: { externalTorque: Float64Array.from([20, 20, 18, 18, 16, 14, 12]) },
    });
    fw.held = false;
    fw.activate();
    const pose = Array.from(home(fw));
    for (let k = 0; k < 50; k++) {
      command(fw, k + 1, pose, { kp: 600, kd: 50 });
      fw.tick(1000);
    }
    fw.push = { body: fw.sim.id('body', 'link7'), force: [0, 40, 0] };
    for (let k = 0; k < 5 && fw.tripped === undefined; k++) {
      command(fw, 100 + k, pose, { kp: 600, kd: 50 });
      fw.tick(1000);
    }
    expect(fw.tripped?.kind).toBe('joint_reflex');
    expect(fw.tripped?.message).toMatch(
      /external torque -?\d+\.\d+ N\*m on joint 'joint\d' exceeds the collision threshold/,
    );
    fw.clearPush();
    const at = home(fw);
    for (let k = 0; k < 300; k++) fw.tick(1000);
    expect(Math.max(...home(fw).map((q, i) => Math.abs(q - at[i]!)))).toBeLessThan(0.02);
  });

  it('measured joint velocity beyond its limit trips joint_velocity_violation; saturated efforts are counted', async () => {
    const fw = await firmware('arm', {
      commandMode: 'torque',
      limits: { jointVelocity: new Float64Array(7).fill(0.5) },
    });
    fw.held = false;
    fw.activate();
    for (let k = 0; k < 500 && fw.tripped === undefined; k++) {
      command(fw, k + 1, [100, 0, 0, 0, 0, 0, 0]);
      fw.tick(1000);
    }
    expect(fw.tripped?.kind).toBe('joint_velocity_violation');
    expect(fw.torqueSaturations).toBeGreaterThan(0);
  });
});
