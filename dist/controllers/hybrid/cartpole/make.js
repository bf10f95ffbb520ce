// Compiled from controllers/hybrid/cartpole/make.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../../controllers/hybrid/cartpole/make.ts", import.meta.url).href;

// controllers/hybrid/cartpole/make.ts
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createEnv } from "../../../sim/envs/index.js";
import { SimModel } from "../../../sim/model.js";
import { EventBuffer } from "../../../src/core/events.js";
import { bisectRho, certify } from "../../../src/verification/certificate.js";
import { parseModel } from "../../../src/verification/model.js";
import { diagonal } from "../../classical/linalg.js";
import { holdOverSteps, linearizePhysicsStep } from "../../classical/linearize.js";
import { LqrController, solveDiscreteRiccati } from "../../classical/lqr.js";
var outDir = fileURLToPath(new URL("../models/cartpole/", __sourceUrl));
var controlDt = 0.02;
var q = [1, 1, 1, 1];
var r = [0.1];
async function runtimeGain() {
  const env = await createEnv("cartpole", { controlDt });
  try {
    const lqr = new LqrController({ model: "cartpole" });
    await lqr.configure({
      observation: env.observation,
      action: env.action,
      dt: controlDt,
      events: new EventBuffer()
    });
    return lqr.gain;
  } finally {
    env.dispose();
  }
}
function choleskyFactor(p, n) {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = p[i * n + j];
      for (let k = 0; k < j; k++) s -= c[i * n + k] * c[j * n + k];
      c[i * n + j] = i === j ? Math.sqrt(s) : s / c[j * n + j];
    }
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_2, j) => c[j * n + i]));
}
var variants = {
  sim: {
    name: "cartpole_lqr",
    substeps: 10,
    innerLevel: 0,
    delay: 0,
    holeRelative: 1e-3,
    startRho: 150,
    notes: "MuJoCo cartpole as tether runs it: nominal parameters, semi-implicit Euler with implicit damping at 2 ms, force held over the 20 ms period, no contact, the slider limit (3 m) outside B, the exact state observed, no delay"
  },
  rig: {
    name: "cartpole_lqr_rig",
    substeps: 20,
    uncertainty: {
      parameters: {
        pole_mass_scale: [1.18, 1.22],
        damping_scale: [1.5, 2.5],
        force_gain_scale: [0.93, 0.97]
      },
      force_disturbance: 0.25,
      estimate_error: [25e-4, 25e-4, 25e-4, 25e-4]
    },
    innerLevel: 25,
    delay: 0,
    holeRelative: 1e-3,
    startRho: 100,
    notes: "the emulated cartpole rig (configs/rig/cartpole.yaml): physics at 1 kHz; pole mass and inertia x[1.18, 1.22], joint damping x[1.5, 2.5], actuator gain x[0.93, 0.97]; actuator noise (sigma 0.05 N) taken as a force disturbance of at most 0.25 N and sensor noise (sigma 0.0005) as an estimate error of at most 0.0025, i.e. 5 sigma: Gaussian noise has no hard bound. NOT covered: the 2 ms actuator delay and the age of the streamed state (the monitor watches them)"
  }
};
var rigWithDelay = {
  ...variants.rig,
  name: "cartpole_lqr_rig_delay",
  uncertainty: { ...variants.rig.uncertainty, input_delay: 2e-3, previous_command_within: 4 },
  // The delayed command adds to the disturbance: sampled, the decrease's worst margin is 0.51 % of V
  // at V = 40 (0.80 % at the undelayed model's level 25) and 0.72 % at V = 80, so the decrease is
  // asked from V = 80 on; at 25 and 40 the search was not decided within an hour on two workers.
  innerLevel: 80,
  delay: 2e-3,
  notes: "the emulated cartpole rig (configs/rig/cartpole.yaml): physics at 1 kHz; pole mass and inertia x[1.18, 1.22], joint damping x[1.5, 2.5], actuator gain x[0.93, 0.97]; actuator noise (sigma 0.05 N) taken as a force disturbance of at most 0.25 N and sensor noise (sigma 0.0005) as an estimate error of at most 0.0025, i.e. 5 sigma: Gaussian noise has no hard bound; the 2 ms actuator delay (actuatorDelayMs: 2) as the first 2 of the 20 physics steps of every period applying the previous command, within 4 N of the controller command at the current state (the certified guard checks the last command sent at the switch; the proof carries it on). NOT covered: the age of the streamed state (0-2 ms at 500 Hz; the monitor watches it), and any filter that changes the command after the controller (a rate limiter, a derating)"
};
var allVariants = { ...variants, "rig-delay": rigWithDelay };
async function buildModel(v, rho) {
  const sim = await SimModel.load("cartpole");
  try {
    const gain = await runtimeGain();
    const decimation = Math.round(controlDt / sim.timestep);
    const sys = holdOverSteps(linearizePhysicsStep(sim, [0, 0], [0]), decimation);
    const { P } = solveDiscreteRiccati(sys, diagonal(q), diagonal(r));
    const m = sim.model;
    const box = [2.4, 0.8, 5, 8];
    return {
      format: "tether-lyapunov-model/v1",
      name: v.name,
      state_dim: 4,
      x_star: [0, 0, 0, 0],
      controller: {
        negative_slope: 0,
        layers: [{ weight: [Array.from(gain, (k) => -k)], bias: [0] }],
        u_lo: [-20],
        u_up: [20],
        u_star: [0]
      },
      lyapunov: { kind: "quadratic", L: choleskyFactor(P, 4) },
      dynamics: {
        system: "cartpole",
        cart_mass: m.body_mass[sim.id("body", "cart")],
        pole_mass: m.body_mass[sim.id("body", "pole")],
        pole_com: m.body_ipos[3 * sim.id("body", "pole") + 2],
        pole_inertia: m.body_inertia[3 * sim.id("body", "pole") + 1],
        slider_damping: m.dof_damping[sim.dofAddress("slider")],
        hinge_damping: m.dof_damping[sim.dofAddress("hinge")],
        gravity: -m.opt.gravity[2],
        force_gain: m.actuator_gainprm[0] * m.actuator_gear[0],
        dt: controlDt,
        substeps: v.substeps,
        integration: "semi_implicit_euler"
      },
      ...v.uncertainty ? { uncertainty: v.uncertainty } : {},
      assumptions: {
        plant: "cartpole",
        signals: [
          { name: "cart.pos", unit: "m" },
          { name: "pole.angle", unit: "rad" },
          { name: "cart.vel", unit: "m/s" },
          { name: "pole.angvel", unit: "rad/s" }
        ],
        action: { name: "cart.force", unit: "N", lower: -20, upper: 20 },
        control_period: controlDt,
        physics_step: controlDt / v.substeps,
        delay: v.delay,
        notes: v.notes
      },
      spec: {
        box_lo: box.map((b) => -b),
        box_up: box,
        rho,
        kappa: 1e-3,
        hole_size_relative: v.holeRelative,
        inner_level: v.innerLevel
      }
    };
  } finally {
    sim.dispose();
  }
}
async function make(which, seconds, rho, innerLevel, workers) {
  const v = innerLevel === void 0 ? allVariants[which] : { ...allVariants[which], innerLevel };
  const pool = workers === void 0 ? {} : { workers };
  const start = rho ?? v.startRho;
  let json = await buildModel(v, start);
  let model = parseModel(json, v.name);
  let certificate;
  if (rho !== void 0) {
    certificate = (await certify(model, { rho, timeLimitSeconds: seconds, onProgress: progress, ...pool })).certificate;
  } else {
    const b = await bisectRho(
      model,
      { rho: start, timeLimitSeconds: seconds, onProgress: progress, ...pool },
      0.01,
      (at, result) => process.stderr.write(`${v.name}: rho ${at} ${result}
`)
    );
    process.stderr.write(
      `${v.name}: largest verified rho ${b.verified} (failed at ${b.failed}) after ${b.steps} runs
`
    );
    certificate = b.certificate;
  }
  if (certificate?.result !== "verified") {
    process.stderr.write(`${v.name}: nothing verified (${certificate?.result ?? "no run"})
`);
    process.exitCode = 2;
    return;
  }
  json = await buildModel(v, certificate.rho);
  model = parseModel(json, v.name);
  writeFileSync(join(outDir, `${v.name}.json`), `${JSON.stringify(json, null, 2)}
`);
  writeFileSync(join(outDir, `${v.name}.cert.json`), `${JSON.stringify(certificate, null, 2)}
`);
  process.stderr.write(
    `${v.name}: VERIFIED at rho ${certificate.rho}: ${certificate.boxes.visited} boxes, ${certificate.timeSeconds.toFixed(1)} s
`
  );
}
function progress(p) {
  process.stderr.write(
    `  ${p.visited} boxes, ${(100 * p.decided).toFixed(1)} % decided, ${p.elapsedSeconds.toFixed(0)} s
`
  );
}
if (process.argv[1] === fileURLToPath(__sourceUrl)) {
  const args = process.argv.slice(2);
  const which = args.find((a) => !a.startsWith("--") && !/^\d/.test(a)) ?? "all";
  const flag = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : void 0;
  };
  const seconds = flag("--time") ?? 1200;
  const rho = flag("--rho");
  if (which !== "all" && !(which in allVariants))
    throw new RangeError(
      `make.ts: unknown variant '${which}', expected one of ${Object.keys(allVariants).join(", ")}, all`
    );
  for (const w of which === "all" ? ["sim", "rig"] : [which])
    await make(w, seconds, rho, flag("--inner"), flag("--workers"));
}
export {
  buildModel,
  outDir,
  rigWithDelay,
  variants
};
