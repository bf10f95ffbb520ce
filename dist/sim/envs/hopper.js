// Compiled from sim/envs/hopper.ts by `npm run build`: edit the source, not this file.

// sim/envs/hopper.ts
import { signal } from "../../src/core/spec.js";
import { actuatorRange, jointRange } from "./definition.js";
var joints = ["thigh", "leg", "foot"];
var healthyHeight = 0.7;
var healthyAngle = 0.2;
function hopperReward(next, a) {
  let effort = 0;
  for (let i = 0; i < a.length; i++) effort += a[i] ** 2;
  return next[5] + 1 - 1e-3 * effort;
}
function hopperFallen(obs) {
  if (!(obs[0] > healthyHeight) || !(Math.abs(obs[1]) < healthyAngle)) return true;
  for (let i = 2; i < obs.length; i++) if (!(Math.abs(obs[i]) < 100)) return true;
  return false;
}
var hopperEnv = {
  model: "hopper",
  description: "hop forward without falling",
  tasks: ["forward"],
  horizonSeconds: 8,
  signalReward: hopperReward,
  signalTerminated: () => hopperFallen,
  bind(sim) {
    const qposIndex = [
      sim.qposAddress("rootz"),
      sim.qposAddress("rooty"),
      ...joints.map((j) => sim.qposAddress(j))
    ];
    const qvelIndex = ["rootx", "rootz", "rooty", ...joints].map((j) => sim.dofAddress(j));
    const actuators = joints.map((j) => sim.id("actuator", j));
    const observation = {
      signals: [
        signal("rootz.pos", "m"),
        signal("rooty.pos", "rad"),
        ...joints.map((j) => signal(`${j}.pos`, "rad", ...jointRange(sim, sim.id("joint", j)))),
        signal("rootx.vel", "m/s"),
        signal("rootz.vel", "m/s"),
        ...["rooty", ...joints].map((j) => signal(`${j}.vel`, "rad/s"))
      ]
    };
    const action = {
      signals: actuators.map((a, i) => signal(joints[i], "1", ...actuatorRange(sim, a))),
      mode: "torque",
      safe: [0, 0, 0]
    };
    return {
      observation,
      action,
      resetState(data, rng, scale) {
        for (let i = 0; i < sim.model.nq; i++)
          data.qpos[i] = data.qpos[i] + rng.range(-5e-3, 5e-3) * scale;
        for (let i = 0; i < sim.model.nv; i++) data.qvel[i] = rng.range(-5e-3, 5e-3) * scale;
      },
      applyAction(a, data) {
        for (let i = 0; i < actuators.length; i++) data.ctrl[actuators[i]] = a[i];
      },
      observe(data, out) {
        for (let i = 0; i < qposIndex.length; i++) out[i] = data.qpos[qposIndex[i]];
        for (let i = 0; i < qvelIndex.length; i++) out[qposIndex.length + i] = data.qvel[qvelIndex[i]];
      },
      reward: hopperReward,
      terminated: hopperFallen
    };
  }
};
export {
  hopperEnv
};
