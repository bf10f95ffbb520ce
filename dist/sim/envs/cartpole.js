// Compiled from sim/envs/cartpole.ts by `npm run build`: edit the source, not this file.

// sim/envs/cartpole.ts
import { signal } from "../../src/core/spec.js";
import { actuatorRange, jointRange, wrapAngle } from "./definition.js";
var railLimit = 2.8;
var fallenAngle = 0.8;
function cartpoleReward(obs, a) {
  return Math.cos(obs[1]) - 0.01 * obs[0] ** 2 - 5e-4 * a[0] ** 2;
}
function cartpoleTerminated(task) {
  return (obs) => Math.abs(obs[0]) > railLimit || task === "balance" && Math.abs(obs[1]) > fallenAngle;
}
var cartpoleEnv = {
  model: "cartpole",
  description: "balance or swing up the pole by pushing the cart",
  tasks: ["balance", "swingup"],
  horizonSeconds: 10,
  signalReward: cartpoleReward,
  signalTerminated: cartpoleTerminated,
  bind(sim, task) {
    const slider = sim.qposAddress("slider");
    const sliderDof = sim.dofAddress("slider");
    const hinge = sim.qposAddress("hinge");
    const hingeDof = sim.dofAddress("hinge");
    const motor = sim.id("actuator", "force");
    const [lo, hi] = actuatorRange(sim, motor);
    const [xMin, xMax] = jointRange(sim, sim.id("joint", "slider"));
    const observation = {
      signals: [
        signal("cart.pos", "m", xMin, xMax),
        signal("pole.angle", "rad", -Math.PI, Math.PI),
        signal("cart.vel", "m/s"),
        signal("pole.angvel", "rad/s")
      ]
    };
    const action = { signals: [signal("cart.force", "N", lo, hi)], mode: "torque", safe: [0] };
    return {
      observation,
      action,
      resetState(data, rng, scale) {
        const start = task === "swingup" ? Math.PI : 0;
        data.qpos[slider] = rng.range(-0.05, 0.05) * scale;
        data.qpos[hinge] = start + rng.range(-0.05, 0.05) * scale;
        data.qvel[sliderDof] = rng.range(-0.05, 0.05) * scale;
        data.qvel[hingeDof] = rng.range(-0.05, 0.05) * scale;
      },
      applyAction(a, data) {
        data.ctrl[motor] = a[0];
      },
      observe(data, out) {
        out[0] = data.qpos[slider];
        out[1] = wrapAngle(data.qpos[hinge]);
        out[2] = data.qvel[sliderDof];
        out[3] = data.qvel[hingeDof];
      },
      reward: cartpoleReward,
      terminated: cartpoleTerminated(task)
    };
  }
};
export {
  cartpoleEnv
};
