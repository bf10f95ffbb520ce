// Compiled from app/cli/commands/eval.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/eval.ts
import { loadPolicy } from "../../../src/inference/load.js";
import { loadTrainConfig } from "../../../src/learning/train-config.js";
import { environmentPlugins } from "../../plugins.js";
import { environmentPairOf } from "../../train/environments.js";
function register(program) {
  program.command("eval").description("run an ONNX policy deterministically on an environment and report its return").argument("<policy>", "ONNX policy file (e.g. the policy.onnx that `tether train` exports)").argument("<env-config>", "training YAML whose environment to use (configs/train/...)").option("-n, --episodes <n>", "episodes", (v) => Number.parseInt(v, 10), 20).option("--sim", "evaluate on the simulator instead of the real-system stand-in").option("--seed <n>", "seed of the first episode", (v) => Number.parseInt(v, 10), 777).action(
    async (policyFile, configFile, flags) => {
      if (!Number.isInteger(flags.episodes) || flags.episodes < 1) {
        throw new Error(`--episodes: expected a positive integer, got ${flags.episodes}`);
      }
      const config = loadTrainConfig(configFile, environmentPlugins);
      const pair = await environmentPairOf(config);
      const env = flags.sim ? await pair.sim(flags.seed) : await pair.real(flags.seed);
      const policy = await loadPolicy(policyFile);
      try {
        const O = env.observation.signals.length;
        const A = env.action.signals.length;
        if (policy.inputSize !== O || policy.outputSize !== A) {
          throw new Error(
            `policy ${policyFile} maps ${policy.inputSize} → ${policy.outputSize} values, but ${env.name} has ${O} observations and ${A} actions`
          );
        }
        const returns = await evaluate(env, policy, flags.episodes, flags.seed);
        const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
        const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / returns.length);
        process.stdout.write(
          `${env.name}: return ${mean.toFixed(3)} ± ${std.toFixed(3)} over ${returns.length} episodes (min ${Math.min(...returns).toFixed(3)}, max ${Math.max(...returns).toFixed(3)})
`
        );
      } finally {
        await policy.dispose();
        env.dispose?.();
      }
    }
  );
}
async function evaluate(env, policy, episodes, seed) {
  const obs = new Float64Array(env.observation.signals.length);
  const input = new Float32Array(obs.length);
  const output = new Float32Array(env.action.signals.length);
  const action = new Float64Array(output.length);
  const returns = [];
  for (let e = 0; e < episodes; e++) {
    env.reset(obs, seed + e);
    let total = 0;
    for (let t = 0; t < env.horizon; t++) {
      input.set(obs);
      await policy.act(input, output);
      action.set(output);
      const step = env.step(action, obs);
      total += step.reward;
      if (step.terminated) break;
    }
    returns.push(total);
  }
  return returns;
}
export {
  register
};
