/**
 * kill -9 of a running `tether run` (its own process, over a socat pty to the emulated rig, also its
 * own process): the rig goes to its safe state through its own watchdog, and nobody can drive it
 * afterwards. Not an outsider, not a second runtime holding the key while the dead owner's lease
 * runs, and a runtime that takes the rig once the lease is over only through the documented recovery
 * (`tether rig recover`, docs/security.md). bench/link-security.ts's `runtime-kill` row measures the
 * same scenario's timing.
 */
import { afterAll, expect, it } from 'vitest';
import { RigState } from '../../hardware/protocol/messages.ts';
import { outsiderBarrage, RoguePeer, SerialInjector } from '../../hardware/tools/intruder.ts';
import {
  cartpoleRunConfig,
  killLeftovers,
  spawnRig,
  spawnRuntime,
  temporaryDirectory,
} from '../../hardware/tools/processes.ts';
import { tether } from '../support/cli.ts';
import { serialRobot, sleep, until } from './helpers.ts';

const work = temporaryDirectory('tether-runtime-kill');
// A failed test must not leave a rig, a socat or a runtime running.
afterAll(killLeftovers);
afterAll(() => work.remove());

/** The rig's watchdog: silent this long while active, it latches its safe state. */
const watchdogMs = 1000;
/**
 * The dead owner's lease: long enough that a second runtime asking right after the watchdog's latch
 * still meets the dead owner's claim on a busy machine, short enough for the test to wait it out.
 */
const sessionLeaseMs = 8000;
const watchdogLatch = new RegExp(
  `fault: no command or heartbeat for (\\d+) ms \\(watchdog ${watchdogMs} ms\\)`,
);
const leaseOver = new RegExp(`lost the rig: nothing heard for \\d+ ms \\(lease ${sessionLeaseMs} ms\\)`);
const epochMs = () => performance.timeOrigin + performance.now();

it('kill -9 of tether run: the rig latches through its own watchdog; nobody else drives it, and a successor must recover it first', async () => {
  const rig = await spawnRig(
    {
      model: 'cartpole',
      transport: { kind: 'serial', link: `${work.path}/kill` },
      watchdogMs,
      sessionLeaseMs,
    },
    work.path,
    'kill',
  );
  let killedAt = 0;
  let appliedAtLatch = -1;
  try {
    // The shipped serial config with room for a busy machine: the run itself must not latch first.
    const config = cartpoleRunConfig({ kind: 'serial', path: rig.hostLink }, work.path, 'kill', {
      staleAfterTicks: 50,
      robot: { requestTimeoutMs: 5000 },
    });
    const run = spawnRuntime(config, ['--duration', '120']);
    expect(await run.started, run.output.stderr).toBe(true);
    await until(
      'the rig activated by the run',
      () => rig.log.some((l) => l.endsWith('rig: activated')),
      20_000,
    );
    await sleep(500);
    expect(run.child.exitCode, run.output.stderr).toBeNull();
    // Running and unlatched (a run starved into a latch would latch the rig itself: not this test).
    expect(rig.log.filter((l) => /rig: (e-stop|fault)/.test(l))).toEqual([]);

    killedAt = epochMs();
    run.child.kill('SIGKILL');
    expect(await run.exited).toBeNull(); // ended by the signal: no goodbye, no release, no e-stop
    await until('the watchdog latch', () => rig.log.some((l) => watchdogLatch.test(l)), 20_000);

    // An outsider at once: no key, the device key of its own, forged tags.
    const injector = new SerialInjector(rig.hostLink);
    await injector.open();
    await outsiderBarrage(new RoguePeer(injector, new Uint8Array(32).fill(7)), 500);
    await injector.close();

    // A second runtime holding the key, while the dead owner's lease runs: it may look, not own.
    const second = await serialRobot(rig.hostLink, { helloTimeoutMs: 1500, requestTimeoutMs: 5000 });
    try {
      const status = await second.rigStatus();
      expect(status).toMatchObject({ state: RigState.latched, owned: true, latches: 1 });
      expect(status.reason).toMatch(watchdogLatch);
      appliedAtLatch = status.commandsApplied;
      expect(appliedAtLatch).toBeGreaterThan(0);
      await expect(second.configure()).rejects.toThrow(
        /is owned by another session \(0x[0-9a-f]+\) and refused this runtime \d+ times?.*only one runtime may command a rig/,
      );
    } finally {
      await second.shutdown().catch(() => undefined);
    }

    // Once the lease is over, a runtime owns the rig but cannot move it: the latch stands.
    await until("the end of the dead owner's lease", () => rig.log.some((l) => leaseOver.test(l)), 30_000);
    const successor = await tether(['run', config, '--duration', '2']);
    expect(successor.code, successor.stderr).toBe(1);
    expect(successor.stderr).toMatch(
      /rig refused 'activate'.*: the rig is latched \(fault: no command or heartbeat for \d+ ms \(watchdog 1000 ms\)\).*tether rig recover/,
    );

    // The documented way back: the owner's recovery clears the latch and leaves the rig idle.
    const recovered = await tether(['rig', 'recover', config]);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.stdout).toMatch(/^recovered: the rig was latched \(fault: no command or heartbeat/);
    const observer = await serialRobot(rig.hostLink, { requestTimeoutMs: 5000 });
    try {
      expect(await observer.rigStatus()).toMatchObject({
        state: RigState.idle,
        owned: false,
        latches: 1,
        commandsApplied: appliedAtLatch,
      });
    } finally {
      await observer.shutdown().catch(() => undefined);
    }
  } catch (error) {
    await rig.stop().catch(() => undefined);
    throw error;
  }
  const report = await rig.stop();

  // One latch, the watchdog's, after the kill and long before the lease would have ended it.
  expect(report.latches.map((l) => l.reason)).toEqual([expect.stringMatching(watchdogLatch)]);
  const latch = report.latches[0]!;
  expect(latch.epochMs).toBeGreaterThan(killedAt);
  expect(latch.epochMs - killedAt).toBeLessThan(sessionLeaseMs);
  // Every command the rig applied came from the killed run's session, and none after its latch.
  const killed = report.sessions[0]!;
  expect(killed.openedEpochMs).toBeLessThan(killedAt);
  expect(Object.keys(report.appliedBySession)).toEqual([killed.id]);
  expect(report.commandsApplied).toBe(appliedAtLatch);
  // What was refused, and counted: the outsider's frames and the second runtime's open.
  expect(report.auth.forged + report.auth.foreignSession).toBeGreaterThan(10);
  expect(report.auth.unauthenticated).toBeGreaterThan(10);
  expect(report.auth.ownershipRefused).toBeGreaterThanOrEqual(1);
  expect(report.auth.leasesExpired).toBeGreaterThanOrEqual(1);
}, 180_000);
