/**
 * Two `tether run` on the same serial line of one emulated rig: the second never reaches the link
 * protocol, because the OS lock on the port refuses it first. Its error must say so, naming the
 * process that holds the port; the first run keeps the rig, and nothing latches (docs/security.md,
 * "Per transport").
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  cartpoleRunConfig,
  killLeftovers,
  spawnRig,
  spawnRuntime,
  temporaryDirectory,
  useTestLinkKey,
} from '../../hardware/tools/processes.ts';
import { type CliResult, cli } from '../support/cli.ts';
import { until } from './helpers.ts';

useTestLinkKey();
const work = temporaryDirectory('tether-second-owner');
// A failed test must not leave a rig, a socat or a runtime running.
afterAll(killLeftovers);
afterAll(() => work.remove());

/** `tether run` again, at the lowest CPU priority: the refusal is the test, not the first run's starvation. */
function secondRun(config: string): Promise<CliResult> {
  const child = spawn('nice', ['-n', '19', process.execPath, cli, 'run', config, '--duration', '2'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

it('a second tether run on a serial line already in use is refused by the port lock, named, and the first keeps the rig', async () => {
  const rig = await spawnRig(
    { model: 'cartpole', transport: { kind: 'serial', link: `${work.path}/line` }, watchdogMs: 1000 },
    work.path,
    'line',
  );
  try {
    // Room for a busy machine: the first run must not latch on its own.
    const config = cartpoleRunConfig({ kind: 'serial', path: rig.hostLink }, work.path, 'line', {
      staleAfterTicks: 50,
      robot: { requestTimeoutMs: 5000 },
    });
    // Starting a second Node process takes both cores for a moment: let the first ride that out.
    const run = parse(readFileSync(config, 'utf8')) as { loop: Record<string, unknown> };
    run.loop.maxConsecutiveMisses = 300;
    writeFileSync(config, stringify(run));
    const first = spawnRuntime(config, ['--duration', '60']);
    expect(await first.started, first.output.stderr).toBe(true);
    await until(
      'the rig activated by the first run',
      () => rig.log.some((l) => l.endsWith('rig: activated')),
      20_000,
    );

    const second = await secondRun(config);
    expect(second.code, second.stderr).toBe(1);
    expect(second.stderr).toMatch(
      /serial port \S+ is held by another process \(pid \d+: [^)]*tether\.mjs run [^)]*line-run\.yaml[^)]*\): .*no other runtime or rig command can reach this rig while it runs/,
    );
    // The holder named is the first run itself.
    expect(second.stderr).toContain(`(pid ${first.child.pid}: `);
    expect(second.stdout).not.toMatch(/running under/);

    // The first run is still up, owns the rig, and nothing latched on either side.
    expect(first.child.exitCode, first.output.stderr).toBeNull();
    expect(first.output.stdout).not.toMatch(/LATCHED/);
    expect(rig.log.filter((l) => /rig: (e-stop|fault)|session open refused/.test(l))).toEqual([]);
    first.child.kill('SIGINT');
    await first.exited;
    expect(first.output.stdout).not.toMatch(/LATCHED/);
  } catch (error) {
    await rig.stop().catch(() => undefined);
    throw error;
  }
  const report = await rig.stop();
  // One session, the first run's, and the second never spoke to the rig at all.
  expect(report.latches).toEqual([]);
  expect(report.sessions).toHaveLength(1);
  expect(report.auth.ownershipRefused).toBe(0);
  expect(report.commandsApplied).toBeGreaterThan(0);
}, 120_000);
