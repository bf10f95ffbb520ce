// Compiled from sim/envs/pendulum.ts by `npm run build`: edit the source, not this file.

// sim/envs/pendulum.ts
import { signal } from "../../src/core/spec.js";
import { actuatorRange, wrapAngle } from "./definition.js";
function pendulumReward(obs, a) {
  return -(obs[0] ** 2 + 0.1 * obs[1] ** 2 + 1e-3 * a[0] ** 2);
}
var pendulumEnv = {
  model: "pendulum",
  description: "balance (or swing up) the pendulum",
  tasks: ["balance", "swingup"],
  horizonSeconds: 10,
  signalReward: pendulumReward,
  bind(sim, task) {
    const hinge = sim.qposAddress("hinge");
    const hingeDof = sim.dofAddress("hinge");
    const motor = sim.id("actuator", "torque");
    const [lo, hi] = actuatorRange(sim, motor);
    const observation = {
      signals: [signal("pole.angle", "rad", -Math.PI, Math.PI), signal("pole.angvel", "rad/s")]
    };
    const action = { signals: [signal("pole.torque", "N*m", lo, hi)], mode: "torque", safe: [0] };
    return {
      observation,
      action,
      resetState(data, rng, scale) {
        const start = task === "swingup" ? Math.PI : 0;
        data.qpos[hinge] = start + rng.range(-0.2, 0.2) * scale;
        data.qvel[hingeDof] = rng.range(-0.2, 0.2) * scale;
      },
      applyAction(a, data) {
        data.ctrl[motor] = a[0];
      },
      observe(data, out) {
        out[0] = wrapAngle(data.qpos[hinge]);
        out[1] = data.qvel[hingeDof];
      },
      reward: pendulumReward,
      terminated: () => false
    };
  }
};
export {
  pendulumEnv
};
