import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLogDataset } from '../../src/learning/log-dataset.ts';
import { readLog } from '../../src/logging/reader.ts';
import { summarizeLog } from '../../src/logging/stats.ts';
import { tether } from '../support/cli.ts';

/**
 * A run config's `task:` on the real MuJoCo cartpole: the run scores itself by the task (success,
 * return, time within limits), writes the outcome into its log's summary, and its log becomes a
 * dataset of the task without `--task`.
 */

function tempConfig(yaml: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tether-task-'));
  const file = join(dir, 'run.yaml');
  writeFileSync(file, yaml);
  return { dir, file };
}

/** No force at all: the pole, 0.15 rad off upright, falls. */
const falling = (limits: boolean) =>
  [
    'robot: { kind: sim, model: cartpole, initialState: { qpos: [0.0, 0.15] } }',
    'controller: { kind: constant }',
    'loop: { rateHz: 50 }',
    ...(limits ? ['safety: { observationLimits: { pole.angle: [-0.8, 0.8] } }'] : []),
    'task: { kind: mujoco, model: cartpole, task: balance }',
    '',
  ].join('\n');

describe('a run config with a task (real MuJoCo cartpole)', () => {
  it('prints success and the return, writes them into the log, and the log is a dataset of the task', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tether-task-'));
    const log = join(dir, 'cartpole.mcap');
    const config = join(import.meta.dirname, '../../configs/cartpole.yaml');
    const run = await tether(['run', config, '--fast', '--duration', '5', '--log', log]);
    expect(run.code, run.stderr).toBe(0);
    const line = run.stdout.split('\n').find((l) => l.trim().startsWith('task:'));
    expect(line).toMatch(
      /task: cartpole balance: SUCCESS \(no terminal state in 1 episode\); return (\d+\.\d+); 5\.00 of 5\.00 s within limits/,
    );
    const printedReturn = Number(line!.match(/return (\d+\.\d+)/)![1]);
    // cos(angle) per tick, close to 1 for a balanced pole: 249 transitions in 5 s.
    expect(printedReturn).toBeGreaterThan(240);
    expect(printedReturn).toBeLessThanOrEqual(249);

    const report = summarizeLog(await readLog(log));
    expect(report.task?.success).toBe(true);
    expect(report.task?.episodes).toBe(1);
    expect(report.task?.meanReturn).toBeCloseTo(printedReturn, 2);
    const info = await tether(['log', 'info', log]);
    expect(info.stdout).toMatch(/^task\s+cartpole balance: SUCCESS/m);

    // No --task: the log recorded its own; the dataset's return is the summary's.
    const built = await tether(['dataset', 'build', log, '-o', join(dir, 'data.json')]);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/task cartpole balance: 249 transitions in 1 episodes/);
    const dataset = await loadLogDataset(join(dir, 'data.json'));
    expect(dataset.episodes[0]!.return).toBeCloseTo(report.task!.meanReturn, 9);
  }, 60_000);

  it('reports a fallen pole as a failure: exit 4 when the run ended clear, 2 when a limit latched it', async () => {
    const free = tempConfig(falling(false));
    const run = await tether([
      'run',
      free.file,
      '--fast',
      '--duration',
      '5',
      '--log',
      join(free.dir, 'f.mcap'),
    ]);
    expect(run.stdout).toMatch(/safety: ok/);
    expect(run.stdout).toMatch(
      /task: cartpole balance: FAILED \(the task's terminal state was reached in 1 of 1 episode, first at 0\.\d+ s\); return \d+\.\d+; 0\.\d+ of 5\.00 s within limits/,
    );
    expect(run.code).toBe(4);
    const report = summarizeLog(await readLog(join(free.dir, 'f.mcap')));
    expect(report.task?.success).toBe(false);
    expect(report.task?.falls).toBe(1);

    const limited = tempConfig(falling(true));
    const latched = await tether(['run', limited.file, '--fast', '--duration', '5']);
    expect(latched.stdout).toMatch(/safety: LATCHED/);
    expect(latched.stdout).toMatch(/task: cartpole balance: FAILED/);
    expect(latched.code).toBe(2);
  }, 60_000);

  it('locates a typo in task: at its file, line and key, before the robot moves', async () => {
    const { file } = tempConfig(
      [
        'robot: { kind: sim, model: cartpole }',
        'controller: { kind: constant }',
        'loop: { rateHz: 50 }',
        'task:',
        '  kind: mujoco',
        '  model: cartpole',
        '  taks: balance',
        '',
      ].join('\n'),
    );
    const typo = await tether(['run', file, '--fast', '--duration', '1']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain(`${file}:7:3: task: unknown key 'taks'`);
    expect(typo.stdout).toBe('');

    writeFileSync(
      file,
      [
        'robot: { kind: sim, model: cartpole }',
        'controller: { kind: constant }',
        'loop: { rateHz: 100 }',
        'task: { kind: mujoco, model: cartpole }',
        '',
      ].join('\n'),
    );
    const rate = await tether(['config', 'check', file]);
    expect(rate.code).toBe(1);
    expect(rate.stderr).toMatch(
      /run\.yaml:4:\d+: task: task cartpole balance runs at 50 Hz, the loop at 100 Hz/,
    );
  }, 60_000);
});
