// Compiled from sim/envs/arm.ts by `npm run build`: edit the source, not this file.

// sim/envs/arm.ts
import { signal } from "../../src/core/spec.js";
import { actuatorRange, jointRange } from "./definition.js";
var armJoints = [
  "joint1",
  "joint2",
  "joint3",
  "joint4",
  "joint5",
  "joint6",
  "joint7"
];
var armVelocityLimits = [2.175, 2.175, 2.175, 2.175, 2.61, 2.61, 2.61];
var targetLow = [0.3, -0.3, 0.25];
var targetHigh = [0.6, 0.3, 0.65];
var targetNominal = [0.45, 0, 0.45];
var armReachTolerance = 0.02;
var jointCount = armJoints.length;
function flangeDistance(obs) {
  const at = 2 * jointCount;
  return Math.hypot(obs[at] - obs[at + 3], obs[at + 1] - obs[at + 4], obs[at + 2] - obs[at + 5]);
}
function armReward(obs, a) {
  let effort = 0;
  for (let i = 0; i < a.length; i++) effort += a[i] ** 2;
  return -flangeDistance(obs) - 1e-4 * effort;
}
function armReached(obs) {
  return flangeDistance(obs) <= armReachTolerance;
}
var armEnv = {
  model: "arm",
  description: "reach a Cartesian target with the flange",
  tasks: ["reach"],
  horizonSeconds: 5,
  signalReward: armReward,
  signalGoal: () => armReached,
  bind(sim) {
    const home = sim.keyframe("home");
    const qposIndex = armJoints.map((j) => sim.qposAddress(j));
    const qvelIndex = armJoints.map((j) => sim.dofAddress(j));
    const actuators = armJoints.map((j) => sim.id("actuator", j));
    const flange = sim.id("site", "flange");
    const target = new Float64Array(3);
    const n = armJoints.length;
    const observation = {
      signals: [
        ...armJoints.map((j) => signal(`${j}.pos`, "rad", ...jointRange(sim, sim.id("joint", j)))),
        ...armJoints.map(
          (j, i) => signal(`${j}.vel`, "rad/s", -armVelocityLimits[i], armVelocityLimits[i])
        ),
        ...["x", "y", "z"].map((c) => signal(`flange.${c}`, "m")),
        ...["x", "y", "z"].map((c) => signal(`target.${c}`, "m"))
      ]
    };
    const action = {
      signals: actuators.map((a, i) => signal(`${armJoints[i]}.torque`, "N*m", ...actuatorRange(sim, a))),
      mode: "torque",
      safe: actuators.map(() => 0)
    };
    let siteXpos = new Float64Array(0);
    return {
      observation,
      action,
      resetState(data, rng, scale) {
        data.reset(home);
        for (const q of qposIndex) data.qpos[q] = data.qpos[q] + rng.range(-0.05, 0.05) * scale;
        for (let k = 0; k < 3; k++) {
          target[k] = scale === 0 ? targetNominal[k] : rng.range(targetLow[k], targetHigh[k]);
        }
      },
      applyAction(a, data) {
        for (let i = 0; i < n; i++) data.ctrl[actuators[i]] = a[i];
      },
      observe(data, out) {
        sim.mj.mj_kinematics(sim.model, data.data);
        if (siteXpos.byteLength === 0) siteXpos = data.data.site_xpos;
        for (let i = 0; i < n; i++) {
          out[i] = data.qpos[qposIndex[i]];
          out[n + i] = data.qvel[qvelIndex[i]];
        }
        for (let k = 0; k < 3; k++) {
          out[2 * n + k] = siteXpos[3 * flange + k];
          out[2 * n + 3 + k] = target[k];
        }
      },
      reward: armReward,
      terminated: () => false
    };
  }
};
export {
  armEnv,
  armJoints,
  armReachTolerance,
  armVelocityLimits
};
