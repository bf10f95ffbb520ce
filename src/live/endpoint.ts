/**
 * The network side of the live view (docs/live.md), run on its own worker thread by LiveServer
 * (server.ts) so that no encoding or socket work ever lands on the loop's thread. One HTTP server
 *
 * - speaks the Foxglove WebSocket protocol (`foxglove.websocket.v1`, @foxglove/ws-protocol) on
 *   upgrade: the tick channels of the MCAP log, `/tether/events` and `/tether/status`, and one
 *   service, `/tether/operator`, for operator commands with the run's token;
 * - serves a small page (src/live/page/) that plots chosen signals from the same stream, shows the
 *   safety latch and loop timing, and posts operator commands to `/api/operator` with the token.
 *
 * Ticks arrive through the shared tick ring, events and the loop's state (controller, latch, robot)
 * as messages; a timer at `publishHz` drains and sends them. Operator commands are checked here
 * (token, Host, Origin) and handed to the `EndpointHost`, which runs them on the loop's thread.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import wsProtocol, { type ChannelId, type IWebSocket, type ServiceCallRequest } from '@foxglove/ws-protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ControlEvent } from '../core/events.ts';
import type { RobotInfo } from '../core/robot.ts';
import { eventMessage } from '../logging/event-message.ts';
import { secondsToNs } from '../logging/layout.ts';
import { TickEncoder } from '../logging/tick-encoder.ts';
import { SlotField, type TickRingBuffers, TickRingConsumer } from '../logging/tick-ring.ts';
import type { OperatorReply } from '../loop/operator.ts';
import { type AccessRules, bearerToken, checkRequest, isLoopback, tokenMatches } from './auth.ts';
import { eventChannel, statusChannel, tickChannelCount, tickChannels } from './channels.ts';

const { FoxgloveServer } = wsProtocol;

export interface EndpointOptions {
  readonly host: string;
  /** 0 = any free port. */
  readonly port: number;
  /** Operator token: every command needs it, and streaming too when not bound to loopback. */
  readonly token: string;
  readonly allowOrigins: readonly string[];
  /** Publisher timer rate. */
  readonly publishHz: number;
  /** Shown by Foxglove as the server's name. */
  readonly name?: string | undefined;
}

/** What the endpoint asks of the side that owns the loop. */
export interface EndpointHost {
  /** Runs an operator command whose token was accepted. */
  execute(line: string, source: string): Promise<OperatorReply>;
  /** A refused request or command (already throttled to one a second). */
  refused(what: string): void;
  warn(line: string): void;
}

export interface PolicyVersion {
  /** Model file (as configured). */
  readonly model: string;
  readonly sha256: string;
  /** A version label, when the model card or the trainer gives one. */
  readonly version?: string | undefined;
}

/** What the status channel says about the run besides what the loop knows. */
export interface LiveRunInfo {
  readonly name: string;
  readonly rateHz: number;
  /** Learned policies by controller name. */
  readonly policies?: Readonly<Record<string, PolicyVersion>>;
  /** Switch guard kind (`none` when switches are not guarded). */
  readonly guard?: string;
}

/** The loop's state as the loop's thread sees it; sent on every change and once a second. */
export interface LoopState {
  readonly controller: string;
  readonly controllers: readonly string[];
  readonly pendingSwitch: string;
  readonly latched: boolean;
  readonly latchReason: string;
  readonly robotState: string;
  /** An operator console is attached. */
  readonly operator: boolean;
  /** Ticks the sink dropped because the ring was full. */
  readonly droppedTicks: number;
  /** The run writes an MCAP log; what its logger dropped so far. */
  readonly logging: boolean;
  readonly loggerDroppedTicks: number;
  readonly loggerDroppedEvents: number;
}

export interface EndpointAttachment {
  readonly ring: TickRingBuffers;
  readonly robot: RobotInfo;
  readonly info: LiveRunInfo;
  /** Unix time of loop time 0, ns: tick timestamps are `epochNs + loop time`. */
  readonly epochNs: bigint;
  readonly state: LoopState;
}

interface AttachedRun {
  readonly robot: RobotInfo;
  info: LiveRunInfo;
  state: LoopState;
  readonly consumer: TickRingConsumer;
  readonly slot: Float64Array;
  readonly encoder: TickEncoder;
  readonly channelIds: readonly ChannelId[];
  readonly epochNs: bigint;
  tick: number;
  time: number;
  missedDeadlines: number;
}

const pageFiles: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/live.js': { file: 'live.js', type: 'text/javascript; charset=utf-8' },
  '/live.css': { file: 'live.css', type: 'text/css; charset=utf-8' },
};

const pageHeaders = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
} as const;

export const operatorService = '/tether/operator';
const statusIntervalMs = 200;
/** A client that has this much unsent data is too slow for a live view and is dropped. */
const maxBufferedBytes = 8 * 1024 * 1024;
const maxCommandBytes = 1024;
const recentEventCount = 50;

const operatorRequestSchema = {
  title: 'tether.OperatorRequest',
  type: 'object',
  properties: {
    command: { type: 'string', description: 'estop [reason] | recover | switch NAME | status' },
    token: { type: 'string', description: "The run's operator token" },
  },
};
const operatorResponseSchema = {
  title: 'tether.OperatorReply',
  type: 'object',
  properties: { ok: { type: 'boolean' }, message: { type: 'string' } },
};

export function nowNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e3)) * 1000n;
}

export class LiveEndpoint {
  private readonly fox: InstanceType<typeof FoxgloveServer>;
  private readonly wss: WebSocketServer;
  private readonly http: Server;
  private readonly sockets = new Set<Socket>();
  private readonly subscribed = new Set<ChannelId>();
  private readonly eventChannelId: ChannelId;
  private readonly statusChannelId: ChannelId;
  private readonly operatorServiceId: number;
  private readonly pages = new Map<string, Buffer>();
  private rules: AccessRules;
  private timer: NodeJS.Timeout | undefined;
  private run: AttachedRun | undefined;
  private info: LiveRunInfo | undefined;
  private pendingEvents: { event: ControlEvent; stampNs: bigint }[] = [];
  /** Replayed to each new subscriber of /tether/events. */
  private readonly recentEvents: { stampNs: bigint; json: string }[] = [];
  private droppedEvents = 0;
  private streamed = 0;
  private droppedBefore = 0;
  private publishMsMax = 0;
  private publishMsTotal = 0;
  private publishes = 0;
  private lastStatusMs = 0;
  private lastStatusKey = '';
  private certificate = { last: '', lastTime: Number.NaN, events: 0 };
  private lastRefusalMs = 0;
  private closed = false;

  private constructor(
    private readonly options: EndpointOptions,
    private readonly host: EndpointHost,
  ) {
    this.rules = { host: options.host, port: options.port, allowOrigins: options.allowOrigins };
    for (const [route, { file }] of Object.entries(pageFiles))
      this.pages.set(route, readFileSync(new URL(`./page/${file}`, import.meta.url)));

    this.fox = new FoxgloveServer({
      name: options.name ?? 'tether',
      capabilities: ['services'],
      supportedEncodings: ['json'],
    });
    this.fox.on('subscribe', (id) => this.subscribed.add(id));
    this.fox.on('unsubscribe', (id) => this.subscribed.delete(id));
    this.fox.on('error', (error) => this.host.warn(`protocol error: ${error.message}`));
    this.fox.on('serviceCallRequest', (request, connection) => {
      void this.onServiceCall(request, connection);
    });
    this.eventChannelId = this.fox.addChannel(eventChannel);
    this.statusChannelId = this.fox.addChannel(statusChannel);
    const definition = (schema: { title: string }) => ({
      encoding: 'json',
      schemaName: schema.title,
      schemaEncoding: 'jsonschema',
      schema: JSON.stringify(schema),
    });
    this.operatorServiceId = this.fox.addService({
      name: operatorService,
      type: 'tether.Operator',
      request: definition(operatorRequestSchema),
      response: definition(operatorResponseSchema),
    });

    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: 64 * 1024,
      handleProtocols: (protocols) => this.fox.handleProtocols(protocols),
    });
    this.http = createServer((req, res) => {
      this.handleHttp(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.reply(res, 500, { ok: false, message: String(error) });
        else res.destroy();
      });
    });
    this.http.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.http.on('clientError', (_error, socket) => socket.destroy());
    this.http.on('upgrade', (req, socket, head) => this.handleUpgrade(req, socket as Socket, head));
  }

  /** Binds and starts publishing. Throws a plain message when the port is taken. */
  static async start(options: EndpointOptions, host: EndpointHost): Promise<LiveEndpoint> {
    const endpoint = new LiveEndpoint(options, host);
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(
                `live view: port ${options.port} on ${options.host} is in use (choose another with --live PORT or live.port; 0 picks a free one)`,
              )
            : new Error(`live view: cannot listen on ${options.host}:${options.port}: ${error.message}`),
        );
      };
      endpoint.http.once('error', onError);
      endpoint.http.listen({ host: options.host, port: options.port }, () => {
        endpoint.http.off('error', onError);
        resolve();
      });
    });
    const port = (endpoint.http.address() as AddressInfo).port;
    endpoint.rules = { ...endpoint.rules, port };
    endpoint.timer = setInterval(() => endpoint.publish(), 1000 / options.publishHz);
    return endpoint;
  }

  get port(): number {
    return this.rules.port;
  }

  /** Streaming is open on loopback; bound anywhere else it needs the token too. */
  get streamNeedsToken(): boolean {
    return !isLoopback(this.options.host);
  }

  /** Starts streaming a loop; replaces any previous one. */
  attach(attachment: EndpointAttachment): void {
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
      missedDeadlines: 0,
    };
    this.lastStatusKey = '';
  }

  /** Stops streaming the loop (sends what is buffered first); the server stays up. */
  detach(): void {
    const run = this.run;
    if (!run) return;
    this.publish();
    this.droppedBefore += run.state.droppedTicks;
    for (const id of run.channelIds) {
      this.subscribed.delete(id);
      this.fox.removeChannel(id);
    }
    this.run = undefined;
  }

  setState(state: LoopState): void {
    if (this.run) this.run.state = state;
  }

  /** Changes what the status says about the run (e.g. a new policy version in a fine-tuning loop). */
  update(patch: Partial<LiveRunInfo>): void {
    if (this.info) this.info = { ...this.info, ...patch };
    if (this.run) this.run.info = { ...this.run.info, ...patch };
    this.lastStatusKey = '';
  }

  queueEvent(event: ControlEvent, stampNs: bigint): void {
    if (this.closed) return;
    if (event.kind === 'certificate') {
      this.certificate = { last: event.message, lastTime: event.time, events: this.certificate.events + 1 };
    }
    if (this.pendingEvents.length >= 1000) {
      this.pendingEvents.shift();
      this.droppedEvents++;
    }
    this.pendingEvents.push({ event, stampNs });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.detach();
    this.publish();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const client of this.wss.clients) client.close(1001, 'run ended');
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  // ------------------------------------------------------------------------------------------
  // Publishing

  /** Drains the ring and the event queue to subscribers: on the timer, and on detach and close. */
  publish(): void {
    if (this.closed) return;
    const started = performance.now();
    // One write per client per publish instead of one per message: each message is its own
    // WebSocket frame, and uncorked every frame is a syscall.
    const corked: Socket[] = [];
    for (const client of this.wss.clients) {
      const socket = (client as unknown as { _socket?: Socket })._socket;
      if (socket && typeof socket.cork === 'function') {
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
        run.tick = slot[SlotField.tick]!;
        run.time = slot[SlotField.deadline]!;
        run.missedDeadlines = slot[SlotField.missedDeadlines]!;
        if (!wanted) continue;
        const stamp = run.epochNs + secondsToNs(slot[SlotField.deadline]!);
        for (let i = 0; i < tickChannelCount; i++) {
          const id = channelIds[i]!;
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

  private replayEvents(ws: WebSocket, text: string): void {
    let message: { op?: unknown; subscriptions?: { id: number; channelId: number }[] };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.op !== 'subscribe' || !Array.isArray(message.subscriptions)) return;
    for (const { id, channelId } of message.subscriptions) {
      if (channelId !== this.eventChannelId || typeof id !== 'number') continue;
      for (const { stampNs, json } of this.recentEvents) {
        const payload = Buffer.from(json, 'utf8');
        const frame = Buffer.allocUnsafe(13 + payload.length);
        frame.writeUInt8(1, 0); // message data
        frame.writeUInt32LE(id, 1);
        frame.writeBigUInt64LE(stampNs, 5);
        payload.copy(frame, 13);
        ws.send(frame);
      }
    }
  }

  private send(channel: ChannelId, stampNs: bigint, json: string): void {
    this.fox.sendMessage(channel, stampNs, Buffer.from(json, 'utf8'));
  }

  private publishStatus(): void {
    if (!this.subscribed.has(this.statusChannelId)) return;
    const state = this.run?.state;
    const key = state
      ? `${state.controller}|${state.latched}|${state.robotState}|${state.pendingSwitch}|${state.operator}`
      : 'idle';
    const now = performance.now();
    if (key === this.lastStatusKey && now - this.lastStatusMs < statusIntervalMs) return;
    this.lastStatusKey = key;
    this.lastStatusMs = now;
    this.send(this.statusChannelId, nowNs(), JSON.stringify(this.status()));
  }

  /** The `/tether/status` message (see statusSchema in channels.ts). */
  status(): Record<string, unknown> {
    const run = this.run;
    const state = run?.state;
    const info = run?.info ?? this.info;
    return {
      time: run?.time ?? 0,
      tick: run?.tick ?? 0,
      run: info?.name ?? '',
      robot: run?.robot.name ?? '',
      robot_state: state?.robotState ?? 'not running',
      rate_hz: info?.rateHz ?? 0,
      controller: state?.controller ?? '',
      controllers: state?.controllers.join(',') ?? '',
      pending_switch: state?.pendingSwitch ?? '',
      latched: state?.latched ?? false,
      latch_reason: state?.latchReason ?? '',
      missed_deadlines: run?.missedDeadlines ?? 0,
      operator: state?.operator ?? false,
      policy: info?.policies ?? {},
      certificate: {
        guard: info?.guard ?? 'none',
        last: this.certificate.last,
        last_time: Number.isFinite(this.certificate.lastTime) ? this.certificate.lastTime : null,
        events: this.certificate.events,
      },
      logger: {
        logging: state?.logging ?? false,
        dropped_ticks: state?.loggerDroppedTicks ?? 0,
        dropped_events: state?.loggerDroppedEvents ?? 0,
      },
      live: {
        streamed_ticks: this.streamed,
        dropped_ticks: this.droppedBefore + (state?.droppedTicks ?? 0),
        dropped_events: this.droppedEvents,
        publish_ms_mean:
          this.publishes > 0 ? Math.round((this.publishMsTotal / this.publishes) * 1000) / 1000 : 0,
        publish_ms_max: Math.round(this.publishMsMax * 1000) / 1000,
      },
    };
  }

  // ------------------------------------------------------------------------------------------
  // Requests

  private handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    let problem = checkRequest(this.rules, { host: req.headers.host, origin: req.headers.origin });
    if (problem === undefined && this.streamNeedsToken) {
      const offered =
        new URL(req.url ?? '/', 'http://x').searchParams.get('token') ??
        bearerToken(req.headers.authorization);
      if (!tokenMatches(this.options.token, offered))
        problem = 'this server is not on loopback: streaming needs the token (?token=...)';
    }
    if (problem !== undefined || this.closed) {
      const body = `${problem ?? 'closed'}\n`;
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      this.refused(`WebSocket from ${req.socket.remoteAddress}: ${problem ?? 'closed'}`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      this.fox.handleConnection(
        ws as unknown as IWebSocket,
        `${req.socket.remoteAddress}:${req.socket.remotePort}`,
      );
      // Runs after the protocol's own handler: a new subscriber of /tether/events gets the recent
      // events first (what happened before it connected), then the live ones.
      ws.on('message', (data, isBinary) => {
        if (!isBinary) this.replayEvents(ws, String(data));
      });
    });
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const problem = checkRequest(this.rules, { host: req.headers.host, origin: req.headers.origin });
    if (problem !== undefined) {
      this.refused(`${req.method} ${req.url} from ${req.socket.remoteAddress}: ${problem}`);
      this.reply(res, 403, { ok: false, message: problem });
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/operator') {
      if (req.method !== 'POST') {
        this.reply(res, 405, { ok: false, message: 'POST a JSON {"command": "..."}' }, { Allow: 'POST' });
        return;
      }
      await this.handleOperator(req, res);
      return;
    }
    const page = pageFiles[path];
    if (page === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
      this.reply(res, 404, { ok: false, message: 'not found' });
      return;
    }
    const body = this.pages.get(path)!;
    res.writeHead(200, { ...pageHeaders, 'Content-Type': page.type, 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private async handleOperator(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      this.reply(res, 415, { ok: false, message: 'send Content-Type: application/json' });
      return;
    }
    if (!tokenMatches(this.options.token, bearerToken(req.headers.authorization))) {
      this.refused(`operator command from ${req.socket.remoteAddress} without a valid token`);
      this.reply(res, 401, {
        ok: false,
        message: 'operator commands need the run token (Authorization: Bearer ...)',
      });
      return;
    }
    let command: unknown;
    try {
      command = (JSON.parse(await readBody(req, maxCommandBytes)) as { command?: unknown }).command;
    } catch (error) {
      this.reply(res, 400, { ok: false, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (typeof command !== 'string') {
      this.reply(res, 400, { ok: false, message: 'expected {"command": "estop" | "recover" | ...}' });
      return;
    }
    const reply = await this.execute(command, 'web');
    this.reply(res, reply.ok ? 200 : 409, reply);
  }

  private async onServiceCall(request: ServiceCallRequest, connection: IWebSocket): Promise<void> {
    const fail = (message: string): void =>
      this.fox.sendServiceCallFailure(
        { op: 'serviceCallFailure', serviceId: request.serviceId, callId: request.callId, message },
        connection,
      );
    if (request.serviceId !== this.operatorServiceId) return fail('unknown service');
    if (request.encoding !== 'json') return fail('encode the request as json');
    let body: { command?: unknown; token?: unknown };
    try {
      const bytes = request.data;
      body = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    } catch {
      return fail('the request is not JSON');
    }
    if (!tokenMatches(this.options.token, typeof body.token === 'string' ? body.token : undefined)) {
      this.refused('operator service call without a valid token');
      return fail('operator commands need the run token ({"command": "...", "token": "..."})');
    }
    if (typeof body.command !== 'string') return fail('expected {"command": "estop" | ..., "token": "..."}');
    const reply = await this.execute(body.command, 'foxglove');
    this.fox.sendServiceCallResponse(
      {
        serviceId: request.serviceId,
        callId: request.callId,
        encoding: 'json',
        data: Buffer.from(JSON.stringify(reply), 'utf8'),
      },
      connection,
    );
  }

  private async execute(command: string, source: string): Promise<OperatorReply> {
    if (!this.run?.state.operator)
      return { ok: false, message: 'no run with an operator console is attached' };
    return this.host.execute(command, source);
  }

  /** Refusals go to the terminal and the run's events, at most one a second (no flooding). */
  private refused(what: string): void {
    const now = performance.now();
    if (now - this.lastRefusalMs < 1000) return;
    this.lastRefusalMs = now;
    this.host.refused(what);
  }

  private reply(
    res: ServerResponse,
    status: number,
    body: { ok: boolean; message: string },
    headers: Record<string, string> = {},
  ): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    res.end(text);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`request body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
