// Compiled from src/logging/reader.ts by `npm run build`: edit the source, not this file.

// src/logging/reader.ts
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import zstd from "@foxglove/wasm-zstd";
import { MCAP_MAGIC, McapStreamReader } from "@mcap/core";
import {
  fromMetadataJson,
  MetadataName,
  nsToSeconds,
  parseLinkMessage,
  parseLoggerMessage,
  Topic,
  tickTopics
} from "./layout.js";
var NotMcapError = class extends Error {
  constructor(path, detail) {
    super(`${path} is not an MCAP file: ${detail}`);
    this.path = path;
    this.name = "NotMcapError";
  }
  path;
};
var Column = class {
  constructor(data, make, width = 1) {
    this.data = data;
    this.make = make;
    this.width = width;
  }
  data;
  make;
  width;
  length = 0;
  push(values) {
    const needed = (this.length + 1) * this.width;
    if (needed > this.data.length) {
      const grown = this.make(Math.max(needed, this.data.length * 2));
      grown.set(this.data);
      this.data = grown;
    }
    for (let i = 0; i < this.width; i++) this.data[this.length * this.width + i] = values[i];
    this.length++;
  }
  pushOne(value) {
    scalar[0] = value;
    this.push(scalar);
  }
  result() {
    return this.data.slice(0, this.length * this.width);
  }
};
var scalar = new Float64Array(1);
var floats = (width = 1) => new Column(new Float64Array(256 * width), (size) => new Float64Array(size), width);
function numberOrNaN(value) {
  return typeof value === "number" ? value : Number.NaN;
}
function valueAt(message, path) {
  let node = message;
  for (const key of path) {
    if (node === null || typeof node !== "object") return Number.NaN;
    node = node[key];
  }
  return numberOrNaN(node);
}
function readVector(message, paths, out) {
  for (let i = 0; i < paths.length; i++) out[i] = valueAt(message, paths[i]);
}
var TickAssembler = class {
  tick = floats();
  time = floats();
  wallTime = floats();
  periodError = floats();
  computeTime = floats();
  observationTime = floats();
  missedDeadlines = floats();
  controller = new Column(new Int32Array(256), (size) => new Int32Array(size));
  mode = new Column(new Int32Array(256), (size) => new Int32Array(size));
  safetyFlags = new Column(new Uint32Array(256), (size) => new Uint32Array(size));
  observation = floats(0);
  action = floats(0);
  command = floats(0);
  observationPaths = [];
  actionPaths = [];
  incomplete = 0;
  current = Number.NaN;
  parts = 0;
  row = {
    observation: new Float64Array(0),
    action: new Float64Array(0),
    command: new Float64Array(0),
    time: 0,
    wallTime: 0,
    periodError: 0,
    computeTime: 0,
    observationTime: 0,
    missedDeadlines: 0,
    controller: 0,
    mode: 0,
    safetyFlags: 0
  };
  /** Called when a vector channel's record is read; it always precedes that channel's messages. */
  setLayout(vector, paths) {
    if (this.tick.length > 0) {
      const known = vector === "observation" ? this.observationPaths : this.actionPaths;
      if (JSON.stringify(known) === JSON.stringify(paths)) return;
      throw new Error(`the ${vector} layout changed after the first tick; the log mixes two runs`);
    }
    if (vector === "observation") {
      this.observationPaths = paths;
      this.observation = floats(paths.length);
      this.row.observation = new Float64Array(paths.length);
    } else {
      this.actionPaths = paths;
      this.action = floats(paths.length);
      this.command = floats(paths.length);
      this.row.action = new Float64Array(paths.length);
      this.row.command = new Float64Array(paths.length);
    }
  }
  add(part, message, publishTime) {
    const tick = numberOrNaN(message["tick"]);
    if (tick !== this.current) {
      if (this.parts !== 0) this.incomplete++;
      this.current = tick;
      this.parts = 0;
    }
    const row = this.row;
    switch (tickTopics[part]) {
      case Topic.observation:
        readVector(message, this.observationPaths, row.observation);
        break;
      case Topic.action:
        readVector(message, this.actionPaths, row.action);
        break;
      case Topic.command:
        readVector(message, this.actionPaths, row.command);
        break;
      case Topic.timing:
        row.time = numberOrNaN(message["deadline"]);
        row.wallTime = nsToSeconds(publishTime);
        row.periodError = numberOrNaN(message["period_error"]);
        row.computeTime = numberOrNaN(message["compute_time"]);
        row.observationTime = numberOrNaN(message["observation_time"]);
        row.missedDeadlines = numberOrNaN(message["missed_deadlines"]);
        break;
      case Topic.mode:
        row.controller = numberOrNaN(message["controller"] ?? 0);
        row.mode = numberOrNaN(message["mode"]);
        break;
      case Topic.safety:
        row.safetyFlags = numberOrNaN(message["flags"]);
        break;
    }
    this.parts |= 1 << part;
    if (this.parts === (1 << tickTopics.length) - 1) {
      this.commit(tick);
      this.parts = 0;
      this.current = Number.NaN;
    }
  }
  finish() {
    if (this.parts !== 0) this.incomplete++;
    this.parts = 0;
  }
  commit(tick) {
    const row = this.row;
    this.tick.pushOne(tick);
    this.time.pushOne(row.time);
    this.wallTime.pushOne(row.wallTime);
    this.periodError.pushOne(row.periodError);
    this.computeTime.pushOne(row.computeTime);
    this.observationTime.pushOne(row.observationTime);
    this.missedDeadlines.pushOne(row.missedDeadlines);
    this.controller.pushOne(row.controller);
    this.mode.pushOne(row.mode);
    this.safetyFlags.pushOne(row.safetyFlags);
    this.observation.push(row.observation);
    this.action.push(row.action);
    this.command.push(row.command);
  }
};
async function checkMagic(path) {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = error.code;
    throw new Error(
      code === "ENOENT" ? `log file not found: ${path}` : `cannot read log ${path}: ${String(error)}`
    );
  }
  if (!info.isFile()) throw new Error(`${path} is not a file (expected an .mcap log)`);
  if (info.size === 0) throw new NotMcapError(path, "the file is empty (the writer never started)");
  const handle = await open(path, "r");
  try {
    const head = new Uint8Array(MCAP_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const matches = bytesRead === MCAP_MAGIC.length && MCAP_MAGIC.every((byte, i) => head[i] === byte);
    if (!matches) {
      const found = Buffer.from(head.subarray(0, bytesRead)).toString("hex");
      throw new NotMcapError(
        path,
        `expected the magic bytes 894d434150300d0a at the start, found ${found || "nothing"}`
      );
    }
  } finally {
    await handle.close();
  }
  return info.size;
}
function channelJson(channel, key) {
  const text = channel.metadata.get(key);
  if (text === void 0) {
    throw new Error(`channel ${channel.topic} lacks the '${key}' metadata a Tether log writes`);
  }
  return JSON.parse(text);
}
async function decompressHandlers() {
  await zstd.isLoaded;
  return { zstd: (data, size) => zstd.decompress(data, Number(size)) };
}
async function readLog(path) {
  const bytes = await checkMagic(path);
  const reader = new McapStreamReader({
    includeChunks: true,
    decompressHandlers: await decompressHandlers()
  });
  const metadata = /* @__PURE__ */ new Map();
  const schemas = /* @__PURE__ */ new Map();
  const channels = /* @__PURE__ */ new Map();
  const counts = /* @__PURE__ */ new Map();
  const partOf = /* @__PURE__ */ new Map();
  const events = [];
  const link = [];
  let logger;
  const assembler = new TickAssembler();
  let observationNames = [];
  let actionNames = [];
  let library = "";
  let chunks = 0;
  let truncation;
  const onChannel = (channel) => {
    channels.set(channel.id, channel);
    const part = tickTopics.indexOf(channel.topic);
    if (part >= 0) partOf.set(channel.id, part);
    if (channel.topic === Topic.observation) {
      observationNames = channelJson(channel, "names");
      assembler.setLayout("observation", channelJson(channel, "paths"));
    } else if (channel.topic === Topic.action) {
      actionNames = channelJson(channel, "names");
      assembler.setLayout("action", channelJson(channel, "paths"));
    }
  };
  const onMessage = (message) => {
    counts.set(message.channelId, (counts.get(message.channelId) ?? 0) + 1);
    const channel = channels.get(message.channelId);
    if (channel?.messageEncoding !== "json") return;
    let body;
    try {
      body = JSON.parse(Buffer.from(message.data).toString("utf8"));
    } catch (error) {
      throw new Error(
        `${path}: message ${message.sequence} on ${channel.topic} is not valid JSON (${error.message})`
      );
    }
    const part = partOf.get(message.channelId);
    if (part !== void 0) {
      assembler.add(part, body, message.publishTime);
    } else if (channel.topic === Topic.events) {
      const data = body["data"];
      events.push({
        time: numberOrNaN(body["time"]),
        kind: String(body["kind"]),
        source: String(body["source"]),
        message: String(body["message"]),
        ...data && typeof data === "object" && Object.keys(data).length > 0 ? { data } : {},
        wallTime: nsToSeconds(message.publishTime)
      });
    } else if (channel.topic === Topic.link) {
      link.push({ ...parseLinkMessage(body), wallTime: nsToSeconds(message.publishTime) });
    } else if (channel.topic === Topic.logger) {
      logger = parseLoggerMessage(body);
    }
  };
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    reading: for await (const piece of stream) {
      reader.append(piece);
      for (; ; ) {
        let record;
        try {
          record = reader.nextRecord();
        } catch (error) {
          truncation = `unreadable data after ${chunks} complete chunks: ${error.message}`;
          break reading;
        }
        if (!record) break;
        switch (record.type) {
          case "Header":
            library = record.library;
            break;
          case "Schema":
            schemas.set(record.id, record.name);
            break;
          case "Channel":
            onChannel(record);
            break;
          case "Message":
            onMessage(record);
            break;
          case "Chunk":
            chunks++;
            break;
          case "Metadata":
            metadata.set(record.name, Object.fromEntries(record.metadata));
            break;
        }
      }
    }
  } finally {
    stream.destroy();
  }
  if (truncation === void 0 && !reader.done()) {
    truncation = `the file ends before the MCAP footer; ${reader.bytesRemaining()} trailing bytes (an unfinished record) were lost`;
  }
  assembler.finish();
  const robotJson = metadata.get(MetadataName.robot)?.["json"];
  const run = metadata.get(MetadataName.run);
  const configJson = metadata.get(MetadataName.config)?.["json"];
  const written = metadata.get(MetadataName.summary);
  const a = assembler;
  const ticks = {
    count: a.tick.length,
    observationNames,
    actionNames,
    observationSize: a.observationPaths.length,
    actionSize: a.actionPaths.length,
    tick: a.tick.result(),
    time: a.time.result(),
    wallTime: a.wallTime.result(),
    periodError: a.periodError.result(),
    computeTime: a.computeTime.result(),
    observationTime: a.observationTime.result(),
    missedDeadlines: a.missedDeadlines.result(),
    controller: a.controller.result(),
    mode: a.mode.result(),
    safetyFlags: a.safetyFlags.result(),
    observation: a.observation.result(),
    action: a.action.result(),
    command: a.command.result()
  };
  return {
    path,
    bytes,
    truncated: truncation !== void 0,
    truncation,
    chunks,
    library,
    metadata,
    robot: robotJson === void 0 ? void 0 : fromMetadataJson(robotJson),
    controller: run?.["controller"],
    controllers: run?.["controllers"] === void 0 ? run?.["controller"] === void 0 ? [] : [run["controller"]] : JSON.parse(run["controllers"]),
    rateHz: run?.["rate_hz"] === void 0 ? void 0 : Number(run["rate_hz"]),
    startedAt: run?.["started_at"],
    config: configJson === void 0 ? void 0 : JSON.parse(configJson),
    channels: [...channels.values()].map((channel) => ({
      id: channel.id,
      topic: channel.topic,
      schemaName: schemas.get(channel.schemaId) ?? "",
      messageEncoding: channel.messageEncoding,
      messageCount: counts.get(channel.id) ?? 0
    })),
    ticks,
    incompleteTicks: a.incomplete,
    events,
    link,
    logger,
    summary: written === void 0 ? void 0 : {
      ticks: Number(written["ticks"]),
      droppedTicks: Number(written["dropped_ticks"]),
      events: Number(written["events"]),
      closedAt: written["closed_at"] ?? ""
    }
  };
}
function* iterateTicks(log) {
  const t = log.ticks;
  const n = t.observationSize;
  const m = t.actionSize;
  for (let i = 0; i < t.count; i++) {
    yield {
      index: i,
      tick: t.tick[i],
      time: t.time[i],
      controller: t.controller[i],
      mode: t.mode[i],
      safetyFlags: t.safetyFlags[i],
      observation: t.observation.subarray(i * n, (i + 1) * n),
      action: t.action.subarray(i * m, (i + 1) * m),
      command: t.command.subarray(i * m, (i + 1) * m)
    };
  }
}
export {
  NotMcapError,
  decompressHandlers,
  iterateTicks,
  readLog
};
