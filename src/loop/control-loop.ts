import { type MonoTypeOperatorFunction, Observable, tap } from 'rxjs';
import type { LoopOptions } from '../config/schema.ts';
import type { CommandBoard } from '../core/commands.ts';
import { isPromiseLike } from '../core/controller.ts';
import type { EventSink } from '../core/events.ts';
import type { Robot } from '../core/robot.ts';
import { createTickRecord, type TickRecord } from '../core/tick.ts';
import { SafetyFlag, type SafetyLayer } from '../safety/types.ts';
import { type ClockHandshake, ClockThread, createHandshake, realtimeClock, virtualClock } from './clock.ts';
import type { ControllerManager } from './controller-manager.ts';
import { requestedNice } from './priority.ts';
import { TimingSeries, type TimingSummary } from './timing.ts';

/** Receives every tick synchronously; must copy what it keeps and must never block. */
export interface TickSink {
  writeTick(record: TickRecord): void;
}

export interface ControlLoopParts {
  readonly robot: Robot;
  /** The controllers; exactly one is active on any tick. `ControllerManager.single` wraps one. */
  readonly controllers: ControllerManager;
  readonly safety: SafetyLayer;
  readonly events: EventSink;
  readonly options: LoopOptions;
  /** Loggers and telemetry; each sees the tick after the command was written. */
  readonly sinks?: readonly TickSink[];
  /** The run's command channels: their schedule advances at the start of every tick. */
  readonly commands?: CommandBoard;
  /**
   * A running clock thread for a real-time loop (`ClockThread.start(requestedNice())`), started
   * before the robot was activated; the loop owns it from here. Without one, `run` starts one first.
   */
  readonly clockThread?: ClockThread;
}

export interface LoopReport {
  readonly ticks: number;
  readonly missedDeadlines: number;
  /** Ticks whose result came after the next deadline and was dropped. */
  readonly lateTicks: number;
  readonly periodError: TimingSummary;
  readonly computeTime: TimingSummary;
  /** Ticks on which the safety layer changed the controller's proposal. */
  readonly safetyInterventions: number;
  readonly controllerErrors: number;
  /** Controller faults that handed over to the fallback controller instead of latching. */
  readonly fallbacks: number;
  /** Controller switches performed (operator, rules, fallbacks). */
  readonly switches: number;
  /** Certificate violations found by the switch guard's monitor (0 without one). */
  readonly certificateViolations: number;
  /** The first of them, when there was one. */
  readonly certificateViolation: string | undefined;
  /** The controller active when the loop stopped. */
  readonly activeController: string;
  readonly latched: string | undefined;
  /** Loop seconds covered (virtual time in fast mode). */
  readonly loopSeconds: number;
  readonly wallSeconds: number;
}

const timingCapacity = 1 << 20;

/**
 * The control loop as an rxjs pipeline:
 *
 *   clock → read observation → [switch at the boundary] → controller → safety filter → write command
 *         → sinks (log, telemetry)
 *
 * Every stage mutates one preallocated TickRecord, so a tick allocates nothing of its own. The
 * clock never waits for sinks; a tick still running at the next deadline is a missed deadline and
 * the configured policy (hold / safe / fault) is applied by the clock itself.
 */
export class ControlLoop {
  readonly record: TickRecord;
  private readonly handshake: ClockHandshake = createHandshake();
  private readonly periodErrors = new TimingSeries(timingCapacity);
  private readonly computeTimes = new TimingSeries(timingCapacity);
  private readonly safeAction: Float64Array;
  private missed = 0;
  private consecutiveMisses = 0;
  private late = 0;
  private interventions = 0;
  private controllerErrors = 0;
  private fallbacks = 0;
  private tickStartMs = 0;
  private ran = false;
  /** The current latch was passed on to the robot (a rig enters its own safe state once per latch). */
  private latchForwarded = false;

  constructor(private readonly parts: ControlLoopParts) {
    const { observation, action } = parts.robot.info;
    this.record = createTickRecord(observation.signals.length, action.signals.length);
    this.safeAction = Float64Array.from(action.safe);
    this.record.command.set(this.safeAction);
  }

  /** The controller manager, for operators: `requestSwitch` takes effect at the next tick boundary. */
  get controllers(): ControllerManager {
    return this.parts.controllers;
  }

  get safety(): SafetyLayer {
    return this.parts.safety;
  }

  /** The run's command channels (operators write them; policies read them). */
  get commands(): CommandBoard | undefined {
    return this.parts.commands;
  }

  /** Where the run's events go (the log, the console). */
  get events(): EventSink {
    return this.parts.events;
  }

  /** Asks the loop to finish after the tick in flight. Safe to call from signal handlers. */
  stop(): void {
    this.handshake.stopRequested = true;
  }

  /**
   * Runs until `maxTicks` ticks or `stop()`. The robot must be `running`. A real-time loop given no
   * clock thread starts one first (tens of ms), so its first tick comes that much later.
   */
  run(maxTicks = Number.POSITIVE_INFINITY): Promise<LoopReport> {
    if (this.ran) throw new Error('a ControlLoop runs once; create a new one');
    this.ran = true;
    const { options } = this.parts;
    const timing = {
      periodSeconds: 1 / options.rateHz,
      spinSeconds: options.spinMicros * 1e-6,
      maxTicks,
      onMiss: (record: TickRecord, count: number) => this.onDeadlineMiss(record, count),
      nice: requestedNice(),
      onStart: (priority: string) =>
        this.parts.events.emit({ time: 0, kind: 'lifecycle', source: 'loop', message: priority }),
    };
    if (options.mode === 'fast') {
      this.parts.clockThread?.stop();
      return this.runWith(virtualClock(this.record, this.handshake, timing));
    }
    const thread = this.parts.clockThread;
    if (thread) return this.runWith(realtimeClock(this.record, this.handshake, timing, thread));
    return ClockThread.start(timing.nice).then((started) =>
      this.runWith(realtimeClock(this.record, this.handshake, timing, started)),
    );
  }

  private runWith(clock: Observable<TickRecord>): Promise<LoopReport> {
    const wallStart = performance.now();
    return new Promise<LoopReport>((resolve, reject) => {
      clock
        .pipe(
          tap((r) => this.readObservation(r)),
          this.runController(),
          tap((r) => this.applySafety(r)),
          tap((r) => this.writeCommand(r)),
          tap((r) => this.finishTick(r)),
        )
        .subscribe({
          error: reject,
          complete: () => resolve(this.report((performance.now() - wallStart) / 1000)),
        });
    });
  }

  private readObservation(r: TickRecord): void {
    this.tickStartMs = performance.now();
    const { robot, safety } = this.parts;
    r.observationTime = robot.read(r.observation);
    this.parts.commands?.advance(r.deadline);
    // A fault the robot raised itself (link lost, rig e-stop, non-finite physics) latches the safety
    // layer too, so the loop keeps sending the safe action until an operator recovers.
    if (robot.state === 'fault' && !safety.latched)
      safety.estop(`robot fault: ${robot.faultReason ?? 'unknown'}`);
    // The one place a controller switch happens: before any controller sees this tick, with the
    // last command sent (still in r.command) as the rate limiter's reference.
    this.parts.controllers.beginTick(r.observation, r.deadline, r.command, safety);
    r.controller = this.parts.controllers.activeNumber;
  }

  /** Sync controllers continue in the same call stack; async ones resume when their promise settles. */
  private runController(): MonoTypeOperatorFunction<TickRecord> {
    return (source) =>
      new Observable<TickRecord>((subscriber) => {
        const r = this.record;
        const resume = (): void => subscriber.next(r);
        const fail = (error: unknown): void => {
          this.onControllerError(error);
          subscriber.next(r);
        };
        return source.subscribe({
          next: (tick) => {
            let pending: unknown;
            try {
              pending = this.parts.controllers.update(tick.observation, tick.deadline, tick.action);
            } catch (error) {
              fail(error);
              return;
            }
            if (isPromiseLike(pending)) pending.then(resume, fail);
            else subscriber.next(tick);
          },
          error: (e) => subscriber.error(e),
          complete: () => subscriber.complete(),
        });
      });
  }

  private onControllerError(error: unknown): void {
    this.controllerErrors++;
    const message = error instanceof Error ? error.message : String(error);
    this.onControllerFault(`controller ${this.parts.controllers.activeName} threw: ${message}`);
  }

  /**
   * With a fallback configured, the faulting tick holds the last command and the fallback takes
   * over at the next boundary. Without one the proposal is poisoned, and the safety layer turns a
   * non-finite action into its latched safe state.
   */
  private onControllerFault(reason: string): void {
    const r = this.record;
    const fallback = this.parts.controllers.onControllerFault(reason);
    if (fallback) {
      this.fallbacks++;
      r.action.set(r.command);
    } else r.action.fill(Number.NaN);
    this.parts.events.emit({
      time: r.deadline,
      kind: 'fault',
      source: 'controller',
      message: `${reason}; ${fallback ? `holding the last command, fallback at the next tick` : 'no fallback'}`,
    });
  }

  private applySafety(r: TickRecord): void {
    const controllers = this.parts.controllers;
    if (controllers.hasFallback) {
      const action = r.action;
      for (let i = 0; i < action.length; i++) {
        if (!Number.isFinite(action[i]!)) {
          this.onControllerFault(`controller ${controllers.activeName} proposed a non-finite action`);
          break;
        }
      }
    }
    r.mode = controllers.mode;
    r.safetyFlags = this.parts.safety.filter(
      r.deadline,
      r.observationTime,
      r.observation,
      r.action,
      r.command,
    );
    if (r.safetyFlags !== SafetyFlag.none) this.interventions++;
    this.forwardLatch();
  }

  /**
   * A new latch of the safety layer (this tick's, or an e-stop since the last one) reaches the robot:
   * a rig then latches its own safe state, so nothing outside the runtime can move it until an
   * operator recovers both.
   */
  private forwardLatch(): void {
    const { safety, robot } = this.parts;
    if (!safety.latched) {
      this.latchForwarded = false;
      return;
    }
    if (this.latchForwarded) return;
    this.latchForwarded = true;
    robot.onSafetyLatch?.(safety.latchReason ?? 'safety layer latched');
  }

  private writeCommand(r: TickRecord): void {
    // A result that arrives after the next deadline is stale; the clock already applied the miss policy.
    if (this.handshake.lateTick) {
      this.late++;
      return;
    }
    this.parts.robot.write(r.command);
  }

  private finishTick(r: TickRecord): void {
    r.computeTime = (performance.now() - this.tickStartMs) / 1000;
    r.missedDeadlines = this.missed;
    this.consecutiveMisses = 0;
    this.periodErrors.record(r.periodError);
    this.computeTimes.record(r.computeTime);
    const sinks = this.parts.sinks;
    if (sinks) for (let i = 0; i < sinks.length; i++) sinks[i]!.writeTick(r);
    this.handshake.complete();
  }

  private onDeadlineMiss(record: TickRecord, count: number): void {
    this.missed += count;
    this.consecutiveMisses += count;
    const { options, robot, safety, events } = this.parts;
    const escalate = this.consecutiveMisses >= options.maxConsecutiveMisses;
    if (options.deadlineMiss === 'fault' || escalate) {
      if (!safety.latched) {
        const why = escalate
          ? `${this.consecutiveMisses} consecutive missed deadlines`
          : 'missed deadline (policy: fault)';
        safety.estop(why);
        events.emit({ time: record.deadline, kind: 'deadline-miss', source: 'loop', message: why });
      }
      this.forwardLatch();
      robot.write(this.safeAction);
    } else if (options.deadlineMiss === 'safe') {
      robot.write(this.safeAction);
    } else if (options.deadlineMiss === 'hold') {
      robot.write(record.command);
    }
    // `skip`: nothing is sent; the device's inner loop carries on (extrapolates or repeats).
  }

  private report(wallSeconds: number): LoopReport {
    return {
      ticks: this.periodErrors.size,
      missedDeadlines: this.missed,
      lateTicks: this.late,
      periodError: this.periodErrors.summary(),
      computeTime: this.computeTimes.summary(),
      safetyInterventions: this.interventions,
      controllerErrors: this.controllerErrors,
      fallbacks: this.fallbacks,
      switches: this.parts.controllers.switchCount,
      certificateViolations: this.parts.controllers.certificateViolations,
      certificateViolation: this.parts.controllers.certificateViolation,
      activeController: this.parts.controllers.activeName,
      latched: this.parts.safety.latchReason,
      loopSeconds: this.record.deadline + 1 / this.parts.options.rateHz,
      wallSeconds,
    };
  }
}
