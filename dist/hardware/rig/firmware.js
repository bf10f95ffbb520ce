// Compiled from hardware/rig/firmware.ts by `npm run build`: edit the source, not this file.

// hardware/rig/firmware.ts
import { SimData } from "../../sim/data.js";
import { HeapView } from "../../sim/mujoco.js";
import { Rng } from "../../src/core/rng.js";
import { StateFlag } from "../protocol/messages.js";
import { CartesianLaw } from "./cartesian-law.js";
var cartesianAxes = 6;
var queueSlots = 256;
var maxBacklog = 3;
var Firmware = class {
  constructor(sim, kernel, layout, options) {
    this.sim = sim;
    this.kernel = kernel;
    this.layout = layout;
    this.options = options;
    this.data = new SimData(sim);
    this.rng = new Rng(options.seed);
    this.modeCode = { torque: 0, position: 1, cartesian: 3 }[options.commandMode];
    const n = kernel.action.signals.length;
    this.nAction = n;
    const cartesian = options.commandMode === "cartesian";
    if (cartesian && options.cartesian === void 0)
      throw new RangeError("cartesian mode needs the end-effector site and hold gains");
    const nc = cartesian ? cartesianAxes : n;
    this.nCommand = nc;
    if (options.kp.length !== nc || options.kd.length !== nc)
      throw new RangeError(`kp and kd: expected ${nc} values (one per command value)`);
    this.cart = cartesian ? new CartesianLaw(sim, this.data, layout, options.cartesian) : void 0;
    this.lawTorque = new Float64Array(n);
    this.lastLawTorque = new Float64Array(n);
    this.target = new Float64Array(nc);
    this.kpNow = Float64Array.from(options.kp);
    this.kdNow = Float64Array.from(options.kd);
    this.hold = new Float64Array(n);
    this.torque = new Float64Array(n);
    this.lower = Float64Array.from(kernel.action.signals, (s) => s.lower);
    this.upper = Float64Array.from(kernel.action.signals, (s) => s.upper);
    this.safe = Float64Array.from(kernel.action.safe);
    this.observation = new Float64Array(kernel.observation.signals.length);
    this.queueTarget = new Float64Array(queueSlots * nc);
    this.queueKp = new Float64Array(queueSlots * nc);
    this.queueKd = new Float64Array(queueSlots * nc);
    this.qfrcActuator = new HeapView(() => this.data.data.qfrc_actuator);
    this.qacc = new HeapView(() => this.data.data.qacc);
    this.qfrcBias = new HeapView(() => this.data.data.qfrc_bias);
    this.xfrcApplied = new HeapView(() => this.data.data.xfrc_applied);
    this.lastTarget = new Float64Array(nc);
    this.targetVel = new Float64Array(nc);
    this.targetAcc = new Float64Array(nc);
    this.nextVel = new Float64Array(nc);
    this.nextAcc = new Float64Array(nc);
    this.externalTorque = new Float64Array(n);
    this.gravity = Float64Array.from(sim.model.opt.gravity);
    this.reset();
  }
  sim;
  kernel;
  layout;
  options;
  data;
  /** Safe state: latched by e-stop, watchdog or fault; cleared only by a recover request. */
  latchedFlags = 0;
  active = false;
  /** Sequence number of the last command applied (echoed in state for latency accounting). */
  appliedCommandSeq = 0;
  commandsApplied = 0;
  /** Session whose commands are being queued now (set by the link on every session open). */
  session = 0;
  /** Commands applied per session: how many and the highest sequence number (for the evidence suite). */
  appliedBySession = /* @__PURE__ */ new Map();
  /** When true the physics does not advance (the robot is held, e.g. before the first activation). */
  held = false;
  /** Joint index (in layout.joints) that is seized, or -1. */
  stuckJoint = -1;
  /** Observation value index in the state vector that reads NaN, or -1. */
  nanValue = -1;
  /** The limit or reflex that latched the firmware since the rig last looked (it reports and clears it). */
  tripped;
  /** Limit and reflex trips by libfranka name, and commands clamped at the torque limits. */
  trips = {};
  torqueSaturations = 0;
  /** Commands dropped as too late for their period (rigs with limits). */
  commandsDropped = 0;
  /** Longest run of inner ticks without a new command while active. */
  longestCommandGap = 0;
  /** An external force on a body (the `push` fault): world-frame force, N. */
  push;
  /** Estimated external joint torques of the last tick (the collision reflex's input). */
  externalTorque;
  rng;
  /** Wire code of the command mode (0 torque, 1 position, 3 cartesian). */
  modeCode;
  /** Actuators (joint torques out). */
  nAction;
  /** Values per command: one per actuator, or the 6 of a Cartesian pose. */
  nCommand;
  target;
  kpNow;
  kdNow;
  hold;
  torque;
  lower;
  upper;
  safe;
  observation;
  queueTime = new Float64Array(queueSlots);
  queueIntended = new Float64Array(queueSlots);
  queueSeq = new Float64Array(queueSlots);
  queueSession = new Float64Array(queueSlots);
  queueTarget;
  queueKp;
  queueKd;
  queueHasGains = new Uint8Array(queueSlots);
  queueHead = 0;
  queueLength = 0;
  /** dof_damping of the seized joint before it seized (restored when it frees). */
  stuckDamping = 0;
  qfrcActuator;
  qacc;
  gravity;
  timeUs = 0;
  qfrcBias;
  xfrcApplied;
  lastTarget;
  lastCommandUs = Number.NaN;
  lastIntendedUs = Number.NaN;
  ticksSinceCommand = 0;
  commandThisTick = false;
  periodUs = 1e3;
  /** Velocity and acceleration of the target sequence (per joint) and how many differences exist. */
  targetVel;
  targetAcc;
  nextVel;
  nextAcc;
  differences = 0;
  /** The command being checked arrived one period after the last one. */
  regular = false;
  jacobian;
  /** Cartesian law: the site's Jacobian (3×nv translational, 3×nv rotational) and work arrays. */
  cart;
  /** The law's torque last tick (for the torque-rate limit) and whether there was one. */
  lawTorque;
  lastLawTorque;
  lawTicks = 0;
  /** Largest torque change of the Cartesian law seen while commanded, N*m/s. */
  maxTorqueRate = 0;
  /** The target (or torque) the firmware applies now, per action. */
  get currentTarget() {
    return this.target;
  }
  get simTimeUs() {
    return this.timeUs;
  }
  reset() {
    this.data.reset();
    this.kernel.resetState(this.data, this.rng, this.options.resetNoise);
    this.data.forward();
    this.captureHold();
  }
  /** Queues a command received at `arrivalUs` (firmware clock); applied once the actuator delay passed. */
  /**
   * `intendedUs`: when the command was meant to apply, on the firmware clock (the time of the state it
   * answers, plus a period); the limits judge target motion on that timeline, so transport jitter and
   * queued commands are not mistaken for fast motion. Default: its arrival.
   */
  enqueue(command, arrivalUs, intendedUs = arrivalUs) {
    const n = this.nCommand;
    if (!this.active || this.latchedFlags !== 0) return;
    if (command.count !== n || command.mode !== this.modeCode) return;
    const slot = (this.queueHead + this.queueLength) % queueSlots;
    if (this.queueLength === queueSlots) this.queueHead = (this.queueHead + 1) % queueSlots;
    else this.queueLength++;
    this.queueTime[slot] = arrivalUs;
    this.queueIntended[slot] = intendedUs;
    this.queueSeq[slot] = command.seq;
    this.queueSession[slot] = this.session;
    this.queueHasGains[slot] = command.hasGains ? 1 : 0;
    for (let i = 0; i < n; i++) {
      this.queueTarget[slot * n + i] = command.target[i];
      this.queueKp[slot * n + i] = command.kp[i];
      this.queueKd[slot * n + i] = command.kd[i];
    }
  }
  /** Starts applying commands; until the first arrives: the safe action, or (position) hold still. */
  activate() {
    this.active = true;
    this.queueLength = 0;
    this.lastCommandUs = Number.NaN;
    this.ticksSinceCommand = 0;
    this.differences = 0;
    this.captureHold();
    this.lawTicks = 0;
    if (this.cart !== void 0) this.cart.pose(this.target);
    else this.target.set(this.options.commandMode === "position" ? this.hold : this.safe);
  }
  /** The end-effector pose now (x, y, z, rx, ry, rz), cartesian mode only. */
  sitePose(out) {
    this.cart?.pose(out);
  }
  latch(flag) {
    if (this.latchedFlags === 0) this.captureHold();
    this.latchedFlags |= flag;
    this.queueLength = 0;
  }
  recover() {
    this.latchedFlags = 0;
    this.active = false;
    this.captureHold();
  }
  /** A new session owns the rig: commands queued for the old one are dropped, the echo starts at 0. */
  newSession(session) {
    this.session = session;
    this.queueLength = 0;
    this.appliedCommandSeq = 0;
  }
  /**
   * Seizes a joint (-1 frees it): an enormous viscous damping on its degree of freedom (MuJoCo
   * integrates joint damping implicitly, so this is stable), so it holds still, creeping at most
   * 1e-5 m/s or rad/s under full effort, while the actuator keeps pushing (the effort still shows in
   * STATE) and the rest of the robot feels a seized joint: a pole on a seized cart falls, a seized
   * pole stops swinging.
   */
  setStuck(joint) {
    const damping = this.sim.model.dof_damping;
    if (this.stuckJoint >= 0) damping[this.layout.joints[this.stuckJoint].dofAddress] = this.stuckDamping;
    this.stuckJoint = joint;
    if (joint >= 0) {
      const dof = this.layout.joints[joint].dofAddress;
      this.stuckDamping = damping[dof];
      damping[dof] = 1e6;
    }
  }
  /** One inner-loop period: apply due commands, compute actuator efforts, step physics. */
  tick(periodUs) {
    this.timeUs += periodUs;
    this.periodUs = periodUs;
    this.commandThisTick = false;
    this.applyDueCommands();
    const lim = this.options.limits;
    if (lim?.extrapolate && !this.commandThisTick && this.differences > 0 && this.active && this.latchedFlags === 0 && this.options.commandMode === "position") {
      for (let i = 0; i < this.nAction; i++)
        this.target[i] = this.target[i] + this.targetVel[i] * periodUs * 1e-6;
    }
    const n = this.nAction;
    const data = this.data;
    let commanding = this.active && this.latchedFlags === 0;
    const position = this.options.commandMode === "position";
    const cart = this.cart;
    if (cart !== void 0 && commanding && !this.cartesianLaw(cart)) commanding = false;
    const damping = !commanding && this.options.safeMode === "damping";
    const bias = this.options.gravityCompensation ? this.qfrcBias.get() : void 0;
    for (let i = 0; i < n; i++) {
      let u;
      const joint = this.layout.joints[this.layout.actionJoint[i]];
      if (cart !== void 0) {
        const q = data.qpos[joint.qposAddress];
        const qd = data.qvel[joint.dofAddress];
        const c = this.options.cartesian;
        u = commanding ? this.lawTorque[i] : damping ? -this.options.dampingKd[i] * qd : c.holdKp[i] * (this.hold[i] - q) - c.holdKd[i] * qd;
      } else if (position) {
        const goal = commanding ? this.target[i] : this.hold[i];
        const q = data.qpos[joint.qposAddress];
        const qd = data.qvel[joint.dofAddress];
        u = damping ? -this.options.dampingKd[i] * qd : this.kpNow[i] * (goal - q) - this.kdNow[i] * qd;
      } else {
        u = commanding ? this.target[i] : this.safe[i];
      }
      if (bias !== void 0 && joint !== void 0 && !damping) u += bias[joint.dofAddress];
      if (commanding && this.options.actuatorNoise > 0) u += this.options.actuatorNoise * this.rng.normal();
      if (commanding && (u < this.lower[i] || u > this.upper[i])) this.torqueSaturations++;
      this.torque[i] = Math.min(Math.max(u, this.lower[i]), this.upper[i]);
    }
    if (this.push !== void 0) {
      const x = this.xfrcApplied.get();
      for (let k = 0; k < 3; k++) x[6 * this.push.body + k] = this.push.force[k];
    }
    if (this.held) return;
    this.kernel.applyAction(this.torque, data);
    data.step(1);
    if (commanding && this.options.limits !== void 0) this.checkLimits(this.options.limits);
  }
  /**
   * The Cartesian law's joint torques for this tick into lawTorque, checked against the torque-rate
   * limit (the robot judges the torque its controller sends, gravity excluded). False when it tripped.
   */
  cartesianLaw(cart) {
    cart.torque(this.target, this.kpNow, this.kdNow, this.lawTorque);
    for (let i = 0; i < this.nAction; i++)
      if (!Number.isFinite(this.lawTorque[i])) {
        const joint = this.layout.joints[this.layout.actionJoint[i]];
        this.trip(
          "controller_torque_discontinuity",
          `Cartesian impedance torque for '${joint?.name ?? i}' is not finite (${this.lawTorque[i]})`
        );
        return false;
      }
    const limits = this.options.limits;
    if (limits !== void 0 && this.lawTicks > 0) {
      const dt = this.periodUs * 1e-6;
      for (let i = 0; i < this.nAction; i++) {
        const rate = Math.abs(this.lawTorque[i] - this.lastLawTorque[i]) / dt;
        if (rate > this.maxTorqueRate) this.maxTorqueRate = rate;
        if (rate > limits.torqueRate[i]) {
          const joint = this.layout.joints[this.layout.actionJoint[i]];
          this.trip(
            "controller_torque_discontinuity",
            `Cartesian impedance torque for '${joint?.name ?? i}' changes at ${rate.toFixed(0)} N*m/s (limit ${limits.torqueRate[i]})`
          );
          return false;
        }
      }
    }
    this.lastLawTorque.set(this.lawTorque);
    this.lawTicks++;
    return true;
  }
  /** Removes the external force of a `push` fault. */
  clearPush() {
    if (this.push === void 0) return;
    const x = this.xfrcApplied.get();
    for (let k = 0; k < 6; k++) x[6 * this.push.body + k] = 0;
    this.push = void 0;
  }
  /**
   * Measured velocities, the lost-command count and the collision reflex, after the step. The
   * external torque is J(q)ᵀ·F of the applied force: the rig knows it exactly, where a real arm
   * estimates it from its motor currents and dynamics model (with noise; a threshold absorbs that).
   */
  checkLimits(limits) {
    const n = this.nAction;
    const data = this.data;
    if (limits.lostCommands > 0 && !Number.isNaN(this.lastCommandUs)) {
      if (this.commandThisTick) this.ticksSinceCommand = 0;
      else this.ticksSinceCommand++;
      if (this.ticksSinceCommand > this.longestCommandGap) this.longestCommandGap = this.ticksSinceCommand;
      if (this.ticksSinceCommand >= limits.lostCommands) {
        this.trip(
          "communication_constraints_violation",
          `${this.ticksSinceCommand} consecutive inner-loop periods without a command (limit ${limits.lostCommands})`
        );
        return;
      }
    }
    for (let i = 0; i < n; i++) {
      const joint = this.layout.joints[this.layout.actionJoint[i]];
      if (joint === void 0) continue;
      const qd = data.qvel[joint.dofAddress];
      if (Math.abs(qd) > limits.jointVelocity[i]) {
        this.trip(
          "joint_velocity_violation",
          `joint '${joint.name}' moves at ${qd.toFixed(3)} rad/s (limit ${limits.jointVelocity[i]})`
        );
        return;
      }
    }
    this.externalTorque.fill(0);
    if (this.push === void 0) return;
    const { mj, model } = this.sim;
    const nv = model.nv;
    if (this.jacobian === void 0) this.jacobian = new mj.DoubleBuffer(3 * nv);
    mj.mj_jacBody(model, data.data, this.jacobian, null, this.push.body);
    const jac = this.jacobian.GetView();
    for (let i = 0; i < n; i++) {
      const joint = this.layout.joints[this.layout.actionJoint[i]];
      if (joint === void 0) continue;
      let tau = 0;
      for (let k = 0; k < 3; k++) tau += jac[k * nv + joint.dofAddress] * this.push.force[k];
      this.externalTorque[i] = tau;
      if (Math.abs(tau) > limits.externalTorque[i]) {
        this.trip(
          "joint_reflex",
          `external torque ${tau.toFixed(2)} N*m on joint '${joint.name}' exceeds the collision threshold ${limits.externalTorque[i]} N*m`
        );
        return;
      }
    }
  }
  /** Checks one command against the limits as it is applied; returns false when it tripped one. */
  checkCommand(limits, next, at) {
    if (this.cart !== void 0) return this.checkPoseTarget(limits, next, at);
    const n = this.nAction;
    const intendedUs = this.queueIntended[this.queueHead];
    const elapsedUs = Math.max(intendedUs - this.lastIntendedUs, this.timeUs - this.lastCommandUs);
    const dt = Math.max(elapsedUs, this.periodUs) * 1e-6;
    const first = Number.isNaN(this.lastCommandUs);
    this.regular = !first && elapsedUs <= 1.5 * this.periodUs;
    const accKnown = this.regular && this.differences > 0;
    const jerkKnown = accKnown && this.differences > 1;
    for (let i = 0; i < n; i++) {
      const v = next[at + i];
      const joint = this.layout.joints[this.layout.actionJoint[i]];
      if (this.options.commandMode === "position") {
        const slack = 1e-6;
        if (limits.positionLimits && joint && (v < joint.positionLower - slack || v > joint.positionUpper + slack)) {
          this.trip(
            "joint_position_limits_violation",
            `target ${v.toFixed(4)} for joint '${joint.name}' outside [${joint.positionLower}, ${joint.positionUpper}]`
          );
          return false;
        }
        const vel = first ? 0 : (v - this.lastTarget[i]) / dt;
        const acc = accKnown ? (vel - this.targetVel[i]) / dt : 0;
        const jerk = jerkKnown ? (acc - this.targetAcc[i]) / dt : 0;
        this.nextVel[i] = vel;
        this.nextAcc[i] = acc;
        const name = joint?.name ?? String(i);
        if (Math.abs(vel) > limits.targetVelocity[i]) {
          this.trip(
            "joint_motion_generator_velocity_limits_violation",
            `targets for joint '${name}' move at ${Math.abs(vel).toFixed(3)} rad/s (limit ${limits.targetVelocity[i]})`
          );
          return false;
        }
        if (Math.abs(acc) > limits.targetAcceleration[i]) {
          this.trip(
            "joint_motion_generator_acceleration_discontinuity",
            `targets for joint '${name}' accelerate at ${Math.abs(acc).toFixed(1)} rad/s² (limit ${limits.targetAcceleration[i]})`
          );
          return false;
        }
        if (Math.abs(jerk) > limits.targetJerk[i]) {
          this.trip(
            "joint_motion_generator_joint_jerk_limits_violation",
            `targets for joint '${name}' jerk at ${Math.abs(jerk).toFixed(0)} rad/s³ (limit ${limits.targetJerk[i]})`
          );
          return false;
        }
      } else {
        const rate = first ? 0 : Math.abs(v - this.lastTarget[i]) / dt;
        if (rate > limits.torqueRate[i]) {
          this.trip(
            "controller_torque_discontinuity",
            `torque for '${joint?.name ?? i}' changes at ${rate.toFixed(0)} N*m/s (limit ${limits.torqueRate[i]})`
          );
          return false;
        }
      }
    }
    return true;
  }
  /** A Cartesian target: its position within the workspace (the torque rate is judged on the law's output). */
  checkPoseTarget(limits, next, at) {
    if (!limits.positionLimits) return true;
    const c = this.options.cartesian;
    for (let k = 0; k < 3; k++) {
      const v = next[at + k];
      if (v < c.workspaceLower[k] || v > c.workspaceUpper[k]) {
        this.trip(
          "cartesian_position_limits_violation",
          `target ${"xyz"[k]} = ${v.toFixed(4)} m outside the workspace [${c.workspaceLower[k]}, ${c.workspaceUpper[k]}]`
        );
        return false;
      }
    }
    return true;
  }
  trip(kind, message) {
    this.trips[kind] = (this.trips[kind] ?? 0) + 1;
    this.tripped = { kind, message: `${kind}: ${message}` };
    this.latch(StateFlag.fault);
  }
  /** Fills `out` with the current state (values, flags, timestamp on the firmware clock). */
  sample(out) {
    const layout = this.layout;
    const data = this.data;
    const joints = layout.joints;
    const nJ = joints.length;
    const values = out.values;
    const qfrc = this.qfrcActuator.get();
    for (let j = 0; j < nJ; j++) {
      const joint = joints[j];
      values[j] = data.qpos[joint.qposAddress];
      values[nJ + j] = data.qvel[joint.dofAddress];
      values[2 * nJ + j] = qfrc[joint.dofAddress];
    }
    let next = 3 * nJ;
    if (layout.rootQpos >= 0) {
      this.sampleImu(values, next);
      next += 10;
    }
    this.kernel.observe(data, this.observation);
    const sensors = layout.sensorObservation;
    for (let k = 0; k < sensors.length; k++) values[next + k] = this.observation[sensors[k]];
    const count = layout.valueCount;
    if (this.options.sensorNoise > 0) {
      for (let i = 0; i < count; i++) values[i] = values[i] + this.options.sensorNoise * this.rng.normal();
    }
    if (this.nanValue >= 0) values[this.nanValue] = Number.NaN;
    out.jointCount = nJ;
    out.hasImu = layout.rootQpos >= 0;
    out.sensorCount = sensors.length;
    out.valueCount = count;
    out.commandSeq = this.appliedCommandSeq;
    out.flags = this.latchedFlags & (StateFlag.estop | StateFlag.fault) | (this.active && this.latchedFlags === 0 ? StateFlag.active : 0);
  }
  dispose() {
    this.cart?.dispose();
    this.jacobian?.delete();
    this.data.dispose();
  }
  applyDueCommands() {
    const n = this.nCommand;
    const limits = this.options.limits;
    if (limits !== void 0) this.dropStaleCommands();
    while (this.queueLength > 0) {
      const slot = this.queueHead;
      if (this.queueTime[slot] + this.options.actuatorDelayUs > this.timeUs) break;
      if (limits !== void 0 && this.commandThisTick) break;
      if (limits !== void 0 && !this.checkCommand(limits, this.queueTarget, slot * n)) return;
      for (let i = 0; i < n; i++) this.target[i] = this.queueTarget[slot * n + i];
      if (limits !== void 0 && !Number.isNaN(this.lastCommandUs)) {
        this.targetVel.set(this.nextVel);
        this.targetAcc.set(this.nextAcc);
        this.differences = this.regular ? Math.min(this.differences + 1, 2) : 0;
      }
      this.lastTarget.set(this.target);
      this.lastCommandUs = this.timeUs;
      this.lastIntendedUs = this.queueIntended[slot];
      this.commandThisTick = true;
      if (this.queueHasGains[slot] === 1) {
        for (let i = 0; i < n; i++) {
          this.kpNow[i] = this.queueKp[slot * n + i];
          this.kdNow[i] = this.queueKd[slot * n + i];
        }
      }
      this.appliedCommandSeq = this.queueSeq[slot];
      this.commandsApplied++;
      const session = this.queueSession[slot];
      const applied = this.appliedBySession.get(session);
      if (applied === void 0)
        this.appliedBySession.set(session, { count: 1, maxSeq: this.appliedCommandSeq });
      else {
        applied.count++;
        if (this.appliedCommandSeq > applied.maxSeq) applied.maxSeq = this.appliedCommandSeq;
      }
      this.queueHead = (slot + 1) % queueSlots;
      this.queueLength--;
    }
  }
  /**
   * A Franka drops packets that arrive too late for their cycle. Here: of the commands already due,
   * all but the newest `maxBacklog` are dropped, so a burst after a stall adds at most that many
   * periods of latency.
   */
  dropStaleCommands() {
    let due = 0;
    for (let k = 0; k < this.queueLength; k++) {
      const slot = (this.queueHead + k) % queueSlots;
      if (this.queueTime[slot] + this.options.actuatorDelayUs <= this.timeUs) due++;
    }
    while (due > maxBacklog) {
      this.queueHead = (this.queueHead + 1) % queueSlots;
      this.queueLength--;
      due--;
      this.commandsDropped++;
    }
  }
  captureHold() {
    const joints = this.layout.joints;
    for (let i = 0; i < this.nAction; i++) {
      const joint = joints[this.layout.actionJoint[i]];
      this.hold[i] = joint === void 0 ? 0 : this.data.qpos[joint.qposAddress];
    }
  }
  /**
   * IMU of the free-floating base: orientation quaternion (w, x, y, z), body-frame angular velocity
   * (MuJoCo's free-joint angular qvel is already in the body frame) and the accelerometer's specific
   * force, (a - g) rotated into the body frame.
   */
  sampleImu(values, at) {
    const qpos = this.data.qpos;
    const qvel = this.data.qvel;
    const qacc = this.qacc.get();
    const q = this.layout.rootQpos + 3;
    const w = qpos[q];
    const x = qpos[q + 1];
    const y = qpos[q + 2];
    const z = qpos[q + 3];
    values[at] = w;
    values[at + 1] = x;
    values[at + 2] = y;
    values[at + 3] = z;
    const d = this.layout.rootDof;
    values[at + 4] = qvel[d + 3];
    values[at + 5] = qvel[d + 4];
    values[at + 6] = qvel[d + 5];
    const ax = qacc[d] - this.gravity[0];
    const ay = qacc[d + 1] - this.gravity[1];
    const az = qacc[d + 2] - this.gravity[2];
    values[at + 7] = (1 - 2 * (y * y + z * z)) * ax + 2 * (x * y + w * z) * ay + 2 * (x * z - w * y) * az;
    values[at + 8] = 2 * (x * y - w * z) * ax + (1 - 2 * (x * x + z * z)) * ay + 2 * (y * z + w * x) * az;
    values[at + 9] = 2 * (x * z + w * y) * ax + 2 * (y * z - w * x) * ay + (1 - 2 * (x * x + y * y)) * az;
  }
};
export {
  Firmware,
  cartesianAxes
};
