// Compiled from hardware/link/link-robot.ts by `npm run build`: edit the source, not this file.

// hardware/link/link-robot.ts
import { Lifecycle } from "../../src/core/lifecycle.js";
import { AuthMode } from "../protocol/auth.js";
import {
  AckStatus,
  commandModes,
  createStateSample,
  EstopSource,
  Feature,
  MessageType,
  NoticeCode,
  protocolVersion,
  RequestOp,
  RigState,
  rigStateNames,
  SessionOp,
  StateFlag
} from "../protocol/messages.js";
import { Endpoint } from "./endpoint.js";
import {
  PlausibilityMonitor as Monitor
} from "./plausibility.js";
import { AuthError, LinkAuth, randomNonce } from "./session.js";
import { StateGate, StateVerdict } from "./state-gate.js";
var featureNames = [
  [Feature.imu, "imu"],
  [Feature.estop, "estop"],
  [Feature.pdGains, "pd-gains"],
  [Feature.watchdog, "watchdog"]
];
var noticeNames = {
  [NoticeCode.ownershipRefused]: "ownershipRefused",
  [NoticeCode.forged]: "forged",
  [NoticeCode.replayed]: "replayed",
  [NoticeCode.foreignSession]: "foreignSession",
  [NoticeCode.unauthenticated]: "unauthenticated",
  [NoticeCode.malformedCommand]: "malformedCommand"
};
function robotInfoFromHello(hello, transport) {
  const observation = {
    signals: hello.observation.map(({ name, unit, lower, upper }) => ({ name, unit, lower, upper }))
  };
  const limited = hello.action.some((s) => Number.isFinite(s.maxDeltaPerTick));
  const action = {
    signals: hello.action.map(({ name, unit, lower, upper }) => ({ name, unit, lower, upper })),
    mode: hello.commandMode,
    safe: hello.action.map((s) => s.safe),
    ...limited ? { maxDeltaPerTick: hello.action.map((s) => s.maxDeltaPerTick) } : {}
  };
  const capabilities = {
    minRateHz: hello.minCommandRateHz,
    maxRateHz: hello.maxCommandRateHz,
    lockStep: false,
    ...hello.innerLoopHz > 0 ? { innerLoopHz: hello.innerLoopHz } : {},
    features: featureNames.filter(([bit]) => (hello.features & bit) !== 0).map(([, name]) => name)
  };
  return { name: hello.name, transport, observation, action, capabilities };
}
function withPdDrive(info, hello, drive) {
  const mode = hello.commandMode;
  if (mode !== "position" && mode !== "cartesian" || (hello.features & Feature.pdGains) === 0) {
    throw new RangeError(
      `robot.drive: rig '${hello.name}' takes ${mode} commands${(hello.features & Feature.pdGains) === 0 ? " without PD gains" : ""}; a pd drive needs a position- or cartesian-mode rig with the pd-gains feature (rig config commandMode: position or cartesian)`
    );
  }
  const n = info.action.signals.length;
  const per = (what, v) => {
    if (typeof v === "number") return new Array(n).fill(v);
    if (v.length !== n) throw new RangeError(`robot.drive.${what}: ${v.length} values, expected 1 or ${n}`);
    return [...v];
  };
  const damping = per("damping", drive.damping);
  const maxKp = per("maxKp", drive.maxKp);
  const maxKd = per("maxKd", drive.maxKd);
  const axes = info.action.signals.map((s) => ({
    name: mode === "position" ? s.name.replace(/\.target$/, "") : s.name,
    rotational: s.unit === "rad"
  }));
  const kpUnit = (rotational) => mode === "position" || rotational ? "N*m/rad" : "N/m";
  const kdUnit = (rotational) => mode === "position" || rotational ? "N*m*s/rad" : "N*s/m";
  return {
    ...info,
    action: {
      mode,
      signals: [
        ...info.action.signals,
        ...axes.map((a, i) => ({
          name: `${a.name}.kp`,
          unit: kpUnit(a.rotational),
          lower: 0,
          upper: maxKp[i]
        })),
        ...axes.map((a, i) => ({
          name: `${a.name}.kd`,
          unit: kdUnit(a.rotational),
          lower: 0,
          upper: maxKd[i]
        }))
      ],
      safe: [...info.action.safe, ...new Array(n).fill(0), ...damping],
      ...info.action.maxDeltaPerTick ? { maxDeltaPerTick: [...info.action.maxDeltaPerTick, ...new Array(2 * n).fill(Infinity)] } : {}
    }
  };
}
function sameShape(a, b) {
  return JSON.stringify([a.name, a.observation, a.action]) === JSON.stringify([b.name, b.observation, b.action]);
}
var roundTripRing = 4096;
var sentRing = 1024;
var LinkRobot = class {
  constructor(transport, kind, options) {
    this.transport = transport;
    this.kind = kind;
    this.options = options;
    this.lifecycle = new Lifecycle(`robot over ${transport.description}`);
    this.auth = new LinkAuth(options.deviceKey, "host");
    this.auth.onPromoted = () => {
      this.onSessionOpened();
      this.sessionWaiter?.("promoted", void 0);
    };
    this.endpoint = new Endpoint(transport, this.auth, {
      state: (s, header) => this.onState(s, header),
      hello: (hello, header) => this.onHello(hello, header),
      ack: (ack, header) => this.onAck(ack, header),
      estop: (e, header) => {
        if (header.auth !== AuthMode.session)
          this.report(
            "unauthenticatedEstop",
            "an unauthenticated e-stop arrived (accepted: anyone may stop)"
          );
        this.fault(`e-stop from ${sourceName(e.source)}: ${e.reason}`);
      },
      fault: (f, header) => {
        if (!this.authentic(header, "fault")) return;
        this.fault(`rig fault ${f.code}: ${f.message}`);
      },
      notice: (n, header) => {
        if (!this.authentic(header, "notice")) return;
        const name = noticeNames[n.code] ?? `code${n.code}`;
        this.rigRefused[name] = n.count;
        this.linkListener?.(`rig refused: ${n.message}`, { code: n.code, count: n.count });
      },
      status: (status, header) => {
        const sealed = header.auth === AuthMode.device || header.auth === AuthMode.session && header.session === this.auth.sessionId && header.session !== 0;
        if (!sealed) {
          this.refusals.unauthenticated++;
          this.report("unauthenticated", "an unauthenticated status was refused");
          return;
        }
        this.statusWaiters.get(status.requestSeq)?.(status);
      },
      rejected: (code) => this.onRejected(code)
    });
    transport.onStatus((connected, reason) => this.onLinkStatus(connected, reason));
  }
  transport;
  kind;
  options;
  lifecycle;
  endpoint;
  auth;
  hello;
  robotInfo;
  observationIndex = new Int32Array(0);
  safeAction = new Float64Array(0);
  /** Values per command frame (the rig's action count; a pd drive's action is three times that). */
  targetCount = 0;
  /** The newest accepted state: what `read` returns. Refused states never reach it. */
  latest = createStateSample();
  hasState = false;
  lastStateSeq = 0;
  /** A fresh state arrived since the last `read` (for the plausibility monitors). */
  freshState = false;
  /** Checks every state before it is accepted (session, shape, values, sequence, command echo). */
  gate;
  commandSentAt = new Float64Array(sentRing);
  roundTrips = new Float64Array(roundTripRing);
  roundTripCount = 0;
  lastCommandAt = 0;
  /** E-stops sent again while in fault and the rig's states do not show its latch (at most 50). */
  estopRepeats = 0;
  /** A recovery is asking the rig to clear its latch: no e-stop must chase it. */
  recovering = false;
  /** When the last e-stop went to the rig, and when the newest state was accepted (ms). */
  estopSentAt = 0;
  latestStateAt = 0;
  heartbeatTimer;
  helloWaiter;
  ackWaiters = /* @__PURE__ */ new Map();
  sessionWaiter;
  statusWaiters = /* @__PURE__ */ new Map();
  /** The transport was opened for a status request alone (no session): `shutdown` closes it. */
  openedForStatus = false;
  sessionSeq = -1;
  /** The open in flight is a re-key (sealed with our session): only then may the rig answer bare. */
  openingRekey = false;
  stats = {
    statesLost: 0,
    statesReceived: 0,
    commandsSent: 0,
    nonFiniteCommands: 0,
    sessionsOpened: 0,
    ownershipRefused: 0
  };
  refusals = {
    shapeErrors: 0,
    nonFinite: 0,
    sequenceErrors: 0,
    duplicates: 0,
    forged: 0,
    replayed: 0,
    foreignSession: 0,
    unauthenticated: 0,
    intrusions: 0,
    implausible: 0
  };
  rigRefused = {};
  monitor;
  sampleListener;
  linkListener;
  lastReported = /* @__PURE__ */ new Map();
  get info() {
    if (this.robotInfo === void 0)
      throw new Error(`robot over ${this.transport.description} is not configured yet`);
    return this.robotInfo;
  }
  get state() {
    return this.lifecycle.state;
  }
  get faultReason() {
    return this.lifecycle.lastFault;
  }
  /** True while the link is up and the peer is there (for MQTT: the rig's status is online). */
  get connected() {
    return this.transport.connected;
  }
  /** The session this runtime holds on the rig (0 = none). */
  get sessionId() {
    return this.auth.sessionId;
  }
  get statistics() {
    const a = this.auth.counters;
    return {
      ...this.transport.counters,
      decodeErrors: this.endpoint.decodeErrors,
      ...this.stats,
      ...this.refusals,
      forged: a.forged + a.deviceForged,
      replayed: a.replayed,
      foreignSession: a.foreignSession,
      rigRefused: { ...this.rigRefused }
    };
  }
  linkHealth() {
    const s = this.statistics;
    const counters = {
      crcErrors: s.crcErrors,
      decodeErrors: s.decodeErrors + s.framingErrors,
      shapeErrors: s.shapeErrors,
      nonFinite: s.nonFinite,
      sequenceErrors: s.sequenceErrors,
      statesLost: s.statesLost,
      duplicates: s.duplicates,
      forged: s.forged,
      replayed: s.replayed,
      foreignSession: s.foreignSession,
      unauthenticated: s.unauthenticated,
      intrusions: s.intrusions,
      implausible: s.implausible,
      statesReceived: s.statesReceived,
      commandsSent: s.commandsSent,
      sessionsOpened: s.sessionsOpened,
      ownershipRefused: s.ownershipRefused,
      disconnects: s.disconnects,
      reconnects: s.reconnects
    };
    for (const [name, count] of Object.entries(s.rigRefused)) counters[`rig_${name}`] = count;
    const health = { counters };
    const rtt = this.roundTripSummary();
    if (rtt !== void 0) health.roundTripMs = rtt;
    if (this.auth.sessionId !== 0) health.session = this.auth.sessionId.toString(16).padStart(8, "0");
    return health;
  }
  onLinkEvent(listener) {
    this.linkListener = listener;
  }
  /**
   * Called right after each accepted state, for event-driven control (answer every state at once
   * instead of on the loop's clock). One listener; `undefined` removes it.
   */
  onSample(listener) {
    this.sampleListener = listener;
  }
  async configure() {
    if (this.lifecycle.state !== "unconfigured")
      throw new Error(`robot over ${this.transport.description} is already configured`);
    if (!this.openedForStatus) await this.transport.open();
    this.openedForStatus = false;
    const hello = await this.awaitHello();
    if (this.options.expectName !== void 0 && hello.name !== this.options.expectName) {
      throw new Error(
        `${this.transport.description}: rig says it is '${hello.name}', expected '${this.options.expectName}'`
      );
    }
    this.adopt(hello);
    await this.openSession();
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.options.heartbeatMs);
    this.heartbeatTimer.unref();
    this.lifecycle.apply("configure");
  }
  async activate() {
    this.lifecycle.apply("activate");
    try {
      await this.request(RequestOp.activate, "activate");
      this.monitor?.reset();
    } catch (error) {
      const reason = await this.whyRefused(error);
      this.fault(reason);
      throw new Error(reason);
    }
  }
  /** A refused activation says why when the rig tells: a latch kept from an earlier run. */
  async whyRefused(error) {
    const message = messageOf(error);
    if (!message.startsWith("rig refused")) return message;
    const status = await this.rigStatus().catch(() => void 0);
    if (status?.state !== RigState.latched) return message;
    return `${message}: the rig is latched (${status.reason}); clear it as its owner with \`tether rig recover <run config>\` (or \`recover\` on the operator console), then start again`;
  }
  async deactivate() {
    this.lifecycle.apply("deactivate");
    this.sendCommand(this.safeAction);
    await this.request(RequestOp.deactivate, "deactivate").catch(() => void 0);
  }
  /**
   * Operator recovery: re-keys the session (or opens a new one if the rig lost ours: it restarted, or
   * our lease ran out), then asks the rig to clear its latch. Only the session's owner can do this.
   */
  async recover() {
    if (this.lifecycle.state !== "fault")
      throw new Error(`cannot recover: robot is ${this.lifecycle.state}, not in fault`);
    if (!this.transport.connected)
      throw new Error(`cannot recover: link ${this.transport.description} is still down`);
    this.recovering = true;
    try {
      await this.openSession();
      await this.request(RequestOp.recover, "recover");
    } finally {
      this.recovering = false;
    }
    this.monitor?.reset();
    this.lifecycle.apply("recover");
  }
  /**
   * Asks the rig how it is (docs/protocol.md §3.11). Works without owning it: before `configure` the
   * link is opened for this alone and the request is sealed with the device key; the owner's goes
   * sealed with its session. Reading the status commands nothing.
   */
  async rigStatus() {
    if (this.lifecycle.state === "unconfigured" && !this.openedForStatus) {
      await this.transport.open();
      this.openedForStatus = true;
      await this.untilConnected();
    }
    const timeoutMs = this.options.requestTimeoutMs;
    return new Promise((resolve, reject) => {
      let timer;
      this.endpoint.sendRequest(
        { op: RequestOp.status },
        (seq) => {
          timer = setTimeout(() => {
            this.statusWaiters.delete(seq);
            reject(
              new Error(
                `rig on ${this.transport.description} did not answer a status request within ${timeoutMs} ms (a rig without status support, or another link key)`
              )
            );
          }, timeoutMs);
          this.statusWaiters.set(seq, (status) => {
            clearTimeout(timer);
            this.statusWaiters.delete(seq);
            resolve(status);
          });
        },
        this.auth.session === void 0 ? "device" : "auto"
      );
    });
  }
  /** The rig's STATUS in one line (the operator console's `status` shows it). */
  async deviceStatus() {
    const s = await this.rigStatus();
    const state = rigStateNames[s.state] ?? `state ${s.state}`;
    return `${state}${s.state === RigState.latched ? ` (${s.reason})` : ""}, ${s.ticks} inner ticks, ${s.latches} latch${s.latches === 1 ? "" : "es"}, ${s.commandsApplied} commands applied`;
  }
  /**
   * Clears a latch the rig kept from an earlier run, as its owner, before anything moves: the next
   * `activate` is accepted without restarting the rig. Needs the session `configure` opened.
   */
  async recoverRig() {
    if (this.lifecycle.state !== "ready")
      throw new Error(`cannot recover the rig: robot is ${this.lifecycle.state}, not ready`);
    await this.request(RequestOp.recover, "recover");
  }
  async untilConnected() {
    const deadline = performance.now() + this.options.helloTimeoutMs;
    while (!this.transport.connected) {
      if (performance.now() > deadline)
        throw new Error(
          `link ${this.transport.description} did not come up within ${this.options.helloTimeoutMs} ms`
        );
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  async shutdown() {
    clearInterval(this.heartbeatTimer);
    if (this.robotInfo !== void 0 && this.transport.connected) {
      this.sendCommand(this.safeAction);
      await this.request(RequestOp.deactivate, "deactivate").catch(() => void 0);
      if (this.auth.session !== void 0) {
        await this.request(RequestOp.release, "release").catch(() => void 0);
      }
    }
    this.auth.drop();
    await this.transport.close();
    this.lifecycle.apply("shutdown");
  }
  read(out) {
    if (!this.hasState) return Number.NaN;
    const state = this.latest;
    const values = state.values;
    const index = this.observationIndex;
    for (let i = 0; i < index.length; i++) out[i] = values[index[i]];
    if (this.freshState) {
      this.freshState = false;
      this.checkPlausibility(state);
    }
    return state.timeUs * 1e-6;
  }
  write(action) {
    let command = this.lifecycle.state === "running" ? action : this.safeAction;
    for (let i = 0; i < command.length; i++) {
      if (!Number.isFinite(command[i])) {
        this.stats.nonFiniteCommands++;
        command = this.safeAction;
        break;
      }
    }
    this.monitor?.noteCommand(command);
    this.sendCommand(command);
  }
  fault(reason) {
    const state = this.lifecycle.state;
    if (state === "fault" || state === "stopped") return;
    this.lifecycle.apply("fault", reason);
    if (this.robotInfo !== void 0) {
      this.sendCommand(this.safeAction);
      this.estopSentAt = performance.now();
      this.endpoint.sendEstop({ source: EstopSource.host, reason: reason.slice(0, 200) });
    }
  }
  /** The runtime's safety layer latched: the rig latches too, and the robot waits for `recover()`. */
  onSafetyLatch(reason) {
    this.fault(`runtime safety layer latched: ${reason}`);
  }
  sendCommand(action) {
    const c = this.endpoint.command;
    c.mode = commandModes.indexOf(this.info.action.mode);
    c.stateSeq = this.lastStateSeq;
    const gains = this.options.gains;
    if (this.options.drive !== void 0) {
      const n = this.targetCount;
      c.count = n;
      c.hasGains = true;
      for (let i = 0; i < n; i++) {
        c.target[i] = action[i];
        c.kp[i] = action[n + i];
        c.kd[i] = action[2 * n + i];
      }
    } else {
      c.count = action.length;
      c.target.set(action);
      c.hasGains = gains !== void 0;
      if (gains !== void 0) {
        for (let i = 0; i < action.length; i++) {
          c.kp[i] = gains.kp[i];
          c.kd[i] = gains.kd[i];
        }
      }
    }
    const now = performance.now();
    if (this.endpoint.sendCommand(c)) {
      this.stats.commandsSent++;
      if (this.gate !== void 0) this.gate.lastCommandSeq = c.seq;
      this.commandSentAt[c.seq % sentRing] = now;
    }
    this.lastCommandAt = now;
  }
  /** Frames the endpoint could not verify or decode. */
  onRejected(code) {
    if (code === AuthError.forged)
      this.report("forged", "a frame with a tag that does not verify was refused");
    else if (code === AuthError.replayed) this.report("replayed", "a replayed frame was refused");
    else if (code === AuthError.foreignSession)
      this.report("foreignSession", "a frame of another session was refused");
  }
  /** Frames other than e-stops must come from our session (replays and forgeries never get here). */
  authentic(header, what) {
    if (header.auth === AuthMode.session && header.session === this.auth.sessionId && header.session !== 0)
      return true;
    this.refusals.unauthenticated++;
    this.report("unauthenticated", `an unauthenticated ${what} was refused`);
    return false;
  }
  onState(s, header) {
    const gate = this.gate;
    if (gate === void 0) return;
    const r = this.refusals;
    const previousEcho = gate.lastEcho;
    const lostBefore = gate.lost;
    const verdict = gate.check(s, header, this.auth.sessionId);
    switch (verdict) {
      case StateVerdict.accepted:
        break;
      case StateVerdict.unauthenticated:
        r.unauthenticated++;
        this.report("unauthenticated", "a state without the session was refused");
        return;
      case StateVerdict.shape:
        r.shapeErrors++;
        this.report(
          "shape",
          `a state of another shape than the rig's hello was refused (${s.jointCount} joints, imu ${s.hasImu}, ${s.sensorCount} sensors)`
        );
        return;
      case StateVerdict.duplicate:
      case StateVerdict.sequence:
        r.sequenceErrors++;
        if (verdict === StateVerdict.duplicate) r.duplicates++;
        this.report(
          "sequence",
          `state ${s.seq} after ${gate.lastSeq} was refused (sequence or time went back, or jumped)`
        );
        return;
      case StateVerdict.nonFinite:
        r.nonFinite++;
        this.fault(
          `sensor failure: state ${s.seq} carries ${s.values[gate.nonFiniteIndex]} for ${this.valueName(gate.nonFiniteIndex)}`
        );
        return;
      case StateVerdict.intrusion:
        r.intrusions++;
        this.fault(
          `intrusion: the rig applied command #${s.commandSeq}, which this runtime did not send (its last is #${gate.lastCommandSeq})`
        );
        this.linkListener?.(
          `intrusion: the rig applied command #${s.commandSeq} that this runtime never sent`,
          {
            echo: s.commandSeq,
            lastSent: gate.lastCommandSeq
          }
        );
        return;
    }
    this.stats.statesLost += gate.lost - lostBefore;
    const echo = s.commandSeq;
    if (echo > previousEcho && gate.lastCommandSeq - echo < sentRing) {
      this.roundTrips[this.roundTripCount++ % roundTripRing] = performance.now() - this.commandSentAt[echo % sentRing];
    }
    this.copyState(s);
    this.hasState = true;
    this.freshState = true;
    this.latestStateAt = performance.now();
    this.lastStateSeq = s.seq;
    this.stats.statesReceived++;
    if ((s.flags & (StateFlag.estop | StateFlag.fault)) !== 0 && this.lifecycle.state === "running") {
      this.fault(s.flags & StateFlag.estop ? "rig reports e-stop latched" : "rig reports a fault");
    }
    this.sampleListener?.();
  }
  copyState(s) {
    const l = this.latest;
    l.seq = s.seq;
    l.timeUs = s.timeUs;
    l.commandSeq = s.commandSeq;
    l.flags = s.flags;
    l.jointCount = s.jointCount;
    l.hasImu = s.hasImu;
    l.sensorCount = s.sensorCount;
    l.valueCount = s.valueCount;
    for (let i = 0; i < s.valueCount; i++) l.values[i] = s.values[i];
  }
  checkPlausibility(s) {
    const monitor = this.monitor;
    if (monitor === void 0) return;
    if (this.lifecycle.state !== "running" || (s.flags & StateFlag.active) === 0) {
      monitor.reset();
      return;
    }
    const verdict = monitor.check(s.values, s.timeUs * 1e-6);
    if (verdict !== void 0) {
      this.refusals.implausible++;
      this.fault(verdict.message);
    }
  }
  valueName(index) {
    const hello = this.hello;
    const observed = hello.observation.find((o) => o.stateIndex === index);
    if (observed !== void 0) return `'${observed.name}'`;
    const n = hello.joints.length;
    const joint = hello.joints[index % Math.max(1, n)];
    if (index < 3 * n && joint !== void 0)
      return `joint '${joint.name}' ${["position", "velocity", "effort"][Math.floor(index / n)]}`;
    return `state value ${index}`;
  }
  onHello(hello, header) {
    if (header.auth === AuthMode.none || header.auth === AuthMode.session && header.session !== this.auth.sessionId) {
      this.refusals.unauthenticated++;
      this.report("unauthenticated", "an unauthenticated hello was refused");
      return;
    }
    const waiter = this.helloWaiter;
    if (waiter !== void 0) {
      waiter(hello);
      return;
    }
    if (this.robotInfo === void 0) return;
    const adopted = this.hello;
    this.hello = { ...adopted, ...hello.session ? { session: hello.session } : {} };
    if (!sameShape(robotInfoFromHello(adopted, this.kind), robotInfoFromHello(hello, this.kind))) {
      this.fault(`rig '${hello.name}' now reports different capabilities; restart the runtime`);
    }
  }
  onAck(ack, header) {
    if (ack.ackedType === MessageType.session) {
      if (ack.ackedSeq !== this.sessionSeq) return;
      const waiter = this.sessionWaiter;
      if (header.auth === AuthMode.session && header.session === this.auth.pendingId) return;
      if (header.auth === AuthMode.none && !(ack.status === AckStatus.stale && this.openingRekey)) {
        this.refusals.unauthenticated++;
        return;
      }
      if (ack.status === AckStatus.ok && !(header.auth === AuthMode.session && header.session === this.auth.sessionId)) {
        this.refusals.unauthenticated++;
        return;
      }
      waiter?.(ack, header);
      return;
    }
    if (!this.authentic(header, "ack")) return;
    this.ackWaiters.get(ack.ackedSeq)?.(ack, header);
  }
  onLinkStatus(connected, reason) {
    if (!connected) {
      if (this.robotInfo !== void 0) this.fault(`link lost (${this.transport.description}): ${reason}`);
      return;
    }
    if (this.robotInfo !== void 0) this.endpoint.sendRequest({ op: RequestOp.hello }, void 0, "none");
  }
  adopt(hello) {
    let info = robotInfoFromHello(hello, this.kind);
    if (info.action.signals.length === 0) throw new Error(`rig '${hello.name}' declares no action signals`);
    this.targetCount = info.action.signals.length;
    if (hello.commandMode === "cartesian" && this.options.drive === void 0)
      throw new RangeError(
        `rig '${hello.name}' takes cartesian (pose) commands: give the robot a pd drive (robot.drive: { mode: pd, damping: [6 values] }), whose safe action has no stiffness; without one the safe command would pull the flange to the pose ${hello.action.map((a) => a.safe).join(", ")}`
      );
    if (this.options.drive !== void 0) info = withPdDrive(info, hello, this.options.drive);
    const gains = this.options.gains;
    if (gains !== void 0) {
      const n = info.action.signals.length;
      if (gains.kp.length !== n || gains.kd.length !== n) {
        throw new RangeError(
          `robot.gains: expected ${n} kp and kd values (one per action), got ${gains.kp.length} and ${gains.kd.length}`
        );
      }
      if ((hello.features & Feature.pdGains) === 0) {
        throw new RangeError(`robot.gains: rig '${hello.name}' does not accept PD gains`);
      }
    }
    this.hello = hello;
    this.robotInfo = info;
    this.observationIndex = Int32Array.from(hello.observation, (s) => s.stateIndex);
    this.safeAction = Float64Array.from(info.action.safe);
    this.gate = new StateGate(hello, this.options.maxSequenceGapS ?? 10);
    const plausibility = this.options.plausibility;
    this.monitor = plausibility === false || plausibility === void 0 ? void 0 : new Monitor(hello.joints, hello.action.length, plausibility);
  }
  /**
   * Opens a session on the rig (or re-keys ours): SESSION open with a fresh host nonce and the rig's
   * latest nonce, sealed with our current session if we have one, else with the device key. The rig
   * answers with an ack sealed with the new session, which proves it holds the key too. While another
   * session owns the rig, the rig refuses (`busy`); we retry until `helloTimeoutMs`, since the owner
   * may just have died and its lease be about to run out.
   */
  async openSession() {
    const deadline = performance.now() + this.options.helloTimeoutMs;
    let busy = 0;
    let busySince = 0;
    if (this.auth.session !== void 0) await this.refreshHello(deadline).catch(() => void 0);
    for (; ; ) {
      const rigNonce = this.hello?.session?.rigNonce;
      if (rigNonce === void 0) throw new Error("no rig nonce: the rig has not said hello");
      const hostNonce = randomNonce();
      const rekey = this.auth.session !== void 0;
      this.openingRekey = rekey;
      const pending = this.auth.expect(rigNonce, hostNonce);
      let staleHeader;
      const answer = await new Promise((resolve) => {
        const timer = setTimeout(() => finish("timeout"), this.options.requestTimeoutMs);
        const finish = (result) => {
          clearTimeout(timer);
          this.sessionWaiter = void 0;
          resolve(result);
        };
        this.sessionWaiter = (ack, header) => {
          staleHeader = header;
          finish(ack);
        };
        this.endpoint.sendSession({ op: SessionOp.open, hostNonce, rigNonce }, (seq) => {
          this.sessionSeq = seq;
        });
      });
      if (answer === "promoted" || this.auth.sessionId === pending.id) return;
      const now = performance.now();
      if (answer === "timeout") {
        if (rekey) {
          this.auth.drop();
          await this.refreshHello(deadline);
          continue;
        }
        throw new Error(
          `rig '${this.hello?.name}' did not answer the session request within ${this.options.requestTimeoutMs} ms`
        );
      }
      if (answer.status === AckStatus.stale) {
        if (rekey && staleHeader?.auth === AuthMode.none) this.auth.drop();
        await this.refreshHello(deadline);
        continue;
      }
      if (answer.status === AckStatus.busy) {
        busy++;
        this.stats.ownershipRefused++;
        if (busy === 1) busySince = now;
        const retryAfter = Math.max(50, answer.retryAfterMs ?? 0) + 50;
        if (now + retryAfter > deadline) {
          throw new Error(
            `rig '${this.hello?.name}' is owned by another session (0x${(this.hello?.session?.ownerSession ?? 0).toString(16)}) and refused this runtime ${busy} time${busy === 1 ? "" : "s"} over ${((now - busySince) / 1e3).toFixed(1)} s: only one runtime may command a rig. Stop the other one, or wait until the rig has not heard from it for its lease (${this.hello?.session?.leaseMs ?? "?"} ms).`
          );
        }
        await sleep(retryAfter);
        await this.refreshHello(deadline);
        continue;
      }
      throw new Error(`rig '${this.hello?.name}' refused the session request (status ${answer.status})`);
    }
  }
  /** Runs synchronously when the rig first uses the session we asked for. */
  onSessionOpened() {
    this.stats.sessionsOpened++;
    this.gate?.newSession();
    this.monitor?.reset();
    this.linkListener?.(
      `session ${this.auth.sessionId.toString(16).padStart(8, "0")} opened on rig '${this.hello?.name}'`
    );
  }
  /** Asks for a hello again (the rig's nonce changes after each open) and waits for it. */
  async refreshHello(deadline) {
    const remaining = deadline - performance.now();
    if (remaining <= 0) throw new Error(`rig '${this.hello?.name}' did not grant a session in time`);
    const hello = await this.awaitHello(Math.max(remaining, 300));
    this.hello = { ...this.hello, ...hello.session ? { session: hello.session } : {} };
  }
  awaitHello(timeoutMs = this.options.helloTimeoutMs) {
    return new Promise((resolve, reject) => {
      const ask = setInterval(
        () => this.endpoint.sendRequest({ op: RequestOp.hello }, void 0, "none"),
        250
      );
      const forgedBefore = this.auth.counters.deviceForged;
      const timer = setTimeout(() => {
        finish();
        const forged = this.auth.counters.deviceForged - forgedBefore;
        const version = this.endpoint.foreignVersion;
        reject(
          new Error(
            version >= 0 ? `a rig on ${this.transport.description} speaks wire protocol version ${version}; this runtime speaks version ${protocolVersion} (docs/protocol.md §7): update the rig's firmware or use a runtime of its version` : forged > 0 ? `a rig on ${this.transport.description} answered, but its hello does not verify with this runtime's link key (${forged} refused): the rig and the runtime must share one key (robot.auth.keyEnv)` : `no hello from a rig on ${this.transport.description} within ${timeoutMs} ms; is the rig running?`
          )
        );
      }, timeoutMs);
      const finish = () => {
        clearInterval(ask);
        clearTimeout(timer);
        this.helloWaiter = void 0;
      };
      this.helloWaiter = (hello) => {
        finish();
        resolve(hello);
      };
      this.endpoint.sendRequest({ op: RequestOp.hello }, void 0, "none");
    });
  }
  request(op, what) {
    return new Promise((resolve, reject) => {
      let timer;
      this.endpoint.sendRequest({ op }, (seq) => {
        timer = setTimeout(() => {
          this.ackWaiters.delete(seq);
          reject(new Error(`rig did not acknowledge '${what}' within ${this.options.requestTimeoutMs} ms`));
        }, this.options.requestTimeoutMs);
        this.ackWaiters.set(seq, (ack) => {
          clearTimeout(timer);
          this.ackWaiters.delete(seq);
          if (ack.status === AckStatus.ok) resolve();
          else reject(new Error(`rig refused '${what}' (status ${ack.status})`));
        });
      });
    });
  }
  heartbeat() {
    const now = performance.now();
    if (this.lifecycle.state !== "fault" || this.recovering) this.estopRepeats = 0;
    else if (this.hasState && (this.latest.flags & (StateFlag.estop | StateFlag.fault)) === 0 && this.latestStateAt > this.estopSentAt + 100 && now - this.estopSentAt >= 300 && this.estopRepeats++ < 50) {
      this.estopSentAt = now;
      this.endpoint.sendEstop({
        source: EstopSource.host,
        reason: (this.lifecycle.lastFault ?? "fault").slice(0, 200)
      });
    }
    if (performance.now() - this.lastCommandAt < this.options.heartbeatMs) return;
    this.endpoint.sendHeartbeat({ role: 0, lifecycle: lifecycleCode[this.lifecycle.state] });
  }
  roundTripSummary() {
    const n = Math.min(this.roundTripCount, roundTripRing);
    if (n === 0) return void 0;
    const sorted = this.roundTrips.slice(0, n).sort();
    const q = (p) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
    return {
      last: this.roundTrips[(this.roundTripCount - 1) % roundTripRing],
      p50: q(0.5),
      p99: q(0.99),
      max: sorted[n - 1],
      samples: this.roundTripCount
    };
  }
  /** Link events for refusals, at most one per kind and second (an attack must not flood the log). */
  report(kind, message) {
    const listener = this.linkListener;
    if (listener === void 0) return;
    const now = performance.now();
    if (now - (this.lastReported.get(kind) ?? -Infinity) < 1e3) return;
    this.lastReported.set(kind, now);
    const s = this.statistics;
    listener(message, { kind, forged: s.forged, replayed: s.replayed, unauthenticated: s.unauthenticated });
  }
};
var lifecycleCode = {
  unconfigured: 0,
  ready: 1,
  running: 2,
  fault: 3,
  stopped: 4
};
function sourceName(source) {
  return source === EstopSource.operator ? "operator" : source === EstopSource.rig ? "rig" : "host";
}
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
export {
  LinkRobot,
  robotInfoFromHello
};
