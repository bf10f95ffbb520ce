// Compiled from src/logging/writer-worker.ts by `npm run build`: edit the source, not this file.

// src/logging/writer-worker.ts
import { open } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import zstd from "@foxglove/wasm-zstd";
import { McapWriter } from "@mcap/core";
import { eventMessage } from "./event-message.js";
import { fileWritable } from "./file-writable.js";
import {
  eventSchema,
  linkMessage,
  linkSchema,
  loggerMessage,
  loggerSchema,
  MetadataName,
  modeSchema,
  safetySchema,
  secondsToNs,
  Topic,
  timingSchema,
  toMetadataJson,
  vectorLayout,
  vectorSchema
} from "./layout.js";
import { TickEncoder } from "./tick-encoder.js";
import { SlotField, TickRingConsumer } from "./tick-ring.js";
var pollMs = 20;
var countsPeriodMs = 1e3;
var batchTicks = 64;
function wallMsToNs(ms) {
  return secondsToNs(ms / 1e3);
}
async function run(setup) {
  const port = parentPort;
  await zstd.isLoaded;
  const epochNs = BigInt(Math.round(setup.startedAtMs)) * 1000000n;
  const logTimeOf = (loopSeconds) => epochNs + secondsToNs(loopSeconds);
  const file = await open(setup.path, "w");
  const writable = fileWritable(file, setup.path);
  const writer = new McapWriter({
    writable,
    chunkSize: setup.chunkSize,
    // zstd level 3: a fifth of the size of plain JSON chunks at a small fraction of the writer's time.
    compressChunk: (data) => ({ compression: "zstd", compressedData: zstd.compress(data, 3) })
  });
  await writer.start({ profile: "", library: `tether ${setup.version}` });
  const { robot } = setup;
  const observationLayout = vectorLayout(robot.observation);
  const actionLayout = vectorLayout(robot.action);
  const encoder = new TextEncoder();
  const channel = async (topic, schema, metadata = {}) => {
    const schemaId = await writer.registerSchema({
      name: schema.title,
      encoding: "jsonschema",
      data: encoder.encode(JSON.stringify(schema))
    });
    return writer.registerChannel({
      topic,
      schemaId,
      messageEncoding: "json",
      metadata: new Map(Object.entries(metadata))
    });
  };
  const vectorMetadata = (layout) => ({
    names: JSON.stringify(layout.names),
    paths: JSON.stringify(layout.paths),
    layout: layout.kind
  });
  const ids = {
    observation: await channel(
      Topic.observation,
      vectorSchema(
        "tether.Observation",
        `Observation of ${robot.name}`,
        robot.observation,
        observationLayout
      ),
      vectorMetadata(observationLayout)
    ),
    action: await channel(
      Topic.action,
      vectorSchema("tether.Action", "Action proposed by the controller", robot.action, actionLayout),
      vectorMetadata(actionLayout)
    ),
    command: await channel(
      Topic.command,
      vectorSchema(
        "tether.Command",
        "Command sent to the robot after the safety layer",
        robot.action,
        actionLayout
      ),
      vectorMetadata(actionLayout)
    ),
    timing: await channel(Topic.timing, timingSchema),
    mode: await channel(Topic.mode, modeSchema),
    safety: await channel(Topic.safety, safetySchema),
    events: await channel(Topic.events, eventSchema),
    link: setup.link ? await channel(Topic.link, linkSchema) : void 0,
    logger: await channel(Topic.logger, loggerSchema)
  };
  await writer.addMetadata({
    name: MetadataName.robot,
    metadata: /* @__PURE__ */ new Map([
      ["name", robot.name],
      ["transport", robot.transport],
      ["json", toMetadataJson(robot)]
    ])
  });
  await writer.addMetadata({
    name: MetadataName.run,
    metadata: /* @__PURE__ */ new Map([
      ["controller", setup.controller],
      ["controllers", JSON.stringify(setup.controllers)],
      ["rate_hz", String(setup.rateHz)],
      ["started_at", new Date(setup.startedAtMs).toISOString()],
      ["tether_version", setup.version]
    ])
  });
  if (setup.configJson !== void 0) {
    await writer.addMetadata({ name: MetadataName.config, metadata: /* @__PURE__ */ new Map([["json", setup.configJson]]) });
  }
  const tickEncoder = new TickEncoder(robot);
  const consumer = new TickRingConsumer(setup.ring);
  const slot = new Float64Array(consumer.stride);
  const tickChannelIds = [ids.observation, ids.action, ids.command, ids.timing, ids.mode, ids.safety];
  let sequence = 0;
  let ticks = 0;
  let events = 0;
  let firstDeadline = Number.NaN;
  let lastDeadline = Number.NaN;
  const add = (channelId, logTime, publishTime, json) => writer.addMessage({ channelId, sequence: sequence++, logTime, publishTime, data: encoder.encode(json) });
  const writeTick = async (takenAtMs) => {
    const deadline = slot[SlotField.deadline];
    const logTime = logTimeOf(deadline);
    const publishTime = wallMsToNs(takenAtMs);
    for (let c = 0; c < tickChannelIds.length; c++)
      await add(tickChannelIds[c], logTime, publishTime, tickEncoder.encode(slot, c));
    if (ticks === 0) firstDeadline = deadline;
    lastDeadline = deadline;
    ticks++;
  };
  const writeEvent = async (event, wallTimeMs) => {
    const logTime = logTimeOf(event.time);
    await add(ids.events, logTime, wallMsToNs(wallTimeMs), eventMessage(event, logTime));
    events++;
  };
  const writeLink = async (time, health, wallTimeMs) => {
    if (ids.link === void 0) return;
    await add(ids.link, logTimeOf(time), wallMsToNs(wallTimeMs), linkMessage(time, health));
  };
  let countsWrittenAtMs = Number.NEGATIVE_INFINITY;
  const writeCounts = async (nowMs) => {
    countsWrittenAtMs = nowMs;
    const time = Number.isNaN(lastDeadline) ? 0 : lastDeadline;
    const json = loggerMessage({
      time,
      ticks,
      droppedTicks: consumer.dropped(),
      droppedEvents: consumer.lostEvents(),
      backlog: consumer.available()
    });
    await add(ids.logger, logTimeOf(time), wallMsToNs(nowMs), json);
  };
  const pendingEvents = [];
  let closeRequest;
  port.on("message", (message) => {
    if (message.type === "close") closeRequest = message;
    else pendingEvents.push(message);
    consumer.wake();
  });
  port.postMessage({ type: "ready" });
  for (; ; ) {
    let batch = 0;
    while (batch < batchTicks && consumer.take(slot)) {
      await writeTick(performance.timeOrigin + performance.now());
      batch++;
    }
    while (pendingEvents.length > 0) {
      const next = pendingEvents.shift();
      if (next.type === "event") await writeEvent(next.event, next.wallTimeMs);
      else if (next.type === "link") await writeLink(next.time, next.health, next.wallTimeMs);
    }
    const nowMs = performance.timeOrigin + performance.now();
    if (nowMs - countsWrittenAtMs >= countsPeriodMs) await writeCounts(nowMs);
    if (closeRequest && consumer.available() === 0) break;
    if (batch === batchTicks) await new Promise((resolve) => setImmediate(resolve));
    else await consumer.waitForData(pollMs);
  }
  await writeCounts(performance.timeOrigin + performance.now());
  await writer.addMetadata({
    name: MetadataName.summary,
    metadata: new Map([
      ["ticks", String(ticks)],
      ["dropped_ticks", String(closeRequest.dropped)],
      ["events", String(events)],
      ["closed_at", (/* @__PURE__ */ new Date()).toISOString()],
      ...Object.entries(closeRequest.summary ?? {})
    ])
  });
  await writer.end();
  await file.datasync();
  await file.close();
  const stats = writer.statistics;
  port.postMessage({
    type: "closed",
    ticks,
    events,
    messages: Number(stats?.messageCount ?? 0n),
    chunks: stats?.chunkCount ?? 0,
    bytes: Number(writable.position()),
    firstDeadline,
    lastDeadline
  });
}
run(workerData).catch((error) => {
  const message = error instanceof Error ? error.message : String(error);
  new TickRingConsumer(workerData.ring).fail();
  parentPort?.postMessage({ type: "error", message });
});
