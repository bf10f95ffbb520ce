import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plugins } from '../../app/plugins.ts';
import {
  killLeftovers,
  spawnRig,
  temporaryDirectory,
  useTestLinkKey,
} from '../../hardware/tools/processes.ts';
import { parseRunConfig } from '../../src/config/load.ts';
import { readLog } from '../../src/logging/reader.ts';
import { runFromConfig } from '../../src/loop/runner.ts';
import { tether } from '../support/cli.ts';
import { faultyPolicyPlugin } from '../support/faulty-controller.ts';
import { controllerChanges, maxAbs } from '../support/switches.ts';

// The rig and the CLI runs it spawns share the public test key (never a real rig's).
useTestLinkKey();
const repo = join(import.meta.dirname, '../..');
const contract = join(repo, 'controllers/policies/examples/cartpole/cartpole-balance.contract.yaml');
const work = temporaryDirectory('tether-switch-rig');
afterAll(killLeftovers);
afterAll(() => work.remove());

/** configs/cartpole-policy-lqr.yaml with its robot section pointed at the rig's pty. */
function rigConfig(hostLink: string, policyKind = 'policy', extra = ''): string {
  const text = readFileSync(join(repo, 'configs/cartpole-policy-lqr.yaml'), 'utf8')
    .replace(/robot:\n( {2}.*\n)+/, `robot:\n  kind: serial\n  path: ${hostLink}\n`)
    .replace('kind: policy', `kind: ${policyKind}${extra}`)
    .replace(/contract: .*/, `contract: ${contract}`)
    // Parallel test files share 2 cores: more staleness headroom than a dedicated host needs.
    .replace('safety:\n', 'safety:\n  staleAfterTicks: 25\n');
  const file = join(work.path, `switch-${policyKind}.yaml`);
  writeFileSync(file, text);
  return file;
}

describe('controller manager on the emulated cartpole rig over a socat pty', () => {
  it('the operator switches the policy to LQR at one tick boundary; the rig stays balanced', async () => {
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'serial', link: join(work.path, 'op') }, watchdogMs: 1000 },
      work.path,
      'op',
    );
    const log = join(work.path, 'op.mcap');
    const result = await tether(
      ['run', rigConfig(rig.hostLink), '--operator', '--duration', '3', '--log', log],
      [{ afterMs: 1000, line: 'switch lqr' }],
    );
    await rig.stop();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1 switch \(0 to the fallback\); lqr active at the end/);
    expect(result.stdout).toMatch(/safety: ok/);
    const read = await readLog(log);
    expect(read.robot?.transport).toBe('serial');
    const changes = controllerChanges(read);
    expect(changes.map((c) => c.to)).toEqual(['lqr']);
    expect(read.events.find((e) => e.kind === 'controller-switch')?.time).toBeCloseTo(changes[0]!.time, 9);
    expect(maxAbs(read, 'pole.angle')).toBeLessThan(0.3);
  });

  it('a policy that dies mid-run hands the rig to the LQR fallback without latching', async () => {
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'serial', link: join(work.path, 'fb') }, watchdogMs: 1000 },
      work.path,
      'fb',
    );
    const file = rigConfig(rig.hostLink, 'faulty-policy', '\n    faultAt: 1');
    const config = parseRunConfig(readFileSync(file, 'utf8'), file, {
      ...plugins,
      controllers: [...plugins.controllers, faultyPolicyPlugin],
    });
    const log = join(work.path, 'fb.mcap');
    const result = await runFromConfig(config, { duration: 3, logPath: log });
    await rig.stop();
    expect(result.report.fallbacks).toBe(1);
    expect(result.report.activeController).toBe('lqr');
    expect(result.report.latched).toBeUndefined();
    const read = await readLog(log);
    expect(controllerChanges(read).map((c) => c.to)).toEqual(['lqr']);
    expect(maxAbs(read, 'pole.angle')).toBeLessThan(0.3);
  });
});
