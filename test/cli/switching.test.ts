import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plugins } from '../../app/plugins.ts';
import { parseRunConfig } from '../../src/config/load.ts';
import { readLog } from '../../src/logging/reader.ts';
import { runFromConfig } from '../../src/loop/runner.ts';
import { tether } from '../support/cli.ts';
import { faultyPolicyPlugin } from '../support/faulty-controller.ts';
import { controllerChanges, maxAbs } from '../support/switches.ts';

const configs = join(import.meta.dirname, '../../configs');
const shipped = join(configs, 'cartpole-policy-lqr.yaml');

describe('controller manager on the MuJoCo cartpole: ONNX policy, then LQR', () => {
  it('switches on the operator`s `switch lqr` at one tick boundary and keeps the pole up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tether-switch-'));
    const log = join(dir, 'switch.mcap');
    const result = await tether(
      ['run', shipped, '--operator', '--duration', '3', '--log', log],
      [
        { afterMs: 300, line: 'switch nonsense' },
        { afterMs: 1000, line: 'switch lqr' },
      ],
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/refused: no controller named 'nonsense' \(configured: policy, lqr\)/);
    expect(result.stdout).toMatch(/1 switch \(0 to the fallback\); lqr active at the end/);
    expect(result.stdout).toMatch(/safety: ok/);

    const read = await readLog(log);
    expect(read.controllers).toEqual(['policy', 'lqr']);
    const changes = controllerChanges(read);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.to).toBe('lqr');
    // The switch event carries the deadline of the first tick LQR computed.
    const event = read.events.find((e) => e.kind === 'controller-switch');
    expect(event?.message).toMatch(/policy → lqr \(operator \(stdin\)\)/);
    expect(event?.time).toBeCloseTo(changes[0]!.time, 9);
    expect(read.events.some((e) => e.source === 'operator:stdin' && /switch lqr → ok/.test(e.message))).toBe(
      true,
    );
    expect(maxAbs(read, 'pole.angle')).toBeLessThan(0.2);
  });

  it('hands over to the fallback on a controller fault, holding the last command for that one tick', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tether-fallback-'));
    const file = join(dir, 'fallback.yaml');
    // The shipped config with the policy replaced by one whose backend dies at t = 1 s.
    const contract = join(
      import.meta.dirname,
      '../../controllers/policies/examples/cartpole/cartpole-balance.contract.yaml',
    );
    writeFileSync(
      file,
      readFileSync(shipped, 'utf8')
        .replace('kind: policy', 'kind: faulty-policy\n    faultAt: 1')
        .replace(/contract: .*/, `contract: ${contract}`),
    );
    const log = join(dir, 'fallback.mcap');
    const config = parseRunConfig(readFileSync(file, 'utf8'), file, {
      ...plugins,
      controllers: [...plugins.controllers, faultyPolicyPlugin],
    });
    const result = await runFromConfig(config, { duration: 4, mode: 'fast', logPath: log });
    expect(result.report.fallbacks).toBe(1);
    expect(result.report.switches).toBe(1);
    expect(result.report.activeController).toBe('lqr');
    expect(result.report.latched).toBeUndefined();

    const read = await readLog(log);
    const changes = controllerChanges(read);
    expect(changes).toHaveLength(1);
    const k = changes[0]!.index;
    // Tick k-1 faulted: its command repeats tick k-2's; LQR runs from tick k on.
    expect(read.ticks.time[k - 1]).toBeCloseTo(1, 9);
    expect(read.ticks.command[k - 1]).toBe(read.ticks.command[k - 2]);
    expect(read.events.find((e) => e.kind === 'fault')?.message).toMatch(
      /injected inference failure; holding the last command, fallback at the next tick/,
    );
    expect(read.events.find((e) => e.kind === 'controller-switch')?.message).toMatch(
      /policy → lqr \(fallback:/,
    );
    expect(maxAbs(read, 'pole.angle')).toBeLessThan(0.2);
  });

  it('without a fallback, the same fault latches the safe state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tether-nofallback-'));
    const file = join(dir, 'nofallback.yaml');
    const contract = join(
      import.meta.dirname,
      '../../controllers/policies/examples/cartpole/cartpole-balance.contract.yaml',
    );
    writeFileSync(
      file,
      [
        'robot: { kind: sim, model: cartpole }',
        'controller:',
        '  kind: faulty-policy',
        '  faultAt: 0.5',
        `  contract: ${contract}`,
        'loop: { rateHz: 50 }',
      ].join('\n'),
    );
    const config = parseRunConfig(readFileSync(file, 'utf8'), file, {
      ...plugins,
      controllers: [...plugins.controllers, faultyPolicyPlugin],
    });
    const result = await runFromConfig(config, { duration: 1, mode: 'fast' });
    expect(result.report.fallbacks).toBe(0);
    expect(result.report.latched).toMatch(/non-finite action/);
  });

  it('operator e-stop latches at once; recover resumes when the state is within limits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tether-estop-'));
    const log = join(dir, 'estop.mcap');
    const result = await tether(
      ['run', join(configs, 'cartpole.yaml'), '--operator', '--duration', '3', '--log', log],
      [
        { afterMs: 800, line: 'estop hands on the rig' },
        { afterMs: 1000, line: 'recover' },
        { afterMs: 1300, line: 'status' },
      ],
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/estop \(safety\): hands on the rig \(from stdin\)/);
    expect(result.stderr).toMatch(/operator: recovered; lqr resumes from the safe action/);
    expect(result.stderr).toMatch(/operator: controller lqr; safety ok; robot running/);
    expect(result.stdout).toMatch(/safety: ok/);
    const read = await readLog(log);
    const estop = read.events.find((e) => e.kind === 'estop');
    const recover = read.events.find((e) => e.kind === 'recover');
    expect(estop && recover && recover.time > estop.time && estop.time > 0).toBe(true);
    expect(maxAbs(read, 'pole.angle')).toBeLessThan(0.8);
  });

  it('recover is refused while the robot reports a state outside the limits; the latch holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tether-recover-'));
    const file = join(dir, 'fallen.yaml');
    // The pole starts at rest 0.9 rad off upright, past its 0.8 rad limit: the safety layer latches
    // on the first tick, and under the safe (zero) force the pole can never rise above that height
    // again, so every recover must be refused.
    writeFileSync(
      file,
      readFileSync(join(configs, 'cartpole.yaml'), 'utf8')
        .replace('qpos: [0.0, 0.15]', 'qpos: [0.0, 0.9]')
        .replace('path: ../runs/cartpole.mcap', 'path: fallen.mcap'),
    );
    const log = join(dir, 'fallen.mcap');
    const result = await tether(
      ['run', file, '--operator', '--duration', '2.5', '--log', log],
      [
        { afterMs: 400, line: 'recover' },
        { afterMs: 1200, line: 'recover' },
        { afterMs: 1600, line: 'status' },
      ],
    );
    expect(result.code).not.toBe(0);
    const refusals = result.stderr.match(
      /operator: refused: not safe to recover: observation 'pole\.angle' = -?[\d.]+ is outside \[-0\.8, 0\.8\]/g,
    );
    expect(refusals, result.stderr).toHaveLength(2);
    expect(result.stderr).not.toMatch(/recovered/);
    expect(result.stderr).toMatch(
      /operator: controller lqr; safety LATCHED \(observation 'pole\.angle' = 0\.9 left/,
    );
    expect(result.stdout).toMatch(/safety: LATCHED/);
    const read = await readLog(log);
    expect(read.events.some((e) => e.kind === 'recover')).toBe(false);
    expect(
      read.events.filter(
        (e) => e.source === 'operator:stdin' && /^recover → refused: not safe/.test(e.message),
      ),
    ).toHaveLength(2);
    // Latched from the first tick to the last: the robot only ever got the safe action.
    expect(read.ticks.count).toBeGreaterThan(100);
    expect(new Set(read.ticks.command)).toEqual(new Set([0]));
  });
});

describe('switching config errors are located before anything starts', () => {
  it('names an unknown controller in switching with its line', () => {
    const text = [
      'robot: { kind: sim, model: cartpole }',
      'controllers:',
      '  a: { kind: constant }',
      'switching:',
      '  fallback: b',
      'loop: { rateHz: 50 }',
    ].join('\n');
    expect(() => parseRunConfig(text, 'x.yaml', plugins)).toThrow(
      /x\.yaml:5:\d+: switching\.fallback: no controller named 'b' \(configured: a\)/,
    );
  });

  it('refuses both controller and controllers', () => {
    const text = [
      'robot: { kind: sim, model: cartpole }',
      'controller: { kind: constant }',
      'controllers: { a: { kind: constant } }',
      'loop: { rateHz: 50 }',
    ].join('\n');
    expect(() => parseRunConfig(text, 'x.yaml', plugins)).toThrow(/not both or neither/);
  });
});
