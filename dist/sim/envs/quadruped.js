// Compiled from sim/envs/quadruped.ts by `npm run build`: edit the source, not this file.

// sim/envs/quadruped.ts
import { signal } from "../../src/core/spec.js";
import { actuatorRange, jointRange } from "./definition.js";
var quadrupedLegs = ["fl", "fr", "rl", "rr"];
var quadrupedJoints = quadrupedLegs.flatMap(
  (leg) => ["hip", "thigh", "knee"].map((j) => `${leg}_${j}`)
);
var fallenHeight = 0.15;
var fallenUpright = 0.5;
var jointBase = 11;
function quadrupedReward(next, a) {
  let effort = 0;
  for (let i = 0; i < a.length; i++) effort += a[i] ** 2;
  return next[5] + 0.5 - 1e-4 * effort;
}
function quadrupedFallen(obs) {
  const qx = obs[2];
  const qy = obs[3];
  const upright = 1 - 2 * (qx * qx + qy * qy);
  return !(obs[0] > fallenHeight) || !(upright > fallenUpright);
}
var quadrupedEnv = {
  model: "quadruped",
  description: "stand and walk forward on flat ground",
  tasks: ["walk"],
  horizonSeconds: 10,
  signalReward: quadrupedReward,
  signalTerminated: () => quadrupedFallen,
  bind(sim) {
    const root = sim.qposAddress("root");
    const rootDof = sim.dofAddress("root");
    const home = sim.keyframe("home");
    const qposIndex = quadrupedJoints.map((j) => sim.qposAddress(j));
    const qvelIndex = quadrupedJoints.map((j) => sim.dofAddress(j));
    const actuators = quadrupedJoints.map((j) => sim.id("actuator", j));
    const observation = {
      signals: [
        signal("base.z", "m"),
        ...["qw", "qx", "qy", "qz"].map((c) => signal(`base.${c}`, "1", -1, 1)),
        ...["vx", "vy", "vz"].map((c) => signal(`base.${c}`, "m/s")),
        ...["wx", "wy", "wz"].map((c) => signal(`base.${c}`, "rad/s")),
        ...quadrupedJoints.map((j) => signal(`${j}.pos`, "rad", ...jointRange(sim, sim.id("joint", j)))),
        ...quadrupedJoints.map((j) => signal(`${j}.vel`, "rad/s"))
      ]
    };
    const action = {
      signals: actuators.map(
        (a, i) => signal(`${quadrupedJoints[i]}.torque`, "N*m", ...actuatorRange(sim, a))
      ),
      mode: "torque",
      safe: actuators.map(() => 0)
    };
    return {
      observation,
      action,
      resetState(data, rng, scale) {
        data.reset(home);
        for (const q of qposIndex) data.qpos[q] = data.qpos[q] + rng.range(-0.05, 0.05) * scale;
      },
      applyAction(a, data) {
        for (let i = 0; i < actuators.length; i++) data.ctrl[actuators[i]] = a[i];
      },
      observe(data, out) {
        const qpos = data.qpos;
        const qvel = data.qvel;
        for (let i = 0; i < 5; i++) out[i] = qpos[root + 2 + i];
        for (let i = 0; i < 6; i++) out[5 + i] = qvel[rootDof + i];
        for (let i = 0; i < 12; i++) {
          out[jointBase + i] = qpos[qposIndex[i]];
          out[jointBase + 12 + i] = qvel[qvelIndex[i]];
        }
      },
      reward: quadrupedReward,
      terminated: quadrupedFallen
    };
  }
};
export {
  quadrupedEnv,
  quadrupedJoints,
  quadrupedLegs
};
