import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  killLeftovers,
  spawnRig,
  temporaryDirectory,
  useTestLinkKey,
} from '../../hardware/tools/processes.ts';
import { expectCertifiedSwingUp } from '../support/certified-swingup.ts';
import { tether } from '../support/cli.ts';

const repo = join(import.meta.dirname, '../..');
useTestLinkKey();
const work = temporaryDirectory('tether-certified-rig');
afterAll(killLeftovers);
afterAll(() => work.remove());

/** configs/cartpole-swingup-certified-rig.yaml pointed at the rig's pty, with absolute model paths. */
function rigConfig(hostLink: string, name: string, edit: (t: string) => string = (t) => t): string {
  const text = edit(
    readFileSync(join(repo, 'configs/cartpole-swingup-certified-rig.yaml'), 'utf8')
      .replace(/path: .*\n/, `path: ${hostLink}\n`)
      .replaceAll('../controllers/', `${repo}/controllers/`)
      // Parallel test files share 2 cores: more staleness headroom than a dedicated host needs.
      .replace('staleAfterTicks: 10', 'staleAfterTicks: 25'),
  );
  const file = join(work.path, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** The rig of configs/rig/cartpole-swingup.yaml (its documented gap), on a pty in the test folder. */
const gap = {
  massScale: { pole: 1.2 },
  dampingScale: 2,
  actuatorGainScale: 0.95,
};

describe('certified swing-up → balance on the emulated cartpole rig over serial', () => {
  it('swings up, switches only inside the robust certificate`s region, and balances', async () => {
    const rig = await spawnRig(
      {
        model: 'cartpole',
        task: 'swingup',
        transport: { kind: 'serial', link: join(work.path, 'up') },
        watchdogMs: 1000,
        dynamics: gap,
        actuatorDelayMs: 2,
        actuatorNoise: 0.05,
        sensorNoise: 0.0005,
      },
      work.path,
      'up',
    );
    const log = join(work.path, 'up.mcap');
    const result = await tether(['run', rigConfig(rig.hostLink, 'up'), '--duration', '14', '--log', log]);
    await rig.stop();
    await expectCertifiedSwingUp(result, log, 'serial');
  });

  it('a rig far outside the certificate trips the monitor: the fallback takes over and the run exits 3', async () => {
    const rig = await spawnRig(
      {
        model: 'cartpole',
        task: 'balance',
        transport: { kind: 'serial', link: join(work.path, 'bad') },
        watchdogMs: 1000,
        dynamics: { massScale: { pole: 4 }, actuatorGainScale: 0.25 },
      },
      work.path,
      'bad',
    );
    const file = rigConfig(rig.hostLink, 'bad', (t) =>
      t.replace('initial: swingup', 'initial: balance').replace('task: swingup', 'task: balance'),
    );
    const result = await tether(['run', file, '--duration', '6']);
    await rig.stop();
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/safety: CERTIFICATE VIOLATED \(balance at t=[\d.]+ s: /);
    expect(result.stdout).not.toMatch(/safety: ok/);
    expect(result.stderr).toMatch(/certificate violated: balance: .*; fallback swingup takes over/);
  });
});
