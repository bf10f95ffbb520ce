import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  killLeftovers,
  spawnRig,
  temporaryDirectory,
  useTestLinkKey,
} from '../../hardware/tools/processes.ts';

useTestLinkKey();
const work = temporaryDirectory('tether-rig-operate');
// A failed test must not leave a rig running.
afterAll(killLeftovers);
afterAll(() => work.remove());

describe('operating the emulated rig', () => {
  it('tether rig --duration stops at once on SIGTERM, with its report, and frees its pty', async () => {
    const link = `${work.path}/term`;
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'serial', link } },
      work.path,
      'term',
      ['--duration', '600'],
    );
    expect(existsSync(`${link}.host`)).toBe(true);
    const sent = performance.now();
    const report = await rig.stop();
    // Generous for a loaded machine; the bug this guards against waited the whole 600 s.
    expect(performance.now() - sent).toBeLessThan(5000);
    expect(report.name).toBe('cartpole');
    expect(existsSync(`${link}.host`)).toBe(false);
    expect(existsSync(`${link}.socat.pid`)).toBe(false);
  });
});
