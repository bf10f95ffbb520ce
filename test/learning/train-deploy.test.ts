import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { killLeftovers, spawnRig, useTestLinkKey } from '../../hardware/tools/processes.ts';
import { createEnv } from '../../sim/envs/index.ts';
import { checkContractAgainstRobot, loadContract } from '../../src/inference/contract.ts';
import type { ModelCard } from '../../src/inference/export.ts';
import { readLog } from '../../src/logging/reader.ts';
import { tether as tetherCli } from '../support/cli.ts';

/**
 * The training → deployment path from a clean clone: `tether train` on the MuJoCo cartpole gap
 * config exports a policy whose contract carries the actuator's scale (±20 N, not the learner's
 * ±1), and `tether run` drives the simulated cartpole and the emulated rig over a serial pty with it.
 */

const repo = path.resolve(import.meta.dirname, '../..');

// A failed test must not leave a rig running.
afterAll(killLeftovers);

/** The CLI, run from the repository's root (configs are named relative to it). */
const tether = (args: string[]) => tetherCli(args, [], { cwd: repo });

const simRobot = ['  kind: sim', '  model: cartpole', '  initialState: { qpos: [0.0, 0.05] }'];

/** A run config on the stock MuJoCo cartpole (or `robot`), started 0.05 rad off upright, with the pole's limit. */
function runConfig(dir: string, contract: string, robot = simRobot, name = 'run.yaml'): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    [
      'robot:',
      ...robot,
      'controller:',
      '  kind: policy',
      `  contract: ${contract}`,
      'loop:',
      '  rateHz: 50',
      'safety:',
      '  staleAfterTicks: 25 # headroom for parallel test files on 2 cores',
      '  observationLimits:',
      '    pole.angle: [-0.8, 0.8]',
      '',
    ].join('\n'),
  );
  return file;
}

/**
 * The smallest budget at which SAC (seed 0, the config's hyperparameters) held the pole on the
 * stock cartpole for seconds (6.6 s from 0.05 rad) on the TypeScript engine; the config's default
 * native engine rounds in float32 and holds it at this budget too (docs/learning.md).
 */
const CI_UPDATES = 3000;
/** Seconds the deployed policy must keep the pole within ±0.8 rad; without a policy it falls in under 1 s. */
const HOLD_SECONDS = 3;

describe('tether train → tether run (MuJoCo cartpole, SAC)', () => {
  it('exports a contract in newtons that balances the simulated cartpole', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-deploy-'));
    const out = path.join(dir, 'train');
    const config = 'configs/train/cartpole-gap-sac.yaml';
    const args = ['--seeds', '0', '--updates', String(CI_UPDATES), '--workers', '1', '--out', out];
    const train = await tether(['train', config, ...args]);
    expect(train.stderr).not.toMatch(/tether:/);
    expect(train.code).toBe(0);

    // The layout other tests reuse: <out>/seed-<n>/policy.{onnx,contract.yaml,card.json}.
    const seedDir = path.join(out, 'seed-0');
    const contract = parse(readFileSync(path.join(seedDir, 'policy.contract.yaml'), 'utf8'));
    expect(contract.model).toBe('policy.onnx');
    expect(contract.policy_rate_hz).toBe(50);
    expect(contract.actions).toEqual({
      signals: ['cart.force'],
      mode: 'torque',
      unit: 'N',
      scale: 20,
      offset: 0,
      clip: [-1, 1],
    });
    const card = JSON.parse(readFileSync(path.join(seedDir, 'policy.card.json'), 'utf8')) as ModelCard;
    expect(card.roundTripError).toBeLessThanOrEqual(1e-5);
    expect(card.metrics['updates']).toBe(CI_UPDATES);

    const log = path.join(dir, 'run.mcap');
    const run = await tether([
      'run',
      runConfig(dir, 'train/seed-0/policy.contract.yaml'),
      '--fast',
      '--duration',
      String(HOLD_SECONDS),
      '--log',
      log,
    ]);
    expect(run.stderr).not.toMatch(/tether:/);
    // Exit code 2 would mean the safety layer latched: the pole left ±0.8 rad.
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/safety: ok/);
    const ticks = (await readLog(log)).ticks;
    expect(ticks.count).toBe(50 * HOLD_SECONDS);
    const forces = Array.from(ticks.command.subarray(0, ticks.count), Math.abs);
    // Newtons, not the learner's ±1: more than 2 N is out of reach of a contract mapping it to ±1 N.
    expect(Math.max(...forces)).toBeGreaterThan(2);
    expect(Math.max(...forces)).toBeLessThanOrEqual(20);

    // The same export on the emulated rig (heavier pole, more damping, a weaker, delayed and noisy
    // actuator, sensor noise) over a socat pty, in real time.
    useTestLinkKey();
    const rig = await spawnRig(
      {
        model: 'cartpole',
        transport: { kind: 'serial', link: path.join(dir, 'pty') },
        watchdogMs: 1000,
        // Three times the task's start-state spread: the pole starts far enough off upright that
        // catching it takes more than the 1 N a ±1 N contract could ever command.
        resetNoise: 3,
      },
      dir,
      'rig',
    );
    const rigLog = path.join(dir, 'rig.mcap');
    const onRig = await tether([
      'run',
      runConfig(
        dir,
        'train/seed-0/policy.contract.yaml',
        ['  kind: serial', `  path: ${rig.hostLink}`, '  expect: { model: cartpole, task: balance }'],
        'rig.yaml',
      ),
      '--duration',
      String(HOLD_SECONDS),
      '--log',
      rigLog,
    ]);
    await rig.stop();
    expect(onRig.stderr).not.toMatch(/tether:/);
    expect(onRig.code).toBe(0);
    expect(onRig.stdout).toMatch(/safety: ok/);
    const rigTicks = (await readLog(rigLog)).ticks;
    expect(rigTicks.count).toBeGreaterThan(50 * HOLD_SECONDS * 0.9);
    const rigForces = Array.from(rigTicks.command.subarray(0, rigTicks.count), Math.abs);
    expect(Math.max(...rigForces)).toBeGreaterThan(1);
  }, 300_000);

  it('refuses a contract that maps the policy to ±1 N for the ±20 N actuator, naming both', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-deploy-'));
    const example = path.join(repo, 'controllers/policies/examples/cartpole');
    const contract = parse(readFileSync(path.join(example, 'cartpole-balance.contract.yaml'), 'utf8'));
    const { unit: _unit, clip: _clip, ...actions } = contract.actions;
    writeFileSync(
      path.join(dir, 'normalised.contract.yaml'),
      JSON.stringify({
        ...contract,
        model: path.join(example, 'cartpole-balance.onnx'),
        actions: { ...actions, scale: 1, offset: 0 },
      }),
    );
    const run = await tether([
      'run',
      runConfig(dir, 'normalised.contract.yaml'),
      '--fast',
      '--duration',
      '1',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "action 'cart.force': the contract maps the policy's [-1, 1] (no actions.clip: the usual range of a raw output) to [-1, 1] N, but the robot's actuator spans [-20, 20] N",
    );
  }, 60_000);

  it('accepts every shipped cartpole contract against the simulated cartpole', async () => {
    const env = await createEnv('cartpole');
    try {
      for (const file of [
        'controllers/policies/examples/cartpole/cartpole-balance.contract.yaml',
        'controllers/policies/examples/isaac-cartpole/policy.yaml',
      ]) {
        const contract = loadContract(path.join(repo, file));
        expect(checkContractAgainstRobot(contract, env.observation, env.action), file).toEqual([]);
      }
    } finally {
      env.dispose();
    }
  });
});
