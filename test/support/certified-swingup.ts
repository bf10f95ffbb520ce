import { join } from 'node:path';
import { expect } from 'vitest';
import { readLog } from '../../src/logging/reader.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import { loadModel } from '../../src/verification/io.ts';
import type { CliResult } from './cli.ts';
import { controllerChanges } from './switches.ts';

const repo = join(import.meta.dirname, '../..');

/**
 * What a certified swing-up → balance run on the emulated rig must show, whatever the link: it ended
 * clear, the balance certificate was checked against the rig, the only switch was swingup → balance
 * and it came with V's sound bound below ρ and the swing-up's last command within the certificate's
 * 4 N of the LQR's (the base case of its delay proof), admitted by the certificate (named, with its
 * hash and plant) at that tick, and the pole ended inside the inner level (balanced).
 */
export async function expectCertifiedSwingUp(
  result: CliResult,
  log: string,
  transport: string,
): Promise<void> {
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/safety: ok/);
  expect(result.stderr).toMatch(
    /'balance' is certified by cartpole_lqr_rig_delay\.cert\.json .*not checkable on this robot/,
  );
  const read = await readLog(log);
  expect(read.robot?.transport).toBe(transport);
  expect(controllerChanges(read).map((c) => c.to)).toEqual(['balance']);
  const model = loadModel(join(repo, 'controllers/hybrid/models/cartpole/cartpole_lqr_rig_delay.json'));
  const switched = read.events.find(
    (e) => e.kind === 'controller-switch' && /swingup → balance \(/.test(e.message),
  )!;
  expect(switched.data).toMatchObject({
    guard: 'certified',
    certificate: 'cartpole_lqr_rig_delay.cert.json',
    plant: 'cartpole',
  });
  // Admitted only with the sound upper bound of V over the estimate box below rho.
  expect(switched.data!['V'] as number).toBeLessThan(model.spec.rho);
  const admitted = read.events.find((e) => e.source === 'certified-guard' && e.kind === 'certificate')!;
  expect(admitted.message).toMatch(
    /swingup → balance certified: V <= [\d.]+ < rho [\d.]+ over the estimate box and the last command sent, -?[\d.e-]+, within 4 of the controller's \[-?[\d.e-]+, -?[\d.e-]+\], by certificate cartpole_lqr_rig_delay\.cert\.json \(sha256 [0-9a-f]{12}…, plant cartpole\)/,
  );
  expect(admitted.time).toBeCloseTo(switched.time, 9);
  const t = read.ticks;
  const last = Array.from(
    t.observation.subarray((t.count - 1) * t.observationSize, (t.count - 1) * t.observationSize + 4),
  );
  expect(new ForwardModel(model).value(last)).toBeLessThan(model.spec.innerLevel);
}
