import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('tether loop on Ctrl-C', () => {
  it('stops the round in progress cleanly: safe stop, rig and learner stopped, logs closed, exit 130', async () => {
    useTestLinkKey();
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
        episodes: { perRound: 20, horizon: 2 },
        learner: { updates: 60, criticWarmup: 40 },
        output: out,
      }),
    );
    const child = spawn(process.execPath, [path.join(repo, 'bin/tether.mjs'), 'loop', config], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, like a terminal's foreground job, so the signal can go to the group.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      // Mid-episode of round 0: the robot is moving under v0.
      if (!sent && stderr.includes('deployed v0')) {
        sent = true;
        setTimeout(() => process.kill(-child.pid!, 'SIGINT'), 3000);
      }
    });
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(sent, stderr).toBe(true);
    expect(stderr).not.toMatch(/tether:/);
    expect(code, `${stdout}\n${stderr}`).toBe(130);
    expect(stdout).toMatch(/INTERRUPTED by SIGINT in round 0 \(collecting episodes\)/);
    expect(stdout).toMatch(/stopped through the safe stop/);

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
    // The rig stopped through its own path (it wrote its report) and never lost its owner while
    // active, which is what a killed runtime leaves it to find out by itself.
    const rigReport = JSON.parse(readFileSync(path.join(out, 'rig-stats.json'), 'utf8')) as {
      latches: { reason: string }[];
    };
    expect(
      rigReport.latches.map((l) => l.reason).filter((r) => /lost while active|watchdog/.test(r)),
    ).toEqual([]);
    expect(existsSync(path.join(out, 'ledger.jsonl'))).toBe(true);
    const ledger = readFileSync(path.join(out, 'ledger.jsonl'), 'utf8');
    expect(ledger).toMatch(/"kind":"interrupted"/);
  }, 120_000);
});
