/**
 * Writes the "real" log of the MuJoCo gap benchmark: cartpole balance on the stock model, driven by
 * a mediocre policy (LQR with N(0, 0.6²) noise on the normalised force and 50 % uniformly random
 * actions). Actions are stored normalised to [−1, 1], as the learners see them.
 *   node --import tsx bench/data/make-cartpole-gap-log.ts
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LqrController } from '../../controllers/classical/lqr.ts';
import { createEnv } from '../../sim/envs/index.ts';
import { Rng } from '../../src/core/rng.ts';
import { saveColumnar } from '../../src/learning/dataset.ts';
import type { Transitions } from '../../src/learning/transitions.ts';

export interface GapLogOptions {
  readonly episodes: number;
  readonly noise: number;
  readonly randomFraction: number;
  readonly seed: number;
}

export async function cartpoleGapLog(options: GapLogOptions): Promise<Transitions> {
  const env = await createEnv('cartpole', { task: 'balance', seed: options.seed });
  try {
    const lqr = new LqrController({ model: 'cartpole' });
    await lqr.configure({
      observation: env.observation,
      action: env.action,
      dt: env.dt,
      events: { emit: () => {} } as never,
    });
    const rng = new Rng(options.seed);
    const O = env.observation.signals.length;
    const scale = env.action.signals[0]!.upper;
    const obs = new Float64Array(O);
    const force = new Float64Array(1);
    const rows: { o: number[]; a: number; r: number; n: number[]; d: number }[] = [];
    for (let e = 0; e < options.episodes; e++) {
      env.reset(obs, options.seed * 1000 + e);
      for (let t = 0; t < env.horizon; t++) {
        lqr.update(obs, t * env.dt, force);
        let a = force[0]! / scale + options.noise * rng.normal();
        if (rng.uniform() < options.randomFraction) a = rng.range(-1, 1);
        a = Math.max(-1, Math.min(1, a));
        const before = Array.from(obs);
        force[0] = a * scale;
        const step = env.step(force, obs);
        rows.push({ o: before, a, r: step.reward, n: Array.from(obs), d: step.terminated ? 1 : 0 });
        if (step.terminated) break;
      }
    }
    return {
      obsSize: O,
      actSize: 1,
      size: rows.length,
      obs: Float64Array.from(rows.flatMap((r) => r.o)),
      act: Float64Array.from(rows.map((r) => r.a)),
      reward: Float64Array.from(rows.map((r) => r.r)),
      nextObs: Float64Array.from(rows.flatMap((r) => r.n)),
      terminated: Float64Array.from(rows.map((r) => r.d)),
      meta: { environment: 'cartpole balance (stock model)', behaviour: 'LQR + noise', ...options },
    };
  } finally {
    env.dispose();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../sim/gaps/data');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'cartpole-real-log.json');
  const log = await cartpoleGapLog({ episodes: 40, noise: 0.6, randomFraction: 0.5, seed: 11 });
  await saveColumnar(file, log, 5);
  const returns = log.reward.reduce((a, b) => a + b, 0) / 40;
  console.log(
    `wrote ${path.relative(process.cwd(), file)}: ${log.size} transitions, mean return ${returns.toFixed(1)}`,
  );
}
