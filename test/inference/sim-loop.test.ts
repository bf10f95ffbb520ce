/**
 * Policies in the real control loop against the real MuJoCo cartpole: an Isaac-Lab-style export
 * (ONNX `obs` → `actions`, deploy YAML with joint order, default pose, scales) built here, and the
 * bundled example policy on every backend.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { LqrController } from '../../controllers/classical/lqr.ts';
import { createEnv } from '../../sim/envs/index.ts';
import { loadRunConfig } from '../../src/config/load.ts';
import { EventBuffer } from '../../src/core/events.ts';
import type { TickRecord } from '../../src/core/tick.ts';
import { mlpToOnnx } from '../../src/inference/onnx/build.ts';
import { runFromConfig } from '../../src/loop/runner.ts';

const exampleContract = fileURLToPath(
  new URL('../../controllers/policies/examples/cartpole/cartpole-balance.contract.yaml', import.meta.url),
);

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tether-policy-loop-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Records [cart.pos, pole.angle] of every tick. */
class Trajectory {
  readonly pos: number[] = [];
  readonly angle: number[] = [];
  writeTick(r: TickRecord): void {
    this.pos.push(r.observation[0]!);
    this.angle.push(r.observation[1]!);
  }
  /** Largest |angle| and |pos − target| over the last `n` ticks. */
  settled(n: number, target: number): { angle: number; pos: number } {
    const a = this.angle.slice(-n).map(Math.abs);
    const p = this.pos.slice(-n).map((x) => Math.abs(x - target));
    return { angle: Math.max(...a), pos: Math.max(...p) };
  }
}

async function run(controller: Record<string, unknown>, rateHz: number, seconds: number, name: string) {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      robot: {
        kind: 'sim',
        model: 'cartpole',
        task: 'balance',
        initialState: { qpos: [0, 0.15], qvel: [0, 0] },
      },
      controller,
      loop: { rateHz, mode: 'fast' },
    }),
  );
  const trajectory = new Trajectory();
  const result = await runFromConfig(loadRunConfig(file), { duration: seconds }, { sinks: [trajectory] });
  return { result, trajectory };
}

describe('Isaac-Lab-style export in the simulated loop', () => {
  const defaultPose = { hinge: 0, slider: 0.5 };
  const velScale = 0.5;
  const forceScale = 20;

  /**
   * LQR written as an Isaac Lab policy: input [joint_pos_rel (hinge, slider), joint_vel_rel · 0.5,
   * last_action], output the raw action (force / 20 N). One ELU hidden pair keeps it an MLP and stays
   * exactly linear: ELU(z + 10) − ELU(−z + 10) = 2z for |z| < 10.
   */
  async function isaacStyleOnnx(): Promise<Uint8Array> {
    const env = await createEnv('cartpole', { controlDt: 0.02 });
    const lqr = new LqrController({ model: 'cartpole' });
    await lqr.configure({
      observation: env.observation,
      action: env.action,
      dt: 0.02,
      events: new EventBuffer(),
    });
    env.dispose();
    const [kPos, kAngle, kVel, kAngvel] = Array.from(lqr.gain); // robot order: cart.pos, pole.angle, cart.vel, pole.angvel
    const w = [-kAngle!, -kPos!, -kAngvel! / velScale, -kVel! / velScale, 0].map((v) => v / forceScale);
    return mlpToOnnx({
      layers: [
        {
          inSize: 5,
          outSize: 2,
          activation: 'elu',
          weight: Float32Array.from([...w, ...w.map((v) => -v)]),
          bias: Float32Array.of(10, 10),
        },
        {
          inSize: 2,
          outSize: 1,
          activation: 'identity',
          weight: Float32Array.of(0.5, -0.5),
          bias: Float32Array.of(0),
        },
      ],
    });
  }

  const deploy = (velHistory = 1) => ({
    joint_names: ['hinge', 'slider'],
    default_joint_pos: [defaultPose.hinge, defaultPose.slider],
    step_dt: 0.02,
    actions: { JointEffortAction: { scale: forceScale, clip: [-1, 1], joint_names: ['slider'] } },
    observations: {
      joint_pos_rel: { scale: 1, clip: null, history_length: 1 },
      joint_vel_rel: { scale: velScale, clip: null, history_length: velHistory },
      last_action: { scale: 1, clip: null, history_length: 1 },
    },
  });
  const bind = (order: 'right' | 'swapped') => ({
    observations:
      order === 'right'
        ? { joint_pos_rel: ['pole.angle', 'cart.pos'], joint_vel_rel: ['pole.angvel', 'cart.vel'] }
        : { joint_pos_rel: ['cart.pos', 'pole.angle'], joint_vel_rel: ['cart.vel', 'pole.angvel'] },
    actions: ['cart.force'],
    mode: 'torque',
  });

  beforeAll(async () => {
    writeFileSync(path.join(dir, 'policy.onnx'), await isaacStyleOnnx());
    writeFileSync(path.join(dir, 'deploy.yaml'), stringify(deploy()));
    writeFileSync(path.join(dir, 'deploy-history2.yaml'), stringify(deploy(2)));
    for (const order of ['right', 'swapped'] as const) {
      writeFileSync(
        path.join(dir, `contract-${order}.yaml`),
        stringify({
          format: 'isaaclab-deploy/1',
          deploy: 'deploy.yaml',
          model: 'policy.onnx',
          bind: bind(order),
        }),
      );
    }
    writeFileSync(
      path.join(dir, 'contract-history2.yaml'),
      stringify({
        format: 'isaaclab-deploy/1',
        deploy: 'deploy-history2.yaml',
        model: 'policy.onnx',
        bind: bind('right'),
      }),
    );
  });

  it('balances the pole and brings the cart to the default pose (policy 50 Hz, loop 100 Hz)', async () => {
    const { result, trajectory } = await run(
      { kind: 'policy', contract: 'contract-right.yaml' },
      100,
      10,
      'isaac-right',
    );
    expect(result.report.ticks).toBe(1000);
    expect(result.report.controllerErrors).toBe(0);
    expect(Math.max(...trajectory.angle.slice(0, 50).map(Math.abs))).toBeGreaterThan(0.1); // it started tilted
    const settled = trajectory.settled(100, defaultPose.slider);
    expect(settled.angle).toBeLessThan(0.01);
    expect(settled.pos).toBeLessThan(0.02);
  });

  it('the same model with a mis-bound joint order does not balance (the contract is what makes it work)', async () => {
    const { trajectory } = await run(
      { kind: 'policy', contract: 'contract-swapped.yaml' },
      100,
      10,
      'isaac-swapped',
    );
    const worst = Math.max(...trajectory.angle.map(Math.abs));
    expect(worst).toBeGreaterThan(0.8);
  });

  it('refuses a deploy YAML whose history does not match the model, naming the terms', async () => {
    await expect(
      run({ kind: 'policy', contract: 'contract-history2.yaml' }, 100, 1, 'isaac-history2'),
    ).rejects.toThrow(
      "input 'obs': expected 7 features (joint_pos_rel 2×1 + joint_vel_rel 2×2 + last_action 1×1), model has 5",
    );
  });
});

describe('bundled cartpole policy in the simulated loop', () => {
  it.each(['ort', 'kernel', 'tfjs'])('balances on the %s backend', async (backend) => {
    const { result, trajectory } = await run(
      { kind: 'policy', contract: exampleContract, backend },
      50,
      10,
      `example-${backend}`,
    );
    expect(result.report.ticks).toBe(500);
    expect(result.report.controllerErrors).toBe(0);
    const settled = trajectory.settled(100, 0);
    expect(settled.angle).toBeLessThan(0.02);
    expect(settled.pos).toBeLessThan(0.1);
  });
});
