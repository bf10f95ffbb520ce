import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { datasetOfEpisodes, type EpisodeMessage, fleetTopics } from '../../app/loop/fleet.ts';
import { killLeftovers, type Mosquitto, startMosquitto } from '../../hardware/tools/processes.ts';

/**
 * Actor and learner apart over Mosquitto: a learner that is killed mid-stream and restarted, and a
 * broker restarted while the learner is away, lose no episode — the learner's session is persistent
 * and it acknowledges an episode only once it is on disk.
 */

const repo = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repo, 'bin/tether.mjs');
let mosquitto: Mosquitto | undefined;
afterAll(async () => {
  await mosquitto?.stop();
  killLeftovers();
});

function episode(rig: string, index: number): EpisodeMessage {
  const rows = 50;
  return {
    format: 'tether.episode/1',
    id: `${rig}/run#${index}`,
    rig,
    run: 'run',
    index,
    version: 'v0',
    sha256: 'a'.repeat(64),
    explored: false,
    end: 'horizon',
    return: rows,
    endedAtMs: Date.now(),
    obsSize: 4,
    actSize: 1,
    obs: new Array(rows * 4).fill(0.01),
    act: new Array(rows).fill(0.1),
    reward: new Array(rows).fill(1),
    nextObs: new Array(rows * 4).fill(0.01),
    terminated: new Array(rows).fill(0),
  };
}

function startLearner(config: string, log: string[]): ChildProcess {
  const child = spawn(process.execPath, [cli, 'learner', config], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d) => log.push(String(d)));
  return child;
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Resolves when the process has exited, also when it did so before this was called. */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

const spooled = (file: string) =>
  existsSync(file)
    ? new Set(
        readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => (JSON.parse(l) as EpisodeMessage).id),
      )
    : new Set<string>();

describe('actor and learner over Mosquitto', () => {
  it('loses no episode when the learner is killed mid-stream and when the broker restarts', async () => {
    mosquitto = await startMosquitto({ persistence: true });
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-fleet-'));
    const config = path.join(dir, 'loop.yaml');
    writeFileSync(
      config,
      stringify({
        run: path.join(repo, 'configs/loop/cartpole-run.yaml'),
        finetune: path.join(repo, 'configs/loop/cartpole-h2o.yaml'),
        // A batch no test reaches: this test is about ingestion, not fine-tuning.
        learner: { broker: { url: mosquitto.url, fleet: 'test', batch: 100_000 } },
        output: dir,
      }),
    );
    const spool = path.join(dir, 'learner', 'episodes.jsonl');
    const log: string[] = [];
    let learner = startLearner(config, log);
    await until(() => log.join('').includes('listening on'), 'the learner to subscribe');

    const topics = fleetTopics('tether', 'test');
    const rigs = ['rig-a', 'rig-b', 'rig-c'].map((rig) => ({
      rig,
      client: connect(mosquitto!.url, {
        clientId: `test-${rig}`,
        clean: false,
        reconnectPeriod: 100,
        protocolVersion: 4,
      }),
    }));
    await Promise.all(rigs.map(({ client }) => new Promise((done) => client.once('connect', done))));
    const sent: string[] = [];
    // Each publish waits for the broker's acknowledgement: the broker has the episode from then on.
    const publish = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        for (const { rig, client } of rigs) {
          const message = episode(rig, i);
          sent.push(message.id);
          await client.publishAsync(topics.episodes(rig), JSON.stringify(message), { qos: 1 });
        }
      }
    };

    // 1. The learner is killed while episodes stream in, and restarted.
    const streaming = publish(0, 40);
    await until(() => spooled(spool).size >= 15, 'the first episodes in the spool');
    learner.kill('SIGKILL');
    await streaming;
    await exited(learner);
    learner = startLearner(config, log);
    await until(
      () => spooled(spool).size === sent.length,
      `all ${sent.length} episodes after the learner's restart`,
    );

    // 2. The broker restarts while the learner is away: queued episodes survive it.
    learner.kill('SIGTERM');
    await exited(learner);
    await publish(40, 50);
    // Give the broker a moment to hold them, then restart it (it saves its state on the way down).
    await new Promise((done) => setTimeout(done, 300));
    await mosquitto.restart();
    learner = startLearner(config, log);
    await until(
      () => spooled(spool).size === sent.length,
      `all ${sent.length} episodes after the broker's restart`,
    );

    const ids = spooled(spool);
    const lost = sent.filter((id) => !ids.has(id));
    expect(lost).toEqual([]);
    // A redelivered episode is stored once.
    const lines = readFileSync(spool, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(lines.length).toBe(ids.size);
    learner.kill('SIGTERM');
    await exited(learner);
    await Promise.all(rigs.map(({ client }) => client.endAsync()));
    // The spool is a dataset.
    const data = datasetOfEpisodes(
      lines.map((l) => JSON.parse(l) as EpisodeMessage),
      'fleet test',
    );
    expect(data.episodes.length).toBe(150);
    expect(data.size).toBe(150 * 50);
  }, 240_000);
});
