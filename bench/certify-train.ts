/**
 * B1 (part 2): train our own |u| ≤ 0.75 pendulum controller and Lyapunov function (decrease loss,
 * growing sampling box, counterexample-guided rounds), certify the largest ρ, and compare the
 * certified area share with the published model's 35.26 %. Several seeds, all reported; the best
 * is written to controllers/hybrid/models/trained/ with its certificate and a plot.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  defaultPendulumClfConfig,
  PendulumClfTrainer,
  trainWithCounterexamples,
} from '../research/lyapunov/pendulum-clf.ts';
import { bisectRho, certify } from '../src/verification/certificate.ts';
import { parseModel } from '../src/verification/model.ts';
import { levelSetGrid, regionPng, regionSvg, rollout } from '../src/verification/region.ts';
import { machineInfo, printTable, repoRoot, resultsPath } from './report.ts';

const seeds = [0, 1, 2, 3, 4, 5];
const config = { ...defaultPendulumClfConfig, cegisRounds: 3, cegisIterations: 1000 };
const runs = [];
let best:
  | { seed: number; share: number; rho: number; json: ReturnType<PendulumClfTrainer['toModel']> }
  | undefined;
for (const seed of seeds) {
  const trainer = new PendulumClfTrainer({ ...config, seed });
  const start = performance.now();
  const cegis = await trainWithCounterexamples(trainer);
  const trainSeconds = (performance.now() - start) / 1000;
  const model = parseModel(trainer.toModel(`pendulum_u075_trained_s${seed}`, 1));
  const bisect = await bisectRho(
    model,
    { workers: 2, rho: Math.max(cegis.best.verifiedRho, 1e-3), falsifier: false },
    1e-3,
  );
  const rho = bisect.verified;
  const share = rho > 0 ? levelSetGrid(model, rho, 2000).share * 100 : 0;
  runs.push({
    seed,
    trainSeconds,
    cegisRounds: cegis.rounds,
    verifiedRho: rho,
    failedRho: bisect.failed,
    sharePercent: share,
    certificate: bisect.certificate ?? null,
  });
  console.log(
    `seed ${seed}: trained in ${trainSeconds.toFixed(1)} s, verified rho ${rho}, certified share ${share.toFixed(2)} %`,
  );
  if (rho > 0 && (!best || share > best.share))
    best = { seed, share, rho, json: trainer.toModel('pendulum_u075_trained', rho) };
}

if (best) {
  const dir = join(repoRoot, 'controllers', 'hybrid', 'models', 'trained');
  writeFileSync(join(dir, 'pendulum_u075_trained.json'), `${JSON.stringify(best.json, null, 2)}\n`);
  const model = parseModel(best.json, 'pendulum_u075_trained');
  const { certificate } = await certify(model, { workers: 2 });
  writeFileSync(join(dir, 'pendulum_u075_trained.cert.json'), `${JSON.stringify(certificate, null, 2)}\n`);
  const starts = [
    [-4, 6],
    [4, -6],
    [2, 2],
    [-2, -2],
    [0, 8],
    [0, -8],
  ];
  const plot = {
    title: `trained |u| <= 0.75 (seed ${best.seed}): certified V < ${best.rho.toPrecision(4)}`,
    model,
    grid: levelSetGrid(model, best.rho, 240),
    trajectories: starts.map((x) => rollout(model, x, 200)),
    labels: ['theta (rad)', 'theta dot (rad/s)'] as [string, string],
  };
  writeFileSync(resultsPath('certify-train-region.svg'), regionSvg(plot));
  writeFileSync(resultsPath('certify-train-region.png'), regionPng(plot));
}

printTable(
  'B1 trained pendulum |u| <= 0.75 (published model: 35.26 % of B at rho 1.15516)',
  ['seed', 'train s', 'verified rho', 'share %'],
  runs.map((r) => [r.seed, r.trainSeconds, r.verifiedRho, r.sharePercent]),
);
writeFileSync(
  resultsPath('certify-train.json'),
  `${JSON.stringify({ benchmark: 'certify-train', ...machineInfo(), config, publishedSharePercent: 35.26, areaMethod: 'midpoint rule, 2000x2000 cells', bestSeed: best?.seed ?? null, runs }, null, 2)}\n`,
);
