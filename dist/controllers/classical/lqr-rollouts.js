// Compiled from controllers/classical/lqr-rollouts.ts by `npm run build`: edit the source, not this file.

// controllers/classical/lqr-rollouts.ts
import { createEnv } from "../../sim/envs/index.js";
import { Rng } from "../../src/core/rng.js";
async function noisyLqrRollouts(lqr, o) {
  const env = await createEnv("cartpole", {
    task: "balance",
    resetNoise: o.resetNoise,
    seed: o.seed,
    ...o.controlDt !== void 0 ? { controlDt: o.controlDt } : {}
  });
  const rng = new Rng(o.seed);
  const states = [];
  const forces = [];
  const obs = new Float64Array(4);
  const next = new Float64Array(4);
  const clean = new Float64Array(1);
  const applied = new Float64Array(1);
  try {
    for (let e = 0; e < o.episodes; e++) {
      env.reset(obs, o.seed + e);
      for (let t = 0; t < o.steps; t++) {
        lqr.update(obs, t * env.dt, clean);
        states.push(...obs);
        forces.push(clean[0]);
        applied[0] = clean[0] + o.explorationStd * rng.normal();
        const result = env.step(applied, next);
        obs.set(next);
        if (result.terminated) break;
      }
    }
  } finally {
    env.dispose();
  }
  return { x: Float64Array.from(states), u: Float64Array.from(forces) };
}
export {
  noisyLqrRollouts
};
