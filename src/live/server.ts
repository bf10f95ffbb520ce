/**
 * The live view of a running loop (docs/live.md), as the loop's thread sees it: a tick sink, an
 * event sink, and a worker thread that runs the network side (endpoint.ts: a Foxglove WebSocket
 * server and a small web page on one port).
 *
 * The loop never waits for the network, and no encoding or socket work runs on its thread: `sink`
 * copies every k-th tick into a shared ring, `events` posts each event to the worker, and a 10 Hz
 * timer posts the loop's state (controller, latch, robot) when it changed. Operator commands come
 * back from the worker only after it checked the token, and run here, through the run's
 * OperatorConsole. The server lives longer than a run: a command attaches each loop it runs
 * (`attach`/`detach`), so one that runs several loops (a fine-tuning loop) keeps one server and
 * token, and `update` changes what the status says (a new policy version).
 */
import { Worker } from 'node:worker_threads';
import type { EventSink } from '../core/events.ts';
import type { Robot } from '../core/robot.ts';
import { secondsToNs } from '../logging/layout.ts';
import type { LoggerDrops } from '../logging/tick-logger.ts';
import type { ControlLoop } from '../loop/control-loop.ts';
import type { OperatorReply } from '../loop/operator.ts';
import { workerEntry } from '../runtime/entry-points.ts';
import { withoutMemoryReducer } from '../runtime/heap.ts';
import { isLoopback } from './auth.ts';
import { type EndpointOptions, type LiveRunInfo, type LoopState, nowNs } from './endpoint.ts';
import type { FromEndpoint, ToEndpoint } from './endpoint-worker.ts';
import { LiveTickSink } from './tick-sink.ts';

export type { LiveRunInfo, PolicyVersion } from './endpoint.ts';
export { operatorService } from './endpoint.ts';

export interface LiveServerOptions extends EndpointOptions {
  /** Tick channels are thinned to at most this rate. */
  readonly tickHz: number;
  /** Where refused requests and slow clients are reported (default: stderr). */
  readonly warn?: (line: string) => void;
}

/** Who may take commands: the run's OperatorConsole. */
export interface LiveOperator {
  execute(line: string, source: string): Promise<OperatorReply>;
}

export interface LiveAttachment {
  readonly loop: ControlLoop;
  readonly robot: Robot;
  /** Without one, operator commands are refused (the stream still runs). */
  readonly operator?: LiveOperator | undefined;
  readonly info: LiveRunInfo;
  /** The run's MCAP logger, when it logs: its drop counts go into the status. */
  readonly logger?: LoggerDrops | undefined;
}

const stateIntervalMs = 100;
/** The state is re-sent this often even unchanged, with the sink's drop count. */
const stateRefreshMs = 1000;

export class LiveServer {
  /** Give to the run as a tick sink. */
  readonly sink = new LiveTickSink();
  /** Give to the run as an event sink. */
  readonly events: EventSink = {
    emit: (event) => {
      if (this.closed) return;
      const epoch = this.epochNs;
      const stampNs =
        epoch !== undefined && Number.isFinite(event.time) ? epoch + secondsToNs(event.time) : nowNs();
      try {
        this.post({ type: 'event', event, stampNs });
      } catch {
        // Not structured-cloneable (a function in `data`): the live view skips it; the log keeps it.
      }
    },
  };

  private run: LiveAttachment | undefined;
  private epochNs: bigint | undefined;
  private stateTimer: NodeJS.Timeout | undefined;
  private lastStateKey = '';
  private lastStateMs = 0;
  private readonly statusRequests = new Map<number, (status: Record<string, unknown>) => void>();
  private nextStatusRequest = 1;
  private closed = false;
  private readonly warn: (line: string) => void;

  private constructor(
    private readonly options: LiveServerOptions,
    private readonly worker: Worker,
    readonly port: number,
  ) {
    this.warn = options.warn ?? ((line) => process.stderr.write(`live: ${line}\n`));
    worker.on('message', (message: FromEndpoint) => this.onMessage(message));
    worker.on('error', (error) => this.warn(`the live view stopped: ${error.message}`));
    // A command that forgets to close never hangs on the live view.
    worker.unref();
  }

  /** Starts the worker, which binds; throws a plain message when the port is taken. */
  static async start(options: LiveServerOptions): Promise<LiveServer> {
    const { warn: _warn, tickHz: _tickHz, ...endpoint } = options;
    withoutMemoryReducer();
    const worker = new Worker(workerEntry(import.meta, './endpoint-worker.ts', './endpoint-worker.mjs'), {
      workerData: endpoint satisfies EndpointOptions,
    });
    const port = await new Promise<number>((resolve, reject) => {
      const onMessage = (message: FromEndpoint): void => {
        if (message.type === 'listening') done(undefined, message.port);
        else if (message.type === 'error') done(new Error(message.message));
      };
      const onError = (error: Error): void => done(new Error(`live view: ${error.message}`));
      const onExit = (code: number): void => done(new Error(`live view: the server thread exited (${code})`));
      const done = (error: Error | undefined, port = 0): void => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (error) {
          void worker.terminate();
          reject(error);
        } else resolve(port);
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    return new LiveServer(options, worker, port);
  }

  /** The page, e.g. `http://127.0.0.1:8765/`. */
  get url(): string {
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `http://${host}:${this.port}/`;
  }

  /** The Foxglove connection URL (a token query when streaming needs it). */
  get wsUrl(): string {
    return `${this.url.replace(/^http/, 'ws')}${this.streamNeedsToken ? `?token=${this.options.token}` : ''}`;
  }

  /** Streaming is open on loopback; bound anywhere else it needs the token too. */
  get streamNeedsToken(): boolean {
    return !isLoopback(this.options.host);
  }

  /** Starts streaming a loop (call from the runner's `onStart`); replaces any previous one. */
  attach(run: LiveAttachment): void {
    if (this.closed) return;
    if (this.run) this.detach();
    const info = run.robot.info;
    const ring = this.sink.attach(
      { observationSize: info.observation.signals.length, actionSize: info.action.signals.length },
      run.info.rateHz / this.options.tickHz,
    );
    this.run = run;
    this.epochNs = nowNs() - secondsToNs(run.loop.record.deadline);
    this.post({
      type: 'attach',
      attachment: { ring, robot: info, info: run.info, epochNs: this.epochNs, state: this.state(run) },
    });
    this.lastStateKey = '';
    this.stateTimer = setInterval(() => this.sendState(false), stateIntervalMs);
    this.stateTimer.unref();
  }

  /** Stops streaming the loop (the worker sends what is buffered first); the server stays up. */
  detach(): void {
    if (!this.run) return;
    this.sendState(true);
    clearInterval(this.stateTimer);
    this.post({ type: 'detach' });
    this.sink.detach();
    this.run = undefined;
  }

  /** Changes what the status says about the run (e.g. a new policy version in a fine-tuning loop). */
  update(patch: Partial<LiveRunInfo>): void {
    if (this.run) this.run = { ...this.run, info: { ...this.run.info, ...patch } };
    this.post({ type: 'update', patch });
  }

  /** What `/tether/status` says now (the stream's counters included). */
  status(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      const id = this.nextStatusRequest++;
      this.statusRequests.set(id, resolve);
      this.post({ type: 'status', id });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.detach();
    this.closed = true;
    const closed = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.worker.on('message', (message: FromEndpoint) => {
        if (message.type === 'closed') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    this.worker.postMessage({ type: 'close' } satisfies ToEndpoint);
    await closed;
    await this.worker.terminate();
  }

  private post(message: ToEndpoint): void {
    if (!this.closed) this.worker.postMessage(message);
  }

  private state(run: LiveAttachment): LoopState {
    const { controllers, safety } = run.loop;
    return {
      controller: controllers.activeName,
      controllers: controllers.names,
      pendingSwitch: controllers.pendingSwitch ?? '',
      latched: safety.latched,
      latchReason: safety.latchReason ?? '',
      robotState: run.robot.state,
      operator: run.operator !== undefined,
      droppedTicks: this.sink.dropped,
      logging: run.logger !== undefined,
      loggerDroppedTicks: run.logger?.droppedTicks ?? 0,
      loggerDroppedEvents: run.logger?.droppedEvents ?? 0,
    };
  }

  /** Posts the loop's state when it changed, and at least once a second. */
  private sendState(force: boolean): void {
    const run = this.run;
    if (!run) return;
    const { controllers, safety } = run.loop;
    const key = `${controllers.activeName}|${controllers.pendingSwitch ?? ''}|${safety.latched}|${safety.latchReason ?? ''}|${run.robot.state}|${run.logger?.droppedTicks}|${run.logger?.droppedEvents}`;
    const now = performance.now();
    if (!force && key === this.lastStateKey && now - this.lastStateMs < stateRefreshMs) return;
    this.lastStateKey = key;
    this.lastStateMs = now;
    this.post({ type: 'state', state: this.state(run) });
  }

  private onMessage(message: FromEndpoint): void {
    switch (message.type) {
      case 'command':
        void this.execute(message.line, message.source).then((reply) => {
          // The outcome (a latch, a switch) reaches the status before the reply reaches the client.
          this.sendState(true);
          this.post({ type: 'reply', id: message.id, reply });
        });
        break;
      case 'refused': {
        this.warn(`refused ${message.what}`);
        const loop = this.run?.loop;
        loop?.events.emit({
          time: loop.record.deadline,
          kind: 'info',
          source: 'live',
          message: `refused ${message.what}`,
        });
        break;
      }
      case 'warn':
        this.warn(message.line);
        break;
      case 'status':
        this.statusRequests.get(message.id)?.(message.status);
        this.statusRequests.delete(message.id);
        break;
      default:
        break;
    }
  }

  private async execute(line: string, source: string): Promise<OperatorReply> {
    const operator = this.run?.operator;
    if (!operator) return { ok: false, message: 'no run with an operator console is attached' };
    return operator.execute(line, source);
  }
}
