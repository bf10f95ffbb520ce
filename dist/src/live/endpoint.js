// Compiled from src/live/endpoint.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../src/live/endpoint.ts", import.meta.url).href;

// src/live/endpoint.ts
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import wsProtocol from "@foxglove/ws-protocol";
import { WebSocketServer } from "ws";
import { eventMessage } from "../logging/event-message.js";
import { secondsToNs } from "../logging/layout.js";
import { TickEncoder } from "../logging/tick-encoder.js";
import { SlotField, TickRingConsumer } from "../logging/tick-ring.js";
import { bearerToken, checkRequest, isLoopback, tokenMatches } from "./auth.js";
import { eventChannel, statusChannel, tickChannelCount, tickChannels } from "./channels.js";
var { FoxgloveServer } = wsProtocol;
var pageFiles = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
  "/live.js": { file: "live.js", type: "text/javascript; charset=utf-8" },
  "/live.css": { file: "live.css", type: "text/css; charset=utf-8" }
};
var pageHeaders = {
  "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store"
};
var operatorService = "/tether/operator";
var statusIntervalMs = 200;
var maxBufferedBytes = 8 * 1024 * 1024;
var maxCommandBytes = 1024;
var recentEventCount = 50;
var operatorRequestSchema = {
  title: "tether.OperatorRequest",
  type: "object",
  properties: {
    command: { type: "string", description: "estop [reason] | recover | switch NAME | status" },
    token: { type: "string", description: "The run's operator token" }
  }
};
var operatorResponseSchema = {
  title: "tether.OperatorReply",
  type: "object",
  properties: { ok: { type: "boolean" }, message: { type: "string" } }
};
function nowNs() {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e3)) * 1000n;
}
var LiveEndpoint = class _LiveEndpoint {
  constructor(options, host) {
    this.options = options;
    this.host = host;
    this.rules = { host: options.host, port: options.port, allowOrigins: options.allowOrigins };
    for (const [route, { file }] of Object.entries(pageFiles))
      this.pages.set(route, readFileSync(new URL(`./page/${file}`, __sourceUrl)));
    this.fox = new FoxgloveServer({
      name: options.name ?? "tether",
      capabilities: ["services"],
      supportedEncodings: ["json"]
    });
    this.fox.on("subscribe", (id) => this.subscribed.add(id));
    this.fox.on("unsubscribe", (id) => this.subscribed.delete(id));
    this.fox.on("error", (error) => this.host.warn(`protocol error: ${error.message}`));
    this.fox.on("serviceCallRequest", (request, connection) => {
      void this.onServiceCall(request, connection);
    });
    this.eventChannelId = this.fox.addChannel(eventChannel);
    this.statusChannelId = this.fox.addChannel(statusChannel);
    const definition = (schema) => ({
      encoding: "json",
      schemaName: schema.title,
      schemaEncoding: "jsonschema",
      schema: JSON.stringify(schema)
    });
    this.operatorServiceId = this.fox.addService({
      name: operatorService,
      type: "tether.Operator",
      request: definition(operatorRequestSchema),
      response: definition(operatorResponseSchema)
    });
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: 64 * 1024,
      handleProtocols: (protocols) => this.fox.handleProtocols(protocols)
    });
    this.http = createServer((req, res) => {
      this.handleHttp(req, res).catch((error) => {
        if (!res.headersSent) this.reply(res, 500, { ok: false, message: String(error) });
        else res.destroy();
      });
    });
    this.http.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
    this.http.on("clientError", (_error, socket) => socket.destroy());
    this.http.on("upgrade", (req, socket, head) => this.handleUpgrade(req, socket, head));
  }
  options;
  host;
  fox;
  wss;
  http;
  sockets = /* @__PURE__ */ new Set();
  subscribed = /* @__PURE__ */ new Set();
  eventChannelId;
  statusChannelId;
  operatorServiceId;
  pages = /* @__PURE__ */ new Map();
  rules;
  timer;
  run;
  info;
  pendingEvents = [];
  /** Replayed to each new subscriber of /tether/events. */
  recentEvents = [];
  droppedEvents = 0;
  streamed = 0;
  droppedBefore = 0;
  publishMsMax = 0;
  publishMsTotal = 0;
  publishes = 0;
  lastStatusMs = 0;
  lastStatusKey = "";
  certificate = { last: "", lastTime: Number.NaN, events: 0 };
  lastRefusalMs = 0;
  closed = false;
  /** Binds and starts publishing. Throws a plain message when the port is taken. */
  static async start(options, host) {
    const endpoint = new _LiveEndpoint(options, host);
    await new Promise((resolve, reject) => {
      const onError = (error) => {
        reject(
          error.code === "EADDRINUSE" ? new Error(
            `live view: port ${options.port} on ${options.host} is in use (choose another with --live PORT or live.port; 0 picks a free one)`
          ) : new Error(`live view: cannot listen on ${options.host}:${options.port}: ${error.message}`)
        );
      };
      endpoint.http.once("error", onError);
      endpoint.http.listen({ host: options.host, port: options.port }, () => {
        endpoint.http.off("error", onError);
        resolve();
      });
    });
    const port = endpoint.http.address().port;
    endpoint.rules = { ...endpoint.rules, port };
    endpoint.timer = setInterval(() => endpoint.publish(), 1e3 / options.publishHz);
    return endpoint;
  }
  get port() {
    return this.rules.port;
  }
  /** Streaming is open on loopback; bound anywhere else it needs the token too. */
  get streamNeedsToken() {
    return !isLoopback(this.options.host);
  }
  /** Starts streaming a loop; replaces any previous one. */
  attach(attachment) {
    if (this.run) this.detach();
    const consumer = new TickRingConsumer(attachment.ring);
    this.info = attachment.info;
    this.run = {
      robot: attachment.robot,
      info: attachment.info,
      state: attachment.state,
      consumer,
      slot: new Float64Array(consumer.stride),
      encoder: new TickEncoder(attachment.robot),
      channelIds: tickChannels(attachment.robot).map((c) => this.fox.addChannel(c)),
      epochNs: attachment.epochNs,
      tick: 0,
      time: 0,
      missedDeadlines: 0
    };
    this.lastStatusKey = "";
  }
  /** Stops streaming the loop (sends what is buffered first); the server stays up. */
  detach() {
    const run = this.run;
    if (!run) return;
    this.publish();
    this.droppedBefore += run.state.droppedTicks;
    for (const id of run.channelIds) {
      this.subscribed.delete(id);
      this.fox.removeChannel(id);
    }
    this.run = void 0;
  }
  setState(state) {
    if (this.run) this.run.state = state;
  }
  /** Changes what the status says about the run (e.g. a new policy version in a fine-tuning loop). */
  update(patch) {
    if (this.info) this.info = { ...this.info, ...patch };
    if (this.run) this.run.info = { ...this.run.info, ...patch };
    this.lastStatusKey = "";
  }
  queueEvent(event, stampNs) {
    if (this.closed) return;
    if (event.kind === "certificate") {
      this.certificate = { last: event.message, lastTime: event.time, events: this.certificate.events + 1 };
    }
    if (this.pendingEvents.length >= 1e3) {
      this.pendingEvents.shift();
      this.droppedEvents++;
    }
    this.pendingEvents.push({ event, stampNs });
  }
  async close() {
    if (this.closed) return;
    this.detach();
    this.publish();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const client of this.wss.clients) client.close(1001, "run ended");
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    await new Promise((resolve) => {
      this.http.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }
  // ------------------------------------------------------------------------------------------
  // Publishing
  /** Drains the ring and the event queue to subscribers: on the timer, and on detach and close. */
  publish() {
    if (this.closed) return;
    const started = performance.now();
    const corked = [];
    for (const client of this.wss.clients) {
      const socket = client._socket;
      if (socket && typeof socket.cork === "function") {
        socket.cork();
        corked.push(socket);
      }
    }
    const run = this.run;
    if (run) {
      const { consumer, slot, encoder, channelIds } = run;
      let wanted = false;
      for (const id of channelIds) if (this.subscribed.has(id)) wanted = true;
      while (consumer.take(slot)) {
        run.tick = slot[SlotField.tick];
        run.time = slot[SlotField.deadline];
        run.missedDeadlines = slot[SlotField.missedDeadlines];
        if (!wanted) continue;
        const stamp = run.epochNs + secondsToNs(slot[SlotField.deadline]);
        for (let i = 0; i < tickChannelCount; i++) {
          const id = channelIds[i];
          if (this.subscribed.has(id)) this.send(id, stamp, encoder.encode(slot, i));
        }
        this.streamed++;
      }
    }
    if (this.pendingEvents.length > 0) {
      const events = this.pendingEvents;
      this.pendingEvents = [];
      const subscribed = this.subscribed.has(this.eventChannelId);
      for (const { event, stampNs } of events) {
        const json = eventMessage(event, stampNs);
        this.recentEvents.push({ stampNs, json });
        if (subscribed) this.send(this.eventChannelId, stampNs, json);
      }
      if (this.recentEvents.length > recentEventCount)
        this.recentEvents.splice(0, this.recentEvents.length - recentEventCount);
    }
    this.publishStatus();
    for (const socket of corked) socket.uncork();
    for (const client of this.wss.clients) {
      if (client.bufferedAmount > maxBufferedBytes) {
        this.host.warn(`dropping a client that fell ${client.bufferedAmount} bytes behind`);
        client.terminate();
      }
    }
    const ms = performance.now() - started;
    if (ms > this.publishMsMax) this.publishMsMax = ms;
    this.publishMsTotal += ms;
    this.publishes++;
  }
  replayEvents(ws, text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.op !== "subscribe" || !Array.isArray(message.subscriptions)) return;
    for (const { id, channelId } of message.subscriptions) {
      if (channelId !== this.eventChannelId || typeof id !== "number") continue;
      for (const { stampNs, json } of this.recentEvents) {
        const payload = Buffer.from(json, "utf8");
        const frame = Buffer.allocUnsafe(13 + payload.length);
        frame.writeUInt8(1, 0);
        frame.writeUInt32LE(id, 1);
        frame.writeBigUInt64LE(stampNs, 5);
        payload.copy(frame, 13);
        ws.send(frame);
      }
    }
  }
  send(channel, stampNs, json) {
    this.fox.sendMessage(channel, stampNs, Buffer.from(json, "utf8"));
  }
  publishStatus() {
    if (!this.subscribed.has(this.statusChannelId)) return;
    const state = this.run?.state;
    const key = state ? `${state.controller}|${state.latched}|${state.robotState}|${state.pendingSwitch}|${state.operator}` : "idle";
    const now = performance.now();
    if (key === this.lastStatusKey && now - this.lastStatusMs < statusIntervalMs) return;
    this.lastStatusKey = key;
    this.lastStatusMs = now;
    this.send(this.statusChannelId, nowNs(), JSON.stringify(this.status()));
  }
  /** The `/tether/status` message (see statusSchema in channels.ts). */
  status() {
    const run = this.run;
    const state = run?.state;
    const info = run?.info ?? this.info;
    return {
      time: run?.time ?? 0,
      tick: run?.tick ?? 0,
      run: info?.name ?? "",
      robot: run?.robot.name ?? "",
      robot_state: state?.robotState ?? "not running",
      rate_hz: info?.rateHz ?? 0,
      controller: state?.controller ?? "",
      controllers: state?.controllers.join(",") ?? "",
      pending_switch: state?.pendingSwitch ?? "",
      latched: state?.latched ?? false,
      latch_reason: state?.latchReason ?? "",
      missed_deadlines: run?.missedDeadlines ?? 0,
      operator: state?.operator ?? false,
      policy: info?.policies ?? {},
      certificate: {
        guard: info?.guard ?? "none",
        last: this.certificate.last,
        last_time: Number.isFinite(this.certificate.lastTime) ? this.certificate.lastTime : null,
        events: this.certificate.events
      },
      logger: {
        logging: state?.logging ?? false,
        dropped_ticks: state?.loggerDroppedTicks ?? 0,
        dropped_events: state?.loggerDroppedEvents ?? 0
      },
      live: {
        streamed_ticks: this.streamed,
        dropped_ticks: this.droppedBefore + (state?.droppedTicks ?? 0),
        dropped_events: this.droppedEvents,
        publish_ms_mean: this.publishes > 0 ? Math.round(this.publishMsTotal / this.publishes * 1e3) / 1e3 : 0,
        publish_ms_max: Math.round(this.publishMsMax * 1e3) / 1e3
      }
    };
  }
  // ------------------------------------------------------------------------------------------
  // Requests
  handleUpgrade(req, socket, head) {
    let problem = checkRequest(this.rules, { host: req.headers.host, origin: req.headers.origin });
    if (problem === void 0 && this.streamNeedsToken) {
      const offered = new URL(req.url ?? "/", "http://x").searchParams.get("token") ?? bearerToken(req.headers.authorization);
      if (!tokenMatches(this.options.token, offered))
        problem = "this server is not on loopback: streaming needs the token (?token=...)";
    }
    if (problem !== void 0 || this.closed) {
      const body = `${problem ?? "closed"}
`;
      socket.end(
        `HTTP/1.1 403 Forbidden\r
Connection: close\r
Content-Type: text/plain\r
Content-Length: ${Buffer.byteLength(body)}\r
\r
${body}`
      );
      this.refused(`WebSocket from ${req.socket.remoteAddress}: ${problem ?? "closed"}`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.fox.handleConnection(
        ws,
        `${req.socket.remoteAddress}:${req.socket.remotePort}`
      );
      ws.on("message", (data, isBinary) => {
        if (!isBinary) this.replayEvents(ws, String(data));
      });
    });
  }
  async handleHttp(req, res) {
    const problem = checkRequest(this.rules, { host: req.headers.host, origin: req.headers.origin });
    if (problem !== void 0) {
      this.refused(`${req.method} ${req.url} from ${req.socket.remoteAddress}: ${problem}`);
      this.reply(res, 403, { ok: false, message: problem });
      return;
    }
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/api/operator") {
      if (req.method !== "POST") {
        this.reply(res, 405, { ok: false, message: 'POST a JSON {"command": "..."}' }, { Allow: "POST" });
        return;
      }
      await this.handleOperator(req, res);
      return;
    }
    const page = pageFiles[path];
    if (page === void 0 || req.method !== "GET" && req.method !== "HEAD") {
      this.reply(res, 404, { ok: false, message: "not found" });
      return;
    }
    const body = this.pages.get(path);
    res.writeHead(200, { ...pageHeaders, "Content-Type": page.type, "Content-Length": body.length });
    res.end(req.method === "HEAD" ? void 0 : body);
  }
  async handleOperator(req, res) {
    const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") {
      this.reply(res, 415, { ok: false, message: "send Content-Type: application/json" });
      return;
    }
    if (!tokenMatches(this.options.token, bearerToken(req.headers.authorization))) {
      this.refused(`operator command from ${req.socket.remoteAddress} without a valid token`);
      this.reply(res, 401, {
        ok: false,
        message: "operator commands need the run token (Authorization: Bearer ...)"
      });
      return;
    }
    let command;
    try {
      command = JSON.parse(await readBody(req, maxCommandBytes)).command;
    } catch (error) {
      this.reply(res, 400, { ok: false, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (typeof command !== "string") {
      this.reply(res, 400, { ok: false, message: 'expected {"command": "estop" | "recover" | ...}' });
      return;
    }
    const reply = await this.execute(command, "web");
    this.reply(res, reply.ok ? 200 : 409, reply);
  }
  async onServiceCall(request, connection) {
    const fail = (message) => this.fox.sendServiceCallFailure(
      { op: "serviceCallFailure", serviceId: request.serviceId, callId: request.callId, message },
      connection
    );
    if (request.serviceId !== this.operatorServiceId) return fail("unknown service");
    if (request.encoding !== "json") return fail("encode the request as json");
    let body;
    try {
      const bytes = request.data;
      body = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
    } catch {
      return fail("the request is not JSON");
    }
    if (!tokenMatches(this.options.token, typeof body.token === "string" ? body.token : void 0)) {
      this.refused("operator service call without a valid token");
      return fail('operator commands need the run token ({"command": "...", "token": "..."})');
    }
    if (typeof body.command !== "string") return fail('expected {"command": "estop" | ..., "token": "..."}');
    const reply = await this.execute(body.command, "foxglove");
    this.fox.sendServiceCallResponse(
      {
        serviceId: request.serviceId,
        callId: request.callId,
        encoding: "json",
        data: Buffer.from(JSON.stringify(reply), "utf8")
      },
      connection
    );
  }
  async execute(command, source) {
    if (!this.run?.state.operator)
      return { ok: false, message: "no run with an operator console is attached" };
    return this.host.execute(command, source);
  }
  /** Refusals go to the terminal and the run's events, at most one a second (no flooding). */
  refused(what) {
    const now = performance.now();
    if (now - this.lastRefusalMs < 1e3) return;
    this.lastRefusalMs = now;
    this.host.refused(what);
  }
  reply(res, status, body, headers = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(text),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      ...headers
    });
    res.end(text);
  }
};
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`request body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
export {
  LiveEndpoint,
  nowNs,
  operatorService
};
