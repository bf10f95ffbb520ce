import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { LinkRobot } from '../../hardware/link/link-robot.ts';
import { mqttRobotPlugin, serialRobotPlugin } from '../../hardware/link/plugins.ts';
import { spawnRuntime, useTestLinkKey } from '../../hardware/tools/processes.ts';
import { EventBuffer } from '../../src/core/events.ts';
import type { Robot } from '../../src/core/robot.ts';
import { readLog, type TetherLog } from '../../src/logging/reader.ts';
import { createSafetyLayer, type SafetyOptions } from '../../src/safety/safety-layer.ts';
import type { SafetyLayer } from '../../src/safety/types.ts';

export const context = { baseDir: '.', controlDt: 0.01, seed: 0 };

// Rigs and runtimes in these tests share the public test key (never a real rig's).
useTestLinkKey();

export async function serialRobot(path: string, extra: Record<string, unknown> = {}): Promise<LinkRobot> {
  return serialRobotPlugin.create(
    serialRobotPlugin.schema.parse({ path, ...extra }),
    context,
  ) as Promise<LinkRobot>;
}

export async function mqttRobot(url: string, extra: Record<string, unknown> = {}): Promise<LinkRobot> {
  return mqttRobotPlugin.create(
    mqttRobotPlugin.schema.parse({ robot: 'cartpole', url, ...extra }),
    context,
  ) as Promise<LinkRobot>;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export interface TickTrace {
  epochMs: number;
  flags: number;
  latched: boolean;
  robotState: Robot['state'];
}

/**
 * A minimal host loop at a fixed rate: read -> PD on the pole -> safety filter -> write, with the two
 * rules the runtime's loop also follows: a robot in fault latches the safety layer, and a new latch
 * reaches the robot (a rig latches its own safe state). Records every tick so tests can count cycles
 * from a fault to the safe state.
 */
export class HostLoop {
  readonly events = new EventBuffer();
  readonly safety: SafetyLayer;
  readonly ticks: TickTrace[] = [];
  readonly commands: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly observation: Float64Array;
  private readonly proposed: Float64Array;
  private readonly command: Float64Array;
  private time = 0;
  private latchForwarded = false;

  constructor(
    readonly robot: Robot,
    safety: SafetyOptions,
    private readonly rateHz = 100,
    /** The control law: observation (cart.pos, pole.angle, cart.vel, pole.angvel) → force. Default: a PD on the pole. */
    private readonly control: (o: Float64Array) => number = (o) => 20 * o[1]! + 2 * o[3]!,
  ) {
    this.safety = createSafetyLayer(safety, robot.info.action, robot.info.observation, this.events);
    this.observation = new Float64Array(robot.info.observation.signals.length);
    this.proposed = new Float64Array(robot.info.action.signals.length);
    this.command = new Float64Array(robot.info.action.signals.length);
  }

  start(): void {
    const period = 1000 / this.rateHz;
    this.timer = setInterval(() => this.tick(), period);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Operator recovery: the robot first (the rig must acknowledge), then the safety latch. */
  async recover(): Promise<void> {
    if (this.robot.state === 'fault') {
      await this.robot.recover();
      await this.robot.activate();
    }
    this.safety.recover();
  }

  private tick(): void {
    const observationTime = this.robot.read(this.observation);
    if (this.robot.state === 'fault' && !this.safety.latched)
      this.safety.estop(`robot fault: ${this.robot.faultReason}`);
    this.proposed[0] = this.control(this.observation);
    const flags = this.safety.filter(
      this.time,
      observationTime,
      this.observation,
      this.proposed,
      this.command,
    );
    if (!this.safety.latched) this.latchForwarded = false;
    else if (!this.latchForwarded) {
      this.latchForwarded = true;
      this.robot.onSafetyLatch?.(this.safety.latchReason ?? 'latched');
    }
    this.robot.write(this.command);
    this.commands.push(this.command[0]!);
    this.ticks.push({
      epochMs: performance.timeOrigin + performance.now(),
      flags,
      latched: this.safety.latched,
      robotState: this.robot.state,
    });
    this.time += 1 / this.rateHz;
  }

  /** Ticks from the first one at or after `epochMs` to the first latched one (inclusive of the latter). */
  cyclesToSafe(epochMs: number): number {
    const start = this.ticks.findIndex((t) => t.epochMs >= epochMs);
    const latched = this.ticks.findIndex((t, i) => i >= start && t.latched);
    if (start < 0 || latched < 0) return Number.POSITIVE_INFINITY;
    return latched - start + 1;
  }
}

/** What a `tether run` process left behind: its exit code, its output and its MCAP log. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly log: TetherLog;
  /** The observation of the last logged tick. */
  readonly lastObservation: Float64Array;
  /** Why the safety layer latched, from the log's events; undefined when it never did. */
  readonly latched: string | undefined;
}

/**
 * Runs `config` as a user does: written to `<dir>/<name>.yaml`, then `tether run` in its own
 * process for `seconds` with its log, read back when the process has exited.
 */
export async function runCli(config: object, dir: string, name: string, seconds: number): Promise<CliRun> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(config));
  const logPath = join(dir, `${name}.mcap`);
  const runtime = spawnRuntime(file, ['--duration', String(seconds), '--log', logPath]);
  const code = await runtime.exited;
  const log = await readLog(logPath);
  const t = log.ticks;
  const at = (t.count - 1) * t.observationSize;
  const latch = log.events.find((e) => e.source === 'safety' && (e.kind === 'estop' || e.kind === 'fault'));
  return {
    code,
    stdout: runtime.output.stdout,
    stderr: runtime.output.stderr,
    log,
    lastObservation: t.observation.slice(at, at + t.observationSize),
    latched: latch?.message,
  };
}
