/**
 * A training job as background load for the timing benchmarks: fits an MLP (the project's training
 * engine, one core) to random data, epoch after epoch, until it is killed.
 *
 *   node --import tsx bench/training-load.ts
 */
import { Rng } from '../src/core/rng.ts';
import { fitMlp } from '../src/learning/regression.ts';

const rng = new Rng(1);
const n = 4096;
const x = Float64Array.from({ length: n * 64 }, () => rng.normal());
const y = Float64Array.from({ length: n * 8 }, () => rng.normal());
process.stdout.write('training load running\n');
for (let round = 0; ; round++) {
  fitMlp(x, y, 64, 8, { hidden: [256, 256], activation: 'relu', epochs: 1, batchSize: 256, seed: round });
}
