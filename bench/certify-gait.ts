/**
 * B3: gait switching of a vertical pogo hopper (flight/compression/thrust phases, apex height as
 * the Poincaré state, gaits = target apex heights 0.58–1.00 m). Random switch requests over gait
 * pairs and start apexes, three policies: blind switching, check only (deny switches that fail
 * the check, re-checked every apex), check + waypoint planner. Success: apex within 0.01 m of the
 * target after 10 hops without falling. The levels in the check are the seed paper's sampled
 * levels c: sampled, not verified.
 */
import { writeFileSync } from 'node:fs';
import { GaitLibrary } from '../controllers/hybrid/hopper/gait.ts';
import {
  defaultSwitching,
  GaitWaypointPlanner,
  runSwitchEpisode,
  type SwitchEpisode,
  type SwitchPolicy,
} from '../controllers/hybrid/hopper/switching.ts';
import { HopperReturnMap, hopperParams } from '../sim/hybrid/hopper.ts';
import { Rng } from '../src/core/rng.ts';
import { machineInfo, printTable, resultsPath } from './report.ts';

const requests = Number(process.env.REQUESTS ?? 100);
const seed = 2026;
const libraryApexes = Array.from({ length: 50 }, (_, i) => Math.round(57 + i) / 100);
const requestGaits = Array.from({ length: 22 }, (_, i) => Math.round(58 + 2 * i) / 100);

const designStart = performance.now();
const library = new GaitLibrary(libraryApexes);
const designSeconds = (performance.now() - designStart) / 1000;
const map = new HopperReturnMap();
const planner = new GaitWaypointPlanner(library, map);

interface SwitchCase {
  readonly from: number;
  readonly to: number;
  readonly start: number;
}

/** Random requests over gait pairs with |h_a − h_b| ≥ minJump, start apex h_a ± 0.01 m. */
function randomCases(caseSeed: number, minJump: number): SwitchCase[] {
  const rng = new Rng(caseSeed);
  return Array.from({ length: requests }, () => {
    for (;;) {
      const a = requestGaits[rng.int(requestGaits.length)]!;
      const b = requestGaits[rng.int(requestGaits.length)]!;
      if (a !== b && Math.abs(a - b) >= minJump - 1e-9)
        return { from: a, to: b, start: a + rng.range(-0.01, 0.01) };
    }
  });
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const policies: SwitchPolicy[] = ['blind', 'check', 'planner'];

function runScenario(name: string, cases: readonly SwitchCase[]) {
  const episodes = new Map<SwitchPolicy, SwitchEpisode[]>();
  const summary = policies.map((policy) => {
    const runs = cases.map((c) =>
      runSwitchEpisode(policy, map, planner, library.at(c.from), library.at(c.to), c.start),
    );
    episodes.set(policy, runs);
    const checks = runs.flatMap((r) => r.checkMicros).sort((x, y) => x - y);
    const plansTimed = runs.flatMap((r) => r.planMicros).sort((x, y) => x - y);
    const switched = runs.filter((r) => r.switchedAtHop >= 0);
    return {
      policy,
      successPercent: (100 * runs.filter((r) => r.success).length) / runs.length,
      falls: runs.filter((r) => r.fell).length,
      denied: runs.filter((r) => r.denied && !r.fell).length,
      plans: runs.reduce((s, r) => s + r.plans, 0),
      meanSwitchHop: switched.reduce((s, r) => s + r.switchedAtHop, 0) / Math.max(1, switched.length),
      checkDecisions: checks.length,
      checkMedianMicros: quantile(checks, 0.5),
      checkP99Micros: quantile(checks, 0.99),
      planningDecisions: plansTimed.length,
      planMedianMicros: quantile(plansTimed, 0.5),
      planP99Micros: quantile(plansTimed, 0.99),
      planMaxMicros: plansTimed.at(-1) ?? Number.NaN,
    };
  });
  printTable(
    `B3 pogo hopper gait switching, ${name}: ${cases.length} requests (success: |h − h*| < 0.01 m after 10 hops, no fall)`,
    [
      'policy',
      'success %',
      'falls',
      'denied',
      'plans',
      'mean switch hop',
      'check median µs',
      'check p99 µs',
      'planning decision median µs',
      'p99 µs',
      'max µs',
    ],
    summary.map((s) => [
      s.policy,
      s.successPercent,
      s.falls,
      s.denied,
      s.plans,
      s.meanSwitchHop,
      s.checkMedianMicros,
      s.checkP99Micros,
      s.planMedianMicros,
      s.planP99Micros,
      s.planMaxMicros,
    ]),
  );
  return { name, cases, episodes, summary };
}

const allPairs = runScenario('all gait pairs', randomCases(seed, 0));
const largeJumps = runScenario('large switches |h_a − h_b| ≥ 0.25 m', randomCases(seed + 1, 0.25));
const everyPair = runScenario(
  'every ordered gait pair from its exact apex',
  requestGaits.flatMap((from) =>
    requestGaits.filter((to) => to !== from).map((to) => ({ from, to, start: from })),
  ),
);

/** Apex per hop for a few requests that fall when switched blindly: blind vs check + planner. */
function plot(file: string, scenario: ReturnType<typeof runScenario>): number[] {
  const { cases, episodes } = scenario;
  const blind = episodes.get('blind')!;
  const planned = episodes.get('planner')!;
  const picked = cases
    .map((_, i) => i)
    .filter((i) => blind[i]!.fell && planned[i]!.success)
    .slice(0, 3);
  const w = 640;
  const h = 360;
  const pad = 50;
  const hops = defaultSwitching.hopBudget;
  const yLo = 0.5;
  const yHi = 1.05;
  const px = (k: number) => pad + ((w - 2 * pad) * k) / hops;
  const py = (v: number) => h - pad - ((h - 2 * pad) * (v - yLo)) / (yHi - yLo);
  const colours = ['#1f77b4', '#d62728', '#2ca02c'];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="11">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${w / 2}" y="18" text-anchor="middle" font-size="13">B3 hopper: apex height per hop after a gait-switch request</text>`,
    `<text x="${w / 2}" y="34" text-anchor="middle">solid: check + planner (waypoint gaits); dashed: blind switch (x = fall); dotted: target</text>`,
    `<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="black"/>`,
    `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" stroke="black"/>`,
    `<text x="${w / 2}" y="${h - 12}" text-anchor="middle">hop after the request</text>`,
    `<text x="14" y="${h / 2}" transform="rotate(-90 14 ${h / 2})" text-anchor="middle">apex height (m)</text>`,
  ];
  for (let k = 0; k <= hops; k += 2)
    parts.push(`<text x="${px(k)}" y="${h - pad + 14}" text-anchor="middle">${k}</text>`);
  for (let v = 0.5; v <= 1.05; v += 0.1)
    parts.push(`<text x="${pad - 4}" y="${py(v) + 4}" text-anchor="end">${v.toFixed(1)}</text>`);
  const stall = hopperParams.restLength + hopperParams.minClearance;
  parts.push(
    `<line x1="${pad}" y1="${py(stall)}" x2="${w - pad}" y2="${py(stall)}" stroke="#999"/>`,
    `<text x="${w - pad}" y="${py(stall) - 3}" text-anchor="end" fill="#666">stall (foot clearance ${hopperParams.minClearance} m)</text>`,
  );
  picked.forEach((i, j) => {
    const colour = colours[j % colours.length]!;
    const c = cases[i]!;
    const line = (apexes: readonly number[], dash: string) => {
      const points = apexes
        .map((v, k) => [k, v] as const)
        .filter(([, v]) => Number.isFinite(v))
        .map(([k, v]) => `${px(k).toFixed(1)},${py(v).toFixed(1)}`);
      parts.push(
        `<polyline fill="none" stroke="${colour}" stroke-width="2" ${dash} points="${points.join(' ')}"/>`,
      );
    };
    line(planned[i]!.apexes, '');
    const blindApexes = blind[i]!.apexes;
    line(blindApexes, 'stroke-dasharray="6 4"');
    const fallHop = blindApexes.findIndex((v) => !Number.isFinite(v));
    if (fallHop > 0)
      parts.push(
        `<text x="${px(fallHop)}" y="${py(stall) + 4}" text-anchor="middle" fill="${colour}" font-size="14">x</text>`,
      );
    parts.push(
      `<line x1="${pad}" y1="${py(c.to)}" x2="${w - pad}" y2="${py(c.to)}" stroke="${colour}" stroke-dasharray="1 3"/>`,
      `<text x="${w - pad - 4}" y="${pad + 14 * (j + 1)}" text-anchor="end" fill="${colour}">${c.from.toFixed(2)} → ${c.to.toFixed(2)} m</text>`,
    );
  });
  parts.push('</svg>');
  writeFileSync(resultsPath(file), `${parts.join('\n')}\n`);
  return picked;
}
/** Physical duration of one hop at apex h (the time a decision at the apex could take). */
function hopPeriod(apex: number): number {
  map.hop(apex, library.at(apex).feedforward);
  return map.steps * hopperParams.dt;
}

const plotted = plot('certify-gait.svg', largeJumps);

writeFileSync(
  resultsPath('certify-gait.json'),
  `${JSON.stringify(
    {
      benchmark: 'certify-gait',
      ...machineInfo(),
      system: 'pogo hopper (vertical), apex-height Poincaré map',
      params: hopperParams,
      requestsPerScenario: requests,
      requestGaits,
      seed,
      switching: defaultSwitching,
      levels: 'sampled, not verified (seed paper level c from rollouts; sampling only refutes)',
      gaitDesign: library.config,
      libraryDesignSeconds: designSeconds,
      gaits: library.gaits.map((g) => ({
        apex: g.apex,
        feedforward: g.feedforward,
        gain: g.gain,
        sampledLevelNotVerified: g.sampledLevel,
        sampledHalfWidth: Math.sqrt(g.sampledLevel / g.valueWeight),
      })),
      scenarios: [allPairs, largeJumps, everyPair].map((s) => ({
        name: s.name,
        summary: s.summary,
        maxPlansPerRequest: Math.max(...s.episodes.get('planner')!.map((e) => e.plans)),
        failedBlind: s.cases.filter((_, i) => !s.episodes.get('blind')![i]!.success),
      })),
      hopPeriodSeconds: hopPeriod(0.8),
      plotted: plotted.map((i) => largeJumps.cases[i]),
    },
    null,
    2,
  )}\n`,
);
