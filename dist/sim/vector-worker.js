// Compiled from sim/vector-worker.ts by `npm run build`: edit the source, not this file.

// sim/vector-worker.ts
import { parentPort, workerData } from "node:worker_threads";
import { createEnv } from "./envs/index.js";
import { command, control, vectorViews } from "./vector-layout.js";
async function run(init) {
  const { first, count, shape, autoReset } = init;
  const views = vectorViews(init.buffer, shape);
  const ctrl = new Int32Array(init.control);
  const o = shape.observationSize;
  const a = shape.actionSize;
  const envs = [];
  for (let i = 0; i < count; i++)
    envs.push(await createEnv(init.model, { ...init.envOptions, seed: views.seeds[first + i] }));
  const obsViews = envs.map((_, i) => views.observations.subarray((first + i) * o, (first + i + 1) * o));
  const actionViews = envs.map((_, i) => views.actions.subarray((first + i) * a, (first + i + 1) * a));
  let generation = Atomics.load(ctrl, control.generation);
  parentPort.postMessage({ type: "ready" });
  for (; ; ) {
    Atomics.wait(ctrl, control.generation, generation);
    generation = Atomics.load(ctrl, control.generation);
    const cmd = Atomics.load(ctrl, control.command);
    if (cmd === command.exit) break;
    try {
      for (let i = 0; i < count; i++) {
        const env = envs[i];
        const g = first + i;
        const obs = obsViews[i];
        if (cmd === command.reset) {
          env.reset(obs, views.seeds[g]);
          views.finalObservations.set(obs, g * o);
          continue;
        }
        const result = env.step(actionViews[i], obs);
        views.rewards[g] = result.reward;
        views.terminated[g] = result.terminated ? 1 : 0;
        views.truncated[g] = result.truncated ? 1 : 0;
        views.finalObservations.set(obs, g * o);
        if (autoReset && (result.terminated || result.truncated)) env.reset(obs);
      }
    } catch (error) {
      Atomics.store(ctrl, control.failed, 1);
      parentPort.postMessage({
        type: "error",
        message: error instanceof Error ? error.message : String(error)
      });
    }
    if (Atomics.sub(ctrl, control.remaining, 1) === 1) Atomics.notify(ctrl, control.remaining);
  }
  for (const env of envs) env.dispose();
}
run(workerData).catch((error) => {
  parentPort.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });
});
