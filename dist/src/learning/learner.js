// Compiled from src/learning/learner.ts by `npm run build`: edit the source, not this file.

// src/learning/learner.ts
import { toMlpPolicy } from "./engine.js";
import { H2oAgent, h2oConfigSchema, naiveMixConfigSchema } from "./h2o.js";
import { loadActor } from "./init.js";
import { IqlAgent, iqlConfigSchema } from "./iql.js";
import { createBatch } from "./replay.js";
import { criticWarmupUpdate, SacAgent, sacConfigSchema, sacUpdate } from "./sac.js";
import { Td3BcAgent, td3bcConfigSchema } from "./td3bc.js";
var algorithms = {
  sac: { hyperparameters: sacConfigSchema, usesRealLog: false, online: true },
  "naive-mix": { hyperparameters: naiveMixConfigSchema, usesRealLog: true, online: true },
  h2o: { hyperparameters: h2oConfigSchema, usesRealLog: true, online: true },
  td3bc: { hyperparameters: td3bcConfigSchema, usesRealLog: true, online: false },
  iql: { hyperparameters: iqlConfigSchema, usesRealLog: true, online: false }
};
var algorithmNames = Object.keys(algorithms);
function createLearner(settings, engine, obsSize, actSize, data, rng) {
  switch (settings.algorithm) {
    case "sac":
      return sacLearner(engine, obsSize, actSize, settings.hyperparameters, data.sim, rng);
    case "naive-mix":
    case "h2o":
      return hybridLearner(
        engine,
        obsSize,
        actSize,
        settings.hyperparameters,
        data.real,
        data.sim,
        rng,
        data.gapRegion
      );
    case "td3bc":
      if (data.real === null) throw new Error("td3bc learns from the real log, but no dataset was given");
      return td3bcLearner(engine, obsSize, actSize, settings.hyperparameters, data.real, rng);
    case "iql":
      if (data.real === null) throw new Error("iql learns from the real log, but no dataset was given");
      return iqlLearner(engine, obsSize, actSize, settings.hyperparameters, data.real, rng);
  }
}
function rawLogStd(agent, initialStd) {
  const [m, o] = agent.logStdScale;
  return (Math.log(initialStd) - o) / m;
}
function sacLearner(engine, obsSize, actSize, config, sim, rng) {
  const agent = new SacAgent(engine, obsSize, actSize, config, rng, config.batchSize);
  const batch = createBatch(config.batchSize, obsSize, actSize);
  batch.rows = config.batchSize;
  return {
    agent,
    online: true,
    act: (obs, rows, out, r) => agent.act(obs, rows, out, r),
    update: (r) => {
      sim.sampleInto(batch, 0, batch.rows, r);
      return { ...sacUpdate(agent, batch, config.rewardScale, r) };
    },
    stateArrays: () => agent.stateArrays(),
    stateScalars: () => agent.stateScalars(),
    loadScalars: (s) => agent.loadScalars(s),
    actorPolicy: () => mlpPolicy(agent.actor, actSize, null),
    loadActor: (init, initialStd) => loadActor(agent.actor, init, { extraBias: rawLogStd(agent, initialStd) }),
    // No real data: policy evaluation on the simulator's start steps.
    warmCritics: (r) => {
      if (sim.size === 0) return null;
      sim.sampleInto(batch, 0, batch.rows, r);
      return { ...criticWarmupUpdate(agent, batch, config.rewardScale, r) };
    }
  };
}
function hybridLearner(engine, obsSize, actSize, config, real, sim, rng, gapRegion) {
  const agent = new H2oAgent(engine, obsSize, actSize, config, real, sim, rng, gapRegion);
  let warmBatch;
  return {
    agent,
    online: true,
    act: (obs, rows, out, r) => agent.act(obs, rows, out, r),
    update: (r) => ({ ...agent.update(r) }),
    stateArrays: () => agent.stateArrays(),
    stateScalars: () => agent.stateScalars(),
    loadScalars: (s) => agent.loadScalars(s),
    // The deterministic SAC action is tanh of the mean head: the first A outputs of the last layer.
    actorPolicy: () => mlpPolicy(agent.sac.actor, actSize, null),
    loadActor: (init, initialStd) => loadActor(agent.sac.actor, init, { extraBias: rawLogStd(agent.sac, initialStd) }),
    warmCritics: (r) => {
      if (real === null) return null;
      warmBatch ??= createBatch(config.realBatch + config.simBatch, obsSize, actSize);
      warmBatch.rows = warmBatch.realRows = config.realBatch + config.simBatch;
      real.sampleInto(warmBatch, 0, warmBatch.rows, r);
      return { ...criticWarmupUpdate(agent.sac, warmBatch, config.rewardScale, r) };
    }
  };
}
function offlineLearner(agent, actSize, actors) {
  return {
    agent,
    online: false,
    act: (obs, rows, out) => agent.act(obs, rows, out),
    update: (r) => ({ ...agent.update(r) }),
    stateArrays: () => agent.stateArrays(),
    stateScalars: () => agent.stateScalars(),
    loadScalars: (s) => agent.loadScalars(s),
    actorPolicy: () => mlpPolicy(agent.actor, actSize, { mean: agent.stateMean, std: agent.stateStd }),
    loadActor: (init) => {
      const options = { inputMean: agent.stateMean, inputStd: agent.stateStd };
      for (const actor of actors) loadActor(actor, init, options);
    },
    warmCritics: () => null
  };
}
function td3bcLearner(engine, obsSize, actSize, config, real, rng) {
  const agent = new Td3BcAgent(engine, obsSize, actSize, config, real, rng);
  return offlineLearner(agent, actSize, [agent.actor, agent.actorTarget]);
}
function iqlLearner(engine, obsSize, actSize, config, real, rng) {
  const agent = new IqlAgent(engine, obsSize, actSize, config, real, rng);
  return offlineLearner(agent, actSize, [agent.actor]);
}
function mlpPolicy(net, actSize, normalizer) {
  return {
    ...toMlpPolicy(net, { outputs: actSize, activation: "tanh" }),
    ...normalizer === null ? {} : { normalizer: { mean: Float32Array.from(normalizer.mean), std: Float32Array.from(normalizer.std) } }
  };
}
export {
  algorithmNames,
  algorithms,
  createLearner,
  hybridLearner,
  iqlLearner,
  sacLearner,
  td3bcLearner
};
