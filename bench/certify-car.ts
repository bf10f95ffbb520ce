/**
 * B2: car tracking random 10-segment roads whose friction switches at the vertices (dry |u| ≤ 0.84,
 * icy |u| ≤ 0.5), with the published per-mode path-tracking controllers and verified Lyapunov
 * levels. Compares: switching blindly at each vertex; the certified check with the RoA planner
 * (lateral-offset references scored by the seed paper's relu(V − ρ) objective, refined with
 * RMSprop); and an MPC baseline. Reports valid % (time with |d_e| < 3 m), the share of switches
 * whose post-switch state is certified, and time per control step.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CertifiedMode, certifiedMode } from '../controllers/hybrid/modes.ts';
import { PathTrackingMpc } from '../controllers/hybrid/mpc.ts';
import { ReferenceGridPlanner } from '../controllers/hybrid/planner.ts';
import { carParams, carReset, carStep, type RoadSegment, randomRoad } from '../sim/hybrid/car.ts';
import { checkCertificate } from '../src/verification/certificate.ts';
import { loadModel } from '../src/verification/io.ts';
import { machineInfo, printTable, repoRoot, resultsPath } from './report.ts';

const models = join(repoRoot, 'controllers', 'hybrid', 'models');
function mode(name: string, file: string): CertifiedMode {
  const model = loadModel(join(models, 'yang2024', `${file}.json`));
  const rho = checkCertificate(
    model,
    JSON.parse(readFileSync(join(models, 'certificates', `${file}.cert.json`), 'utf8')),
  );
  return certifiedMode(name, model, rho, `certificate ${file}.cert.json`);
}

const modes = [mode('dry', 'path_tracking_u084'), mode('icy', 'path_tracking_u05')];
const estimateRadius = 0.01;
const maxKink = Number(process.env.MAX_KINK ?? 1.8);
const lookahead = 40;
const offsets = Array.from({ length: 21 }, (_, i) => [-2.5 + 0.25 * i, 0]);

type Policy = 'blind' | 'planner' | 'mpc';

interface EpisodeStats {
  steps: number;
  valid: number;
  switches: number;
  certifiedSwitches: number;
  plans: number;
  computeSeconds: number;
  maxStepSeconds: number;
}

/** Sound check: is the estimate box around x inside the mode's verified sublevel set? */
const range = new Float64Array(2);
function certified(m: CertifiedMode, x: ArrayLike<number>): boolean {
  const lo = [x[0]! - estimateRadius, x[1]! - estimateRadius];
  const hi = [x[0]! + estimateRadius, x[1]! + estimateRadius];
  const { boxLo, boxUp } = m.model.spec;
  if (lo.some((v, i) => v < boxLo[i]!) || hi.some((v, i) => v > boxUp[i]!)) return false;
  m.bounds.valueRange(lo, hi, range);
  return range[1]! < m.rho;
}

function episode(road: readonly RoadSegment[], policy: Policy, x0: readonly number[]): EpisodeStats {
  const p = carParams;
  const x = Float64Array.from(x0);
  const next = new Float64Array(2);
  const shifted = new Float64Array(2);
  const mpc = new PathTrackingMpc(p);
  const stats: EpisodeStats = {
    steps: 0,
    valid: 0,
    switches: 0,
    certifiedSwitches: 0,
    plans: 0,
    computeSeconds: 0,
    maxStepSeconds: 0,
  };
  for (let seg = 0; seg < road.length; seg++) {
    const segment = road[seg]!;
    const m = modes[segment.mode]!;
    const nextSegment = road[seg + 1];
    let s = 0;
    let reference: Float64Array | null = null;
    let planned = false;
    while (s < segment.length) {
      const start = performance.now();
      const stepsLeft = Math.ceil((segment.length - s) / (p.dt * p.speed));
      if (policy === 'planner' && nextSegment && !planned && stepsLeft <= lookahead) {
        planned = true;
        const to = modes[nextSegment.mode]!;
        const closedLoop = (state: Float64Array, ref: Float64Array | null, out: Float64Array) => {
          shifted[0] = state[0]! - (ref ? ref[0]! : 0);
          shifted[1] = state[1]!;
          carStep(p, state, m.forward.control(shifted), out);
        };
        // Predict the post-switch state without a plan; plan only when it would not be certified.
        const probe = Float64Array.from(x);
        for (let k = 0; k < stepsLeft; k++) {
          closedLoop(probe, null, next);
          probe.set(next);
        }
        carReset(nextSegment.kink, probe);
        if (!certified(to, probe)) {
          const planner = new ReferenceGridPlanner(offsets, stepsLeft, 5, 0.05, (state) =>
            carReset(nextSegment.kink, state),
          );
          const plan = planner.plan(m, to, x, closedLoop);
          if (plan) {
            reference = plan.reference;
            stats.plans++;
          }
        }
      }
      let u: number;
      if (policy === 'mpc') u = mpc.control(x, p.uLimit[segment.mode]!);
      else {
        shifted[0] = x[0]! - (reference ? reference[0]! : 0);
        shifted[1] = x[1]!;
        u = m.forward.control(shifted);
      }
      const elapsed = (performance.now() - start) / 1000;
      stats.computeSeconds += elapsed;
      stats.maxStepSeconds = Math.max(stats.maxStepSeconds, elapsed);
      u = Math.min(p.uLimit[segment.mode]!, Math.max(-p.uLimit[segment.mode]!, u));
      carStep(p, x, u, next);
      s += p.dt * p.speed * Math.cos(x[1]!);
      x.set(next);
      stats.steps++;
      if (Math.abs(x[0]!) < 3) stats.valid++;
      if (stats.steps > 5000) break;
    }
    if (nextSegment) {
      carReset(nextSegment.kink, x);
      stats.switches++;
      if (certified(modes[nextSegment.mode]!, x)) stats.certifiedSwitches++;
    }
  }
  return stats;
}

const maps = Array.from({ length: 25 }, (_, i) => randomRoad(1000 + i, 10, maxKink));
const policies: Policy[] = ['blind', 'planner', 'mpc'];
const summary = policies.map((policy) => {
  const total: EpisodeStats = {
    steps: 0,
    valid: 0,
    switches: 0,
    certifiedSwitches: 0,
    plans: 0,
    computeSeconds: 0,
    maxStepSeconds: 0,
  };
  const perMapValid: number[] = [];
  maps.forEach((road, i) => {
    const e = episode(road, policy, [0.5 * Math.sin(i), 0.3 * Math.cos(i)]);
    perMapValid.push((100 * e.valid) / e.steps);
    for (const k of ['steps', 'valid', 'switches', 'certifiedSwitches', 'plans', 'computeSeconds'] as const)
      total[k] += e[k];
    total.maxStepSeconds = Math.max(total.maxStepSeconds, e.maxStepSeconds);
  });
  return {
    policy,
    validPercent: (100 * total.valid) / total.steps,
    mapsFullyValid: perMapValid.filter((v) => v === 100).length,
    switchCheckPassPercent: (100 * total.certifiedSwitches) / total.switches,
    switches: total.switches,
    plans: total.plans,
    meanStepMicros: (1e6 * total.computeSeconds) / total.steps,
    maxStepMicros: 1e6 * total.maxStepSeconds,
  };
});

const mpcMean = summary.find((s) => s.policy === 'mpc')!.meanStepMicros;
printTable(
  'B2 car with friction modes, 25 random roads (valid: |d_e| < 3 m)',
  [
    'policy',
    'valid %',
    'maps 100 %',
    'switch check pass %',
    'switches',
    'plans',
    'mean step µs',
    'max step µs',
    'MPC / this',
  ],
  summary.map((s) => [
    s.policy,
    s.validPercent,
    s.mapsFullyValid,
    s.switchCheckPassPercent,
    s.switches,
    s.plans,
    s.meanStepMicros,
    s.maxStepMicros,
    mpcMean / s.meanStepMicros,
  ]),
);
writeFileSync(
  resultsPath('certify-car.json'),
  `${JSON.stringify({ benchmark: 'certify-car', ...machineInfo(), maps: 25, maxKinkRad: maxKink, estimateRadius, lookahead, modes: modes.map((m) => ({ name: m.name, model: m.model.name, rho: m.rho })), summary }, null, 2)}\n`,
);
