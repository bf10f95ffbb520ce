import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runClosedLoop } from '../../app/loop/closed-loop.ts';
import { loadLoopConfig } from '../../app/loop/config.ts';
import type { LearnJob } from '../../app/loop/learner.ts';
import { LearnerProcess } from '../../app/loop/learner-process.ts';
import { datasetTaskOf } from '../../app/loop/task.ts';
import { killLeftovers, useTestLinkKey } from '../../hardware/tools/processes.ts';
import { createEnv } from '../../sim/envs/index.ts';
import { normalizingMap } from '../../sim/gaps/pair.ts';
import { exportPolicy } from '../../src/inference/export.ts';
import type { MlpPolicy } from '../../src/inference/mlp.ts';
import { POLICY_NAME, trainedPolicyContract } from '../../src/learning/deployment.ts';
import { readActorInit } from '../../src/learning/init.ts';
import { loadLogDataset } from '../../src/learning/log-dataset.ts';
import { readLog } from '../../src/logging/reader.ts';
import { candidateLearner } from '../support/candidate-learner.ts';
import { tether as tetherCli } from '../support/cli.ts';

/**
 * `tether loop` on the emulated weak-motor cartpole rig over a socat pty, CI-sized: 2 s episodes,
 * a few per round, a fine-tuning budget of a hundred updates. The learner here is real (a lower
 * priority process) in the CLI test; the in-process test replaces it with one that hands the loop
 * deliberately bad candidates, to show what the gates and the rollback do with them.
 */

const repo = path.resolve(import.meta.dirname, '../..');
afterAll(killLeftovers);

/** The CLI, run from the repository's root (configs are named relative to it). */
const tether = (args: string[]) => tetherCli(args, [], { cwd: repo });

/** A loop config in `dir` around the shipped run, rig and fine-tuning configs. */
function loopConfig(dir: string, extra: Record<string, unknown> = {}, rigFaults: unknown[] = []): string {
  let rig = path.join(repo, 'configs/rig/cartpole-weak-motor.yaml');
  if (rigFaults.length > 0) {
    const text = readFileSync(rig, 'utf8');
    rig = path.join(dir, 'rig.yaml');
    writeFileSync(rig, `${text}\nfaults: ${JSON.stringify(rigFaults)}\n`);
  }
  const file = path.join(dir, 'loop.yaml');
  writeFileSync(
    file,
    stringify({
      run: path.join(repo, 'configs/loop/cartpole-run.yaml'),
      rig,
      finetune: path.join(repo, 'configs/loop/cartpole-h2o.yaml'),
      rounds: 1,
      episodes: { perRound: 3, horizon: 2, final: 2, exploration: { std: 0.3, share: 0.3 } },
      gates: {
        sim: { episodes: 3 },
        fqe: { heldOut: 0.25, gamma: 0.9, iterations: 10, stepsPerIteration: 10 },
      },
      swap: { shadow: 0.5, rollback: { window: 3, maxFalls: 2 } },
      learner: { updates: 60, criticWarmup: 40 },
      output: path.join(dir, 'out'),
      ...extra,
    }),
  );
  return file;
}

/** The sim-only policy with its output negated: it pushes the pole over instead of catching it. */
async function wrongWayPolicy(dir: string): Promise<{ onnx: string; contract: string }> {
  const init = await readActorInit(path.join(repo, 'configs/loop/sim-policy/policy.onnx'));
  const mlp: MlpPolicy = {
    layers: init.layers.map((l, i) => ({
      inSize: l.inSize,
      outSize: l.outSize,
      weight: Float32Array.from(l.weight, (w) => (i === init.layers.length - 1 ? -w : w)),
      bias: Float32Array.from(l.bias, (b) => (i === init.layers.length - 1 ? -b : b)),
      activation: i === init.layers.length - 1 ? ('tanh' as const) : ('relu' as const),
    })),
  };
  const env = await createEnv('cartpole', { task: 'balance' });
  const contract = trainedPolicyContract(env, normalizingMap(env.action));
  env.dispose();
  await exportPolicy(dir, {
    mlp,
    contract,
    name: POLICY_NAME,
    description: 'a deliberately bad candidate: the sim-only policy pushing the wrong way',
    trainingConfig: { test: 'wrong-way' },
    metrics: {},
  });
  return {
    onnx: path.join(dir, `${POLICY_NAME}.onnx`),
    contract: path.join(dir, `${POLICY_NAME}.contract.yaml`),
  };
}

describe('tether loop on the emulated rig', () => {
  it('runs a round end to end: logs, dataset, fine-tuning, gates, and reports every version by hash', async () => {
    useTestLinkKey();
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-loop-'));
    const run = await tether(['loop', loopConfig(dir), '--quiet']);
    expect(run.stderr).not.toMatch(/tether:/);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/ended in the safe state between episodes/);
    const out = path.join(dir, 'out');
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.rounds).toHaveLength(1);
    const [round] = summary.rounds;
    expect(round.version).toBe('v0');
    expect(round.real.episodes).toBe(3);
    expect(round.candidate.version).toBe('v1');
    expect(['gates-failed', 'swapped-kept', 'rolled-back', 'shadow-refused']).toContain(round.outcome);
    expect(round.gates.checks.map((c: { name: string }) => c.name)).toEqual([
      'contract',
      'actions',
      'sim',
      'fqe',
      'certificate',
    ]);
    expect(summary.final.real.episodes).toBe(2);
    expect(existsSync(path.join(out, 'returns.svg'))).toBe(true);
    // The candidate stays with its card and gate report whatever the gates said.
    for (const file of ['candidate/policy.onnx', 'candidate/policy.card.json', 'gates.json', 'dataset.json'])
      expect(existsSync(path.join(out, 'round-0', file)), file).toBe(true);
    const ledger = readFileSync(path.join(out, 'ledger.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(ledger.map((e) => e.kind).slice(0, 3)).toEqual(['version', 'round', 'gates']);
    for (const e of ledger.filter((x) => ['version', 'round', 'gates'].includes(x.kind)))
      expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The round's log is a dataset of the task it recorded: episodes by version, with the hash.
    const log = await readLog(path.join(out, 'round-0.mcap'));
    expect((log.config as { task: { kind: string } }).task.kind).toBe('mujoco-rig');
    const dataset = await loadLogDataset(path.join(out, 'round-0', 'dataset.json'));
    const v0 = dataset.episodes.filter((e) => e.controllers.join() === 'v0');
    expect(v0.length).toBeGreaterThanOrEqual(3);
    expect(v0[0]!.hashes).toEqual([round.sha256]);
    const built = await tether([
      'dataset',
      'build',
      path.join(out, 'round-0.mcap'),
      '-o',
      path.join(dir, 'again.json'),
    ]);
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(
      /task cartpole balance, rig cartpole-weak-motor\.yaml: \d+ transitions in \d+ episodes/,
    );
  }, 300_000);

  it('rejects a bad candidate at the gates, rolls back a degrading one, survives a dying learner and a rig e-stop', async () => {
    useTestLinkKey();
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-loop-'));
    const config = loadLoopConfig(
      loopConfig(dir, { rounds: 3, swap: { shadow: 0.5, rollback: { window: 4, maxFalls: 1 } } }, [
        // The rig's own e-stop button, pressed during round 0: the loop recovers it like any episode end.
        { kind: 'estop', at: 3 },
      ]),
    );
    const bad = await wrongWayPolicy(path.join(dir, 'wrong-way'));
    const task = await datasetTaskOf(
      { kind: config.finetune.environment.kind, ...(config.finetune.environment.options as object) },
      { what: 'test', baseDir: path.dirname(config.finetune.file) },
    );
    // A learner that builds the round's dataset like the real one, then hands over the wrong-way policy.
    const learner = candidateLearner(dir, task, (job) => {
      if (job.round === 2)
        throw new Error('learner process died during round 2 (SIGKILL); the deployed policy stays');
      // Round 0: the gates as configured. Round 1: gates that only check the contract, so the
      // degrading candidate reaches the robot and the rollback has something to catch.
      const gates =
        job.round === 0
          ? job.gates
          : {
              ...job.gates,
              sim: { episodes: 1, minReturnRatio: 0 },
              fqe: { ...job.gates.fqe, enabled: false },
              actions: { maxSaturation: 1 },
            };
      return { candidate: bad, gates };
    });
    const result = await runClosedLoop(config, { learner });
    expect(result.rounds.map((r) => r.outcome)).toEqual(['gates-failed', 'rolled-back', 'learner-failed']);
    const [rejected, rolledBack, died] = result.rounds;
    // Round 0: the wrong-way policy falls in the simulator and is worth less on held-out episodes.
    const failed = rejected!.gates!.checks.filter((c) => !c.passed).map((c) => c.name);
    expect(failed).toContain('sim');
    expect(rejected!.candidate!.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Round 1: it passed the lenient gates, ran in shadow, was swapped in, fell, and was rolled back.
    expect(rolledBack!.shadow!.ticks).toBeGreaterThan(0);
    expect(rolledBack!.rollback!.verdict).toBe('rolled-back');
    expect(rolledBack!.detail).toMatch(/fall/);
    expect(died!.detail).toMatch(/learner process died/);
    // Through all of it v0 stays the deployed version, and the run ends in the loop's own safe state.
    expect(result.final!.version).toBe('v0');
    expect(result.latched).toBeUndefined();
    // Every decision is in the run's log with the policy hash: the swap and the rollback included.
    const events = [];
    for (const file of result.logs) if (existsSync(file)) events.push(...(await readLog(file)).events);
    const swap = events.find((e) => e.source === 'controller-manager' && /^v0 → v2 \(swap/.test(e.message));
    const back = events.find(
      (e) => e.source === 'controller-manager' && /^v2 → v0 \(rollback/.test(e.message),
    );
    expect(swap).toBeDefined();
    expect(back?.data).toMatchObject({ forced: true, rollback: true });
    const installed = events.find((e) => e.data?.['installed'] === 'v2');
    expect(installed?.data?.['hash']).toBe(rolledBack!.candidate!.sha256);
    expect(events.some((e) => e.source === 'loop' && e.data?.['kind'] === 'rollback')).toBe(true);
    expect(events.some((e) => /e-stop|estop/i.test(e.message))).toBe(true);
  }, 300_000);

  it('reports a learner process that dies mid-round instead of hanging the loop', async () => {
    const learner = new LearnerProcess(10);
    const pending = learner.learn({ round: 7 } as LearnJob);
    // The child is up; kill it before it answers.
    await new Promise((done) => setTimeout(done, 200));
    learner.kill('SIGKILL');
    await expect(pending).rejects.toThrow(
      /learner process died during round 7 \(SIGKILL\); the deployed policy stays/,
    );
    await learner.close();
  }, 60_000);
});
