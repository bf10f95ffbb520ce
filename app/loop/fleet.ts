/**
 * Actor and learner apart, over a broker (MQTT; Mosquitto or the embedded one). Rigs publish every
 * episode they finish; one learner subscribes, fine-tunes and publishes versioned candidates; each
 * rig gates and swaps on its own (the loop of closed-loop.ts with a `BrokerLearner`).
 *
 *   <prefix>/fleet/<fleet>/episodes/<rig>   QoS 1: one episode (its transitions, provenance, return)
 *   <prefix>/fleet/<fleet>/candidates       QoS 1, retained: the newest candidate (ONNX, contract, card)
 *
 * No episode is lost when the learner or the broker restarts: the learner's session is persistent
 * (clean = false, a fixed client id) so the broker queues QoS 1 episodes while it is away, and it
 * acknowledges an episode only once the episode is in its spool on disk (fsync), so one that arrives
 * just before a crash is delivered again; ids make a redelivery harmless. With a broker that
 * persists its sessions (Mosquitto `persistence true`) a broker restart loses nothing either. The
 * rigs' MCAP logs stay the source of truth: `tether dataset build` re-ingests them at any time.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { exportPolicy, sha256 } from '../../src/inference/export.ts';
import { POLICY_NAME, trainedPolicyExport } from '../../src/learning/deployment.ts';
import type { DatasetReport, EpisodeRecord, LogDataset } from '../../src/learning/log-dataset.ts';
import { saveLogDataset } from '../../src/learning/log-dataset.ts';
import type { TrainConfig } from '../../src/learning/train-config.ts';
import { runSeed } from '../train/seed-run.ts';
import type { LiveEpisode } from './episodes.ts';
import type { Learner, LearnJob, LearnProgress, LearnResult } from './learner.ts';
import type { LearnerProcess } from './learner-process.ts';

export interface FleetTopics {
  readonly episodes: (rig: string) => string;
  readonly allEpisodes: string;
  readonly candidates: string;
}

export function fleetTopics(prefix: string, fleet: string): FleetTopics {
  const root = `${prefix}/fleet/${fleet}`;
  return {
    episodes: (rig) => `${root}/episodes/${rig}`,
    allEpisodes: `${root}/episodes/+`,
    candidates: `${root}/candidates`,
  };
}

/** One finished episode as a rig publishes it (actions in the learner's units). */
export interface EpisodeMessage {
  readonly format: 'tether.episode/1';
  readonly id: string;
  readonly rig: string;
  readonly run: string;
  readonly index: number;
  readonly version: string;
  readonly sha256: string;
  readonly explored: boolean;
  readonly end: string;
  readonly return: number;
  /** Wall clock when the episode ended, ms since the epoch. */
  readonly endedAtMs: number;
  readonly obsSize: number;
  readonly actSize: number;
  readonly obs: readonly number[];
  readonly act: readonly number[];
  readonly reward: readonly number[];
  readonly nextObs: readonly number[];
  readonly terminated: readonly number[];
}

export interface CandidateMessage {
  readonly format: 'tether.candidate/1';
  /** Increases with every candidate the learner publishes. */
  readonly version: number;
  readonly sha256: string;
  readonly onnx: string;
  readonly contract: string;
  readonly card: string;
  readonly algorithm: string;
  /** Ids of the episodes its fine-tuning used. */
  readonly episodes: readonly string[];
  readonly createdAtMs: number;
  /** When the newest of those episodes ended (for the episode → candidate latency). */
  readonly newestEpisodeEndedAtMs: number;
}

export interface BrokerOptions {
  readonly url: string;
  readonly prefix: string;
  readonly fleet: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
}

function mqttOptions(
  options: BrokerOptions,
  clientId: string,
  clean: boolean,
  keepalive = 5,
): IClientOptions {
  return {
    clientId,
    clean,
    protocolVersion: 4,
    reconnectPeriod: 200,
    connectTimeout: 5000,
    keepalive,
    ...(options.username ? { username: options.username } : {}),
    ...(options.password ? { password: options.password } : {}),
  };
}

/** An episode of the live loop as a message: its transitions, in the learner's units. */
export function episodeMessage(
  episode: LiveEpisode,
  rig: string,
  run: string,
  sha256Of: (version: string) => string,
  actionMap: readonly { readonly scale: number; readonly offset: number }[],
): EpisodeMessage | undefined {
  const t = episode.transitions;
  if (t === undefined || t.rows === 0) return undefined;
  const A = actionMap.length;
  const act = Array.from(
    t.act.subarray(0, t.rows * A),
    (v, i) => (v - actionMap[i % A]!.offset) / actionMap[i % A]!.scale,
  );
  const version = episode.controllers.join('+');
  return {
    format: 'tether.episode/1',
    id: `${rig}/${run}#${episode.index}`,
    rig,
    run,
    index: episode.index,
    version,
    sha256: episode.controllers.map(sha256Of).join('+'),
    explored: episode.explored,
    end: episode.end,
    return: episode.return,
    endedAtMs: Date.now(),
    obsSize: t.obsSize,
    actSize: A,
    obs: Array.from(t.obs.subarray(0, t.rows * t.obsSize)),
    act,
    reward: Array.from(t.reward.subarray(0, t.rows)),
    nextObs: Array.from(t.nextObs.subarray(0, t.rows * t.obsSize)),
    terminated: Array.from(t.terminated.subarray(0, t.rows)),
  };
}

/** Rig side: publishes episodes (QoS 1; queued by the client while the broker is away). */
export class EpisodePublisher {
  private readonly client: MqttClient;
  published = 0;
  constructor(
    private readonly options: BrokerOptions,
    private readonly rig: string,
    /** A file that lists every episode id published (the fleet benchmark counts losses with it). */
    private readonly record?: string,
  ) {
    this.client = connect(options.url, mqttOptions(options, `tether-rig-${options.fleet}-${rig}`, false));
    this.client.on('error', () => undefined);
  }
  publish(message: EpisodeMessage): void {
    this.published++;
    if (this.record) writeFileSync(this.record, `${message.id}\n`, { flag: 'a' });
    this.client.publish(
      fleetTopics(this.options.prefix, this.options.fleet).episodes(this.rig),
      JSON.stringify(message),
      {
        qos: 1,
      },
    );
  }
  async close(): Promise<void> {
    // Let queued episodes go out first (bounded).
    const deadline = Date.now() + 3000;
    while (
      this.client.connected &&
      Date.now() < deadline &&
      (this.client as unknown as { queue: unknown[] }).queue?.length > 0
    )
      await new Promise((done) => setTimeout(done, 50));
    await this.client.endAsync();
  }
}

/** The spool of a learner: every episode received, one JSON line each, fsynced before the ack. */
export class EpisodeSpool {
  readonly file: string;
  private readonly ids = new Set<string>();
  readonly episodes: EpisodeMessage[] = [];
  private fd: number;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'episodes.jsonl');
    if (existsSync(this.file)) {
      for (const line of readFileSync(this.file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          const e = JSON.parse(line) as EpisodeMessage;
          if (!this.ids.has(e.id)) {
            this.ids.add(e.id);
            this.episodes.push(e);
          }
        } catch {
          // a line cut by a crash mid-write: its episode was never acknowledged, it comes again
        }
      }
    }
    this.fd = openSync(this.file, 'a');
  }

  /** Stores an episode durably; false for one already stored (a redelivery). */
  add(message: EpisodeMessage): boolean {
    if (this.ids.has(message.id)) return false;
    writeSync(this.fd, `${JSON.stringify({ ...message, receivedAtMs: Date.now() })}\n`);
    fsyncSync(this.fd);
    this.ids.add(message.id);
    this.episodes.push(message);
    return true;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Episodes as a dataset (the transitions the rigs computed with the task's reward). */
export function datasetOfEpisodes(episodes: readonly EpisodeMessage[], task: string): LogDataset {
  const first = episodes[0];
  if (first === undefined) throw new Error('no episodes to learn from yet');
  const O = first.obsSize;
  const A = first.actSize;
  const size = episodes.reduce((n, e) => n + e.reward.length, 0);
  const obs = new Float64Array(size * O);
  const act = new Float64Array(size * A);
  const reward = new Float64Array(size);
  const nextObs = new Float64Array(size * O);
  const terminated = new Float64Array(size);
  const episode = new Int32Array(size);
  const records: EpisodeRecord[] = [];
  let at = 0;
  episodes.forEach((e, k) => {
    if (e.obsSize !== O || e.actSize !== A)
      throw new Error(
        `episode ${e.id} has ${e.obsSize}/${e.actSize} signals, the first one ${O}/${A}: another robot`,
      );
    const n = e.reward.length;
    obs.set(e.obs, at * O);
    act.set(e.act, at * A);
    reward.set(e.reward, at);
    nextObs.set(e.nextObs, at * O);
    terminated.set(e.terminated, at);
    episode.fill(k, at, at + n);
    records.push({
      id: e.id,
      log: `mqtt:${e.rig}`,
      run: e.run,
      robot: e.rig,
      controllers: e.version.split('+'),
      hashes: e.sha256.split('+'),
      firstTick: 0,
      lastTick: n,
      transitions: n,
      return: e.return,
      start: 'after-latch',
      end: e.end === 'fell' ? 'terminated' : 'latched',
    });
    at += n;
  });
  const ends = { terminated: 0, latched: 0, 'tick-gap': 0, horizon: 0, 'end-of-log': 0, 'non-finite': 0 };
  for (const r of records) ends[r.end]++;
  const report: DatasetReport = {
    task,
    logs: [],
    ticks: size,
    transitions: size,
    episodes: records.length,
    ends,
    dropped: { latchedTicks: 0, nonFiniteTicks: 0, afterTerminalTicks: 0, missingTicks: 0, shortEpisodes: 0 },
  };
  return {
    size,
    obsSize: O,
    actSize: A,
    obs,
    act,
    reward,
    nextObs,
    terminated,
    episode,
    episodes: records,
    report,
  };
}

export interface FleetLearnerOptions {
  readonly broker: BrokerOptions;
  /** The fine-tuning config (init = the first deployed policy). */
  readonly config: TrainConfig;
  /** The policy the first candidate starts from. */
  readonly initial: string;
  readonly dir: string;
  /** New episodes (not explored or explored alike) before the next fine-tuning. */
  readonly batch: number;
  readonly updates?: number | undefined;
  readonly seed: number;
  readonly log?: ((line: string) => void) | undefined;
}

/**
 * The learner of a fleet: a persistent MQTT session on the episodes, a durable spool, a fine-tuning
 * whenever `batch` new episodes arrived, each candidate published retained. It resumes from its
 * spool and its last candidate after a restart.
 */
export class FleetLearner {
  private client: MqttClient | undefined;
  readonly spool: EpisodeSpool;
  private version = 0;
  private latest: string;
  private usedCount = 0;
  private previousUsed = 0;
  private training: Promise<void> | undefined;
  received = 0;
  duplicates = 0;
  readonly candidates: { version: number; episodes: number; seconds: number; sha256: string }[] = [];

  constructor(private readonly options: FleetLearnerOptions) {
    this.spool = new EpisodeSpool(options.dir);
    this.latest = options.initial;
    const state = path.join(options.dir, 'learner.json');
    if (existsSync(state)) {
      const saved = JSON.parse(readFileSync(state, 'utf8')) as {
        version: number;
        latest: string;
        used: number;
      };
      this.version = saved.version;
      this.latest = saved.latest;
      this.usedCount = saved.used;
      this.previousUsed = saved.used;
    }
  }

  async start(): Promise<void> {
    const { broker } = this.options;
    const topics = fleetTopics(broker.prefix, broker.fleet);
    // Fine-tuning runs in this process and holds its event loop for seconds at a time: a keepalive
    // longer than a fine-tuning keeps the broker from dropping the session meanwhile (it would
    // reconnect and lose nothing, but why churn).
    const client = connect(broker.url, mqttOptions(broker, `tether-learner-${broker.fleet}`, false, 120));
    client.on('error', (e) => this.options.log?.(`learner: broker: ${e.message}`));
    // Acknowledge an episode only once it is on disk: a crash before that gets it delivered again.
    client.handleMessage = (packet, done) => {
      try {
        if (packet.topic.startsWith(topics.allEpisodes.slice(0, -1))) {
          const message = JSON.parse(packet.payload.toString()) as EpisodeMessage;
          if (message.format === 'tether.episode/1') {
            this.received++;
            if (!this.spool.add(message)) this.duplicates++;
            else this.maybeTrain();
          }
        }
        done();
      } catch (error) {
        this.options.log?.(`learner: an episode could not be stored: ${(error as Error).message}`);
        done(error as Error);
      }
    };
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync(topics.allEpisodes, { qos: 1 });
    this.client = client;
    this.options.log?.(
      `learner: ${this.spool.episodes.length} episodes in the spool, candidate version ${this.version}; listening on ${topics.allEpisodes}`,
    );
    this.maybeTrain();
  }

  private maybeTrain(): void {
    if (this.training !== undefined || this.client === undefined) return;
    if (this.spool.episodes.length - this.usedCount < this.options.batch) return;
    this.training = this.train()
      .catch((error: Error) => this.options.log?.(`learner: fine-tuning failed: ${error.message}`))
      .finally(() => {
        this.training = undefined;
        this.maybeTrain();
      });
  }

  private async train(): Promise<void> {
    const started = performance.now();
    const episodes = [...this.spool.episodes];
    const version = this.version + 1;
    const dir = path.join(this.options.dir, `candidate-${version}`);
    mkdirSync(dir, { recursive: true });
    const data = datasetOfEpisodes(episodes, 'fleet');
    const trainFile = path.join(dir, 'train.json');
    await saveLogDataset(trainFile, data);
    const config: TrainConfig = {
      ...this.options.config,
      dataset: trainFile,
      datasets: [trainFile],
      init: this.latest,
      seeds: [this.options.seed],
      output: path.join(dir, 'train'),
      checkpointEvery: undefined,
      ...(this.options.updates
        ? { budget: { ...this.options.config.budget, updates: this.options.updates } }
        : {}),
    };
    const candidateDir = path.join(dir, 'candidate');
    await runSeed(config, this.options.seed, {
      onFinished: async (trainer) => {
        await exportPolicy(
          candidateDir,
          trainedPolicyExport(trainer, { fleet: this.options.broker.fleet, version }),
        );
      },
    });
    const onnx = readFileSync(path.join(candidateDir, `${POLICY_NAME}.onnx`));
    const message: CandidateMessage = {
      format: 'tether.candidate/1',
      version,
      sha256: sha256(onnx),
      onnx: onnx.toString('base64'),
      contract: readFileSync(path.join(candidateDir, `${POLICY_NAME}.contract.yaml`), 'utf8'),
      card: readFileSync(path.join(candidateDir, `${POLICY_NAME}.card.json`), 'utf8'),
      algorithm: config.algorithm,
      episodes: episodes.map((e) => e.id),
      createdAtMs: Date.now(),
      newestEpisodeEndedAtMs: Math.max(...episodes.map((e) => e.endedAtMs)),
    };
    await this.client!.publishAsync(
      fleetTopics(this.options.broker.prefix, this.options.broker.fleet).candidates,
      JSON.stringify(message),
      {
        qos: 1,
        retain: true,
      },
    );
    this.version = version;
    this.latest = path.join(candidateDir, `${POLICY_NAME}.onnx`);
    this.usedCount = episodes.length;
    writeFileSync(
      path.join(this.options.dir, 'learner.json'),
      JSON.stringify({ version, latest: this.latest, used: this.usedCount }),
    );
    const seconds = (performance.now() - started) / 1000;
    this.candidates.push({ version, episodes: episodes.length, seconds, sha256: message.sha256 });
    // What each candidate used for the first time, with when those episodes ended: the fleet's latency.
    const fresh = episodes.slice(this.previousUsed).map((e) => ({ id: e.id, endedAtMs: e.endedAtMs }));
    this.previousUsed = episodes.length;
    writeFileSync(
      path.join(this.options.dir, 'candidates.jsonl'),
      `${JSON.stringify({ version, sha256: message.sha256, createdAtMs: message.createdAtMs, seconds, episodes: episodes.length, fresh })}\n`,
      { flag: 'a' },
    );
    this.options.log?.(
      `learner: candidate ${version} (sha256 ${message.sha256.slice(0, 12)}) from ${episodes.length} episodes in ${seconds.toFixed(1)} s`,
    );
  }

  async close(): Promise<void> {
    await this.training?.catch(() => undefined);
    await this.client?.endAsync();
    this.spool.close();
  }
}

/**
 * Rig side of a fleet: the loop's learner is the broker. A round waits for a candidate newer than
 * the last one taken, writes it to the round's folder and gates it in the gate process on this rig's
 * own data (its held-out episodes, its robot's specs) — each rig decides on its own.
 */
export class BrokerLearner implements Learner {
  private client: MqttClient | undefined;
  private newest: CandidateMessage | undefined;
  private taken = 0;
  private waiters: (() => void)[] = [];
  onProgress: ((progress: LearnProgress) => void) | undefined;

  constructor(
    private readonly broker: BrokerOptions,
    private readonly rig: string,
    private readonly gates: LearnerProcess,
  ) {}

  async start(): Promise<void> {
    const topics = fleetTopics(this.broker.prefix, this.broker.fleet);
    const client = connect(
      this.broker.url,
      mqttOptions(this.broker, `tether-rig-${this.broker.fleet}-${this.rig}-candidates`, true),
    );
    client.on('message', (_topic, payload) => {
      const message = JSON.parse(payload.toString()) as CandidateMessage;
      if (message.format !== 'tether.candidate/1') return;
      if (this.newest === undefined || message.version > this.newest.version) this.newest = message;
      for (const wake of this.waiters.splice(0)) wake();
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync(topics.candidates, { qos: 1 });
    this.client = client;
  }

  async learn(job: LearnJob): Promise<LearnResult> {
    this.onProgress?.({ round: job.round, phase: 'fine-tune' });
    while (this.newest === undefined || this.newest.version <= this.taken)
      await new Promise<void>((wake) => this.waiters.push(wake));
    const message = this.newest;
    this.taken = message.version;
    const dir = path.join(job.dir, 'candidate');
    mkdirSync(dir, { recursive: true });
    const onnx = path.join(dir, `${POLICY_NAME}.onnx`);
    const contract = path.join(dir, `${POLICY_NAME}.contract.yaml`);
    writeFileSync(onnx, Buffer.from(message.onnx, 'base64'));
    writeFileSync(contract, message.contract);
    writeFileSync(path.join(dir, `${POLICY_NAME}.card.json`), message.card);
    if (sha256(readFileSync(onnx)) !== message.sha256)
      throw new Error(`candidate ${message.version}: its ONNX file does not match its sha256`);
    this.onProgress?.({ round: job.round, phase: 'gates' });
    const result = await this.gates.learn({ ...job, candidate: { onnx, contract } });
    return { ...result, trainTransitions: message.episodes.length };
  }

  async close(): Promise<void> {
    for (const wake of this.waiters.splice(0)) wake();
    await this.client?.endAsync();
    await this.gates.close();
  }
}
