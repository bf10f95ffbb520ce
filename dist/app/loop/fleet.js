// Compiled from app/loop/fleet.ts by `npm run build`: edit the source, not this file.

// app/loop/fleet.ts
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync
} from "node:fs";
import path from "node:path";
import { connect } from "mqtt";
import { exportPolicy, sha256 } from "../../src/inference/export.js";
import { POLICY_NAME, trainedPolicyExport } from "../../src/learning/deployment.js";
import { saveLogDataset } from "../../src/learning/log-dataset.js";
import { runSeed } from "../train/seed-run.js";
function fleetTopics(prefix, fleet) {
  const root = `${prefix}/fleet/${fleet}`;
  return {
    episodes: (rig) => `${root}/episodes/${rig}`,
    allEpisodes: `${root}/episodes/+`,
    candidates: `${root}/candidates`
  };
}
function mqttOptions(options, clientId, clean, keepalive = 5) {
  return {
    clientId,
    clean,
    protocolVersion: 4,
    reconnectPeriod: 200,
    connectTimeout: 5e3,
    keepalive,
    ...options.username ? { username: options.username } : {},
    ...options.password ? { password: options.password } : {}
  };
}
function episodeMessage(episode, rig, run, sha256Of, actionMap) {
  const t = episode.transitions;
  if (t === void 0 || t.rows === 0) return void 0;
  const A = actionMap.length;
  const act = Array.from(
    t.act.subarray(0, t.rows * A),
    (v, i) => (v - actionMap[i % A].offset) / actionMap[i % A].scale
  );
  const version = episode.controllers.join("+");
  return {
    format: "tether.episode/1",
    id: `${rig}/${run}#${episode.index}`,
    rig,
    run,
    index: episode.index,
    version,
    sha256: episode.controllers.map(sha256Of).join("+"),
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
    terminated: Array.from(t.terminated.subarray(0, t.rows))
  };
}
var EpisodePublisher = class {
  constructor(options, rig, record) {
    this.options = options;
    this.rig = rig;
    this.record = record;
    this.client = connect(options.url, mqttOptions(options, `tether-rig-${options.fleet}-${rig}`, false));
    this.client.on("error", () => void 0);
  }
  options;
  rig;
  record;
  client;
  published = 0;
  publish(message) {
    this.published++;
    if (this.record) writeFileSync(this.record, `${message.id}
`, { flag: "a" });
    this.client.publish(
      fleetTopics(this.options.prefix, this.options.fleet).episodes(this.rig),
      JSON.stringify(message),
      {
        qos: 1
      }
    );
  }
  async close() {
    const deadline = Date.now() + 3e3;
    while (this.client.connected && Date.now() < deadline && this.client.queue?.length > 0)
      await new Promise((done) => setTimeout(done, 50));
    await this.client.endAsync();
  }
};
var EpisodeSpool = class {
  file;
  ids = /* @__PURE__ */ new Set();
  episodes = [];
  fd;
  constructor(dir) {
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, "episodes.jsonl");
    if (existsSync(this.file)) {
      for (const line of readFileSync(this.file, "utf8").split("\n")) {
        if (line.trim() === "") continue;
        try {
          const e = JSON.parse(line);
          if (!this.ids.has(e.id)) {
            this.ids.add(e.id);
            this.episodes.push(e);
          }
        } catch {
        }
      }
    }
    this.fd = openSync(this.file, "a");
  }
  /** Stores an episode durably; false for one already stored (a redelivery). */
  add(message) {
    if (this.ids.has(message.id)) return false;
    writeSync(this.fd, `${JSON.stringify({ ...message, receivedAtMs: Date.now() })}
`);
    fsyncSync(this.fd);
    this.ids.add(message.id);
    this.episodes.push(message);
    return true;
  }
  close() {
    closeSync(this.fd);
  }
};
function datasetOfEpisodes(episodes, task) {
  const first = episodes[0];
  if (first === void 0) throw new Error("no episodes to learn from yet");
  const O = first.obsSize;
  const A = first.actSize;
  const size = episodes.reduce((n, e) => n + e.reward.length, 0);
  const obs = new Float64Array(size * O);
  const act = new Float64Array(size * A);
  const reward = new Float64Array(size);
  const nextObs = new Float64Array(size * O);
  const terminated = new Float64Array(size);
  const episode = new Int32Array(size);
  const records = [];
  let at = 0;
  episodes.forEach((e, k) => {
    if (e.obsSize !== O || e.actSize !== A)
      throw new Error(
        `episode ${e.id} has ${e.obsSize}/${e.actSize} signals, the first one ${O}/${A}: another robot`
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
      controllers: e.version.split("+"),
      hashes: e.sha256.split("+"),
      firstTick: 0,
      lastTick: n,
      transitions: n,
      return: e.return,
      start: "after-latch",
      end: e.end === "fell" ? "terminated" : "latched"
    });
    at += n;
  });
  const ends = { terminated: 0, latched: 0, "tick-gap": 0, horizon: 0, "end-of-log": 0, "non-finite": 0 };
  for (const r of records) ends[r.end]++;
  const report = {
    task,
    logs: [],
    ticks: size,
    transitions: size,
    episodes: records.length,
    ends,
    dropped: { latchedTicks: 0, nonFiniteTicks: 0, afterTerminalTicks: 0, missingTicks: 0, shortEpisodes: 0 }
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
    report
  };
}
var FleetLearner = class {
  constructor(options) {
    this.options = options;
    this.spool = new EpisodeSpool(options.dir);
    this.latest = options.initial;
    const state = path.join(options.dir, "learner.json");
    if (existsSync(state)) {
      const saved = JSON.parse(readFileSync(state, "utf8"));
      this.version = saved.version;
      this.latest = saved.latest;
      this.usedCount = saved.used;
      this.previousUsed = saved.used;
    }
  }
  options;
  client;
  spool;
  version = 0;
  latest;
  usedCount = 0;
  previousUsed = 0;
  training;
  received = 0;
  duplicates = 0;
  candidates = [];
  async start() {
    const { broker } = this.options;
    const topics = fleetTopics(broker.prefix, broker.fleet);
    const client = connect(broker.url, mqttOptions(broker, `tether-learner-${broker.fleet}`, false, 120));
    client.on("error", (e) => this.options.log?.(`learner: broker: ${e.message}`));
    client.handleMessage = (packet, done) => {
      try {
        if (packet.topic.startsWith(topics.allEpisodes.slice(0, -1))) {
          const message = JSON.parse(packet.payload.toString());
          if (message.format === "tether.episode/1") {
            this.received++;
            if (!this.spool.add(message)) this.duplicates++;
            else this.maybeTrain();
          }
        }
        done();
      } catch (error) {
        this.options.log?.(`learner: an episode could not be stored: ${error.message}`);
        done(error);
      }
    };
    await new Promise((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", reject);
    });
    await client.subscribeAsync(topics.allEpisodes, { qos: 1 });
    this.client = client;
    this.options.log?.(
      `learner: ${this.spool.episodes.length} episodes in the spool, candidate version ${this.version}; listening on ${topics.allEpisodes}`
    );
    this.maybeTrain();
  }
  maybeTrain() {
    if (this.training !== void 0 || this.client === void 0) return;
    if (this.spool.episodes.length - this.usedCount < this.options.batch) return;
    this.training = this.train().catch((error) => this.options.log?.(`learner: fine-tuning failed: ${error.message}`)).finally(() => {
      this.training = void 0;
      this.maybeTrain();
    });
  }
  async train() {
    const started = performance.now();
    const episodes = [...this.spool.episodes];
    const version = this.version + 1;
    const dir = path.join(this.options.dir, `candidate-${version}`);
    mkdirSync(dir, { recursive: true });
    const data = datasetOfEpisodes(episodes, "fleet");
    const trainFile = path.join(dir, "train.json");
    await saveLogDataset(trainFile, data);
    const config = {
      ...this.options.config,
      dataset: trainFile,
      datasets: [trainFile],
      init: this.latest,
      seeds: [this.options.seed],
      output: path.join(dir, "train"),
      checkpointEvery: void 0,
      ...this.options.updates ? { budget: { ...this.options.config.budget, updates: this.options.updates } } : {}
    };
    const candidateDir = path.join(dir, "candidate");
    await runSeed(config, this.options.seed, {
      onFinished: async (trainer) => {
        await exportPolicy(
          candidateDir,
          trainedPolicyExport(trainer, { fleet: this.options.broker.fleet, version })
        );
      }
    });
    const onnx = readFileSync(path.join(candidateDir, `${POLICY_NAME}.onnx`));
    const message = {
      format: "tether.candidate/1",
      version,
      sha256: sha256(onnx),
      onnx: onnx.toString("base64"),
      contract: readFileSync(path.join(candidateDir, `${POLICY_NAME}.contract.yaml`), "utf8"),
      card: readFileSync(path.join(candidateDir, `${POLICY_NAME}.card.json`), "utf8"),
      algorithm: config.algorithm,
      episodes: episodes.map((e) => e.id),
      createdAtMs: Date.now(),
      newestEpisodeEndedAtMs: Math.max(...episodes.map((e) => e.endedAtMs))
    };
    await this.client.publishAsync(
      fleetTopics(this.options.broker.prefix, this.options.broker.fleet).candidates,
      JSON.stringify(message),
      {
        qos: 1,
        retain: true
      }
    );
    this.version = version;
    this.latest = path.join(candidateDir, `${POLICY_NAME}.onnx`);
    this.usedCount = episodes.length;
    writeFileSync(
      path.join(this.options.dir, "learner.json"),
      JSON.stringify({ version, latest: this.latest, used: this.usedCount })
    );
    const seconds = (performance.now() - started) / 1e3;
    this.candidates.push({ version, episodes: episodes.length, seconds, sha256: message.sha256 });
    const fresh = episodes.slice(this.previousUsed).map((e) => ({ id: e.id, endedAtMs: e.endedAtMs }));
    this.previousUsed = episodes.length;
    writeFileSync(
      path.join(this.options.dir, "candidates.jsonl"),
      `${JSON.stringify({ version, sha256: message.sha256, createdAtMs: message.createdAtMs, seconds, episodes: episodes.length, fresh })}
`,
      { flag: "a" }
    );
    this.options.log?.(
      `learner: candidate ${version} (sha256 ${message.sha256.slice(0, 12)}) from ${episodes.length} episodes in ${seconds.toFixed(1)} s`
    );
  }
  async close() {
    await this.training?.catch(() => void 0);
    await this.client?.endAsync();
    this.spool.close();
  }
};
var BrokerLearner = class {
  constructor(broker, rig, gates) {
    this.broker = broker;
    this.rig = rig;
    this.gates = gates;
  }
  broker;
  rig;
  gates;
  client;
  newest;
  taken = 0;
  waiters = [];
  onProgress;
  async start() {
    const topics = fleetTopics(this.broker.prefix, this.broker.fleet);
    const client = connect(
      this.broker.url,
      mqttOptions(this.broker, `tether-rig-${this.broker.fleet}-${this.rig}-candidates`, true)
    );
    client.on("message", (_topic, payload) => {
      const message = JSON.parse(payload.toString());
      if (message.format !== "tether.candidate/1") return;
      if (this.newest === void 0 || message.version > this.newest.version) this.newest = message;
      for (const wake of this.waiters.splice(0)) wake();
    });
    await new Promise((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", reject);
    });
    await client.subscribeAsync(topics.candidates, { qos: 1 });
    this.client = client;
  }
  async learn(job) {
    this.onProgress?.({ round: job.round, phase: "fine-tune" });
    while (this.newest === void 0 || this.newest.version <= this.taken)
      await new Promise((wake) => this.waiters.push(wake));
    const message = this.newest;
    this.taken = message.version;
    const dir = path.join(job.dir, "candidate");
    mkdirSync(dir, { recursive: true });
    const onnx = path.join(dir, `${POLICY_NAME}.onnx`);
    const contract = path.join(dir, `${POLICY_NAME}.contract.yaml`);
    writeFileSync(onnx, Buffer.from(message.onnx, "base64"));
    writeFileSync(contract, message.contract);
    writeFileSync(path.join(dir, `${POLICY_NAME}.card.json`), message.card);
    if (sha256(readFileSync(onnx)) !== message.sha256)
      throw new Error(`candidate ${message.version}: its ONNX file does not match its sha256`);
    this.onProgress?.({ round: job.round, phase: "gates" });
    const result = await this.gates.learn({ ...job, candidate: { onnx, contract } });
    return { ...result, trainTransitions: message.episodes.length };
  }
  async close() {
    for (const wake of this.waiters.splice(0)) wake();
    await this.client?.endAsync();
    await this.gates.close();
  }
};
export {
  BrokerLearner,
  EpisodePublisher,
  EpisodeSpool,
  FleetLearner,
  datasetOfEpisodes,
  episodeMessage,
  fleetTopics
};
