// Compiled from src/loop/controller-manager.ts by `npm run build`: edit the source, not this file.

// src/loop/controller-manager.ts
import { isPromiseLike } from "../core/controller.js";
var ShadowSlot = class {
  constructor(index, size) {
    this.index = index;
    this.action = new Float64Array(size);
    this.reference = new Float64Array(size);
  }
  index;
  ticks = 0;
  sumAbs = 0;
  maxAbs = 0;
  outside = 0;
  faults = 0;
  skipped = 0;
  inFlight = false;
  started = false;
  action;
  /** The active controller's proposal, kept for an asynchronous shadow's comparison. */
  reference;
};
var ControllerManager = class _ControllerManager {
  entries;
  activeIndex;
  fallbackIndex;
  guard;
  ruleSpecs;
  rules = [];
  pending;
  events;
  boundContext;
  shadow;
  /** Loop time of the last tick boundary, for events raised between ticks. */
  lastTime = 0;
  switches = 0;
  violations = 0;
  violation;
  /** Loop time the active controller became active (NaN until the first tick). */
  activeSince = Number.NaN;
  activated = false;
  resetPending = false;
  /** The safety layer was latched at the last check: the safe action, not the controller, drove the robot. */
  certificateHeld = false;
  lastRefusal;
  constructor(controllers, options = {}) {
    if (controllers.length === 0) throw new Error("controller manager: no controllers");
    const names = controllers.map((c) => c.name);
    if (new Set(names).size !== names.length)
      throw new Error(`controller manager: duplicate controller names (${names.join(", ")})`);
    this.entries = [...controllers];
    this.activeIndex = options.initial === void 0 ? 0 : this.indexOf(options.initial, "initial");
    this.fallbackIndex = options.fallback === void 0 ? -1 : this.indexOf(options.fallback, "fallback");
    this.guard = options.guard;
    this.ruleSpecs = options.rules ?? [];
  }
  /** A manager around one controller, for runs and tests that never switch. */
  static single(controller) {
    return new _ControllerManager([{ name: controller.name, controller }]);
  }
  get names() {
    return this.entries.map((e) => e.name);
  }
  get activeName() {
    return this.entries[this.activeIndex].name;
  }
  /** Index of the active controller in `names` (logged every tick). */
  get activeNumber() {
    return this.activeIndex;
  }
  get active() {
    return this.entries[this.activeIndex].controller;
  }
  /** Why the guard last deferred or denied a requested switch. */
  get lastGuardRefusal() {
    return this.lastRefusal;
  }
  /**
   * Withdraws a requested switch the guard has not admitted yet (forced ones, a fallback or a
   * rollback, cannot be withdrawn). Returns the name it was for, or undefined when none was pending.
   */
  withdrawSwitch() {
    const pending = this.pending;
    if (pending === void 0 || pending.forced) return void 0;
    this.pending = void 0;
    return this.entries[pending.to].name;
  }
  /** Certificate violations the guard's monitor reported during the run. */
  get certificateViolations() {
    return this.violations;
  }
  /** The first certificate violation, as reported. */
  get certificateViolation() {
    return this.violation;
  }
  get switchCount() {
    return this.switches;
  }
  get pendingSwitch() {
    return this.pending === void 0 ? void 0 : this.entries[this.pending.to].name;
  }
  get hasFallback() {
    return this.fallbackIndex >= 0 && this.fallbackIndex !== this.activeIndex;
  }
  /**
   * Binds the manager to the robot's specs once every controller is configured (ros2_control: all
   * configured, one active): resolves the rules' signal names and remembers where to report.
   */
  bind(context) {
    this.events = context.events;
    this.boundContext = context;
    this.rules = this.ruleSpecs.map((rule) => this.compileRule(rule, context.observation));
  }
  /** Activates the initial controller with the first observation. */
  start(observation) {
    if (this.activated) return;
    this.activated = true;
    const controller = this.active;
    controller.activate?.();
    controller.reset?.(observation);
  }
  /**
   * Asks for a switch at the next tick boundary. Returns an error message for an unknown name or a
   * switch to the controller already active; otherwise the request replaces any pending one.
   */
  requestSwitch(name, reason) {
    const to = this.entries.findIndex((e) => e.name === name);
    if (to < 0) return `no controller named '${name}' (configured: ${this.names.join(", ")})`;
    if (to === this.activeIndex && this.pending === void 0) return `'${name}' is already active`;
    this.pending = { to, reason, forced: false, deferralReported: false };
    return void 0;
  }
  /**
   * Resets the active controller with the observation of the next tick (after an operator
   * recovery, its integrators and histories describe the time before the latch).
   */
  requestReset() {
    this.resetPending = true;
  }
  /**
   * The active controller faulted this tick. Returns true when a fallback will take over at the
   * next tick boundary (the loop then holds the last command); false when there is none.
   */
  onControllerFault(reason) {
    if (!this.hasFallback) return false;
    if (this.pending?.forced) return true;
    this.pending = {
      to: this.fallbackIndex,
      reason: `fallback: ${reason}`,
      forced: true,
      deferralReported: false
    };
    return true;
  }
  /**
   * Called by the loop at the start of every tick, before the controller runs: evaluates the rules
   * and performs a pending switch if the guard admits it. Allocation-free unless a switch happens.
   */
  beginTick(observation, time, lastCommand, safety) {
    this.lastTime = time;
    if (this.resetPending) {
      this.resetPending = false;
      this.active.reset?.(observation);
    }
    if (Number.isNaN(this.activeSince)) this.activeSince = time;
    this.monitorCertificate(observation, time, safety);
    if (this.pending === void 0) this.evaluateRules(observation, time);
    const pending = this.pending;
    if (pending === void 0) return;
    if (pending.to === this.activeIndex) {
      this.pending = void 0;
      return;
    }
    const from = this.activeName;
    const to = this.entries[pending.to].name;
    if (!pending.forced && this.guard) {
      const decision = this.guard.admit(from, to, observation, time, lastCommand, !pending.deferralReported);
      if (decision.verdict !== "admit") {
        if (decision.verdict === "deny" || !pending.deferralReported) {
          this.emit(
            time,
            `${from} → ${to} ${decision.verdict === "deny" ? "denied" : "deferred"} by ${this.guard.name}: ${decision.reason}`,
            {
              from,
              to,
              verdict: decision.verdict,
              ...decision.data
            }
          );
        }
        if (decision.reason !== "") this.lastRefusal = decision.reason;
        if (decision.verdict === "deny") this.pending = void 0;
        else pending.deferralReported = true;
        return;
      }
      this.perform(pending, observation, time, lastCommand, safety, decision);
      return;
    }
    this.perform(pending, observation, time, lastCommand, safety, void 0);
  }
  update(observation, time, action) {
    const result = this.entries[this.activeIndex].controller.update(observation, time, action);
    if (this.shadow === void 0) return result;
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(() => this.runShadow(observation, time, action));
    }
    this.runShadow(observation, time, action);
    return result;
  }
  /**
   * The robot's specs, control period and event sink the manager was bound with: a controller
   * installed later must be configured against exactly these.
   */
  get context() {
    return this.boundContext;
  }
  /**
   * Adds a controller while the loop runs (a hot-swap candidate). It must already be configured
   * against `context` and warmed up: nothing slow may happen at the tick boundary. It is inactive
   * until a switch selects it; `data` (e.g. its version and hash) goes into the install event.
   * With `certificate`, the guard checks it against the robot, the run and this controller's law
   * and then governs the controller by it (admission and monitor), as it does a configured one.
   * Returns an error message (a duplicate name, a certificate refused or no guard to take it) and
   * installs nothing then; otherwise undefined.
   */
  install(name, controller, data = {}, certificate) {
    if (this.entries.some((e) => e.name === name))
      return `a controller named '${name}' is already installed (${this.names.join(", ")})`;
    if (certificate !== void 0) {
      if (this.guard?.adopt === void 0)
        return `'${name}' comes with a certificate, but the run has no guard that takes certificates (switching.guard: { kind: certified })`;
      try {
        this.guard.adopt(name, controller, certificate, this.lastTime);
      } catch (error) {
        return `'${name}' not installed: ${error.message}`;
      }
    }
    this.entries.push({ name, controller });
    const index = this.entries.length - 1;
    this.emit(this.lastTime, `installed ${name} as controller ${index}`, { installed: name, index, ...data });
    return void 0;
  }
  /**
   * Runs an installed controller in shadow: from the next tick on it computes an action on every
   * tick from the same observation, compared with the active controller's proposal and never
   * applied. Replaces (and reports) a shadow already running. Returns an error message or undefined.
   */
  startShadow(name) {
    const index = this.entries.findIndex((e) => e.name === name);
    if (index < 0) return `no controller named '${name}' (configured: ${this.names.join(", ")})`;
    if (index === this.activeIndex) return `'${name}' is active; only an inactive controller can shadow it`;
    const size = this.boundContext?.action.signals.length;
    if (size === void 0) return "the manager is not bound to a robot yet";
    this.endShadow();
    this.shadow = new ShadowSlot(index, size);
    this.emit(this.lastTime, `${name} runs in shadow beside ${this.activeName}`, { shadow: name, index });
    return void 0;
  }
  /** Ends shadow mode; returns (and logs) what the shadow did, or undefined when none ran. */
  stopShadow() {
    return this.endShadow();
  }
  /** What the running shadow did so far, if one runs. */
  get shadowReport() {
    const s = this.shadow;
    return s === void 0 ? void 0 : this.reportOf(s);
  }
  /**
   * Asks to return to `name` at the next tick boundary without asking the guard (like a fallback):
   * used when live metrics show that a newly swapped-in controller does worse than the one before.
   */
  requestRollback(name, reason) {
    const to = this.entries.findIndex((e) => e.name === name);
    if (to < 0) return `no controller named '${name}' (configured: ${this.names.join(", ")})`;
    if (to === this.activeIndex && this.pending === void 0) return `'${name}' is already active`;
    this.pending = {
      to,
      reason: `rollback: ${reason}`,
      forced: true,
      rollback: true,
      deferralReported: false
    };
    return void 0;
  }
  runShadow(observation, time, active) {
    const s = this.shadow;
    if (s === void 0) return;
    if (s.inFlight) {
      s.skipped++;
      return;
    }
    const controller = this.entries[s.index].controller;
    let result;
    try {
      if (!s.started) {
        s.started = true;
        controller.activate?.();
        controller.reset?.(observation);
      }
      result = controller.update(observation, time, s.action);
    } catch {
      s.faults++;
      return;
    }
    if (!isPromiseLike(result)) {
      this.compareShadow(s, active);
      return;
    }
    s.reference.set(active);
    s.inFlight = true;
    Promise.resolve(result).then(
      () => {
        s.inFlight = false;
        this.compareShadow(s, s.reference);
      },
      () => {
        s.inFlight = false;
        s.faults++;
      }
    );
  }
  compareShadow(s, active) {
    const signals = this.boundContext.action.signals;
    let finite = true;
    for (let i = 0; i < s.action.length; i++) {
      const v = s.action[i];
      if (!Number.isFinite(v)) {
        finite = false;
        break;
      }
      const d = Math.abs(v - active[i]);
      s.sumAbs += d;
      if (d > s.maxAbs) s.maxAbs = d;
      const limit = signals[i];
      if (v < limit.lower || v > limit.upper) s.outside++;
    }
    if (finite) s.ticks++;
    else s.faults++;
  }
  endShadow() {
    const s = this.shadow;
    if (s === void 0) return void 0;
    this.shadow = void 0;
    const entry = this.entries[s.index];
    if (s.started && s.index !== this.activeIndex) entry.controller.deactivate?.();
    const report = this.reportOf(s);
    this.emit(
      this.lastTime,
      `shadow ${report.name} ended: ${report.ticks} ticks, mean |Δa| ${report.meanAbsDifference.toPrecision(3)}, max ${report.maxAbsDifference.toPrecision(3)}, ${report.outsideLimits} outside limits, ${report.faults} faults`,
      {
        shadow: report.name,
        shadowTicks: report.ticks,
        meanAbsDifference: report.meanAbsDifference,
        maxAbsDifference: report.maxAbsDifference,
        outsideLimits: report.outsideLimits,
        faults: report.faults,
        skipped: report.skipped
      }
    );
    return report;
  }
  reportOf(s) {
    const components = Math.max(1, s.ticks * s.action.length);
    return {
      name: this.entries[s.index].name,
      ticks: s.ticks,
      meanAbsDifference: s.ticks === 0 ? 0 : s.sumAbs / components,
      maxAbsDifference: s.maxAbs,
      outsideLimits: s.outside,
      faults: s.faults,
      skipped: s.skipped
    };
  }
  /** Mode index of the active controller, for hybrid controllers (0 otherwise). */
  get mode() {
    return this.entries[this.activeIndex].controller.mode ?? 0;
  }
  async dispose() {
    let first;
    for (const { controller } of this.entries) {
      try {
        await controller.dispose?.();
      } catch (error) {
        first ??= error;
      }
    }
    if (first !== void 0) throw first;
  }
  perform(pending, observation, time, lastCommand, safety, decision) {
    const old = this.entries[this.activeIndex];
    const next = this.entries[pending.to];
    this.pending = void 0;
    if (this.shadow?.index === pending.to) this.endShadow();
    old.controller.deactivate?.();
    next.controller.activate?.();
    next.controller.reset?.(observation);
    safety.reset(lastCommand);
    this.activeIndex = pending.to;
    this.activeSince = time;
    this.switches++;
    this.emit(time, `${old.name} → ${next.name} (${pending.reason})`, {
      from: old.name,
      to: next.name,
      verdict: "admit",
      forced: pending.forced,
      ...pending.rollback ? { rollback: true } : {},
      ...decision ? { guard: this.guard?.name ?? "", ...decision.data } : {}
    });
  }
  evaluateRules(observation, time) {
    const rules = this.rules;
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r];
      if (rule.to === this.activeIndex || rule.from >= 0 && rule.from !== this.activeIndex) continue;
      if (rule.after >= 0 && time - this.activeSince < rule.after - 1e-9) continue;
      let inside = true;
      for (let k = 0; k < rule.index.length && inside; k++) {
        const v = observation[rule.index[k]];
        inside = v >= rule.lower[k] && v <= rule.upper[k];
      }
      if (inside) {
        this.pending = { to: rule.to, reason: `rule: ${rule.text}`, forced: false, deferralReported: false };
        return;
      }
    }
  }
  compileRule(rule, observation) {
    const signals = observation.signals.map((s) => s.name);
    const entries = Object.entries(rule.when ?? {});
    const index = Int32Array.from(entries, ([name]) => {
      const i = signals.indexOf(name);
      if (i < 0)
        throw new RangeError(
          `switching rule to '${rule.to}': no observation '${name}' (known: ${signals.join(", ")})`
        );
      return i;
    });
    const text = [
      ...rule.after !== void 0 ? [`active for ${rule.after} s`] : [],
      ...entries.map(([name, [lo, hi]]) => `${name} in [${lo}, ${hi}]`)
    ].join(" and ");
    return {
      from: rule.from === void 0 ? -1 : this.indexOf(rule.from, "rule.from"),
      to: this.indexOf(rule.to, "rule.to"),
      after: rule.after ?? -1,
      index,
      lower: Float64Array.from(entries, ([, [lo]]) => lo),
      upper: Float64Array.from(entries, ([, [, hi]]) => hi),
      text
    };
  }
  indexOf(name, what) {
    const i = this.entries.findIndex((e) => e.name === name);
    if (i < 0)
      throw new Error(`controller manager: ${what} '${name}' is not one of ${this.names.join(", ")}`);
    return i;
  }
  /**
   * The certificate monitors, the guard's and the active controller's own (a hybrid supervisor's):
   * a violation is an event, and the fallback takes over at this very boundary (forced, like a
   * fault's); without a fallback the safety layer latches.
   */
  monitorCertificate(observation, time, safety) {
    if (safety.latched) {
      this.certificateHeld = true;
      return;
    }
    if (this.certificateHeld) {
      this.certificateHeld = false;
      this.guard?.resume?.(this.activeName);
    }
    const found = this.guard?.monitor?.(this.activeName, observation, time) ?? this.active.monitorCertificate?.(observation, time);
    if (found === void 0) return;
    const what = found.uncovered ? "not covered by its certificate" : "certificate violated";
    if (!found.uncovered) {
      this.violations++;
      this.violation ??= `${this.activeName} at t=${time.toFixed(3)} s: ${found.reason}`;
    }
    const fallback = this.hasFallback;
    this.events?.emit({
      time,
      kind: "certificate",
      source: "certificate-monitor",
      message: `${what}: ${this.activeName}: ${found.reason}; ${fallback ? `fallback ${this.entries[this.fallbackIndex].name} takes over` : "no fallback: safe state"}`,
      data: { controller: this.activeName, violated: !found.uncovered, ...found.data }
    });
    if (fallback)
      this.pending = {
        to: this.fallbackIndex,
        reason: `fallback: ${what} (${found.reason})`,
        forced: true,
        deferralReported: false
      };
    else safety.estop(`${what}: ${found.reason}`);
  }
  emit(time, message, data) {
    this.events?.emit({ time, kind: "controller-switch", source: "controller-manager", message, data });
  }
};
export {
  ControllerManager
};
