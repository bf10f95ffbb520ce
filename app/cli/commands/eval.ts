import type { Command } from 'commander';
import type { Environment } from '../../../src/core/environment.ts';
import { loadPolicy } from '../../../src/inference/load.ts';
import { loadTrainConfig } from '../../../src/learning/train-config.ts';
import { environmentPlugins } from '../../plugins.ts';
import { environmentPairOf } from '../../train/environments.ts';

export function register(program: Command): void {
  program
    .command('eval')
    .description('run an ONNX policy deterministically on an environment and report its return')
    .argument('<policy>', 'ONNX policy file (e.g. the policy.onnx that `tether train` exports)')
    .argument('<env-config>', 'training YAML whose environment to use (configs/train/...)')
    .option('-n, --episodes <n>', 'episodes', (v) => Number.parseInt(v, 10), 20)
    .option('--sim', 'evaluate on the simulator instead of the real-system stand-in')
    .option('--seed <n>', 'seed of the first episode', (v) => Number.parseInt(v, 10), 777)
    .action(
      async (
        policyFile: string,
        configFile: string,
        flags: { episodes: number; sim?: boolean; seed: number },
      ) => {
        if (!Number.isInteger(flags.episodes) || flags.episodes < 1) {
          throw new Error(`--episodes: expected a positive integer, got ${flags.episodes}`);
        }
        const config = loadTrainConfig(configFile, environmentPlugins);
        const pair = await environmentPairOf(config);
        const env: Environment = flags.sim ? await pair.sim(flags.seed) : await pair.real(flags.seed);
        const policy = await loadPolicy(policyFile);
        try {
          const O = env.observation.signals.length;
          const A = env.action.signals.length;
          if (policy.inputSize !== O || policy.outputSize !== A) {
            throw new Error(
              `policy ${policyFile} maps ${policy.inputSize} → ${policy.outputSize} values, but ${env.name} ` +
                `has ${O} observations and ${A} actions`,
            );
          }
          const returns = await evaluate(env, policy, flags.episodes, flags.seed);
          const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
          const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / returns.length);
          process.stdout.write(
            `${env.name}: return ${mean.toFixed(3)} ± ${std.toFixed(3)} over ${returns.length} episodes ` +
              `(min ${Math.min(...returns).toFixed(3)}, max ${Math.max(...returns).toFixed(3)})\n`,
          );
        } finally {
          await policy.dispose();
          env.dispose?.();
        }
      },
    );
}

async function evaluate(
  env: Environment,
  policy: Awaited<ReturnType<typeof loadPolicy>>,
  episodes: number,
  seed: number,
): Promise<number[]> {
  const obs = new Float64Array(env.observation.signals.length);
  const input = new Float32Array(obs.length);
  const output = new Float32Array(env.action.signals.length);
  const action = new Float64Array(output.length);
  const returns: number[] = [];
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
