import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { killLeftovers, useTestLinkKey } from '../../hardware/tools/processes.ts';
import { readLog } from '../../src/logging/reader.ts';

/**
 * Ctrl-C in `tether loop`, as a terminal sends it: SIGINT to the whole foreground process group
 * (the loop and the learner it forked; the rig runs in its own group). The loop must stop the
 * episode in progress at a tick boundary, stop the robot through the runner's safe stop while the
 * rig still listens, then the learner and the rig, close its logs, say what finished and exit 130.
 */
const repo = path.resolve(import.meta.dirname, '../..');
afterAll(killLeftovers);

/** A CI-sized loop config in a fresh folder; returns the config file and the output folder. */
function loopConfig(perRound: number): { config: string; out: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tether-loop-int-'));
  const out = path.join(dir, 'out');
  const config = path.join(dir, 'loop.yaml');
  writeFileSync(
    config,
    stringify({
      run: path.join(repo, 'configs/loop/cartpole-run.yaml'),
      rig: path.join(repo, 'configs/rig/cartpole-weak-motor.yaml'),
      finetune: path.join(repo, 'configs/loop/cartpole-h2o.yaml'),
      rounds: 2,
      episodes: { perRound, horizon: 2 },
      learner: { updates: 3000, criticWarmup: 3000 },
      output: out,
    }),
  );
  return { config, out };
}

/** Runs `tether loop` in its own process group; `signal` is called with it on each stderr chunk. */
function loop(config: string, signal: (stderr: string, child: ChildProcess) => void) {
  const child = spawn(process.execPath, [path.join(repo, 'bin/tether.mjs'), 'loop', config], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, like a terminal's foreground job, so the signal can go to the group.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d;
    signal(stderr, child);
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    child.on('close', (code) => done({ code, stdout, stderr })),
  );
}

/** The rig's latches from `since` on that a vanished owner causes (empty after a clean stop). */
function stoppedWithoutLosingOwner(out: string, since: number): string[] {
  const report = JSON.parse(readFileSync(path.join(out, 'rig-stats.json'), 'utf8')) as {
    latches: { epochMs: number; reason: string }[];
  };
  return report.latches
    .filter((l) => l.epochMs >= since && /lost while active|no command or heartbeat/.test(l.reason))
    .map((l) => l.reason);
}

describe('tether loop on Ctrl-C', () => {
  it('stops the round in progress cleanly: safe stop, rig and learner stopped, logs closed, exit 130', async () => {
    useTestLinkKey();
    const { config, out } = loopConfig(20);
    let sent = false;
    const { code, stdout, stderr } = await loop(config, (stderr, child) => {
      // Mid-episode of round 0: the robot is moving under v0.
      if (!sent && stderr.includes('deployed v0')) {
        sent = true;
        setTimeout(() => process.kill(-child.pid!, 'SIGINT'), 3000);
      }
    });
    expect(sent, stderr).toBe(true);
    expect(stderr).not.toMatch(/tether:/);
    expect(code, `${stdout}\n${stderr}`).toBe(130);
    expect(stdout).toMatch(/INTERRUPTED by SIGINT in round 0 \(collecting episodes\)/);
    expect(stdout).toMatch(/stopped through the safe stop/);
    // The run scored by its task up to the interruption: the episodes v0 finished.
    expect(stdout).toMatch(
      /task \(every episode, exploring ones included\): cartpole balance, rig cartpole-weak-motor\.yaml: (SUCCESS|FAILED) \(.*\); (mean )?return /,
    );

    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.interrupted).toEqual({ reason: 'SIGINT', round: 0, phase: 'collecting episodes' });
    expect(summary.rounds).toEqual([]);
    // The run's own end: the runner deactivated the robot (safe action sent) before the rig stopped.
    const log = await readLog(path.join(out, 'round-0.mcap'));
    expect(log.truncated).toBe(false);
    expect(log.summary).toBeDefined();
    expect(log.ticks.tick.length).toBeGreaterThan(100);
    expect(
      log.events.some((e) => e.source === 'loop' && e.message.startsWith('SIGINT: the loop stops')),
    ).toBe(true);
    expect(
      log.events.some((e) => /stopped after \d+ ticks; robot stopped, safe action sent/.test(e.message)),
    ).toBe(true);
    const ledger = readFileSync(path.join(out, 'ledger.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; wall: string });
    const interrupted = ledger.find((e) => e.kind === 'interrupted');
    expect(interrupted).toBeDefined();
    // The rig stopped through its own path (it wrote its report), and from the interruption on it
    // never found its owner gone while active — what a killed runtime leaves it to find out by
    // itself. (A busy machine may trip its watchdog mid-run; the loop recovers from that.)
    expect(stoppedWithoutLosingOwner(out, Date.parse(interrupted!.wall))).toEqual([]);
  }, 120_000);

  it('stops the learner in the middle of a fine-tuning on SIGTERM and exits 143', async () => {
    useTestLinkKey();
    const { config, out } = loopConfig(3);
    let sent = false;
    // SIGTERM to the loop alone: it must stop the learner itself, or its IPC channel keeps it alive.
    const run = await loop(config, (stderr, child) => {
      if (!sent && /round 0: v0 returned/.test(stderr)) {
        sent = true;
        setTimeout(() => child.kill('SIGTERM'), 1000);
      }
    });
    expect(sent, run.stderr).toBe(true);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(143);
    expect(run.stdout).toMatch(/INTERRUPTED by SIGTERM in round 0 \(fine-tuning\)/);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.interrupted).toEqual({ reason: 'SIGTERM', round: 0, phase: 'fine-tuning' });
    expect(summary.rounds).toEqual([]);
    const ledger = readFileSync(path.join(out, 'ledger.jsonl'), 'utf8');
    const wall = /"wall":"([^"]+)","kind":"interrupted"/.exec(ledger)![1]!;
    expect(stoppedWithoutLosingOwner(out, Date.parse(wall))).toEqual([]);
  }, 180_000);
});
