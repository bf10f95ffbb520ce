/**
 * Three emulated rigs and one learner through Mosquitto (docs/closed-loop.md, "a fleet"): each rig
 * runs `tether loop` in broker mode (publishes its episodes, gates and swaps the learner's
 * candidates itself), one `tether learner` fine-tunes; halfway the learner is SIGKILLed and
 * restarted. Measured: episodes per second ingested, the time from an episode's end to the first
 * candidate that used it, and the episodes lost (published by a rig, never in the learner's spool).
 *
 *   node --import tsx bench/closed-loop-fleet.ts [--rounds 2 --episodes 4 --updates 500 --batch 12]
 *
 * Updates the `fleet` key of bench/results/closed-loop.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { startMosquitto, useTestLinkKey } from '../hardware/tools/processes.ts';
import { machineInfo, resultsPath } from './report.ts';

const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const rounds = Number(flag('rounds', '2'));
const episodes = Number(flag('episodes', '4'));
const updates = Number(flag('updates', '500'));
const batch = Number(flag('batch', '12'));
const repo = path.resolve(import.meta.dirname, '..');
const dir = path.join(repo, 'runs', 'bench', 'closed-loop-fleet');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
useTestLinkKey();

const mosquitto = await startMosquitto({ persistence: true });
const rigs = ['rig-a', 'rig-b', 'rig-c'];
const configFor = (rig: string) => {
  const file = path.join(dir, `${rig}.yaml`);
  writeFileSync(
    file,
    stringify({
      run: path.join(repo, 'configs/loop/cartpole-run.yaml'),
      rig: path.join(repo, 'configs/rig/cartpole-weak-motor.yaml'),
      finetune: path.join(repo, 'configs/loop/cartpole-h2o.yaml'),
      rounds,
      episodes: { perRound: episodes, final: 0, exploration: { std: 0.3, share: 0.5 } },
      swap: { shadow: 1, rollback: { window: 10, maxFalls: 8, minReturnRatio: 0.8 } },
      learner: {
        nice: 10,
        updates,
        criticWarmup: updates,
        broker: { url: mosquitto.url, fleet: 'bench', rig, batch },
      },
      output: path.join(dir, rig),
    }),
  );
  return file;
};
const configs = rigs.map(configFor);
const cli = path.join(repo, 'bin/tether.mjs');
const start = (args: string[], log: string): ChildProcess => {
  const child = spawn(process.execPath, [cli, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => writeFileSync(log, d, { flag: 'a' }));
  child.stderr!.on('data', (d) => writeFileSync(log, d, { flag: 'a' }));
  return child;
};
const learnerLog = path.join(dir, 'learner.log');
const exited = (child: ChildProcess) => new Promise<void>((done) => child.once('exit', () => done()));
const started = Date.now();
let learner = start(['learner', configs[0]!], learnerLog);
const loops = rigs.map((rig, i) => start(['loop', configs[i]!, '--quiet'], path.join(dir, `${rig}.log`)));
const loopsDone = Promise.all(loops.map(exited));

// Halfway through the first round (once the learner holds some episodes), it dies and comes back.
const spool = path.join(dir, 'rig-a', 'learner', 'episodes.jsonl');
const lines = () =>
  existsSync(spool)
    ? readFileSync(spool, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '').length
    : 0;
while (lines() < Math.max(3, batch / 2)) await new Promise((done) => setTimeout(done, 500));
const killedAt = Date.now();
const spooledAtKill = lines();
learner.kill('SIGKILL');
await exited(learner);
await new Promise((done) => setTimeout(done, 5000));
learner = start(['learner', configs[0]!], learnerLog);
const restartedAt = Date.now();
await loopsDone;
learner.kill('SIGTERM');
await exited(learner);
await mosquitto.stop();

const spooled = readFileSync(spool, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { id: string; endedAtMs: number; receivedAtMs: number });
const ids = new Set(spooled.map((e) => e.id));
const published = rigs.flatMap((rig) =>
  readFileSync(path.join(dir, rig, 'published.txt'), 'utf8')
    .split('\n')
    .filter((l) => l !== ''),
);
const lost = published.filter((id) => !ids.has(id));
const candidatesFile = path.join(dir, 'rig-a', 'learner', 'candidates.jsonl');
const candidates = existsSync(candidatesFile)
  ? readFileSync(candidatesFile, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map(
        (l) =>
          JSON.parse(l) as {
            version: number;
            createdAtMs: number;
            seconds: number;
            fresh: { id: string; endedAtMs: number }[];
          },
      )
  : [];
const latencies = candidates
  .flatMap((c) => c.fresh.map((e) => (c.createdAtMs - e.endedAtMs) / 1000))
  .sort((a, b) => a - b);
const received = spooled.map((e) => e.receivedAtMs).sort((a, b) => a - b);
const spanS = (received.at(-1)! - received[0]!) / 1000;
const summaries = rigs.map((rig) => {
  const file = path.join(dir, rig, 'summary.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
});
const result = {
  ...machineInfo(),
  settings: { rigs: rigs.length, rounds, episodesPerRound: episodes, updates, batch },
  wallSeconds: (Date.now() - started) / 1000,
  episodesPublished: published.length,
  episodesIngested: ids.size,
  episodesLost: lost.length,
  lost,
  ingestedPerSecond: ids.size / spanS,
  learnerKilled: {
    atSeconds: (killedAt - started) / 1000,
    spooledBefore: spooledAtKill,
    downSeconds: (restartedAt - killedAt) / 1000,
  },
  candidates: candidates.map((c) => ({
    version: c.version,
    fineTuneSeconds: c.seconds,
    newEpisodes: c.fresh.length,
  })),
  episodeToCandidateSeconds: {
    min: latencies[0] ?? null,
    median: latencies[Math.floor(latencies.length / 2)] ?? null,
    max: latencies.at(-1) ?? null,
    episodes: latencies.length,
  },
  rigs: summaries.map((s, i) => ({
    rig: rigs[i],
    rounds: s?.rounds.map((r: { version: string; outcome: string; real: { meanReturn: number } }) => ({
      version: r.version,
      realReturn: r.real.meanReturn,
      outcome: r.outcome,
    })),
    missedDeadlines: s?.report.missedDeadlines,
    periodErrorP99Us: s ? s.report.periodError.p99 * 1e6 : null,
  })),
};
const file = resultsPath('closed-loop.json');
const all = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
all.fleet = result;
writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
process.stdout.write(`${JSON.stringify({ ...result, lost: undefined, rigs: undefined }, null, 2)}\n`);
