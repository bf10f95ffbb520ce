/**
 * A second robot's path from run to dataset, through the CLI: the 7-DoF arm on its emulated rig over
 * a socat pty, driven in torque mode by the operational-space reach, with the run config's task the
 * arm's reach. The run is scored by the task's goal (the flange within 2 cm of the target at the
 * end), not only by the absence of a terminal state, and its log becomes a transition dataset whose
 * rewards are the task's, recomputed from the logged signals.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  killLeftovers,
  spawnRig,
  temporaryDirectory,
  useTestLinkKey,
} from '../../hardware/tools/processes.ts';
import { loadLogDataset } from '../../src/learning/log-dataset.ts';
import { tether } from '../support/cli.ts';

useTestLinkKey();
const work = temporaryDirectory('tether-arm-task');
afterAll(() => {
  killLeftovers();
  work.remove();
});

/** The arm rig as a torque-controlled robot: no gravity compensation, the nominal target. */
const rigConfig = {
  model: 'arm',
  task: 'reach',
  transport: { kind: 'serial' as const, link: join(work.path, 'arm') },
  stateRateHz: 500,
  innerLoopHz: 1000,
  watchdogMs: 1000,
  auth: { keyEnv: 'TETHER_LINK_KEY' },
  commandMode: 'torque' as const,
  sensorNoise: 0.0002,
  resetNoise: 0,
};

function runConfig(hostLink: string, log: string): string {
  const file = join(work.path, 'arm-torque.yaml');
  writeFileSync(
    file,
    stringify({
      name: 'arm-reach-torque',
      robot: {
        kind: 'serial',
        path: hostLink,
        expect: { model: 'arm', task: 'reach' },
        auth: { keyEnv: 'TETHER_LINK_KEY' },
        helloTimeoutMs: 10000,
        requestTimeoutMs: 5000,
      },
      controller: { kind: 'arm-reach' },
      loop: { rateHz: 500, maxConsecutiveMisses: 200 },
      // Room for a loaded CI machine: test files run side by side on two cores.
      safety: { staleAfterTicks: 500 },
      task: { kind: 'mujoco', model: 'arm', task: 'reach' },
      log: { path: log },
    }),
  );
  return file;
}

describe('the arm task on its emulated rig, through the CLI', () => {
  it('a reach is a success only at the target, and the run log is a dataset of the reach task', async () => {
    const rig = await spawnRig(rigConfig, work.path, 'arm-rig');
    try {
      // Too short to get there: no terminal state, but the goal is missed, so the task failed (exit 4).
      const short = await tether([
        'run',
        runConfig(rig.hostLink, join(work.path, 'short.mcap')),
        '--duration',
        '0.1',
      ]);
      expect(short.stdout).toMatch(/safety: ok/);
      // (A missed deadline on a loaded machine may cut the one episode short of the run's end; the
      // goal is then never judged, and the task failed all the same.)
      expect(short.stdout).toMatch(
        /task: .*arm reach.*FAILED \((the goal was not met at the end of 1 of \d+ episode|no episode ended where it is judged)/,
      );
      expect(short.code).toBe(4);

      const log = join(work.path, 'reach.mcap');
      const run = await tether(['run', runConfig(rig.hostLink, log), '--duration', '3']);
      expect(run.stdout).toMatch(/safety: ok/);
      expect(run.stdout).toMatch(
        /task: .*arm reach.*SUCCESS \(goal met at the end of 1 episode( \(\d+ more cut by gaps\))?, no terminal state\)/,
      );
      expect(run.code).toBe(0);

      const datasetFile = join(work.path, 'reach.json');
      const built = await tether(['dataset', 'build', log, '-o', datasetFile]);
      expect(built.code, built.stderr).toBe(0);
      const dataset = await loadLogDataset(datasetFile);
      // Missed deadlines on a loaded machine cut episodes (gaps in the ticks), never join them.
      expect(dataset.episodes.length).toBeGreaterThanOrEqual(1);
      expect(dataset.size).toBeGreaterThan(1000);
      expect(dataset.obsSize).toBe(20);
      // Each reward is -|flange - target| - 1e-4 |tau|^2 of the logged signals (actions are stored in
      // the learner's units: ±1 = the joint's torque limit).
      const limits = [87, 87, 87, 87, 12, 12, 12];
      for (const k of [0, Math.floor(dataset.size / 2), dataset.size - 1]) {
        const next = dataset.nextObs.subarray(20 * k, 20 * k + 20);
        const torque = Array.from(dataset.act.subarray(7 * k, 7 * k + 7), (a, i) => a * limits[i]!);
        const distance = Math.hypot(next[14]! - next[17]!, next[15]! - next[18]!, next[16]! - next[19]!);
        const effort = torque.reduce((sum, t) => sum + t * t, 0);
        expect(dataset.reward[k]).toBeCloseTo(-distance - 1e-4 * effort, 6);
      }
      // The last transition is at the target: the reward is the effort of holding the arm there.
      const last = dataset.nextObs.subarray(20 * (dataset.size - 1));
      expect(Math.hypot(last[14]! - last[17]!, last[15]! - last[18]!, last[16]! - last[19]!)).toBeLessThan(
        0.02,
      );
    } finally {
      await rig.stop();
    }
  }, 120_000);
});
