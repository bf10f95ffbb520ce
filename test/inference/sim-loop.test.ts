/**
 * Policies in the real control loop against the real MuJoCo cartpole: an Isaac-Lab-style export
 * (ONNX `obs` → `actions`, deploy YAML with joint order, default pose, scales) built here, and the
 * bundled example policy on every backend.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  binding,
  deployConfig,
  writeIsaacStyleCartpole,
} from '../../controllers/policies/examples/isaac-cartpole/make.ts';
import type { TickRecord } from '../../src/core/tick.ts';
import { runConfigFile, temporaryFolder } from '../support/run-config.ts';

const exampleContract = fileURLToPath(
  new URL('../../controllers/policies/examples/cartpole/cartpole-balance.contract.yaml', import.meta.url),
);

const shippedIsaacExample = fileURLToPath(
  new URL('../../controllers/policies/examples/isaac-cartpole', import.meta.url),
);

const folder = temporaryFolder('tether-policy-loop');

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
  const trajectory = new Trajectory();
  const config = {
    robot: {
      kind: 'sim',
      model: 'cartpole',
      task: 'balance',
      initialState: { qpos: [0, 0.15], qvel: [0, 0] },
    },
    controller,
    loop: { rateHz, mode: 'fast' },
  };
  const result = await runConfigFile(folder.path, name, config, seconds, { sinks: [trajectory] });
  return { result, trajectory };
}

describe('Isaac-Lab-style export in the simulated loop', () => {
  const targetCartPos = deployConfig.default_joint_pos[1]!;

  beforeAll(async () => {
    // policy.onnx (input `obs`, output `actions`), deploy.yaml and policy.yaml, built here.
    await writeIsaacStyleCartpole(folder.path);
    writeFileSync(
      path.join(folder.path, 'deploy-history2.yaml'),
      stringify({
        ...deployConfig,
        observations: {
          ...deployConfig.observations,
          joint_vel_rel: { ...deployConfig.observations.joint_vel_rel, history_length: 2 },
        },
      }),
    );
    const swapped = {
      ...binding,
      observations: { joint_pos_rel: ['cart.pos', 'pole.angle'], joint_vel_rel: ['cart.vel', 'pole.angvel'] },
    };
    const wrapper = (deploy: string, bind: unknown) =>
      stringify({ format: 'isaaclab-deploy/1', deploy, model: 'policy.onnx', bind });
    writeFileSync(path.join(folder.path, 'contract-swapped.yaml'), wrapper('deploy.yaml', swapped));
    writeFileSync(path.join(folder.path, 'contract-history2.yaml'), wrapper('deploy-history2.yaml', binding));
  });

  it('balances the pole and brings the cart to the default pose (policy 50 Hz, loop 100 Hz)', async () => {
    const { result, trajectory } = await run(
      { kind: 'policy', contract: 'policy.yaml' },
      100,
      10,
      'isaac-right',
    );
    expect(result.report.ticks).toBe(1000);
    expect(result.report.controllerErrors).toBe(0);
    expect(Math.max(...trajectory.angle.slice(0, 50).map(Math.abs))).toBeGreaterThan(0.1); // it started tilted
    const settled = trajectory.settled(100, targetCartPos);
    expect(settled.angle).toBeLessThan(0.01);
    expect(settled.pos).toBeLessThan(0.02);
  });

  it('is the example shipped in controllers/policies/examples/isaac-cartpole', () => {
    for (const file of ['policy.onnx', 'deploy.yaml', 'policy.yaml']) {
      expect(readFileSync(path.join(folder.path, file)), file).toEqual(
        readFileSync(path.join(shippedIsaacExample, file)),
      );
    }
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
