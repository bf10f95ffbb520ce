/**
 * The bundled walking policy (a unitree_rl_lab-layout export: params/deploy.yaml with joint_ids_map,
 * exported/policy.onnx) runs unchanged on the sim quadruped through the shipped config's state
 * machine and tracks commanded forward, lateral and yaw velocities; the same export with the motor
 * order bound wrongly does not walk; and on a torque-driven quadruped the deploy's gains run as a PD
 * stage in the runtime.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { plugins } from '../../app/plugins.ts';
import {
  type CommandStep,
  WalkRecorder,
  walkMetrics,
} from '../../controllers/policies/examples/quadruped-trot/metrics.ts';
import { loadRunConfig } from '../../src/config/load.ts';
import { runFromConfig } from '../../src/loop/runner.ts';

const root = path.join(import.meta.dirname, '../..');
const example = path.join(root, 'controllers/policies/examples/quadruped-trot');
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tether-walk-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schedule: CommandStep[] = [
  { at: 3, value: [0.5, 0, 0] },
  { at: 7, value: [0, 0, 0] },
  { at: 10, value: [0.3, 0, 0.5] },
  { at: 14, value: [-0.2, 0, 0] },
  { at: 17, value: [0.2, 0.15, 0] },
];

/** The shipped config on a virtual clock, with this schedule and (optionally) another contract. */
// biome-ignore lint/suspicious/noExplicitAny: the shipped YAML config, edited in place per run
async function walk(name: string, edit: (config: Record<string, any>) => void = () => undefined) {
  const config = parse(readFileSync(path.join(root, 'configs/quadruped-walk.yaml'), 'utf8'));
  config.loop.mode = 'fast';
  config.controllers.walk.contract = path.join(example, 'policy.yaml');
  config.commands.base_velocity.schedule = schedule.map((s) => ({ at: s.at, value: [...s.value] }));
  edit(config);
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(config));
  const rec = new WalkRecorder();
  const result = await runFromConfig(loadRunConfig(file, plugins), { duration: 21 }, { sinks: [rec] });
  return { result, metrics: walkMetrics(rec, schedule, { walkFrom: 2 }) };
}

describe('the walking policy on the sim quadruped', () => {
  it('runs unchanged through passive → stand-up → policy and tracks the commanded velocity', async () => {
    const { result, metrics } = await walk('walk');
    expect(result.report.activeController).toBe('walk');
    expect(result.report.latched).toBeUndefined();
    expect(metrics.falls).toBe(0);
    for (const s of metrics.segments) {
      expect(Math.abs(s.mean[0] - s.command[0])).toBeLessThan(0.08);
      expect(Math.abs(s.mean[1] - s.command[1])).toBeLessThan(0.08);
      expect(Math.abs(s.mean[2] - s.command[2])).toBeLessThan(0.12);
    }
    expect(metrics.linearRms).toBeLessThan(0.12);
  }, 120_000);

  it('refuses the export with the joints bound in the policy order instead of the motor order', async () => {
    const wrapper = parse(readFileSync(path.join(example, 'policy.yaml'), 'utf8'));
    // The policy's own order (all hips, all thighs, all knees) where joint_ids_map expects the motor
    // order (FR, FL, RR, RL legs): default-pose offsets land on the wrong joints, so the reach check
    // refuses the binding before anything moves.
    wrapper.bind.joints = ['hip', 'thigh', 'knee'].flatMap((p) =>
      ['fl', 'fr', 'rl', 'rr'].map((l) => `${l}_${p}`),
    );
    wrapper.deploy = path.join(example, 'params/deploy.yaml');
    wrapper.model = path.join(example, 'exported/policy.onnx');
    const wrong = path.join(dir, 'wrong-order.yaml');
    writeFileSync(wrong, stringify(wrapper));
    await expect(
      walk('wrong', (config) => {
        config.controllers.walk.contract = wrong;
      }),
    ).rejects.toThrow(
      /controllers\.walk: .*wrong-order\.yaml: policy contract vs robot:\n {2}- action 'fr_knee\.target': the contract maps the policy's \[-1, 1\] .* to \[-0\.25, 0\.25\] rad, but the robot's actuator spans \[-2\.7, -0\.9\] rad: the policy can never command a value the actuator accepts/,
    );
  });

  it('walks a torque-driven quadruped with the deploy gains as a PD stage in the runtime (500 Hz)', async () => {
    const file = path.join(dir, 'torque.yaml');
    writeFileSync(
      file,
      stringify({
        robot: { kind: 'sim', model: 'quadruped', resetNoise: 0 },
        controllers: {
          stand: { kind: 'pd-stand', kp: 100, kd: 2.5 },
          walk: { kind: 'policy', contract: path.join(example, 'policy-torque.yaml'), fallback: 'fault' },
        },
        switching: { initial: 'stand', rules: [{ from: 'stand', to: 'walk', after: 1 }] },
        commands: { base_velocity: { initial: [0.4, 0, 0] } },
        loop: { rateHz: 500, mode: 'fast' },
      }),
    );
    const rec = new WalkRecorder();
    const result = await runFromConfig(loadRunConfig(file, plugins), { duration: 6 }, { sinks: [rec] });
    const metrics = walkMetrics(rec, [{ at: 0, value: [0.4, 0, 0] }], { walkFrom: 1, settle: 3 });
    expect(result.report.latched).toBeUndefined();
    expect(metrics.falls).toBe(0);
    expect(Math.abs(metrics.segments[0]!.mean[0] - 0.4)).toBeLessThan(0.08);
  }, 120_000);
});
