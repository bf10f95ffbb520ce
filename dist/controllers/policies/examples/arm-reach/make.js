// Compiled from controllers/policies/examples/arm-reach/make.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../../../controllers/policies/examples/arm-reach/make.ts", import.meta.url).href;

// controllers/policies/examples/arm-reach/make.ts
import { fileURLToPath } from "node:url";
import { createEnv } from "../../../../sim/envs/index.js";
import { CommandBoard } from "../../../../src/core/commands.js";
import { Rng } from "../../../../src/core/rng.js";
import { signalIndex } from "../../../../src/core/spec.js";
import { createKernelPolicy } from "../../../../src/inference/backends/kernel.js";
import { compileChain } from "../../../../src/inference/chain.js";
import { parseContract } from "../../../../src/inference/contract.js";
import { exportPolicy } from "../../../../src/inference/export.js";
import { PolicyIOMap } from "../../../../src/inference/io-map.js";
import { mlpToOnnx } from "../../../../src/inference/onnx/build.js";
import { decodeModel } from "../../../../src/inference/onnx/model.js";
import { fitMlp } from "../../../../src/learning/regression.js";
import { frankaJointDamping, frankaJointStiffness } from "../../../classical/joint-reach.js";
var exampleDir = fileURLToPath(new URL(".", __sourceUrl));
var config = {
  rateHz: 1e3,
  teacher: {
    gain: 8,
    maxStep: 0.05,
    lambda: 0.05,
    nullGain: 0.5,
    /**
     * rad per joint. The impedance drives a joint at about kp·maxOffset/kd: 0.6 rad/s on joints 1–3
     * (kd 50), 0.75 on joint 4 (kd 20: 0.05 rad drove it at 1.9 of its 2.175 rad/s), ≤ 0.75 on the
     * wrist, whose offsets stay within its 12 N·m motors.
     */
    maxOffset: [0.05, 0.05, 0.05, 0.025, 0.04, 0.06, 0.15]
  },
  data: {
    episodes: 120,
    seconds: 3,
    labelEvery: 10,
    /** Start poses: the task's ±0.05 rad around home times this. */
    resetNoise: 4,
    /** Perturbation of the executed offset, in units of maxOffset, redrawn every `holdTicks`. */
    perturbation: 0.6,
    holdTicks: 50,
    seed: 11
  },
  regression: {
    hidden: [64, 64],
    activation: "relu",
    epochs: 80,
    batchSize: 128,
    learningRate: 1e-3,
    seed: 3
  },
  evaluation: { episodes: 10, seconds: 3, seed: 5e3 }
};
var joints = ["joint1", "joint2", "joint3", "joint4", "joint5", "joint6", "joint7"];
var n = joints.length;
var targetBox = [
  [0.3, 0.6],
  [-0.3, 0.3],
  [0.25, 0.65]
];
var pdDrive = {
  mode: "pd",
  damping: [10, 10, 10, 10, 5, 5, 5],
  fault: "hold",
  gravityCompensation: true
};
function reachContract(home, limits) {
  return {
    format: "tether-policy/1",
    input: "obs",
    output: "actions",
    policy_rate_hz: config.rateHz,
    observations: [
      ...joints.map((j) => ({ name: `${j}_pos`, signals: [`${j}.pos`], unit: "rad" })),
      ...joints.map((j) => ({ name: `${j}_vel`, signals: [`${j}.vel`], unit: "rad/s" })),
      { name: "flange", signals: ["flange.x", "flange.y", "flange.z"], unit: "m" },
      {
        name: "target",
        source: "command",
        command: "target",
        value: [0.45, 0, 0.45],
        ranges: targetBox
      }
    ],
    normalizer: { kind: "inside_model" },
    actions: {
      signals: joints.map((j) => `${j}.target`),
      mode: "position",
      unit: "rad",
      scale: 1,
      offset: [...home],
      clip: [-2, 2],
      command_clip: limits.map(([lo, hi]) => [lo, hi]),
      constants: Object.fromEntries(
        joints.flatMap((j, i) => [
          [`${j}.kp`, frankaJointStiffness[i]],
          [`${j}.kd`, frankaJointDamping[i]]
        ])
      )
    }
  };
}
var ReachTeacher = class {
  constructor(sim) {
    this.sim = sim;
    this.data = new sim.mj.MjData(sim.model);
    this.jacobian = new sim.mj.DoubleBuffer(3 * sim.model.nv);
    this.qpos = Int32Array.from(joints, (j) => sim.qposAddress(j));
    this.dof = Int32Array.from(joints, (j) => sim.dofAddress(j));
    this.site = sim.id("site", "flange");
    const key = sim.keyframe("home");
    this.home = Float64Array.from(this.qpos, (a) => sim.model.key_qpos[key * sim.model.nq + a]);
  }
  sim;
  data;
  jacobian;
  qpos;
  dof;
  site;
  home;
  e = new Float64Array(3);
  m3 = new Float64Array(9);
  y = new Float64Array(3);
  v = new Float64Array(n);
  get homePose() {
    return Array.from(this.home);
  }
  /** δ for joint positions `q` and goal `goal` (metres). */
  offset(q, goal, delta) {
    const { mj, model } = this.sim;
    const { gain, maxStep, lambda, nullGain, maxOffset } = config.teacher;
    for (let i = 0; i < n; i++) this.data.qpos[this.qpos[i]] = q[i];
    mj.mj_kinematics(model, this.data);
    mj.mj_comPos(model, this.data);
    mj.mj_jacSite(model, this.data, this.jacobian, null, this.site);
    const jac = this.jacobian.GetView();
    const nv = model.nv;
    const site = this.data.site_xpos;
    let norm = 0;
    for (let k = 0; k < 3; k++) {
      this.e[k] = goal[k] - site[3 * this.site + k];
      norm += this.e[k] ** 2;
    }
    norm = Math.sqrt(norm);
    if (norm > maxStep) for (let k = 0; k < 3; k++) this.e[k] = this.e[k] * maxStep / norm;
    const l2 = lambda ** 2;
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 3; c++) {
        let s = r === c ? l2 : 0;
        for (let i = 0; i < n; i++) s += jac[r * nv + this.dof[i]] * jac[c * nv + this.dof[i]];
        this.m3[3 * r + c] = s;
      }
    solve3(this.m3, this.e, this.y);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += jac[k * nv + this.dof[i]] * this.y[k];
      delta[i] = gain * s;
    }
    for (let i = 0; i < n; i++) this.v[i] = nullGain * (this.home[i] - q[i]);
    for (let k = 0; k < 3; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += jac[k * nv + this.dof[i]] * this.v[i];
      this.e[k] = s;
    }
    solve3(this.m3, this.e, this.y);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += jac[k * nv + this.dof[i]] * this.y[k];
      delta[i] = delta[i] + this.v[i] - s;
    }
    let ratio = 1;
    for (let i = 0; i < n; i++) ratio = Math.max(ratio, Math.abs(delta[i]) / maxOffset[i]);
    for (let i = 0; i < n; i++) delta[i] = delta[i] / ratio;
  }
  dispose() {
    this.jacobian.delete();
    this.data.delete();
  }
};
function solve3(a, b, x) {
  const det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
  for (let c = 0; c < 3; c++) {
    const m = (r, k) => k === c ? b[r] : a[3 * r + k];
    x[c] = (m(0, 0) * (m(1, 1) * m(2, 2) - m(1, 2) * m(2, 1)) - m(0, 1) * (m(1, 0) * m(2, 2) - m(1, 2) * m(2, 0)) + m(0, 2) * (m(1, 0) * m(2, 1) - m(1, 1) * m(2, 0))) / det;
  }
}
function reachEnv(seed, resetNoise, dynamics = {}) {
  return createEnv("arm", {
    controlDt: 1 / config.rateHz,
    seed,
    resetNoise,
    dynamics: { timestep: 1e-3, ...dynamics },
    drive: pdDrive
  });
}
function writeAction(q, delta, action) {
  for (let i = 0; i < n; i++) {
    action[i] = q[i] + delta[i];
    action[n + i] = frankaJointStiffness[i];
    action[2 * n + i] = frankaJointDamping[i];
  }
}
async function collect(contractInput, home) {
  const d = config.data;
  const env = await reachEnv(d.seed, d.resetNoise);
  const teacher = new ReachTeacher(env.sim);
  const commands = new CommandBoard();
  const contract = parseContract(contractInput);
  const io = new PolicyIOMap(contract, env.observation, env.action, exampleDir, commands);
  const target = commands.channel("target", [0.45, 0, 0.45], targetBox).values;
  const pos = Int32Array.from(joints, (j) => signalIndex(env.observation, `${j}.pos`));
  const goal = Int32Array.from(["x", "y", "z"], (c) => signalIndex(env.observation, `target.${c}`));
  const ticks = Math.round(d.seconds * config.rateHz);
  const rows = d.episodes * Math.ceil(ticks / d.labelEvery);
  const x = new Float64Array(rows * io.inputSize);
  const y = new Float64Array(rows * n);
  const obs = new Float64Array(env.observation.signals.length);
  const action = new Float64Array(env.action.signals.length);
  const q = new Float64Array(n);
  const delta = new Float64Array(n);
  const push = new Float64Array(n);
  const rng = new Rng(d.seed);
  let row = 0;
  try {
    for (let e = 0; e < d.episodes; e++) {
      env.reset(obs, d.seed + e);
      for (let k = 0; k < 3; k++) target[k] = obs[goal[k]];
      io.reset(obs);
      for (let t = 0; t < ticks; t++) {
        for (let i = 0; i < n; i++) q[i] = obs[pos[i]];
        teacher.offset(q, target, delta);
        if (t % d.labelEvery === 0) {
          io.assemble(obs);
          x.set(io.input, row * io.inputSize);
          for (let i = 0; i < n; i++) y[row * n + i] = q[i] + delta[i] - home[i];
          row++;
        }
        if (t % d.holdTicks === 0)
          for (let i = 0; i < n; i++) push[i] = d.perturbation * config.teacher.maxOffset[i] * rng.normal();
        for (let i = 0; i < n; i++) delta[i] = delta[i] + push[i];
        writeAction(q, delta, action);
        env.step(action, obs);
      }
    }
  } finally {
    teacher.dispose();
    env.dispose();
  }
  return { x: x.subarray(0, row * io.inputSize), y: y.subarray(0, row * n), inputSize: io.inputSize };
}
async function evaluate(contractInput, bytes, dynamics = {}) {
  const { episodes, seconds, seed } = config.evaluation;
  const env = await reachEnv(seed, 1, dynamics);
  const teacher = new ReachTeacher(env.sim);
  const commands = new CommandBoard();
  const io = new PolicyIOMap(parseContract(contractInput), env.observation, env.action, exampleDir, commands);
  const target = commands.channel("target", [0.45, 0, 0.45], targetBox).values;
  const policy = bytes ? createKernelPolicy(compileChain(decodeModel(bytes))) : void 0;
  const pos = Int32Array.from(joints, (j) => signalIndex(env.observation, `${j}.pos`));
  const vel = Int32Array.from(joints, (j) => signalIndex(env.observation, `${j}.vel`));
  const goal = Int32Array.from(["x", "y", "z"], (c) => signalIndex(env.observation, `target.${c}`));
  const flange = Int32Array.from(["x", "y", "z"], (c) => signalIndex(env.observation, `flange.${c}`));
  const obs = new Float64Array(env.observation.signals.length);
  const action = new Float64Array(env.action.signals.length);
  const q = new Float64Array(n);
  const delta = new Float64Array(n);
  const ticks = Math.round(seconds * config.rateHz);
  const distance = () => Math.hypot(...[0, 1, 2].map((k) => obs[flange[k]] - target[k]));
  let sum = 0;
  let worst = 0;
  let reachTime = 0;
  let speed = 0;
  try {
    for (let e = 0; e < episodes; e++) {
      env.reset(obs, seed + e);
      for (let k = 0; k < 3; k++) target[k] = obs[goal[k]];
      io.reset(obs);
      let reached = seconds;
      for (let t = 0; t < ticks; t++) {
        if (policy) {
          io.assemble(obs);
          policy.act(io.input, io.output);
          io.command(action);
        } else {
          for (let i = 0; i < n; i++) q[i] = obs[pos[i]];
          teacher.offset(q, target, delta);
          writeAction(q, delta, action);
        }
        env.step(action, obs);
        for (let i = 0; i < n; i++) speed = Math.max(speed, Math.abs(obs[vel[i]]));
        if (reached === seconds && distance() < 0.01) reached = (t + 1) / config.rateHz;
      }
      const d = distance();
      sum += d;
      worst = Math.max(worst, d);
      reachTime += reached;
    }
  } finally {
    teacher.dispose();
    env.dispose();
  }
  return {
    meanFinalDistance: sum / episodes,
    maxFinalDistance: worst,
    meanTimeTo1cm: reachTime / episodes,
    maxJointSpeed: speed
  };
}
function columnStats(x, width) {
  const rows = x.length / width;
  const mean = new Float64Array(width);
  const sq = new Float64Array(width);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < width; c++) {
      const v = x[r * width + c];
      mean[c] = mean[c] + v / rows;
      sq[c] = sq[c] + v * v / rows;
    }
  const std = mean.map((m, c) => Math.max(1e-3, Math.sqrt(Math.max(0, sq[c] - m * m))));
  return { mean: Float32Array.from(mean), std: Float32Array.from(std) };
}
async function make(outDir) {
  const started = performance.now();
  const probe = await reachEnv(0, 0);
  const teacher = new ReachTeacher(probe.sim);
  const home = teacher.homePose;
  const limits = joints.map((j) => {
    const target = probe.action.signals.find((signal) => signal.name === `${j}.target`);
    return [target.lower, target.upper];
  });
  teacher.dispose();
  probe.dispose();
  const contract = reachContract(home, limits);
  const { x, y, inputSize } = await collect(contract, home);
  let labelRange = 0;
  for (const v of y) labelRange = Math.max(labelRange, Math.abs(v));
  if (labelRange > 2)
    throw new Error(`labels reach ${labelRange.toFixed(2)} rad from home, beyond the clip of 2`);
  const normalizer = columnStats(x, inputSize);
  const xn = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++)
    xn[i] = (x[i] - normalizer.mean[i % inputSize]) / normalizer.std[i % inputSize];
  const { mlp, losses } = fitMlp(xn, y, inputSize, n, config.regression);
  const policy = { layers: mlp.layers, normalizer };
  const onnx = mlpToOnnx(policy);
  const studentNominal = await evaluate(contract, onnx);
  const studentRig = await evaluate(contract, onnx, { massScale: 1.05, dampingScale: 1.2, actionDelay: 5 });
  const teacherNominal = await evaluate(contract, void 0);
  const card = await exportPolicy(outDir, {
    mlp: policy,
    contract,
    name: "policy",
    description: "Arm reach at 1 kHz through joint impedance: a Cartesian reaching law with a null-space posture, distilled into a 64-64 ReLU MLP that outputs joint position targets (the robot compensates gravity).",
    trainingConfig: config,
    metrics: {
      samples: y.length / n,
      finalMse: losses.at(-1),
      labelRangeRad: labelRange,
      teacherMeanFinalDistance: teacherNominal.meanFinalDistance,
      teacherMeanTimeTo1cm: teacherNominal.meanTimeTo1cm,
      simMeanFinalDistance: studentNominal.meanFinalDistance,
      simMaxFinalDistance: studentNominal.maxFinalDistance,
      simMeanTimeTo1cm: studentNominal.meanTimeTo1cm,
      simMaxJointSpeed: studentNominal.maxJointSpeed,
      rigDynamicsMeanFinalDistance: studentRig.meanFinalDistance,
      rigDynamicsMaxFinalDistance: studentRig.maxFinalDistance,
      makeSeconds: Math.round((performance.now() - started) / 1e3)
    },
    created: process.env["SOURCE_DATE_EPOCH"] ? new Date(Number(process.env["SOURCE_DATE_EPOCH"]) * 1e3).toISOString() : void 0
  });
  const mm = (m) => `${(m * 1e3).toFixed(1)} mm`;
  process.stdout.write(
    `${y.length / n} samples, fit mse ${losses.at(-1).toExponential(2)}; teacher ${mm(teacherNominal.meanFinalDistance)}, policy ${mm(studentNominal.meanFinalDistance)} (max ${mm(studentNominal.maxFinalDistance)}, 1 cm after ${studentNominal.meanTimeTo1cm.toFixed(2)} s, joint speed ≤ ${studentNominal.maxJointSpeed.toFixed(2)} rad/s); rig dynamics, 5 ms late ${mm(studentRig.meanFinalDistance)} (max ${mm(studentRig.maxFinalDistance)}); onnx sha256 ${card.onnx.sha256}; ${card.metrics["makeSeconds"]} s
`
  );
}
if (process.argv[1] === fileURLToPath(__sourceUrl)) await make(exampleDir);
export {
  config,
  evaluate,
  exampleDir,
  make,
  pdDrive,
  reachContract,
  targetBox
};
