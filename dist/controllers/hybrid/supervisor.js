// Compiled from controllers/hybrid/supervisor.ts by `npm run build`: edit the source, not this file.

// controllers/hybrid/supervisor.ts
import { z } from "zod";
import { LyapunovMonitor } from "./lyapunov-monitor.js";
import { certificateLabel, checkModePlant } from "./mode-plant.js";
import { loadCertifiedMode } from "./modes.js";
import { SwitchTimePlanner } from "./planner.js";
var HybridSupervisor = class {
  constructor(modes, options) {
    this.modes = modes;
    this.options = options;
    if (modes.length === 0) throw new RangeError("hybrid-supervisor: give at least one mode");
    const n = modes[0].model.stateDim;
    for (const m of modes)
      if (m.model.stateDim !== n)
        throw new RangeError(
          `hybrid-supervisor: mode ${m.name} has state dimension ${m.model.stateDim}, expected ${n}`
        );
    if (!(options.initialMode >= 0 && options.initialMode < modes.length))
      throw new RangeError(
        `hybrid-supervisor: initialMode ${options.initialMode} is not one of 0..${modes.length - 1}`
      );
    if (options.estimateRadius.length !== n)
      throw new RangeError(
        `hybrid-supervisor: estimateRadius has ${options.estimateRadius.length} entries, expected ${n}`
      );
    for (const r of options.requests)
      if (!(r.mode >= 0 && r.mode < modes.length))
        throw new RangeError(
          `hybrid-supervisor: request at t=${r.time} names mode ${r.mode}, expected 0..${modes.length - 1}`
        );
    this.n = n;
    this.activeMode = options.initialMode;
    this.x = new Float64Array(n);
    this.shifted = new Float64Array(n);
    this.lo = new Float64Array(n);
    this.hi = new Float64Array(n);
    this.violated = modes.map(() => void 0);
  }
  modes;
  options;
  name = "hybrid-supervisor";
  /** Every decision, in order (also sent to the event sink). */
  decisions = [];
  activeMode;
  pending = -1;
  plan = null;
  planTicks = 0;
  nextRequest = 0;
  events;
  safeInput = 0;
  hasModeCommand = false;
  /** Observation index of the plant's mode, or −1 when the robot does not report it. */
  modeObservation = -1;
  nonFiniteReported = false;
  n;
  x;
  shifted;
  lo;
  hi;
  range = new Float64Array(2);
  /** Per mode: "certificate … (sha256 …), plant …", set once the robot is checked. */
  provedFor = [];
  plants = [];
  /** Per mode: its certificate's runtime monitor, and the first violation this run (once per mode). */
  monitors = [];
  violated;
  monitoredMode = -1;
  /** Ticks the mode monitors checked (for reports and benchmarks). */
  get monitoredTicks() {
    return this.monitors.reduce((sum, m) => sum + m.ticks, 0);
  }
  get mode() {
    return this.activeMode;
  }
  /** The switch waiting for its certificate check, or −1. */
  get pendingMode() {
    return this.pending;
  }
  configure(context) {
    const obs = context.observation.signals.length;
    if (obs < this.n)
      throw new RangeError(
        `hybrid-supervisor: the robot observes ${obs} signals, the modes need the first ${this.n} to be the state`
      );
    if (context.action.signals.length < 1)
      throw new RangeError("hybrid-supervisor: the robot takes no action");
    const problems = [];
    const torque = context.action.signals[0];
    const robot = context.robot;
    if (!robot)
      problems.push(
        "the robot is not known: the run did not pass its description to the supervisor, so no certificate can be checked against it"
      );
    this.plants.length = 0;
    this.provedFor.length = 0;
    for (const m of this.modes) {
      const dt = m.model.dynamics.dt;
      if (Math.abs(dt - context.dt) > 1e-12)
        problems.push(`mode ${m.name}'s certificate is for a ${dt} s step, the loop runs at ${context.dt} s`);
      const { uLo, uUp } = m.model.controller;
      if (uLo < torque.lower || uUp > torque.upper)
        problems.push(
          `mode ${m.name}'s certificate assumes ${torque.name} in [${uLo}, ${uUp}], the robot's limits are [${torque.lower}, ${torque.upper}]`
        );
      if (robot) {
        const found = checkModePlant(m, robot, context);
        problems.push(...found.problems);
        this.plants.push(found.plant);
        this.provedFor.push(`${certificateLabel(m)}, plant ${found.plant}`);
      }
    }
    if (problems.length > 0) throw new RangeError(`hybrid-supervisor refuses: ${problems.join("; ")}`);
    const n = this.n;
    const index = Int32Array.from({ length: n }, (_, i) => i);
    const radius = Float64Array.from(this.options.estimateRadius);
    const decrease = robot?.plant?.resets !== true;
    const names = context.observation.signals.slice(0, n).map((s) => s.name);
    this.monitors = this.modes.map(
      (m) => new LyapunovMonitor(m.model, m.bounds, m.rho, index, radius, names, decrease)
    );
    if (!decrease)
      context.events.emit({
        time: 0,
        kind: "info",
        source: "supervisor",
        message: `certificate monitors check each mode's box and region, not V's decrease per step: the plant '${robot?.plant?.model}' resets its state at guards, which the certificates do not cover`
      });
    this.hasModeCommand = context.action.signals.length >= 2;
    this.modeObservation = context.observation.signals.findIndex((s) => s.name === "mode");
    this.safeInput = context.action.safe[0] ?? 0;
    this.events = context.events;
  }
  reset() {
    this.activeMode = this.options.initialMode;
    this.pending = -1;
    this.plan = null;
    this.nextRequest = 0;
    this.nonFiniteReported = false;
    this.monitoredMode = -1;
  }
  /**
   * The active mode's certificate, checked along the measured trajectory (the controller manager
   * calls this before `update`): the state must stay in the mode's verified box and below its ρ,
   * and V must shrink as certified. A violation is reported once per mode; the manager then hands
   * over to the run's fallback, or latches the safe state.
   */
  monitorCertificate(observation, time) {
    const mode = this.activeMode;
    const monitor = this.monitors[mode];
    if (monitor === void 0) return void 0;
    if (mode !== this.monitoredMode) {
      this.monitoredMode = mode;
      monitor.reset();
    }
    if (this.violated[mode] !== void 0) return void 0;
    const reason = monitor.check(observation);
    if (reason === void 0) return void 0;
    this.violated[mode] = `t=${time.toFixed(3)} s: ${reason}`;
    const m = this.modes[mode];
    return {
      reason: `mode ${m.name}: ${reason} (${this.provedFor[mode] ?? certificateLabel(m)})`,
      data: {
        mode,
        V: monitor.lastValue,
        rho: m.rho,
        certificate: m.certificate.file,
        sha256: m.certificate.sha256
      }
    };
  }
  /** Ask for a switch; it happens at a later tick once certified (or is denied). */
  requestSwitch(mode) {
    if (!(mode >= 0 && mode < this.modes.length))
      throw new RangeError(`hybrid-supervisor: no mode ${mode} (0..${this.modes.length - 1})`);
    this.pending = mode === this.activeMode ? -1 : mode;
    this.plan = null;
    this.planTicks = 0;
  }
  /**
   * Sound upper bound of V_to over the estimate box (into `this.range[1]`); returns whether the
   * box is inside B_to. Allocation-free: it runs every tick while a switch is pending.
   */
  bound(to, x) {
    const { boxLo, boxUp } = to.model.spec;
    let inside = true;
    for (let i = 0; i < this.n; i++) {
      const r = this.options.estimateRadius[i];
      this.lo[i] = x[i] - r;
      this.hi[i] = x[i] + r;
      if (this.lo[i] < boxLo[i] || this.hi[i] > boxUp[i]) inside = false;
    }
    to.bounds.valueRange(this.lo, this.hi, this.range);
    return inside;
  }
  decide(time) {
    const from = this.activeMode;
    const to = this.pending;
    const target = this.modes[to];
    if (!this.options.check) {
      this.switchNow(time, from, to, "unchecked", Number.NaN);
      return;
    }
    const inside = this.bound(target, this.x);
    const upper = this.range[1];
    if (inside && upper < target.rho) {
      this.switchNow(time, from, to, this.plan ? "certified-after-plan" : "certified", upper);
      return;
    }
    if (this.plan) {
      if (++this.planTicks > 2 * this.plan.steps + 20) {
        this.record(time, from, to, "plan-expired", upper, target.rho);
        this.pending = -1;
        this.plan = null;
      }
      return;
    }
    const plan = this.options.planner?.plan(this.modes[from], target, this.x, this.closedLoopStep) ?? null;
    if (plan) {
      this.plan = plan;
      this.planTicks = 0;
      this.record(
        time,
        from,
        to,
        "deferred",
        upper,
        target.rho,
        `${this.options.planner.name} plan: ${plan.steps} steps, predicted V ${plan.predictedValue.toPrecision(4)}`
      );
    } else {
      this.record(time, from, to, "denied", upper, target.rho);
      this.pending = -1;
    }
  }
  /** The current mode's closed loop, as the planner sees it (float model of the mode). */
  closedLoopStep = (x, reference, out) => {
    const mode = this.modes[this.activeMode];
    for (let i = 0; i < this.n; i++) this.shifted[i] = x[i] - (reference ? reference[i] : 0);
    const u = mode.forward.control(this.shifted);
    mode.forward.stepOpenLoop(x, u, out);
  };
  forced(time, to) {
    const from = this.activeMode;
    const inside = this.bound(this.modes[to], this.x);
    const upper = this.range[1];
    const ok = inside && upper < this.modes[to].rho;
    this.switchNow(time, from, to, ok ? "forced-certified" : "forced-uncertified", upper);
  }
  switchNow(time, from, to, reason, upper) {
    this.activeMode = to;
    this.pending = -1;
    this.plan = null;
    this.record(time, from, to, reason, upper, this.modes[to].rho);
  }
  record(time, from, to, reason, upper, rho, detail = "") {
    const decision = {
      time,
      from,
      to,
      reason,
      valueUpper: upper,
      rho,
      state: Array.from(this.x)
    };
    this.decisions.push(decision);
    const switched = reason !== "deferred" && reason !== "denied" && reason !== "plan-expired";
    const names = `${this.modes[from].name} -> ${this.modes[to].name}`;
    const target = this.modes[to];
    const checked = reason !== "unchecked";
    const rests = reason === "certified" || reason === "certified-after-plan" || reason === "forced-certified";
    this.events?.emit({
      time,
      kind: switched ? "mode-switch" : "certificate",
      source: "supervisor",
      message: `${names}: ${reason}${Number.isNaN(upper) ? "" : ` (V upper ${upper.toPrecision(5)} vs rho ${rho})`}${checked ? ` ${rests ? "by" : "against"} ${this.provedFor[to] ?? certificateLabel(target)}` : ""}${detail ? `; ${detail}` : ""}`,
      data: {
        from,
        to,
        reason,
        V: upper,
        rho,
        x0: this.x[0],
        x1: this.x[1] ?? Number.NaN,
        ...checked ? {
          certificate: target.certificate.file,
          sha256: target.certificate.sha256,
          plant: this.plants[to] ?? "unchecked"
        } : {}
      }
    });
  }
  update(observation, time, action) {
    const n = this.n;
    let finite = true;
    for (let i = 0; i < n; i++) {
      const v = observation[i];
      this.x[i] = v;
      if (!Number.isFinite(v)) finite = false;
    }
    if (!finite) {
      action[0] = this.safeInput;
      if (this.hasModeCommand) action[1] = this.activeMode;
      if (!this.nonFiniteReported) {
        this.nonFiniteReported = true;
        this.events?.emit({
          time,
          kind: "fault",
          source: "supervisor",
          message: "non-finite state observation: safe input, no switch decisions"
        });
      }
      return;
    }
    if (this.modeObservation >= 0) {
      const plantMode = Math.round(observation[this.modeObservation]);
      if (plantMode !== this.activeMode && plantMode >= 0 && plantMode < this.modes.length)
        this.forced(time, plantMode);
    }
    const requests = this.options.requests;
    while (this.nextRequest < requests.length && time >= requests[this.nextRequest].time)
      this.requestSwitch(requests[this.nextRequest++].mode);
    if (this.pending >= 0) this.decide(time);
    const mode = this.modes[this.activeMode];
    const ref = this.plan?.reference;
    for (let i = 0; i < n; i++) this.shifted[i] = this.x[i] - (ref ? ref[i] : 0);
    action[0] = mode.forward.control(this.shifted);
    if (this.hasModeCommand) action[1] = this.activeMode;
  }
};
var modeSource = z.object({
  name: z.string().min(1),
  /** Model JSON (yang2024 / tether layout), relative to the config file. */
  model: z.string().min(1),
  /** Certificate written by `tether verify --out`; its hashes must match the model. */
  certificate: z.string().min(1).optional(),
  /** Run the verifier at load time instead of reading a certificate. */
  verify: z.boolean().optional()
}).strict();
var supervisorSchema = z.object({
  modes: z.array(modeSource).min(1),
  initialMode: z.number().int().min(0).default(0),
  estimateRadius: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).default(0),
  requests: z.array(z.object({ time: z.number().nonnegative(), mode: z.number().int().min(0) }).strict()).default([]),
  check: z.boolean().default(true),
  planner: z.enum(["none", "switch-time"]).default("switch-time"),
  horizon: z.number().int().positive().default(400)
}).strict();
async function createSupervisor(config, context) {
  const modes = await Promise.all(config.modes.map((m) => loadCertifiedMode(m, context.baseDir)));
  const n = modes[0].model.stateDim;
  const radius = typeof config.estimateRadius === "number" ? new Array(n).fill(config.estimateRadius) : config.estimateRadius;
  return new HybridSupervisor(modes, {
    initialMode: config.initialMode,
    estimateRadius: radius,
    requests: [...config.requests].sort((a, b) => a.time - b.time),
    check: config.check,
    planner: config.planner === "switch-time" ? new SwitchTimePlanner(config.horizon) : null
  });
}
var hybridSupervisorPlugin = {
  kind: "hybrid-supervisor",
  description: "per-mode neural controllers with verified Lyapunov certificates; switches only into certified regions",
  schema: supervisorSchema,
  create: (options, context) => createSupervisor(options, context)
};
export {
  HybridSupervisor,
  createSupervisor,
  hybridSupervisorPlugin,
  supervisorSchema
};
