import { Lifecycle, type LifecycleState } from '../../src/core/lifecycle.ts';
import type { Robot, RobotCapabilities, RobotInfo, RobotTransport } from '../../src/core/robot.ts';
import type { ActionSpec, VectorSpec } from '../../src/core/spec.ts';
import {
  AckStatus,
  commandModes,
  EstopSource,
  Feature,
  type Hello,
  RequestOp,
  StateFlag,
} from '../protocol/messages.ts';
import { Endpoint } from './endpoint.ts';
import type { LinkCounters, Transport } from './transport.ts';

export interface LinkRobotOptions {
  /** Give up configuring if no hello arrives within this time. */
  readonly helloTimeoutMs: number;
  /** Give up on a request (activate, recover) that is not acknowledged within this time. */
  readonly requestTimeoutMs: number;
  /** Heartbeat period while no commands flow, so the rig's watchdog knows the host is alive. */
  readonly heartbeatMs: number;
  /** If set, the rig's hello must carry this robot name. */
  readonly expectName?: string;
  /** PD gains sent with every command (position/velocity mode rigs with the `pd-gains` feature). */
  readonly gains?: { readonly kp: readonly number[]; readonly kd: readonly number[] };
}

export interface LinkStatistics extends LinkCounters {
  /** State messages the rig sent that never arrived (gaps in its sequence numbers). */
  statesLost: number;
  statesReceived: number;
  commandsSent: number;
}

const featureNames: readonly [number, string][] = [
  [Feature.imu, 'imu'],
  [Feature.estop, 'estop'],
  [Feature.pdGains, 'pd-gains'],
  [Feature.watchdog, 'watchdog'],
];

/** Builds the runtime's specs from a rig's hello: the one place the wire meets the Robot interface. */
export function robotInfoFromHello(hello: Hello, transport: RobotTransport): RobotInfo {
  const observation: VectorSpec = {
    signals: hello.observation.map(({ name, unit, lower, upper }) => ({ name, unit, lower, upper })),
  };
  const limited = hello.action.some((s) => Number.isFinite(s.maxDeltaPerTick));
  const action: ActionSpec = {
    signals: hello.action.map(({ name, unit, lower, upper }) => ({ name, unit, lower, upper })),
    mode: hello.commandMode,
    safe: hello.action.map((s) => s.safe),
    ...(limited ? { maxDeltaPerTick: hello.action.map((s) => s.maxDeltaPerTick) } : {}),
  };
  const capabilities: RobotCapabilities = {
    minRateHz: hello.minCommandRateHz,
    maxRateHz: hello.maxCommandRateHz,
    lockStep: false,
    ...(hello.innerLoopHz > 0 ? { innerLoopHz: hello.innerLoopHz } : {}),
    features: featureNames.filter(([bit]) => (hello.features & bit) !== 0).map(([, name]) => name),
  };
  return { name: hello.name, transport, observation, action, capabilities };
}

function sameShape(a: RobotInfo, b: RobotInfo): boolean {
  return (
    JSON.stringify([a.name, a.observation, a.action]) === JSON.stringify([b.name, b.observation, b.action])
  );
}

/**
 * A robot at the other end of a link (serial or MQTT): a real rig, or the emulated one in
 * hardware/rig. `read` returns the latest state without waiting; `write` encodes and sends at once.
 *
 * Any link trouble (port closed, broker lost, rig's last will, rig e-stop or fault report) puts the
 * robot in `fault`: it sends the safe action from then on, keeps reconnecting underneath, and only an
 * operator's `recover()` (which the rig must acknowledge) returns it to `ready`.
 */
export class LinkRobot implements Robot {
  private readonly lifecycle: Lifecycle;
  private readonly endpoint: Endpoint;
  private robotInfo: RobotInfo | undefined;
  private observationIndex = new Int32Array(0);
  private safeAction = new Float64Array(0);
  private hasState = false;
  private lastStateSeq = 0;
  private lastCommandAt = 0;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private helloWaiter: ((hello: Hello) => void) | undefined;
  private readonly ackWaiters = new Map<number, (status: number) => void>();
  private readonly stats = { statesLost: 0, statesReceived: 0, commandsSent: 0 };
  private sampleListener: (() => void) | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly kind: RobotTransport,
    private readonly options: LinkRobotOptions,
  ) {
    this.lifecycle = new Lifecycle(`robot over ${transport.description}`);
    this.endpoint = new Endpoint(transport, {
      state: (s) => this.onState(s.seq, s.flags),
      hello: (hello) => this.onHello(hello),
      ack: (ack) => this.ackWaiters.get(ack.ackedSeq)?.(ack.status),
      estop: (e) => this.fault(`e-stop from ${sourceName(e.source)}: ${e.reason}`),
      fault: (f) => this.fault(`rig fault ${f.code}: ${f.message}`),
    });
    transport.onStatus((connected, reason) => this.onLinkStatus(connected, reason));
  }

  get info(): RobotInfo {
    if (this.robotInfo === undefined)
      throw new Error(`robot over ${this.transport.description} is not configured yet`);
    return this.robotInfo;
  }

  get state(): LifecycleState {
    return this.lifecycle.state;
  }

  get faultReason(): string | undefined {
    return this.lifecycle.lastFault;
  }

  /** True while the link is up and the peer is there (for MQTT: the rig's status is online). */
  get connected(): boolean {
    return this.transport.connected;
  }

  get statistics(): LinkStatistics {
    return { ...this.transport.counters, decodeErrors: this.endpoint.decodeErrors, ...this.stats };
  }

  /**
   * Called right after each state message is decoded, for event-driven control (answer every state at
   * once instead of on the loop's clock). One listener; `undefined` removes it.
   */
  onSample(listener: (() => void) | undefined): void {
    this.sampleListener = listener;
  }

  async configure(): Promise<void> {
    if (this.lifecycle.state !== 'unconfigured')
      throw new Error(`robot over ${this.transport.description} is already configured`);
    await this.transport.open();
    const hello = await this.awaitHello();
    if (this.options.expectName !== undefined && hello.name !== this.options.expectName) {
      throw new Error(
        `${this.transport.description}: rig says it is '${hello.name}', expected '${this.options.expectName}'`,
      );
    }
    this.adopt(hello);
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.options.heartbeatMs);
    this.heartbeatTimer.unref();
    this.lifecycle.apply('configure');
  }

  async activate(): Promise<void> {
    this.lifecycle.apply('activate');
    try {
      await this.request(RequestOp.activate, 'activate');
    } catch (error) {
      this.fault(messageOf(error));
      throw error;
    }
  }

  async deactivate(): Promise<void> {
    this.lifecycle.apply('deactivate');
    this.sendCommand(this.safeAction);
    await this.request(RequestOp.deactivate, 'deactivate').catch(() => undefined);
  }

  async recover(): Promise<void> {
    if (this.lifecycle.state !== 'fault')
      throw new Error(`cannot recover: robot is ${this.lifecycle.state}, not in fault`);
    if (!this.transport.connected)
      throw new Error(`cannot recover: link ${this.transport.description} is still down`);
    await this.request(RequestOp.recover, 'recover');
    this.lifecycle.apply('recover');
  }

  async shutdown(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    if (this.robotInfo !== undefined && this.transport.connected) {
      this.sendCommand(this.safeAction);
      await this.request(RequestOp.deactivate, 'deactivate').catch(() => undefined);
    }
    await this.transport.close();
    this.lifecycle.apply('shutdown');
  }

  read(out: Float64Array): number {
    if (!this.hasState) return Number.NaN;
    const values = this.endpoint.state.values;
    const index = this.observationIndex;
    for (let i = 0; i < index.length; i++) out[i] = values[index[i]!]!;
    return this.endpoint.state.timeUs * 1e-6;
  }

  write(action: Float64Array): void {
    this.sendCommand(this.lifecycle.state === 'running' ? action : this.safeAction);
  }

  fault(reason: string): void {
    const state = this.lifecycle.state;
    if (state === 'fault' || state === 'stopped') return;
    this.lifecycle.apply('fault', reason);
    if (this.robotInfo !== undefined) {
      this.sendCommand(this.safeAction);
      this.endpoint.sendEstop({ source: EstopSource.host, reason });
    }
  }

  private sendCommand(action: Float64Array): void {
    const c = this.endpoint.command;
    c.mode = commandModes.indexOf(this.info.action.mode);
    c.count = action.length;
    c.target.set(action);
    c.stateSeq = this.lastStateSeq;
    const gains = this.options.gains;
    c.hasGains = gains !== undefined;
    if (gains !== undefined) {
      for (let i = 0; i < action.length; i++) {
        c.kp[i] = gains.kp[i]!;
        c.kd[i] = gains.kd[i]!;
      }
    }
    if (this.endpoint.sendCommand(c)) this.stats.commandsSent++;
    this.lastCommandAt = performance.now();
  }

  private onState(seq: number, flags: number): void {
    if (this.hasState && seq > this.lastStateSeq + 1) this.stats.statesLost += seq - this.lastStateSeq - 1;
    this.hasState = true;
    this.lastStateSeq = seq;
    this.stats.statesReceived++;
    if ((flags & (StateFlag.estop | StateFlag.fault)) !== 0 && this.lifecycle.state === 'running') {
      this.fault(flags & StateFlag.estop ? 'rig reports e-stop latched' : 'rig reports a fault');
    }
    this.sampleListener?.();
  }

  private onHello(hello: Hello): void {
    const waiter = this.helloWaiter;
    if (waiter !== undefined) {
      waiter(hello);
      return;
    }
    // An unsolicited hello (rig restarted, reconnect): it must describe the same robot.
    if (this.robotInfo !== undefined && !sameShape(this.robotInfo, robotInfoFromHello(hello, this.kind))) {
      this.fault(`rig '${hello.name}' now reports different capabilities; restart the runtime`);
    }
  }

  private onLinkStatus(connected: boolean, reason: string): void {
    if (!connected) {
      if (this.robotInfo !== undefined) this.fault(`link lost (${this.transport.description}): ${reason}`);
      return;
    }
    // Back up: ask who is there, so a rig that changed shape is caught before any recovery.
    if (this.robotInfo !== undefined) this.endpoint.sendRequest({ op: RequestOp.hello });
  }

  private adopt(hello: Hello): void {
    const info = robotInfoFromHello(hello, this.kind);
    if (info.action.signals.length === 0) throw new Error(`rig '${hello.name}' declares no action signals`);
    const gains = this.options.gains;
    if (gains !== undefined) {
      const n = info.action.signals.length;
      if (gains.kp.length !== n || gains.kd.length !== n) {
        throw new RangeError(
          `robot.gains: expected ${n} kp and kd values (one per action), got ${gains.kp.length} and ${gains.kd.length}`,
        );
      }
      if ((hello.features & Feature.pdGains) === 0) {
        throw new RangeError(`robot.gains: rig '${hello.name}' does not accept PD gains`);
      }
    }
    this.robotInfo = info;
    this.observationIndex = Int32Array.from(hello.observation, (s) => s.stateIndex);
    this.safeAction = Float64Array.from(info.action.safe);
  }

  private awaitHello(): Promise<Hello> {
    return new Promise((resolve, reject) => {
      const ask = setInterval(() => this.endpoint.sendRequest({ op: RequestOp.hello }), 250);
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `no hello from a rig on ${this.transport.description} within ${this.options.helloTimeoutMs} ms; is the rig running?`,
          ),
        );
      }, this.options.helloTimeoutMs);
      const finish = () => {
        clearInterval(ask);
        clearTimeout(timer);
        this.helloWaiter = undefined;
      };
      this.helloWaiter = (hello) => {
        finish();
        resolve(hello);
      };
      this.endpoint.sendRequest({ op: RequestOp.hello });
    });
  }

  private request(op: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      this.endpoint.sendRequest({ op }, (seq) => {
        timer = setTimeout(() => {
          this.ackWaiters.delete(seq);
          reject(new Error(`rig did not acknowledge '${what}' within ${this.options.requestTimeoutMs} ms`));
        }, this.options.requestTimeoutMs);
        this.ackWaiters.set(seq, (status) => {
          clearTimeout(timer);
          this.ackWaiters.delete(seq);
          if (status === AckStatus.ok) resolve();
          else reject(new Error(`rig refused '${what}' (status ${status})`));
        });
      });
    });
  }

  private heartbeat(): void {
    if (performance.now() - this.lastCommandAt < this.options.heartbeatMs) return;
    this.endpoint.sendHeartbeat({ role: 0, lifecycle: lifecycleCode[this.lifecycle.state] });
  }
}

const lifecycleCode: Record<LifecycleState, number> = {
  unconfigured: 0,
  ready: 1,
  running: 2,
  fault: 3,
  stopped: 4,
};

function sourceName(source: number): string {
  return source === EstopSource.operator ? 'operator' : source === EstopSource.rig ? 'rig' : 'host';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
