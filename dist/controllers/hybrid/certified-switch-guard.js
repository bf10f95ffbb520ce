// Compiled from controllers/hybrid/certified-switch-guard.ts by `npm run build`: edit the source, not this file.

// controllers/hybrid/certified-switch-guard.ts
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { z } from "zod";
import { IntervalBounder, LinearBounder } from "../../src/verification/bounds.js";
import { inspectCertificateFile } from "../../src/verification/certificate.js";
import { loadModel } from "../../src/verification/io.js";
import { canonical } from "../../src/verification/model.js";
import { expressPolicy } from "../../src/verification/policy.js";
import { down, up } from "../../src/verification/rounding.js";
import { signatureNote } from "../../src/verification/signature.js";
import { LyapunovMonitor } from "./lyapunov-monitor.js";
var certificateEntry = z.object({
  /** Model JSON (tether layout), relative to the config file. */
  model: z.string().min(1),
  /** Certificate written by `tether verify --out`. */
  certificate: z.string().min(1)
}).strict();
var certifiedGuardOptions = z.object({
  /** Certified controllers: controller name → its model and certificate. */
  certificates: z.record(z.string(), certificateEntry).refine((r) => Object.keys(r).length > 0, {
    message: "name at least one certified controller"
  }),
  /**
   * Bound on |observation − state| the robot guarantees, per certified state signal (or one for
   * all). Default: the certificate's own estimate-error assumption. It may not exceed it.
   */
  estimateError: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).optional(),
  /**
   * The runtime monitor always runs: without it a certified run could end "safety: ok" after the
   * plant left the certificate. `monitor: true` is accepted (it is what happens); `false` is refused.
   */
  monitor: z.boolean().refine((on) => on, {
    message: 'the certificate monitor cannot be turned off: without it a certified controller could fall and the run still end "safety: ok" (it costs a few microseconds per tick)'
  }).optional(),
  /** Admit only where the bound of V is below this share of ρ (default 1). */
  admitBelow: z.number().positive().max(1).default(1)
}).strict();
var quietDeferral = Object.freeze({ verdict: "defer", reason: "" });
function fmt(values) {
  return `[${Array.from(values, (v) => Number(v.toPrecision(6))).join(", ")}]`;
}
var CertifiedSwitchGuard = class {
  constructor(targets, options) {
    this.options = options;
    for (const t of targets) this.targets.set(t.controller, targetOf(t));
  }
  options;
  name = "certified";
  targets = /* @__PURE__ */ new Map();
  range = new Float64Array(2);
  /** The last base-case check: the command sent and the enclosure of the controller's command. */
  baseCase = new Float64Array(3);
  events;
  /** The target the monitor is following. */
  current;
  /** What `configure` was told, kept to check a certificate adopted later against the same run. */
  context;
  /** The controller that resumes after a latch: its next check reports a start outside S as such. */
  resumed;
  /** The controller this guard admitted last: the one entry that needs no first-check excuse. */
  admitted;
  /** Ticks the monitor checked, over every certificate (for reports and benchmarks). */
  get monitoredTicks() {
    let ticks = 0;
    for (const t of this.targets.values()) ticks += t.monitor.ticks;
    return ticks;
  }
  /** The certificate in use for a controller (tests, reports). */
  certificateOf(controller) {
    const t = this.targets.get(controller);
    return t && { rho: t.rho, digest: t.digest, file: t.file, ...t.violation ? { violation: t.violation } : {} };
  }
  configure(context) {
    this.events = context.events;
    this.context = context;
    const problems = [];
    for (const t of this.targets.values()) {
      if (!context.controllers.includes(t.controller)) {
        problems.push(
          `certificate ${t.file} for '${t.controller}': no controller named '${t.controller}' (configured: ${context.controllers.join(", ")})`
        );
        continue;
      }
      problems.push(...this.bind(t, context, 0));
    }
    if (problems.length > 0) throw new RangeError(`certified guard refuses: ${problems.join("; ")}`);
    this.current = void 0;
  }
  /**
   * Checks one certificate against the run and its controller; when it holds, says so in the log
   * (time `time`) and returns no problems.
   */
  bind(t, context, time) {
    const where = `certificate ${t.file} for '${t.controller}'`;
    const found = checkAssumptions(t, context, this.estimateErrorFor(t));
    if (t.delayed)
      t.delayed.action = context.action.signals.findIndex((s) => s.name === t.assumptions.action.name);
    if (found.length > 0) return found.map((p) => `${where}: ${p}`);
    const robot = context.robot;
    const unchecked = robot?.plant ? "" : "; not checkable on this robot: parameter intervals, physics, delay (the monitor watches them)";
    context.events.emit({
      time,
      kind: "info",
      source: "certified-guard",
      message: `'${t.controller}' is certified by ${t.file} (sha256 ${t.digest.slice(0, 16)}…, ${signatureNote(t.signedBy)}, model ${t.model.name}, plant ${t.assumptions.plant}, rho ${t.rho}, estimate error ${fmt(t.radius)})${unchecked}`,
      data: {
        controller: t.controller,
        certificate: t.file,
        sha256: t.digest,
        ...t.signedBy ? { signedBy: t.signedBy } : {},
        plant: t.assumptions.plant,
        rho: t.rho
      }
    });
    return [];
  }
  /**
   * A controller installed while the loop runs (a new policy version) with its certificate: the
   * certificate is checked (integrity, model hashes, proof and cover), then its assumptions against
   * the robot and run `configure` saw and its law against this controller's, exactly as at start.
   * Only then does it govern `name`: a switch into it is admitted inside its region alone.
   */
  adopt(name, controller, files, time) {
    const context = this.context;
    if (context === void 0) throw new Error("the certified guard is not configured yet");
    if (this.targets.has(name))
      throw new RangeError(`'${name}' already has a certificate (${this.targets.get(name).file})`);
    const t = targetOf(loadCertificate(name, files.model, files.certificate, files.certificate));
    const problems = this.bind(
      t,
      {
        ...context,
        controllers: [...context.controllers, name],
        controllerInstances: /* @__PURE__ */ new Map([[name, controller]])
      },
      time
    );
    if (problems.length > 0) throw new RangeError(`certified guard refuses: ${problems.join("; ")}`);
    this.targets.set(name, t);
  }
  resume(active) {
    this.current = void 0;
    this.resumed = active;
  }
  estimateErrorFor(t) {
    const e = this.options.estimateError;
    const n = t.model.stateDim;
    if (e === void 0) return [...t.model.estimateError];
    return typeof e === "number" ? new Array(n).fill(e) : e;
  }
  /** The estimate box around the observation; returns the first signal whose box leaves B, or −1. */
  box(t, observation) {
    const { boxLo, boxUp } = t.model.spec;
    let outside = -1;
    for (let i = 0; i < t.index.length; i++) {
      const y = observation[t.index[i]];
      t.lo[i] = down(y - t.radius[i]);
      t.hi[i] = up(y + t.radius[i]);
      if (outside < 0 && (t.lo[i] < boxLo[i] || t.hi[i] > boxUp[i])) outside = i;
    }
    return outside;
  }
  label(t) {
    return `certificate ${t.file} (sha256 ${t.digest.slice(0, 12)}…, plant ${t.assumptions.plant})`;
  }
  admit(from, to, observation, time, lastCommand, explain = true) {
    const t = this.targets.get(to);
    if (!t) return { verdict: "admit", reason: `'${to}' has no certificate: not checked` };
    if (t.violation)
      return explain ? {
        verdict: "defer",
        reason: `${this.label(t)} was violated in this run (${t.violation}); not admitted again`
      } : quietDeferral;
    for (let i = 0; i < t.index.length; i++)
      if (!Number.isFinite(observation[t.index[i]]))
        return explain ? { verdict: "defer", reason: `non-finite ${t.assumptions.signals[i].name}` } : quietDeferral;
    const outside = this.box(t, observation);
    if (outside >= 0) {
      if (!explain) return quietDeferral;
      const s = t.assumptions.signals[outside];
      return {
        verdict: "defer",
        reason: `${s.name} ${fmt([observation[t.index[outside]]])} ± ${t.radius[outside]} leaves the verified box [${t.model.spec.boxLo[outside]}, ${t.model.spec.boxUp[outside]}] of ${this.label(t)}`,
        data: this.dataOf(t)
      };
    }
    t.bounds.valueRange(t.lo, t.hi, this.range);
    const vUp = this.range[1];
    if (!(vUp < this.options.admitBelow * t.rho))
      return explain ? {
        verdict: "defer",
        reason: `V <= ${vUp.toPrecision(5)} is not below rho ${t.rho}${this.options.admitBelow < 1 ? ` × ${this.options.admitBelow}` : ""} (${this.label(t)})`,
        data: this.dataOf(t, vUp)
      } : quietDeferral;
    const previous = this.previousCommand(t, lastCommand);
    if (previous !== "within")
      return explain ? { verdict: "defer", reason: this.previousCommandProblem(t, previous), data: this.dataOf(t, vUp) } : quietDeferral;
    this.admitted = to;
    const reason = `certified: V <= ${vUp.toPrecision(5)} < rho ${t.rho} over the estimate box${this.previousCommandNote(t)}, by ${this.label(t)}`;
    const data = this.dataOf(t, vUp);
    this.events?.emit({
      time,
      kind: "certificate",
      source: "certified-guard",
      message: `${from} → ${to} ${reason}`,
      data
    });
    return { verdict: "admit", reason, data };
  }
  dataOf(t, V) {
    return {
      rho: t.rho,
      certificate: t.file,
      sha256: t.digest,
      plant: t.assumptions.plant,
      ...V === void 0 ? {} : { V }
    };
  }
  /**
   * The base case of a relative delayed command: the command sent last (applied during the first
   * physics steps of the next period) within Δ of the certified controller's command at every
   * state of the estimate box, [u_hi − Δ, u_lo + Δ] for the command's enclosure [u_lo, u_hi].
   * `within` also when the certificate has no such bound. Leaves the command and the enclosure in
   * `baseCase` for the messages.
   */
  previousCommand(t, lastCommand) {
    const d = t.delayed;
    if (!d) return "within";
    const sent = d.action >= 0 ? lastCommand?.[d.action] : void 0;
    if (sent === void 0) return "unknown";
    const u = d.exact.control(t.lo, t.hi);
    this.baseCase[0] = sent;
    this.baseCase[1] = u.lo;
    this.baseCase[2] = u.hi;
    return sent >= down(u.hi - d.within) && sent <= up(u.lo + d.within) ? "within" : "outside";
  }
  previousCommandProblem(t, found) {
    const d = t.delayed;
    const [sent, lo, hi] = this.baseCase;
    return found === "unknown" ? `the last command sent is unknown here, and ${this.label(t)} covers the input delay only for a previous command within ${d.within} of its controller's` : `the last command sent, ${Number(sent.toPrecision(6))} ${t.assumptions.action.unit}, is not within ${d.within} of the certified controller's command ${fmt([lo, hi])} over the estimate box (the input delay applies it first; ${this.label(t)})`;
  }
  previousCommandNote(t) {
    const d = t.delayed;
    if (!d) return "";
    const [sent, lo, hi] = this.baseCase;
    return ` and the last command sent, ${Number(sent.toPrecision(6))}, within ${d.within} of the controller's ${fmt([lo, hi])}`;
  }
  monitor(active, observation, time) {
    const t = this.targets.get(active);
    let entry;
    if (t !== this.current) {
      this.current = t;
      t?.monitor.reset();
      entry = this.admitted === active ? "admitted" : "forced";
    }
    if (this.resumed === active) entry = "resumed";
    this.resumed = void 0;
    if (entry !== void 0) this.admitted = void 0;
    if (!t || t.violation) return void 0;
    const reason = t.monitor.check(observation);
    if (reason === void 0) return void 0;
    if (entry === "forced" || entry === "resumed")
      return {
        reason: `'${active}' ${entry === "resumed" ? "resumed after the safety latch" : "took command without the guard's admission (the initial controller, a fallback or a rollback)"} outside its certified region: ${reason} (${this.label(t)})`,
        data: { V: t.monitor.lastValue, rho: t.rho, certificate: t.file, sha256: t.digest },
        uncovered: true
      };
    t.violation = `t=${time.toFixed(3)} s: ${reason}`;
    return {
      reason: `${reason} (${this.label(t)})`,
      data: {
        V: t.monitor.lastValue,
        rho: t.rho,
        certificate: t.file,
        sha256: t.digest,
        plant: t.assumptions.plant
      }
    };
  }
};
function checkPlantAssumptions(model, a, context, estimateError, index) {
  const problems = [];
  const robot = context.robot;
  if (robot) {
    const plant = robot.plant?.model ?? robot.name.replace(/^sim:/, "");
    if (plant !== a.plant) problems.push(`plant: it covers '${a.plant}', the robot is '${plant}'`);
  }
  const obs = context.observation.signals;
  a.signals.forEach((s, i) => {
    const k2 = obs.findIndex((o) => o.name === s.name);
    if (k2 < 0) {
      problems.push(
        `signal '${s.name}' (state ${i}) is not observed (the robot has ${obs.map((o) => o.name).join(", ")})`
      );
      return;
    }
    if (obs[k2].unit !== s.unit)
      problems.push(`signal '${s.name}': unit ${obs[k2].unit} on the robot, ${s.unit} in the certificate`);
    index[i] = k2;
  });
  const act = context.action.signals;
  const k = act.findIndex((s) => s.name === a.action.name);
  if (k < 0)
    problems.push(
      `action '${a.action.name}' is not one of the robot's (${act.map((s) => s.name).join(", ")})`
    );
  else {
    const s = act[k];
    if (s.unit !== a.action.unit)
      problems.push(`action '${s.name}': unit ${s.unit} on the robot, ${a.action.unit} in the certificate`);
    if (s.lower !== a.action.lower || s.upper !== a.action.upper)
      problems.push(
        `actuator limits: [${s.lower}, ${s.upper}] ${s.unit} on the robot, the certificate assumes [${a.action.lower}, ${a.action.upper}]`
      );
  }
  if (Math.abs(context.dt - a.controlPeriod) > 1e-12)
    problems.push(
      `control period: the loop runs at ${context.dt} s, the certificate assumes ${a.controlPeriod} s`
    );
  if (a.physicsStep !== void 0 && robot) {
    const step = robot.plant?.physicsStep ?? (robot.capabilities.innerLoopHz ? 1 / robot.capabilities.innerLoopHz : void 0);
    if (step !== void 0 && Math.abs(step - a.physicsStep) > 1e-12)
      problems.push(
        `physics step: ${step} s on the robot (${robot.plant ? "simulator step" : "inner loop"}), the certificate's model uses ${a.physicsStep} s`
      );
  }
  if (robot?.plant) problems.push(...checkParameters(model, robot, estimateError));
  return problems;
}
function checkAssumptions(t, context, estimateError) {
  const a = t.assumptions;
  const n = t.model.stateDim;
  const problems = checkPlantAssumptions(t.model, a, context, estimateError, t.index);
  estimateError.forEach((e, i) => {
    const allowed = t.model.estimateError[i] ?? 0;
    if (e > allowed)
      problems.push(
        `estimate error: ${e} for '${a.signals[i]?.name}' exceeds the ${allowed} the certificate covers`
      );
  });
  if (estimateError.length !== n)
    problems.push(`estimateError has ${estimateError.length} entries, expected ${n}`);
  else t.radius.set(estimateError);
  problems.push(...checkLaw(t, context.controllerInstances?.get(t.controller)));
  return problems;
}
function checkParameters(model, robot, estimateError) {
  const problems = [];
  const d = robot.plant.dynamics;
  const interval = (name) => {
    const u = model.uncertainty.find((x) => x.kind === "parameter" && x.name === name);
    return u ? [u.lo, u.up] : [1, 1];
  };
  const within = (what, value, name) => {
    const [lo, hi] = interval(name);
    if (!(value >= lo && value <= hi))
      problems.push(
        `parameter ${what}: ${value} on the robot, the certificate covers ${lo === hi ? `only ${lo} (nominal)` : `[${lo}, ${hi}]`}`
      );
  };
  const mass = d["massScale"];
  const massOf = (body) => typeof mass === "number" ? mass : typeof mass === "object" && mass ? mass[body] ?? mass["*"] ?? 1 : 1;
  within("massScale.pole", massOf("pole"), "pole_mass_scale");
  within("massScale.cart", massOf("cart"), "cart_mass_scale");
  within("dampingScale", typeof d["dampingScale"] === "number" ? d["dampingScale"] : 1, "damping_scale");
  const gain = (typeof d["actuatorGainScale"] === "number" ? d["actuatorGainScale"] : 1) * (typeof d["gearScale"] === "number" ? d["gearScale"] : 1);
  within("actuatorGainScale × gearScale", gain, "force_gain_scale");
  for (const key of ["gravity", "gravityScale"])
    if (d[key] !== void 0)
      problems.push(`parameter ${key}: set on the robot, the certificate assumes the model's gravity`);
  const ticks = typeof d["actionDelay"] === "number" ? d["actionDelay"] : 0;
  const period = model.dynamics.dt;
  const covered = model.uncertainty.reduce((m, u) => u.kind === "delayed-command" ? u.delay : m, 0);
  if (ticks > 0 && !(ticks * period <= covered))
    problems.push(
      `delay: the robot delays actions by ${ticks} control period(s) of ${period} s (${ticks * period} s), the certificate covers ${covered > 0 ? `an input delay of at most ${covered} s` : "no delay"}`
    );
  const noise = d["observationNoise"];
  if (noise !== void 0) {
    const sigma = typeof noise === "number" ? [noise] : noise;
    const worst = Math.max(...sigma);
    const bound = Math.min(...estimateError);
    if (worst > 0 && !(5 * worst <= bound))
      problems.push(
        `observation noise σ = ${worst} on the robot: 5σ exceeds the estimate error ${bound} the certificate covers`
      );
  }
  for (const key of Object.keys(d))
    if (![
      "observationNoise",
      "massScale",
      "dampingScale",
      "actuatorGainScale",
      "gearScale",
      "gravity",
      "gravityScale",
      "actionDelay",
      "timestep",
      "frictionScale"
    ].includes(key))
      problems.push(`parameter ${key} on the robot is not covered by the certificate`);
  return problems;
}
function checkLaw(t, controller) {
  if (!controller) return ["the certified controller is not available to compare"];
  const law = controller.describeLaw?.();
  if (!law)
    return [
      `controller '${t.controller}' (${controller.name}) does not state its control law, so it cannot be matched with the certificate's`
    ];
  if (law.kind === "policy") return checkPolicyLaw(t, law);
  const c = t.model.controller;
  if (c.net.layers.length !== 1)
    return [`the certificate's controller is a neural network; '${t.controller}' is an affine law`];
  const w = c.net.layers[0].weight;
  const nx = law.x0.length;
  if (law.u0.length !== 1)
    return [`controller '${t.controller}' has ${law.u0.length} outputs, the certificate's has 1`];
  const expected = new Float64Array(nx);
  for (let i = 0; i < t.index.length; i++) expected[t.index[i]] = -w[i];
  const problems = [];
  let differs = false;
  for (let j = 0; j < nx; j++) if (law.gain[j] !== expected[j]) differs = true;
  if (differs)
    problems.push(
      `controller '${t.controller}' runs the gain K = ${fmt(law.gain)}, the certificate's controller has K = ${fmt(expected)} (re-verify for this controller)`
    );
  if (law.x0.some((v) => v !== 0))
    problems.push(`controller '${t.controller}' regulates to x0 = ${fmt(law.x0)}, the certificate to 0`);
  if (law.u0[0] !== c.uStar)
    problems.push(`controller '${t.controller}' has u0 = ${law.u0[0]}, the certificate u* = ${c.uStar}`);
  if (law.lower[0] !== c.uLo || law.upper[0] !== c.uUp)
    problems.push(
      `controller '${t.controller}' clamps to [${law.lower[0]}, ${law.upper[0]}], the certificate to [${c.uLo}, ${c.uUp}]`
    );
  return problems;
}
function checkPolicyLaw(t, law) {
  const expressed = expressPolicy(law.onnx, law.contract, t.model);
  if (!expressed.ok)
    return [`policy '${t.controller}' cannot be read as the certificate's controller: ${expressed.reason}`];
  const running = expressed.controller;
  const certified = t.model.source.controller;
  const sha = createHash("sha256").update(law.onnx).digest("hex").slice(0, 16);
  if (canonical(running.layers) !== canonical(certified.layers))
    return [
      `policy '${t.controller}' (ONNX sha256 ${sha}…) runs other weights than the certificate's controller (re-verify this policy: tether verify --policy)`
    ];
  const problems = [];
  const activations = (a) => canonical(a ?? "relu");
  if (activations(running.activation) !== activations(certified.activation))
    problems.push(
      `policy '${t.controller}' uses the activations ${canonical(running.activation ?? "relu")}, the certificate's controller ${canonical(certified.activation ?? "relu")}`
    );
  if (running.u_star[0] !== certified.u_star[0])
    problems.push(
      `policy '${t.controller}' commands ${running.u_star[0]} at 0, the certificate's controller ${certified.u_star[0]}`
    );
  if (running.u_lo[0] !== certified.u_lo[0] || running.u_up[0] !== certified.u_up[0])
    problems.push(
      `policy '${t.controller}' clamps to [${running.u_lo[0]}, ${running.u_up[0]}], the certificate to [${certified.u_lo[0]}, ${certified.u_up[0]}]`
    );
  return problems;
}
function loadCertificate(controller, modelPath, certPath, given) {
  for (const [what, path] of [
    ["model", modelPath],
    ["certificate", certPath]
  ])
    if (!existsSync(path)) throw new RangeError(`'${controller}': ${what} file ${path} not found`);
  const model = loadModel(modelPath);
  const checked = inspectCertificateFile(model, certPath, given);
  if (!model.assumptions)
    throw new RangeError(
      `'${controller}': model ${modelPath} states no plant assumptions (plant, signals, actuator, control period), so it cannot be checked against a robot`
    );
  return {
    controller,
    file: basename(certPath),
    model,
    assumptions: model.assumptions,
    rho: checked.rho,
    signedBy: checked.signedBy,
    digest: checked.digest
  };
}
function targetOf(t) {
  const n = t.model.stateDim;
  const bounds = new LinearBounder(t.model);
  const index = new Int32Array(n);
  const radius = new Float64Array(n);
  const names = t.assumptions.signals.map((s) => s.name);
  const delayed = t.model.uncertainty.find((d) => d.kind === "delayed-command");
  const within = delayed?.kind === "delayed-command" ? delayed.relative?.within : void 0;
  return {
    ...t,
    bounds,
    index,
    radius,
    lo: new Float64Array(n),
    hi: new Float64Array(n),
    monitor: new LyapunovMonitor(t.model, bounds, t.rho, index, radius, names),
    delayed: within === void 0 ? void 0 : { within, action: -1, exact: new IntervalBounder(t.model) },
    violation: void 0
  };
}
async function createCertifiedGuard(options, context) {
  const targets = Object.entries(options.certificates).map(
    ([controller, entry]) => loadCertificate(
      controller,
      resolve(context.baseDir, entry.model),
      resolve(context.baseDir, entry.certificate),
      entry.certificate
    )
  );
  return new CertifiedSwitchGuard(targets, options);
}
var certifiedGuardPlugin = {
  kind: "certified",
  description: "admits a switch into a certified controller only inside its verified region; checks the certificate against the robot and monitors V every tick",
  schema: certifiedGuardOptions,
  create: (options, context) => createCertifiedGuard(options, context)
};
export {
  CertifiedSwitchGuard,
  certifiedGuardOptions,
  certifiedGuardPlugin,
  checkPlantAssumptions,
  createCertifiedGuard
};
