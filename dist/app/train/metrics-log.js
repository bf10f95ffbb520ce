// Compiled from app/train/metrics-log.ts by `npm run build`: edit the source, not this file.

// app/train/metrics-log.ts
import { open } from "node:fs/promises";
import { McapWriter } from "@mcap/core";
import { fileWritable } from "../../src/logging/file-writable.js";
import { secondsToNs } from "../../src/logging/layout.js";
var schema = {
  title: "tether.TrainEvaluation",
  type: "object",
  properties: {
    updates: { type: "integer", description: "gradient updates done" },
    simSteps: { type: "integer", description: "simulator steps collected" },
    realReturn: { type: "number", description: "mean return of the deterministic policy on the real system" },
    seconds: { type: "number", description: "training wall time so far" },
    stats: {
      type: "object",
      description: "the learner's statistics at the update before this evaluation",
      additionalProperties: { type: "number" }
    }
  }
};
var TrainMetricsLog = class _TrainMetricsLog {
  constructor(writer, channel, startedAtNs, close_) {
    this.writer = writer;
    this.channel = channel;
    this.startedAtNs = startedAtNs;
    this.close_ = close_;
  }
  writer;
  channel;
  startedAtNs;
  close_;
  /** Creates `file` (replacing it) and writes the evaluations the run already has (a resumed run's). */
  static async create(file, run, history) {
    const handle = await open(file, "w");
    const writer = new McapWriter({ useChunks: false, writable: fileWritable(handle, file) });
    await writer.start({ profile: "", library: "tether train" });
    await writer.addMetadata({ name: "tether.train", metadata: new Map(Object.entries(run)) });
    const schemaId = await writer.registerSchema({
      name: schema.title,
      encoding: "jsonschema",
      data: new TextEncoder().encode(JSON.stringify(schema))
    });
    const channel = await writer.registerChannel({
      topic: "/train/evaluation",
      schemaId,
      messageEncoding: "json",
      metadata: /* @__PURE__ */ new Map()
    });
    const lastSeconds = history.at(-1)?.seconds ?? 0;
    const startedAtNs = BigInt(Math.round(Date.now() - lastSeconds * 1e3)) * 1000000n;
    const log = new _TrainMetricsLog(writer, channel, startedAtNs, () => handle.close());
    for (const point of history) await log.add(point);
    return log;
  }
  async add(point) {
    const time = this.startedAtNs + secondsToNs(point.seconds);
    await this.writer.addMessage({
      channelId: this.channel,
      sequence: point.updates,
      logTime: time,
      publishTime: time,
      data: new TextEncoder().encode(JSON.stringify(point))
    });
  }
  /** Writes the summary and footer: a complete file. */
  async close() {
    await this.writer.end();
    await this.close_();
  }
};
export {
  TrainMetricsLog
};
