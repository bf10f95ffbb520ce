// Compiled from hardware/rig/rig.ts by `npm run build`: edit the source, not this file.

// hardware/rig/rig.ts
import { resolve } from "node:path";
import { envDefinition } from "../../sim/envs/index.js";
import { SimModel } from "../../sim/model.js";
import { Rng } from "../../src/core/rng.js";
import { Endpoint } from "../link/endpoint.js";
import { SerialTransport } from "../link/serial-transport.js";
import {
  AuthError,
  acceptSession,
  CommandError,
  checkCommand,
  LinkAuth,
  randomNonce
} from "../link/session.js";
import { startPtyPair } from "../link/socat.js";
import { startEmbeddedBroker } from "../mqtt/broker.js";
import { MqttTransport } from "../mqtt/transport.js";
import { AuthMode, deviceKeyFromEnv } from "../protocol/auth.js";
import {
  AckStatus,
  commandModes,
  createStateSample,
  EstopSource,
  FaultCode,
  Feature,
  MessageType,
  NoticeCode,
  RequestOp,
  RigState,
  StateFlag
} from "../protocol/messages.js";
import { rigConfigSchema } from "./config.js";
import { FaultyTransport } from "./faulty-transport.js";
import { cartesianAxes, Firmware } from "./firmware.js";
import { buildRigLayout } from "./rig-model.js";
var defaultCartesian = rigConfigSchema.shape.cartesian.unwrap().parse({});
var latencyRing = 4096;
var maxCatchUpTicks = 200;
var ticksPerBatch = 10;
function epochMs() {
  return performance.timeOrigin + performance.now();
}
var EmulatedRig = class _EmulatedRig {
  constructor(config, firmware, transport, link, log, deviceKey) {
    this.config = config;
    this.firmware = firmware;
    this.transport = transport;
    this.link = link;
    this.log = log;
    this.innerPeriodUs = 1e6 / config.innerLoopHz;
    this.ticksPerState = config.innerLoopHz / config.stateRateHz;
    this.pendingFaults = [...config.faults].sort((a, b) => a.at - b.at);
    this.leaseMs = config.sessionLeaseMs ?? Math.max(1e3, 2 * config.watchdogMs);
    this.positionOffset = new Float64Array(firmware.layout.joints.length);
    this.velocityOffset = new Float64Array(firmware.layout.joints.length);
    firmware.held = config.resetOnActivate;
    this.auth = new LinkAuth(deviceKey, "rig");
    this.endpoint = new Endpoint(transport, this.auth, {
      command: (c, header) => this.onCommand(c, header),
      heartbeat: (_hb, header) => {
        if (!this.fromOwner(header)) return;
        this.lastHeardMs = performance.now();
      },
      request: (r, header) => this.onRequest(r.op, header),
      estop: (e, header) => {
        const authenticated = header.auth === AuthMode.session && header.session === this.auth.sessionId;
        if (!authenticated) this.report.auth.unauthenticatedEstops++;
        this.latch(
          StateFlag.estop,
          `e-stop from ${e.source === EstopSource.operator ? "operator" : "host"}${authenticated ? "" : " (unauthenticated)"}: ${e.reason}`
        );
      },
      session: (open, header) => this.onSession(open, header),
      rejected: (code, header) => this.onRejected(code, header)
    });
    transport.onStatus((connected, reason) => {
      this.log(`link ${connected ? "up" : "down"}: ${reason}`);
      if (connected) this.sendHello("device");
    });
    this.report = {
      name: firmware.layout.hello.name,
      link: link.hostLink,
      statesSent: 0,
      commandsReceived: 0,
      commandsApplied: 0,
      appliedBySession: {},
      sessions: [],
      latches: [],
      auth: {
        sessionsOpened: 0,
        ownershipRefused: 0,
        forged: 0,
        replayed: 0,
        foreignSession: 0,
        unauthenticated: 0,
        malformedCommands: 0,
        unauthenticatedEstops: 0,
        leasesExpired: 0
      },
      overruns: 0,
      latencyUs: [],
      faults: [],
      traffic: transport.traffic,
      counters: transport.counters,
      decodeErrors: 0,
      trips: {},
      torqueSaturations: 0,
      commandsDropped: 0,
      longestCommandGap: 0,
      maxTorqueRate: 0
    };
  }
  config;
  firmware;
  transport;
  link;
  report;
  endpoint;
  auth;
  /** Nonce the next session open must echo; renewed after every open, so an open is never replayed. */
  rigNonce = randomNonce();
  leaseMs;
  ownerHeardMs = 0;
  lastCommandSeq = 0;
  lastNotice = /* @__PURE__ */ new Map();
  noticeCounts = /* @__PURE__ */ new Map();
  /** Fault injection on outgoing states. */
  wrongShape = false;
  foreignEcho = false;
  positionOffset;
  velocityOffset;
  /** Joint whose readings a `frozen-sensor` fault holds (-1: none), and the position it holds (NaN: not yet taken). */
  frozenJoint = -1;
  frozenPosition = Number.NaN;
  outgoing = createStateSample();
  sentAt = new Float64Array(latencyRing);
  /** Firmware time of each state sent: a command answering state s is meant for the period after it. */
  sentAtUs = new Float64Array(latencyRing);
  innerPeriodUs;
  ticksPerState;
  wallStartUs = 0;
  nextTickUs = 0;
  innerTicks = 0;
  /** Inner ticks run since the rig fell behind (reset once it has caught up). */
  catchUpTicks = 0;
  lastHeardMs = 0;
  lastStateSeq = 0;
  activatedAtMs = Number.NaN;
  timer;
  running = false;
  pendingFaults;
  activeFaults = [];
  log;
  /** Builds physics, firmware and link (pty pair or broker) from a validated config. */
  static async create(config, baseDir, log = () => void 0) {
    if (config.innerLoopHz % config.stateRateHz !== 0) {
      throw new RangeError(
        `innerLoopHz ${config.innerLoopHz} must be a multiple of stateRateHz ${config.stateRateHz}`
      );
    }
    const timestep = config.dynamics.timestep ?? 1 / config.innerLoopHz;
    const stepsPerTick = 1 / config.innerLoopHz / timestep;
    if (Math.abs(stepsPerTick - 1) > 1e-9) {
      throw new RangeError(
        `dynamics.timestep ${timestep} s must equal the inner-loop period 1/${config.innerLoopHz} s`
      );
    }
    const deviceKey = deviceKeyFromEnv(config.auth.keyEnv, "rig auth.keyEnv");
    const sim = await SimModel.load(config.model, { ...config.dynamics, timestep });
    let firmware;
    try {
      const definition = envDefinition(config.model);
      const kernel = definition.bind(sim, config.task ?? definition.tasks[0]);
      const name = config.name ?? config.model;
      const n = kernel.action.signals.length;
      const perAction = (what, v) => {
        if (typeof v === "number") return new Float64Array(n).fill(v);
        if (v.length !== n) throw new RangeError(`${what}: expected ${n} values, got ${v.length}`);
        return Float64Array.from(v);
      };
      const limits = config.limits;
      const off = new Float64Array(n).fill(Infinity);
      const jointVelocity = limits?.jointVelocity ? perAction("limits.jointVelocity", limits.jointVelocity) : off;
      const cartesian = config.cartesian ?? (config.commandMode === "cartesian" ? defaultCartesian : void 0);
      const perCommand = (what, v) => {
        if (cartesian === void 0) return perAction(what, v);
        if (typeof v === "number") return new Float64Array(cartesianAxes).fill(v);
        if (v.length !== cartesianAxes)
          throw new RangeError(
            `${what}: expected ${cartesianAxes} values (x, y, z, rx, ry, rz), got ${v.length}`
          );
        return Float64Array.from(v);
      };
      const layout = buildRigLayout(sim, kernel, {
        name,
        commandMode: config.commandMode,
        ...cartesian ? { workspace: cartesian.workspace } : {},
        stateRateHz: config.stateRateHz,
        innerLoopHz: config.innerLoopHz,
        watchdogMs: config.watchdogMs,
        velocityLimits: jointVelocity
      });
      firmware = new Firmware(sim, kernel, layout, {
        commandMode: config.commandMode,
        kp: perCommand("kp", config.kp),
        kd: perCommand("kd", config.kd),
        ...cartesian ? {
          cartesian: {
            site: sim.id("site", cartesian.site),
            workspaceLower: Float64Array.from(cartesian.workspace.lower),
            workspaceUpper: Float64Array.from(cartesian.workspace.upper),
            holdKp: perAction("cartesian.holdKp", cartesian.holdKp),
            holdKd: perAction("cartesian.holdKd", cartesian.holdKd),
            nullspaceDamping: cartesian.nullspaceDamping
          }
        } : {},
        safeMode: config.safeMode,
        dampingKd: perAction("dampingKd", config.dampingKd),
        gravityCompensation: config.gravityCompensation,
        ...limits ? {
          limits: {
            lostCommands: limits.lostCommands,
            jointVelocity,
            torqueRate: limits.torqueRate ? perAction("limits.torqueRate", limits.torqueRate) : off,
            targetVelocity: limits.targetVelocity ? perAction("limits.targetVelocity", limits.targetVelocity) : off,
            targetAcceleration: limits.targetAcceleration ? perAction("limits.targetAcceleration", limits.targetAcceleration) : off,
            targetJerk: limits.targetJerk ? perAction("limits.targetJerk", limits.targetJerk) : off,
            extrapolate: limits.extrapolate,
            positionLimits: limits.positionLimits,
            externalTorque: limits.externalTorque ? perAction("limits.externalTorque", limits.externalTorque) : off
          }
        } : {},
        actuatorDelayUs: config.actuatorDelayMs * 1e3,
        actuatorNoise: config.actuatorNoise,
        sensorNoise: config.sensorNoise,
        seed: config.seed,
        resetNoise: config.resetNoise
      });
      for (const f of config.faults) checkFaultTarget(f, layout);
      for (const f of config.faults) if (f.kind === "push") sim.id("body", f.body);
      const rng = new Rng(config.seed + 1);
      const t = config.transport;
      if (t.kind === "serial") {
        const base = resolve(baseDir, t.link);
        const pty = await startPtyPair(base);
        const serial = new SerialTransport({ path: pty.rigPath, baudRate: t.baudRate, reconnectMs: 50 });
        return new _EmulatedRig(
          config,
          firmware,
          new FaultyTransport(serial, rng),
          { pty, ptyBase: base, hostLink: pty.hostPath },
          log,
          deviceKey
        );
      }
      let broker;
      let url = t.url;
      let username = t.username;
      let password = t.passwordEnv === void 0 ? void 0 : requireEnv(t.passwordEnv, "transport.passwordEnv");
      if (url === void 0) {
        const users = t.listen.users.map((u) => ({
          username: u.username,
          password: requireEnv(u.passwordEnv, `users.${u.username}`)
        }));
        broker = await startEmbeddedBroker({
          host: t.listen.host,
          port: t.listen.port,
          users,
          allowUnauthenticatedExposure: t.listen.allowUnauthenticatedExposure,
          ...t.listen.tls ? { tls: { cert: resolve(baseDir, t.listen.tls.cert), key: resolve(baseDir, t.listen.tls.key) } } : {}
        });
        url = broker.url.replace("://0.0.0.0:", "://127.0.0.1:").replace("://[::]:", "://127.0.0.1:");
        if (username === void 0 && users[0] !== void 0) {
          username = users[0].username;
          password = users[0].password;
        }
      }
      const mqtt = new MqttTransport({
        url,
        robot: name,
        role: "rig",
        topicPrefix: t.topicPrefix,
        keepaliveS: t.keepaliveS,
        reconnectMs: 250,
        connectTimeoutMs: 3e3,
        allowUnauthenticated: t.allowUnauthenticated,
        ...username !== void 0 ? { username } : {},
        ...password !== void 0 ? { password } : {},
        ...url.startsWith("mqtts:") ? { tls: { rejectUnauthorized: false } } : {}
      });
      return new _EmulatedRig(
        config,
        firmware,
        new FaultyTransport(mqtt, rng),
        { ...broker ? { broker } : {}, hostLink: `${url} topic ${t.topicPrefix}/${name}` },
        log,
        deviceKey
      );
    } catch (error) {
      firmware?.dispose();
      sim.dispose();
      throw error;
    }
  }
  /** Where the host connects: the host pty path, or the broker URL and topic. */
  get hostLink() {
    return this.link.hostLink;
  }
  get brokerUrl() {
    return this.link.broker?.url;
  }
  async start() {
    await this.transport.open();
    this.sendHello("device");
    this.running = true;
    this.wallStartUs = performance.now() * 1e3;
    this.nextTickUs = this.innerPeriodUs;
    this.lastHeardMs = performance.now();
    this.wake();
  }
  async stop() {
    this.running = false;
    clearTimeout(this.timer);
    for (const a2 of this.activeFaults) a2.record.endEpochMs ??= epochMs();
    await this.transport.close();
    await this.link.pty?.close();
    await this.link.broker?.close();
    this.firmware.dispose();
    this.firmware.sim.dispose();
    this.report.decodeErrors = this.endpoint.decodeErrors;
    this.report.commandsApplied = this.firmware.commandsApplied;
    this.report.trips = { ...this.firmware.trips };
    this.report.torqueSaturations = this.firmware.torqueSaturations;
    this.report.commandsDropped = this.firmware.commandsDropped;
    this.report.longestCommandGap = this.firmware.longestCommandGap;
    this.report.maxTorqueRate = this.firmware.maxTorqueRate;
    const a = this.auth.counters;
    this.report.auth.forged = a.forged + a.deviceForged;
    this.report.auth.replayed = a.replayed;
    this.report.auth.foreignSession = a.foreignSession;
    for (const [id, applied] of this.firmware.appliedBySession)
      this.report.appliedBySession[hex(id)] = { ...applied };
    return this.report;
  }
  /** The static hello plus who owns the rig now, sealed with the device key or the owner's session. */
  sendHello(mode) {
    const hello = {
      ...this.firmware.layout.hello,
      session: { rigNonce: this.rigNonce, ownerSession: this.auth.sessionId, leaseMs: this.leaseMs }
    };
    this.endpoint.sendHello(hello, mode);
  }
  /** True for frames sealed by the session that owns the rig; renews its lease. Counts the rest. */
  fromOwner(header) {
    if (header.auth === AuthMode.session && header.session !== 0 && header.session === this.auth.sessionId) {
      this.ownerHeardMs = performance.now();
      return true;
    }
    this.report.auth.unauthenticated++;
    this.notify(NoticeCode.unauthenticated, "a frame without the owner session was refused");
    return false;
  }
  /** A limit or reflex latched the firmware: recorded, logged and reported to the owner as a fault. */
  reportTrip() {
    const trip = this.firmware.tripped;
    this.firmware.tripped = void 0;
    this.report.latches.push({ epochMs: epochMs(), reason: trip.message });
    this.log(`fault: ${trip.message}`);
    this.endpoint.sendFault({ code: FaultCode.limit, message: trip.message.slice(0, 200) });
  }
  latch(flag, reason) {
    if (this.firmware.latchedFlags === 0) this.report.latches.push({ epochMs: epochMs(), reason });
    this.firmware.latch(flag);
    this.log(reason);
  }
  /**
   * Tells the owner what the rig refused, at most once per code every 250 ms (an attacker must not
   * turn the rig into a flood source); the count says how many in total.
   */
  notify(code, message) {
    const count = (this.noticeCounts.get(code) ?? 0) + 1;
    this.noticeCounts.set(code, count);
    if (this.auth.session === void 0) return;
    const now = performance.now();
    if (now - (this.lastNotice.get(code) ?? -Infinity) < 250) return;
    this.lastNotice.set(code, now);
    this.endpoint.sendNotice({ code, count, message });
  }
  onRejected(code, header) {
    if (code === AuthError.forged)
      this.notify(NoticeCode.forged, "a frame whose tag does not verify was refused");
    else if (code === AuthError.replayed) this.notify(NoticeCode.replayed, "a replayed frame was refused");
    else if (code === AuthError.foreignSession)
      this.notify(NoticeCode.foreignSession, "a frame of another session was refused");
    if (header.type === MessageType.session && (code === AuthError.foreignSession || code === AuthError.forged)) {
      this.endpoint.sendAck(
        {
          ackedType: MessageType.session,
          status: code === AuthError.foreignSession ? AckStatus.stale : AckStatus.unauthenticated,
          ackedSeq: header.seq
        },
        "none"
      );
      return;
    }
    if (header.type === MessageType.command && code < 0 && code > AuthError.forged && header.auth === AuthMode.session) {
      this.report.auth.malformedCommands++;
      this.notify(NoticeCode.malformedCommand, `an authenticated command was refused (decode error ${code})`);
    }
  }
  /** SESSION open: a new owner (device key, only while nobody holds the rig) or the owner re-keying. */
  onSession(open, header) {
    const ack = (status, mode, retryAfterMs = 0) => this.endpoint.sendAck(
      { ackedType: MessageType.session, status, ackedSeq: header.seq, retryAfterMs },
      mode
    );
    const owner = this.auth.session;
    const now = performance.now();
    const quietMs = now - this.ownerHeardMs;
    const decision = acceptSession(this.auth, open, header, this.rigNonce, quietMs < this.leaseMs);
    switch (decision.status) {
      case AckStatus.ok:
        break;
      case AckStatus.unauthenticated:
        this.report.auth.unauthenticated++;
        ack(decision.status, "none");
        return;
      case AckStatus.busy:
        this.report.auth.ownershipRefused++;
        this.log(
          `session open refused: the rig is owned by session ${hex(owner.id)} (heard ${Math.round(quietMs)} ms ago, lease ${this.leaseMs} ms)`
        );
        this.notify(NoticeCode.ownershipRefused, "another runtime asked to own this rig and was refused");
        ack(decision.status, "device", this.leaseMs - quietMs);
        return;
      default:
        ack(decision.status, "device");
        return;
    }
    if (owner !== void 0 && !decision.rekey) this.expireLease(quietMs);
    const keys = decision.keys;
    this.rigNonce = randomNonce();
    this.auth.adopt(keys);
    this.firmware.newSession(keys.id);
    if (!decision.rekey) this.firmware.active = false;
    this.lastCommandSeq = 0;
    this.ownerHeardMs = now;
    this.report.auth.sessionsOpened++;
    this.report.sessions.push({ id: hex(keys.id), openedEpochMs: epochMs() });
    this.log(`session ${hex(keys.id)} ${decision.rekey ? `re-keyed from ${hex(owner.id)}` : "opened"}`);
    ack(AckStatus.ok, "auto");
  }
  expireLease(quietMs) {
    const owner = this.auth.session;
    if (owner === void 0) return;
    this.report.auth.leasesExpired++;
    this.log(
      `session ${hex(owner.id)} lost the rig: nothing heard for ${Math.round(quietMs)} ms (lease ${this.leaseMs} ms)`
    );
    if (this.firmware.active && this.firmware.latchedFlags === 0) {
      this.latch(StateFlag.fault, `fault: owner ${hex(owner.id)} lost while active`);
    }
    this.auth.drop();
    this.firmware.active = false;
    this.rigNonce = randomNonce();
  }
  /** Runs every inner tick that is due, then sleeps until the next state message is due. */
  wake() {
    if (!this.running) return;
    const elapsed = performance.now() * 1e3 - this.wallStartUs;
    let budget = ticksPerBatch;
    while (this.nextTickUs <= elapsed && budget-- > 0) {
      this.firmware.tick(this.innerPeriodUs);
      this.nextTickUs += this.innerPeriodUs;
      if (this.firmware.tripped !== void 0) this.reportTrip();
      if (++this.innerTicks % this.ticksPerState === 0) this.publishState();
    }
    if (this.nextTickUs <= elapsed) {
      this.catchUpTicks += ticksPerBatch;
      if (this.catchUpTicks < maxCatchUpTicks) {
        setImmediate(() => this.wake());
        return;
      }
      this.report.overruns++;
      this.nextTickUs = elapsed + this.innerPeriodUs;
    }
    this.catchUpTicks = 0;
    this.superviseFaults();
    this.checkWatchdog();
    const nextStateUs = this.nextTickUs + (this.ticksPerState - 1 - this.innerTicks % this.ticksPerState) * this.innerPeriodUs;
    const sleepMs = Math.max(0, (nextStateUs - (performance.now() * 1e3 - this.wallStartUs)) / 1e3);
    this.timer = setTimeout(() => this.wake(), sleepMs);
  }
  publishState() {
    if (this.auth.session === void 0) return;
    const s = this.outgoing;
    this.firmware.sample(s);
    this.tamper(s);
    const sentMs = performance.now();
    if (this.endpoint.sendState(s, this.firmware.simTimeUs)) {
      this.sentAt[s.seq % latencyRing] = sentMs;
      this.sentAtUs[s.seq % latencyRing] = this.firmware.simTimeUs;
      this.lastStateSeq = s.seq;
      this.report.statesSent++;
    }
  }
  /**
   * Injected firmware bugs and sensor glitches (faults `wrong-shape`, `sequence-jump`, `foreign-echo`,
   * `position-jump`, `velocity-spike`, `frozen-sensor`).
   */
  tamper(s) {
    const n = this.firmware.layout.joints.length;
    for (let j = 0; j < n; j++) {
      s.values[j] = s.values[j] + this.positionOffset[j];
      s.values[n + j] = s.values[n + j] + this.velocityOffset[j];
    }
    const frozen = this.frozenJoint;
    if (frozen >= 0) {
      if (Number.isNaN(this.frozenPosition)) this.frozenPosition = s.values[frozen];
      s.values[frozen] = this.frozenPosition;
      s.values[n + frozen] = 0;
    }
    if (this.wrongShape) {
      s.jointCount = 0;
      s.valueCount = s.valueCount - 3 * n;
    }
    if (this.foreignEcho) s.commandSeq = this.firmware.appliedCommandSeq + 1e3 >>> 0;
  }
  onCommand(c, header) {
    const hello = this.firmware.layout.hello;
    const verdict = checkCommand(
      this.auth,
      header,
      c,
      {
        mode: commandModes.indexOf(hello.commandMode),
        count: hello.action.length,
        gainsAllowed: (hello.features & Feature.pdGains) !== 0
      },
      this.lastCommandSeq
    );
    if (verdict === CommandError.unauthenticated) {
      this.report.auth.unauthenticated++;
      this.notify(NoticeCode.unauthenticated, "a command without the owner session was refused");
      return;
    }
    this.ownerHeardMs = performance.now();
    if (verdict !== 0) {
      this.report.auth.malformedCommands++;
      this.notify(
        NoticeCode.malformedCommand,
        verdict === CommandError.sequence ? `command ${c.seq} arrived after ${this.lastCommandSeq} and was refused` : `a ${modeName(c.mode)} command (mode ${c.mode}, ${c.count} values${c.hasGains ? " with gains" : ""}) to a ${hello.commandMode} rig (mode ${commandModes.indexOf(hello.commandMode)}, ${hello.action.length} values) was refused`
      );
      return;
    }
    this.lastCommandSeq = c.seq;
    const stateSeq = c.stateSeq;
    const now = performance.now();
    this.report.commandsReceived++;
    this.lastHeardMs = now;
    if (stateSeq > 0 && this.lastStateSeq - stateSeq < latencyRing && stateSeq <= this.lastStateSeq) {
      this.report.latencyUs.push((now - this.sentAt[stateSeq % latencyRing]) * 1e3);
    }
    const answered = stateSeq > 0 && this.lastStateSeq - stateSeq < latencyRing && stateSeq <= this.lastStateSeq;
    const intendedUs = answered ? this.sentAtUs[stateSeq % latencyRing] + this.innerPeriodUs : this.firmware.simTimeUs;
    this.firmware.enqueue(this.endpoint.command, this.firmware.simTimeUs, intendedUs);
  }
  onRequest(op, header) {
    const seq = header.seq;
    const ack = (status) => this.endpoint.sendAck({ ackedType: MessageType.request, status, ackedSeq: seq });
    if (op === RequestOp.hello) {
      const owner = header.auth === AuthMode.session && header.session === this.auth.sessionId && header.session !== 0;
      this.sendHello(owner ? "auto" : "device");
      return;
    }
    if (op === RequestOp.status) {
      this.answerStatus(seq, header);
      return;
    }
    if (!this.fromOwner(header)) return;
    switch (op) {
      case RequestOp.release:
        this.firmware.active = false;
        ack(AckStatus.ok);
        this.log(`session ${hex(this.auth.sessionId)} released the rig`);
        this.auth.drop();
        this.rigNonce = randomNonce();
        return;
      case RequestOp.activate:
        if (this.firmware.latchedFlags !== 0) {
          ack(AckStatus.refused);
          return;
        }
        if (this.config.resetOnActivate) {
          this.firmware.reset();
          this.firmware.held = false;
        }
        this.firmware.activate();
        this.lastHeardMs = performance.now();
        if (Number.isNaN(this.activatedAtMs)) this.activatedAtMs = performance.now();
        this.log("activated");
        ack(AckStatus.ok);
        return;
      case RequestOp.deactivate:
        this.firmware.active = false;
        ack(AckStatus.ok);
        return;
      case RequestOp.recover:
        this.firmware.recover();
        this.log("recovered by operator request");
        ack(AckStatus.ok);
        return;
      default:
        ack(AckStatus.unsupported);
    }
  }
  /**
   * How the rig is, for its owner (sealed with the session) or any holder of the link key who is not
   * the owner (sealed with the device key): reading it commands nothing. Unsealed asks are refused.
   */
  answerStatus(seq, header) {
    const owner = header.auth === AuthMode.session && header.session !== 0 && header.session === this.auth.sessionId;
    if (owner) this.ownerHeardMs = performance.now();
    else if (header.auth !== AuthMode.device) {
      this.report.auth.unauthenticated++;
      this.notify(NoticeCode.unauthenticated, "a status request without the link key was refused");
      return;
    }
    const fw = this.firmware;
    const latched = fw.latchedFlags !== 0;
    this.endpoint.sendStatus(
      {
        requestSeq: seq,
        state: latched ? RigState.latched : fw.active ? RigState.active : RigState.idle,
        owned: this.auth.session !== void 0 && performance.now() - this.ownerHeardMs <= this.leaseMs,
        flags: fw.latchedFlags | (fw.active && !latched ? StateFlag.active : 0),
        ticks: this.innerTicks,
        latches: this.report.latches.length,
        commandsApplied: fw.commandsApplied,
        reason: latched ? this.report.latches.at(-1)?.reason ?? "latched" : ""
      },
      owner ? "auto" : "device"
    );
  }
  checkWatchdog() {
    const fw = this.firmware;
    if (this.transport.faults.frozen) return;
    if (this.auth.session !== void 0) {
      const quietMs = performance.now() - this.ownerHeardMs;
      if (quietMs > this.leaseMs) this.expireLease(quietMs);
    }
    if (!fw.active || fw.latchedFlags !== 0) return;
    const silentMs = performance.now() - this.lastHeardMs;
    if (silentMs <= this.config.watchdogMs) return;
    const message = `no command or heartbeat for ${Math.round(silentMs)} ms (watchdog ${this.config.watchdogMs} ms)`;
    this.latch(StateFlag.fault, `fault: ${message}`);
    this.endpoint.sendFault({ code: FaultCode.watchdog, message });
  }
  superviseFaults() {
    if (Number.isNaN(this.activatedAtMs)) return;
    const sinceMs = performance.now() - this.activatedAtMs;
    while (this.pendingFaults.length > 0 && this.pendingFaults[0].at * 1e3 <= sinceMs) {
      const spec = this.pendingFaults.shift();
      const record = { kind: spec.kind, startEpochMs: epochMs() };
      this.report.faults.push(record);
      const duration = "duration" in spec && spec.duration !== void 0 ? spec.duration * 1e3 : Infinity;
      this.activeFaults.push({ spec, record, endMs: sinceMs + duration });
      this.log(`fault injected: ${spec.kind}${Number.isFinite(duration) ? ` for ${duration} ms` : ""}`);
      void this.applyFault(spec, true);
    }
    for (let i = this.activeFaults.length - 1; i >= 0; i--) {
      const active = this.activeFaults[i];
      if (active.endMs > sinceMs) continue;
      this.activeFaults.splice(i, 1);
      active.record.endEpochMs = epochMs();
      this.log(`fault cleared: ${active.spec.kind}`);
      void this.applyFault(active.spec, false);
    }
  }
  async applyFault(spec, on) {
    const f = this.transport.faults;
    const fw = this.firmware;
    switch (spec.kind) {
      case "drop":
        if (spec.direction !== "command") f.dropState = on ? spec.probability : 0;
        if (spec.direction !== "state") f.dropCommand = on ? spec.probability : 0;
        return;
      case "delay":
        f.delayMs = on ? spec.ms : 0;
        return;
      case "corrupt":
        f.corrupt = on ? spec.probability : 0;
        return;
      case "freeze":
        f.frozen = on;
        if (!on) this.lastHeardMs = performance.now();
        return;
      case "sensor-nan":
        fw.nanValue = on ? nanIndex(spec, fw.layout.hello.observation) : -1;
        return;
      case "stuck-joint":
        fw.setStuck(on ? fw.layout.joints.findIndex((j) => j.name === spec.joint) : -1);
        return;
      case "push":
        if (on) fw.push = { body: fw.sim.id("body", spec.body), force: spec.force };
        else fw.clearPush();
        return;
      case "estop":
        this.latch(StateFlag.estop, "rig e-stop button pressed");
        this.endpoint.sendEstop({ source: EstopSource.rig, reason: "rig e-stop button pressed" });
        return;
      case "wrong-shape":
        this.wrongShape = on;
        fw.held = on;
        return;
      case "sequence-jump":
        if (on) this.endpoint.skipSequence(MessageType.state, 2 ** 31);
        return;
      case "foreign-echo":
        this.foreignEcho = on;
        return;
      case "position-jump": {
        const joint = fw.layout.joints.findIndex((j) => j.name === spec.joint);
        this.positionOffset[joint] = on ? spec.amount : 0;
        return;
      }
      case "velocity-spike": {
        const joint = fw.layout.joints.findIndex((j) => j.name === spec.joint);
        this.velocityOffset[joint] = on ? spec.amount : 0;
        return;
      }
      case "frozen-sensor":
        this.frozenJoint = on ? fw.layout.joints.findIndex((j) => j.name === spec.joint) : -1;
        this.frozenPosition = Number.NaN;
        return;
      case "disconnect":
        await this.disconnect(on);
        return;
    }
  }
  /** Pulls the cable: kills socat (serial) or drops the broker connection without a goodbye (MQTT). */
  async disconnect(on) {
    const inner = this.transport.inner;
    if (this.link.ptyBase !== void 0) {
      if (on) await this.link.pty?.close();
      else this.link.pty = await startPtyPair(this.link.ptyBase);
      return;
    }
    if (inner instanceof MqttTransport) {
      if (on) await inner.abort();
      else await inner.open().catch((error) => this.log(`reconnect failed: ${error.message}`));
    }
  }
};
function modeName(code) {
  return commandModes[code] ?? "unknown-mode";
}
function requireEnv(name, what) {
  const value = process.env[name];
  if (value === void 0) throw new Error(`${what}: environment variable ${name} is not set`);
  return value;
}
function hex(id) {
  return id.toString(16).padStart(8, "0");
}
function checkFaultTarget(f, layout) {
  if ("joint" in f && !layout.joints.some((j) => j.name === f.joint)) {
    throw new RangeError(
      `faults: ${f.kind} '${f.joint}' is not a joint (known: ${layout.joints.map((j) => j.name).join(", ")})`
    );
  }
  if (f.kind === "sensor-nan" && f.signal !== void 0 && !layout.hello.observation.some((s) => s.name === f.signal)) {
    throw new RangeError(
      `faults: sensor-nan signal '${f.signal}' is not observed (known: ${layout.hello.observation.map((s) => s.name).join(", ")})`
    );
  }
}
function nanIndex(spec, observation) {
  const signal = spec.signal === void 0 ? observation[0] : observation.find((s) => s.name === spec.signal);
  return signal?.stateIndex ?? -1;
}
export {
  EmulatedRig
};
