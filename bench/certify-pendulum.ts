/**
 * B1: certify the published Yang et al. 2024 pendulum models (read from ../shared/anchors/yang2024
 * when present, else the copies under controllers/hybrid/models), refute mutants, bisect the
 * largest verifiable ρ, and estimate the certified area share. Writes bench/results/certify-pendulum.json
 * and an SVG of each certified region. With --plots it only redraws those plots from the committed
 * JSON (its ρ x1.25 counterexamples), without verifying anything.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampledRoaLevel } from '../research/lyapunov/roa-estimate.ts';
import { bisectRho, type Certificate, certify } from '../src/verification/certificate.ts';
import { type LyapunovModel, type NeuralModelJson, parseModel } from '../src/verification/model.ts';
import { VerifierPool } from '../src/verification/parallel.ts';
import { levelSetGrid, regionPng, regionSvg } from '../src/verification/region.ts';
import { pendulumRegionPlot } from './certify-pendulum-plot.ts';
import { anchorsDir, machineInfo, printTable, repoRoot, resultsPath } from './report.ts';

const anchors = anchorsDir();
const source = anchors ?? join(repoRoot, 'controllers', 'hybrid', 'models', 'yang2024');
const published = {
  pendulum_u6: { share: 44.02, rho: 672 },
  pendulum_u075: { share: 35.26, rho: 1.15516 },
} as const;

type Raw = NeuralModelJson;
const readRaw = (name: string): Raw => JSON.parse(readFileSync(join(source, `${name}.json`), 'utf8'));

/** Scales the controller's output layer (the mutation most likely to break the decrease). */
const scaleOutput = (r: Raw, factor: number) => {
  const last = r.controller.layers.at(-1)!;
  last.weight = last.weight.map((row) => row.map((w) => w * factor));
};

const mutations: { name: string; apply: (raw: Raw) => void }[] = [
  { name: 'controller output layer x0.8', apply: (r) => scaleOutput(r, 0.8) },
  { name: 'controller output layer x0.5', apply: (r) => scaleOutput(r, 0.5) },
  { name: 'controller W0[0][0] x1.1', apply: (r) => (r.controller.layers[0]!.weight[0]![0]! *= 1.1) },
  { name: 'phi W1[0][0] +0.05', apply: (r) => (r.lyapunov.phi.layers[1]!.weight[0]![0]! += 0.05) },
  { name: 'R[0][0] x0.5', apply: (r) => (r.lyapunov.R[0]![0]! *= 0.5) },
];

function row(label: string, c: Certificate) {
  return [label, c.rho, c.result, c.method, c.boxes.visited, c.boxes.unknown, c.timeSeconds, c.workers];
}

/** Draws a model's region plot (SVG and PNG) into bench/results. */
function writePlots(name: string, model: LyapunovModel, raisedCounterexample: readonly number[] | undefined) {
  const plot = pendulumRegionPlot(name, model, raisedCounterexample);
  writeFileSync(resultsPath(`certify-pendulum-${name}.svg`), regionSvg(plot));
  writeFileSync(resultsPath(`certify-pendulum-${name}.png`), regionPng(plot));
}

// --plots: redraw the plots from the committed results (their ρ x1.25 counterexamples), verifying nothing.
if (process.argv.includes('--plots')) {
  const committed = JSON.parse(readFileSync(resultsPath('certify-pendulum.json'), 'utf8')) as {
    results: { model: string; raisedRho: { counterexample: { x: number[] } | null } }[];
  };
  for (const name of Object.keys(published) as (keyof typeof published)[]) {
    const entry = committed.results.find((r) => r.model === name);
    if (!entry)
      throw new Error(`bench/results/certify-pendulum.json has no results for ${name}; run the benchmark`);
    writePlots(name, parseModel(readRaw(name), name), entry.raisedRho.counterexample?.x);
    console.log(`${name}: redrew ${resultsPath(`certify-pendulum-${name}.svg`)} and .png`);
  }
  process.exit(0);
}

const results: Record<string, unknown>[] = [];
// Worker threads kept warm across runs; the first run below also reports the cold start.
const pool = new VerifierPool(2);
const table: unknown[][] = [];
for (const name of Object.keys(published) as (keyof typeof published)[]) {
  const model: LyapunovModel = parseModel(readRaw(name), name);
  const linear2cold = (await certify(model, { workers: 2 })).certificate;
  const linear2 = (await certify(model, { pool })).certificate;
  const linear1 = (await certify(model, { workers: 0 })).certificate;
  // IBP alone, capped per task so the comparison finishes; "unknown" means the cap was reached.
  const ibp = (await certify(model, { pool, method: 'ibp', maxBoxes: 400_000 })).certificate;
  table.push(
    row(`${name} linear 2 workers (cold start)`, linear2cold),
    row(`${name} linear 2 workers (warm pool)`, linear2),
    row(`${name} linear 1 thread`, linear1),
    row(`${name} IBP 2 workers`, ibp),
  );

  const raised = (await certify(model, { rho: model.spec.rho * 1.25, pool })).certificate;
  table.push(row(`${name} rho x1.25`, raised));
  const mutants = [];
  for (const m of mutations) {
    const raw = readRaw(name);
    m.apply(raw);
    const c = (await certify(parseModel(raw, `${name} ${m.name}`), { pool })).certificate;
    table.push(row(`${name} ${m.name}`, c));
    mutants.push({
      mutation: m.name,
      result: c.result,
      method: c.method,
      timeSeconds: c.timeSeconds,
      counterexample: c.counterexample ?? null,
    });
  }
  const bisect = await bisectRho(model, { pool, rho: model.spec.rho });
  const grid = levelSetGrid(model, model.spec.rho, 2000);
  const sampled = sampledRoaLevel(model);
  writePlots(name, model, raised.counterexample?.x);
  results.push({
    model: name,
    source: anchors ? 'anchors folder' : 'repository copy',
    rho: model.spec.rho,
    verify: {
      linear2workersColdStart: linear2cold,
      linear2workersWarmPool: linear2,
      linear1thread: linear1,
      ibp2workers: ibp,
    },
    raisedRho: { rho: raised.rho, result: raised.result, counterexample: raised.counterexample ?? null },
    mutants,
    bisection: { largestVerified: bisect.verified, smallestFailed: bisect.failed, runs: bisect.steps },
    sampledLevel: {
      ...sampled,
      method: 'seed paper: min(max V over stable rollouts, min V over unstable), 2000 rollouts of 400 steps',
    },
    area: {
      method: 'midpoint rule, 2000x2000 cells, float64',
      area: grid.area,
      sharePercent: grid.share * 100,
      publishedSharePercent: published[name].share,
    },
  });
  console.log(
    `${name}: area share ${(grid.share * 100).toFixed(2)} % (anchor ${published[name].share} %), largest verified rho ${bisect.verified} (fails at ${bisect.failed}), sampled level c ${sampled.level.toPrecision(5)} (${sampled.stable} stable / ${sampled.unstable} unstable rollouts)`,
  );
}

await pool.dispose();
printTable(
  'B1 pendulum: verification of the published models and mutants',
  ['case', 'rho', 'result', 'method', 'boxes', 'unknown', 'seconds', 'workers'],
  table,
);
writeFileSync(
  resultsPath('certify-pendulum.json'),
  `${JSON.stringify({ benchmark: 'certify-pendulum', ...machineInfo(), results }, null, 2)}\n`,
);
