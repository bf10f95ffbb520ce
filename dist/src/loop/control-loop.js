// Compiled from src/loop/control-loop.ts by `npm run build`: edit the source, not this file.

// src/loop/control-loop.ts
import { Observable, tap } from "rxjs";
import { isPromiseLike } from "../core/controller.js";
import { createTickRecord } from "../core/tick.js";
import { SafetyFlag } from "../safety/types.js";
import { ClockThread, createHandshake, realtimeClock, virtualClock } from "./clock.js";
import { requestedNice } from "./priority.js";
import { TimingSeries } from "./timing.js";
var timingCapacity = 1 << 20;
var ControlLoop = class {
  constructor(parts) {
    this.parts = parts;
    const { observation, action } = parts.robot.info;
    this.record = createTickRecord(observation.signals.length, action.signals.length);
    this.safeAction = Float64Array.from(action.safe);
    this.record.command.set(this.safeAction);
  }
  parts;
  record;
  handshake = createHandshake();
  periodErrors = new TimingSeries(timingCapacity);
  computeTimes = new TimingSeries(timingCapacity);
  safeAction;
  missed = 0;
  consecutiveMisses = 0;
  late = 0;
  interventions = 0;
  controllerErrors = 0;
  fallbacks = 0;
  tickStartMs = 0;
  ran = false;
  /** The current latch was passed on to the robot (a rig enters its own safe state once per latch). */
  latchForwarded = false;
  /** The controller manager, for operators: `requestSwitch` takes effect at the next tick boundary. */
  get controllers() {
    return this.parts.controllers;
  }
  get safety() {
    return this.parts.safety;
  }
  /** The run's command channels (operators write them; policies read them). */
  get commands() {
    return this.parts.commands;
  }
  /** Where the run's events go (the log, the console). */
  get events() {
    return this.parts.events;
  }
  /** Asks the loop to finish after the tick in flight. Safe to call from signal handlers. */
  stop() {
    this.handshake.stopRequested = true;
  }
  /**
   * Runs until `maxTicks` ticks or `stop()`. The robot must be `running`. A real-time loop given no
   * clock thread starts one first (tens of ms), so its first tick comes that much later.
   */
  run(maxTicks = Number.POSITIVE_INFINITY) {
    if (this.ran) throw new Error("a ControlLoop runs once; create a new one");
    this.ran = true;
    const { options } = this.parts;
    const timing = {
      periodSeconds: 1 / options.rateHz,
      spinSeconds: options.spinMicros * 1e-6,
      maxTicks,
      onMiss: (record, count) => this.onDeadlineMiss(record, count),
      nice: requestedNice(),
      onStart: (priority) => this.parts.events.emit({ time: 0, kind: "lifecycle", source: "loop", message: priority })
    };
    if (options.mode === "fast") {
      this.parts.clockThread?.stop();
      return this.runWith(virtualClock(this.record, this.handshake, timing));
    }
    const thread = this.parts.clockThread;
    if (thread) return this.runWith(realtimeClock(this.record, this.handshake, timing, thread));
    return ClockThread.start(timing.nice).then(
      (started) => this.runWith(realtimeClock(this.record, this.handshake, timing, started))
    );
  }
  runWith(clock) {
    const wallStart = performance.now();
    return new Promise((resolve, reject) => {
      clock.pipe(
        tap((r) => this.readObservation(r)),
        this.runController(),
        tap((r) => this.applySafety(r)),
        tap((r) => this.writeCommand(r)),
        tap((r) => this.finishTick(r))
      ).subscribe({
        error: reject,
        complete: () => resolve(this.report((performance.now() - wallStart) / 1e3))
      });
    });
  }
  readObservation(r) {
    this.tickStartMs = performance.now();
    const { robot, safety } = this.parts;
    r.observationTime = robot.read(r.observation);
    this.parts.commands?.advance(r.deadline);
    if (robot.state === "fault" && !safety.latched)
      safety.estop(`robot fault: ${robot.faultReason ?? "unknown"}`);
    this.parts.controllers.beginTick(r.observation, r.deadline, r.command, safety);
    r.controller = this.parts.controllers.activeNumber;
  }
  /** Sync controllers continue in the same call stack; async ones resume when their promise settles. */
  runController() {
    return (source) => new Observable((subscriber) => {
      const r = this.record;
      const resume = () => subscriber.next(r);
      const fail = (error) => {
        this.onControllerError(error);
        subscriber.next(r);
      };
      return source.subscribe({
        next: (tick) => {
          let pending;
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
        complete: () => subscriber.complete()
      });
    });
  }
  onControllerError(error) {
    this.controllerErrors++;
    const message = error instanceof Error ? error.message : String(error);
    this.onControllerFault(`controller ${this.parts.controllers.activeName} threw: ${message}`);
  }
  /**
   * With a fallback configured, the faulting tick holds the last command and the fallback takes
   * over at the next boundary. Without one the proposal is poisoned, and the safety layer turns a
   * non-finite action into its latched safe state.
   */
  onControllerFault(reason) {
    const r = this.record;
    const fallback = this.parts.controllers.onControllerFault(reason);
    if (fallback) {
      this.fallbacks++;
      r.action.set(r.command);
    } else r.action.fill(Number.NaN);
    this.parts.events.emit({
      time: r.deadline,
      kind: "fault",
      source: "controller",
      message: `${reason}; ${fallback ? `holding the last command, fallback at the next tick` : "no fallback"}`
    });
  }
  applySafety(r) {
    const controllers = this.parts.controllers;
    if (controllers.hasFallback) {
      const action = r.action;
      for (let i = 0; i < action.length; i++) {
        if (!Number.isFinite(action[i])) {
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
      r.command
    );
    if (r.safetyFlags !== SafetyFlag.none) this.interventions++;
    this.forwardLatch();
  }
  /**
   * A new latch of the safety layer (this tick's, or an e-stop since the last one) reaches the robot:
   * a rig then latches its own safe state, so nothing outside the runtime can move it until an
   * operator recovers both.
   */
  forwardLatch() {
    const { safety, robot } = this.parts;
    if (!safety.latched) {
      this.latchForwarded = false;
      return;
    }
    if (this.latchForwarded) return;
    this.latchForwarded = true;
    robot.onSafetyLatch?.(safety.latchReason ?? "safety layer latched");
  }
  writeCommand(r) {
    if (this.handshake.lateTick) {
      this.late++;
      return;
    }
    this.parts.robot.write(r.command);
  }
  finishTick(r) {
    r.computeTime = (performance.now() - this.tickStartMs) / 1e3;
    r.missedDeadlines = this.missed;
    this.consecutiveMisses = 0;
    this.periodErrors.record(r.periodError);
    this.computeTimes.record(r.computeTime);
    const sinks = this.parts.sinks;
    if (sinks) for (let i = 0; i < sinks.length; i++) sinks[i].writeTick(r);
    this.handshake.complete();
  }
  onDeadlineMiss(record, count) {
    this.missed += count;
    this.consecutiveMisses += count;
    const { options, robot, safety, events } = this.parts;
    const escalate = this.consecutiveMisses >= options.maxConsecutiveMisses;
    if (options.deadlineMiss === "fault" || escalate) {
      if (!safety.latched) {
        const why = escalate ? `${this.consecutiveMisses} consecutive missed deadlines` : "missed deadline (policy: fault)";
        safety.estop(why);
        events.emit({ time: record.deadline, kind: "deadline-miss", source: "loop", message: why });
      }
      this.forwardLatch();
      robot.write(this.safeAction);
    } else if (options.deadlineMiss === "safe") {
      robot.write(this.safeAction);
    } else if (options.deadlineMiss === "hold") {
      robot.write(record.command);
    }
  }
  report(wallSeconds) {
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
      wallSeconds
    };
  }
};
export {
  ControlLoop
};
