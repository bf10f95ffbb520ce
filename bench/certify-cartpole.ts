/**
 * Certified cart-pole benchmark (issue: certified mode switches on real robots).
 *
 * 1. Swing-up → balance on the emulated rig's dynamics (configs/rig/cartpole-swingup.yaml: pole mass
 *    ×1.2, damping ×2, actuator gain ×0.95, 1 kHz physics, 500 Hz state, 2 ms actuator delay,
 *    actuator and sensor noise), run in-process and lock-stepped through the rig's own firmware
 *    (hardware/rig/firmware.ts) so hundreds of episodes fit this 2-core machine; from random starts
 *    around hanging, three switching policies:
 *      - certified: the certified guard (sound bound of V over the estimate box below ρ);
 *      - blind: switch at a fixed angle, |θ| < 0.6 rad or |θ| < 1 rad (where the others ask);
 *      - sampled: switch when the float V at the observation is below the seed paper's sampled
 *        level c (not sound), asking from |θ| < 1 rad.
 *    Success: balance reached (|θ| < 0.05 rad for the last 2 s) without a fall (|θ| > 0.8 rad after
 *    the switch) or a rail-limit hit (|x| > 2.4 m).
 * 2. The monitor on rigs whose dynamics lie outside the certified box: how often it trips before a
 *    fall, and how many ticks ahead; and how often it trips on the rig the certificate covers.
 * 3. Verification time of each certificate (as recorded when it was made), and guard / monitor
 *    cost per tick.
 * 4. Soundness: every shipped certificate re-checked by dense float64 sampling of its region, and
 *    broken models (raised ρ, perturbed gain, a parameter interval that does not hold) refuted.
 *
 * Run: node --import tsx bench/certify-cartpole.ts   (EPISODES=n, MONITOR_EPISODES=n, SAMPLES=n)
 * Writes bench/results/certify-cartpole.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CartpoleSwingUpController } from '../controllers/classical/cartpole-swingup.ts';
import { LqrController } from '../controllers/classical/lqr.ts';
import { buildModel, rigWithDelay, variants } from '../controllers/hybrid/cartpole/make.ts';
import {
  type CertifiedSwitchGuard,
  createCertifiedGuard,
} from '../controllers/hybrid/certified-switch-guard.ts';
import { createStateSample } from '../hardware/protocol/messages.ts';
import { Firmware } from '../hardware/rig/firmware.ts';
import { buildRigLayout } from '../hardware/rig/rig-model.ts';
import { sampledRoaLevel } from '../research/lyapunov/roa-estimate.ts';
import { envDefinition } from '../sim/envs/index.ts';
import { SimModel } from '../sim/model.ts';
import type { Controller } from '../src/core/controller.ts';
import { EventBuffer } from '../src/core/events.ts';
import { Rng } from '../src/core/rng.ts';
import type { RobotInfo } from '../src/core/robot.ts';
import { certify } from '../src/verification/certificate.ts';
import { commandRateAt, commandRateLimit } from '../src/verification/command-rate.ts';
import { ForwardModel } from '../src/verification/forward.ts';
import { loadModel } from '../src/verification/io.ts';
import { type LyapunovModel, parseModel, searchDim } from '../src/verification/model.ts';
import { levelSetGrid, regionPng, regionSvg, rollout } from '../src/verification/region.ts';
import { machineInfo } from './report.ts';

const repo = join(import.meta.dirname, '..');
const models = join(repo, 'controllers/hybrid/models');
const episodes = Number(process.env['EPISODES'] ?? 200);
const monitorEpisodes = Number(process.env['MONITOR_EPISODES'] ?? 50);
const samples = Number(process.env['SAMPLES'] ?? 200_000);
const dt = 0.02;
const innerHz = 1000;
/** The swing-up of configs/cartpole-swingup-certified-rig.yaml. */
const swingUpConfig = {
  catch: false,
  energyGain: Number(process.env['SWING_GAIN'] ?? 100),
  ...(process.env['SWING_ACC'] ? { maxAcceleration: Number(process.env['SWING_ACC']) } : {}),
};
const ticksPerControl = innerHz * dt;

interface RigPlant {
  readonly dynamics: Record<string, unknown>;
  readonly task: 'swingup' | 'balance';
  readonly resetNoise: number;
}

const rigGap = { massScale: { pole: 1.2 }, dampingScale: 2, actuatorGainScale: 0.95 };

/** The rig's firmware and physics, ticked in-process (no link): state at 500 Hz, commands at 50 Hz. */
class InProcessRig {
  readonly firmware: Firmware;
  readonly observation: Float64Array;
  private readonly sample = createStateSample();
  private readonly command;
  private readonly stateIndex: Int32Array;
  private seq = 0;
  constructor(
    readonly sim: SimModel,
    readonly info: RobotInfo,
    kernel: ReturnType<ReturnType<typeof envDefinition>['bind']>,
    seed: number,
    resetNoise: number,
  ) {
    const layout = buildRigLayout(sim, kernel, {
      name: 'cartpole',
      commandMode: 'torque',
      stateRateHz: 500,
      innerLoopHz: innerHz,
      watchdogMs: 1000,
    });
    this.firmware = new Firmware(sim, kernel, layout, {
      commandMode: 'torque',
      kp: new Float64Array(1),
      kd: new Float64Array(1),
      actuatorDelayUs: 2000,
      actuatorNoise: 0.05,
      sensorNoise: 0.0005,
      seed,
      resetNoise,
    });
    this.stateIndex = Int32Array.from(layout.hello.observation, (o) => o.stateIndex);
    this.observation = new Float64Array(layout.hello.observation.length);
    this.command = {
      seq: 0,
      timeUs: 0,
      stateSeq: 0,
      mode: 0,
      count: 1,
      hasGains: false,
      target: new Float64Array(8),
      kp: new Float64Array(8),
      kd: new Float64Array(8),
    };
    this.firmware.activate();
    this.firmware.held = false;
  }
  /** Latest streamed state (sampled every 2 ms). */
  read(): Float64Array {
    const v = this.sample.values;
    for (let i = 0; i < this.observation.length; i++) this.observation[i] = v[this.stateIndex[i]!]!;
    return this.observation;
  }
  /** Sends u now, then runs one control period of the inner loop. */
  step(u: number): void {
    this.command.seq = ++this.seq;
    this.command.target[0] = u;
    this.firmware.enqueue(this.command, this.firmware.simTimeUs);
    for (let k = 0; k < ticksPerControl; k++) {
      this.firmware.tick(1e6 / innerHz);
      if (k % 2 === 1) this.firmware.sample(this.sample);
    }
  }
  dispose(): void {
    this.firmware.dispose();
  }
}

async function makeRig(plant: RigPlant, seed: number): Promise<InProcessRig> {
  const sim = await SimModel.load('cartpole', { ...plant.dynamics, timestep: 1 / innerHz });
  const kernel = envDefinition('cartpole').bind(sim, plant.task);
  const info: RobotInfo = {
    name: 'cartpole',
    transport: 'serial',
    observation: kernel.observation,
    action: kernel.action,
    capabilities: { minRateHz: 1, maxRateHz: innerHz, lockStep: false, innerLoopHz: innerHz, features: [] },
  };
  const rig = new InProcessRig(sim, info, kernel, seed, plant.resetNoise);
  rig.firmware.sample(rig['sample']);
  return rig;
}

async function configured<T extends Controller>(c: T, info: RobotInfo): Promise<T> {
  await c.configure({ observation: info.observation, action: info.action, dt, events: new EventBuffer() });
  return c;
}

/** The rig's certificate the guard and the monitor use (robust over its gap and its 2 ms delay). */
const rigCertificate = 'cartpole/cartpole_lqr_rig_delay';

async function guardFor(
  info: RobotInfo,
  balance: Controller,
  swingup: Controller,
): Promise<CertifiedSwitchGuard> {
  const guard = await createCertifiedGuard(
    {
      certificates: {
        balance: {
          model: join(models, `${rigCertificate}.json`),
          certificate: join(models, `${rigCertificate}.cert.json`),
        },
      },
      monitor: true,
      admitBelow: 1,
    },
    { baseDir: repo },
  );
  guard.configure({
    observation: info.observation,
    action: info.action,
    dt,
    events: new EventBuffer(),
    controllers: ['swingup', 'balance'],
    robot: info,
    controllerInstances: new Map<string, Controller>([
      ['swingup', swingup],
      ['balance', balance],
    ]),
  });
  return guard;
}

/** certified and sampled ask from |θ| < 1 (the configs' rule); the blind ones switch at their angle. */
type Policy = 'certified' | 'blind-0.6' | 'blind-1.0' | 'sampled';
const trigger: Record<Policy, number> = { certified: 1, 'blind-0.6': 0.6, 'blind-1.0': 1, sampled: 1 };

interface Episode {
  readonly switched: boolean;
  readonly switchTime: number;
  readonly fell: boolean;
  readonly limit: boolean;
  readonly balanced: boolean;
  readonly balanceTime: number;
}

async function swingUpEpisode(
  policy: Policy,
  seed: number,
  sampledLevel: number,
  rigModel: LyapunovModel,
): Promise<Episode> {
  const rig = await makeRig({ dynamics: rigGap, task: 'swingup', resetNoise: 8 }, seed);
  try {
    const swingup = await configured(new CartpoleSwingUpController({ ...swingUpConfig }), rig.info);
    const balance = await configured(new LqrController({ model: 'cartpole' }), rig.info);
    const guard = policy === 'certified' ? await guardFor(rig.info, balance, swingup) : undefined;
    const f = new ForwardModel(rigModel);
    const action = new Float64Array(1);
    /** The command sent last (the delayed actuator applies it first in the next period). */
    const lastCommand = new Float64Array(1);
    const seconds = 12;
    let active: Controller = swingup;
    let requested = false;
    let switchTime = Number.NaN;
    let fell = false;
    let limit = false;
    let uprightSince = Number.NaN;
    for (let k = 0; k < seconds / dt; k++) {
      const t = k * dt;
      const obs = rig.read();
      if (active === swingup) {
        const near = Math.abs(obs[1]!) < trigger[policy];
        if (near) requested = true;
        let admit = false;
        if (policy.startsWith('blind')) admit = near;
        else if (policy === 'sampled') admit = near && f.value(obs) < sampledLevel;
        else if (requested)
          admit = guard!.admit('swingup', 'balance', obs, t, lastCommand).verdict === 'admit';
        if (admit) {
          active = balance;
          switchTime = t;
        }
      } else {
        if (Math.abs(obs[1]!) > 0.8) fell = true;
      }
      if (process.env['TRACE'] && k % 5 === 0)
        process.stderr.write(
          `t=${t.toFixed(2)} x=${Array.from(obs, (v) => v.toFixed(3)).join(',')} V=${f.value(obs).toFixed(1)} ${active === swingup ? 'swingup' : 'balance'}\n`,
        );
      if (Math.abs(obs[0]!) > 2.4) limit = true;
      if (Math.abs(obs[1]!) < 0.05 && active === balance) {
        if (Number.isNaN(uprightSince)) uprightSince = t;
      } else uprightSince = Number.NaN;
      if (fell || limit) break;
      active.update(obs, t, action);
      lastCommand[0] = Math.max(-20, Math.min(20, action[0]!));
      rig.step(lastCommand[0]);
    }
    const balanced = !fell && !limit && !Number.isNaN(uprightSince) && seconds - uprightSince >= 2;
    return {
      switched: !Number.isNaN(switchTime),
      switchTime,
      fell,
      limit,
      balanced,
      balanceTime: uprightSince,
    };
  } finally {
    rig.dispose();
  }
}

interface MonitorEpisode {
  readonly fell: boolean;
  readonly trippedTick: number;
  readonly fellTick: number;
}

async function monitorEpisode(dynamics: Record<string, unknown>, seed: number): Promise<MonitorEpisode> {
  const rig = await makeRig({ dynamics, task: 'balance', resetNoise: 3 }, seed);
  try {
    const swingup = await configured(new CartpoleSwingUpController({ catch: false }), rig.info);
    const balance = await configured(new LqrController({ model: 'cartpole' }), rig.info);
    const guard = await guardFor(rig.info, balance, swingup);
    const action = new Float64Array(1);
    let tripped = -1;
    let fellAt = -1;
    for (let k = 0; k < 5 / dt; k++) {
      const obs = rig.read();
      if (tripped < 0 && guard.monitor('balance', obs, k * dt)) tripped = k;
      if (Math.abs(obs[1]!) > 0.8 || Math.abs(obs[0]!) > 2.4) {
        fellAt = k;
        break;
      }
      balance.update(obs, k * dt, action);
      rig.step(action[0]!);
    }
    return { fell: fellAt >= 0, trippedTick: tripped, fellTick: fellAt };
  } finally {
    rig.dispose();
  }
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Guard and monitor cost per call, µs (median and p99 over batches of 100 calls). */
async function perTickCost(): Promise<Record<string, unknown>> {
  const rig = await makeRig({ dynamics: rigGap, task: 'balance', resetNoise: 1 }, 1);
  try {
    const swingup = await configured(new CartpoleSwingUpController({ catch: false }), rig.info);
    const balance = await configured(new LqrController({ model: 'cartpole' }), rig.info);
    const guard = await guardFor(rig.info, balance, swingup);
    const obs = Float64Array.from(rig.read());
    const lastCommand = new Float64Array(1);
    balance.update(obs, 0, lastCommand);
    const admitTimes: number[] = [];
    const monitorTimes: number[] = [];
    for (let b = 0; b < 400; b++) {
      let t0 = performance.now();
      for (let i = 0; i < 100; i++) guard.admit('swingup', 'balance', obs, 0, lastCommand);
      admitTimes.push(((performance.now() - t0) / 100) * 1000);
      t0 = performance.now();
      for (let i = 0; i < 100; i++) {
        obs[3] = obs[3]! + (i % 2 === 0 ? 1e-9 : -1e-9); // a fresh sample each call
        guard.monitor('balance', obs, i * dt);
      }
      monitorTimes.push(((performance.now() - t0) / 100) * 1000);
    }
    const p = (v: number[], q: number) => [...v].sort((a, b) => a - b)[Math.floor(q * (v.length - 1))]!;
    return {
      admitMicros: { median: median(admitTimes), p99: p(admitTimes, 0.99) },
      monitorMicros: { median: median(monitorTimes), p99: p(monitorTimes, 0.99) },
      controlPeriodMicros: dt * 1e6,
    };
  } finally {
    rig.dispose();
  }
}

/**
 * Dense float64 sampling of a certificate's region: counts violations of what it proved (expect 0),
 * the command-rate condition included where the model has one.
 */
function denseCheck(model: LyapunovModel, rho: number, count: number, seed: number): Record<string, number> {
  const f = new ForwardModel(model);
  const rateLimit = commandRateLimit(model);
  const rng = new Rng(seed);
  const n = model.stateDim;
  const dims = searchDim(model);
  const x = new Float64Array(dims);
  const next = new Float64Array(n);
  let inside = 0;
  let violations = 0;
  let tries = 0;
  // Half the points uniformly in B, half concentrated towards x* (where the margin is thinnest).
  while (inside < count && tries < 200 * count) {
    tries++;
    const scale = tries % 2 === 0 ? 1 : 10 ** rng.range(-3, 0);
    for (let i = 0; i < n; i++) x[i] = rng.range(model.spec.boxLo[i]!, model.spec.boxUp[i]!) * scale;
    model.uncertainty.forEach((u, k) => {
      x[n + k] = rng.uniform() < 0.3 ? (rng.uniform() < 0.5 ? u.lo : u.up) : rng.range(u.lo, u.up);
    });
    const v = f.value(x);
    if (!(v <= rho)) continue;
    inside++;
    f.stepClosedLoop(x, next);
    const { boxLo, boxUp, innerLevel } = model.spec;
    let inB = true;
    for (let i = 0; i < n; i++) inB &&= next[i]! >= boxLo[i]! && next[i]! <= boxUp[i]!;
    const vn = f.value(next);
    const decreaseRequired = !f.inHole(x) && v >= innerLevel;
    const rateBroken = rateLimit !== undefined && !(commandRateAt(f, x, next) <= rateLimit);
    if (!inB || (decreaseRequired ? !(vn - (1 - model.spec.kappa) * v < 0) : !(vn < rho)) || rateBroken)
      violations++;
  }
  return { sampled: inside, violations };
}

async function soundness(): Promise<Record<string, unknown>> {
  const checks: Record<string, unknown> = {};
  const shipped: [string, string][] = [
    ['pendulum_u6', 'yang2024/pendulum_u6'],
    ['pendulum_u075', 'yang2024/pendulum_u075'],
    ['path_tracking_u084', 'yang2024/path_tracking_u084'],
    ['path_tracking_u05', 'yang2024/path_tracking_u05'],
    ['cartpole_lqr', 'cartpole/cartpole_lqr'],
    ['cartpole_lqr_rig', 'cartpole/cartpole_lqr_rig'],
    ['cartpole_lqr_rig_delay', 'cartpole/cartpole_lqr_rig_delay'],
    ['cartpole_policy', 'cartpole/cartpole_policy'],
  ];
  for (const [name, path] of shipped) {
    const model = loadModel(join(models, `${path}.json`));
    const certPath = name.startsWith('cartpole')
      ? join(models, `${path}.cert.json`)
      : join(models, `certificates/${name}.cert.json`);
    const cert = JSON.parse(readFileSync(certPath, 'utf8'));
    checks[name] = {
      rho: cert.rho,
      ...denseCheck(model, cert.rho, samples, 7),
      verificationSeconds: cert.timeSeconds,
      boxes: cert.boxes.visited,
      holeBoxes: cert.holeCheck.boxes.visited,
      workers: cert.workers,
      machine: cert.machine,
    };
    process.stderr.write(`soundness ${name}: ${JSON.stringify(checks[name])}\n`);
  }
  // Broken models: each must be refuted with a concrete counterexample.
  const sim = loadModel(join(models, 'cartpole/cartpole_lqr.json'));
  const rigJson = await buildModel(
    variants.rig,
    loadModel(join(models, 'cartpole/cartpole_lqr_rig.json')).spec.rho,
  );
  const simJson = await buildModel(variants.sim, sim.spec.rho);
  const perturbed = JSON.parse(JSON.stringify(simJson));
  perturbed.controller.layers[0].weight[0] = perturbed.controller.layers[0].weight[0].map(
    (w: number) => w * 0.6,
  );
  const wrongInterval = JSON.parse(JSON.stringify(rigJson));
  wrongInterval.uncertainty.parameters.force_gain_scale = [0.3, 1];
  // The rig's model with its delay and the previous command within 4 N (make.ts rig-delay).
  const delayedJson = await buildModel(rigWithDelay, 150);
  const tightDelay = {
    ...delayedJson,
    uncertainty: { ...delayedJson.uncertainty, previous_command_within: 1 },
  };
  const { previous_command_within: _, ...anyCommand } = delayedJson.uncertainty ?? {};
  // At the inner level 25 of the certificate without the delay (the falsifier refutes it at once).
  const anyDelay = {
    ...delayedJson,
    uncertainty: anyCommand,
    spec: { ...delayedJson.spec, inner_level: 25 },
  };
  const policy = loadModel(join(models, 'cartpole/cartpole_policy.json'));
  const weakPolicy = JSON.parse(JSON.stringify(policy.source));
  const last = weakPolicy.controller.layers.at(-1);
  last.weight = last.weight.map((row: number[]) => row.map((w) => w * 0.6));
  const mutants: [string, LyapunovModel, number][] = [
    ['cartpole_lqr, rho x1.3', sim, sim.spec.rho * 1.3],
    ['cartpole_lqr, gain x0.6', parseModel(perturbed, 'gain x0.6'), sim.spec.rho],
    [
      'cartpole_lqr_rig, actuator gain interval [0.3, 1]',
      parseModel(wrongInterval, 'gain [0.3,1]'),
      wrongInterval.spec.rho,
    ],
    ['cartpole_lqr_rig_delay, previous command within 1 N', parseModel(tightDelay, 'within 1 N'), 150],
    [
      'cartpole_lqr_rig_delay, previous command anywhere in +-20 N (inner level 25)',
      parseModel(anyDelay, 'any previous command'),
      150,
    ],
    ['cartpole_policy, rho x4', policy, 240],
    ['cartpole_policy, output layer x0.6', parseModel(weakPolicy, 'policy output x0.6'), 60],
  ];
  const refuted: Record<string, unknown> = {};
  for (const [label, model, rho] of mutants) {
    const { certificate } = await certify(model, { rho, timeLimitSeconds: 600 });
    const cex = certificate.counterexample;
    refuted[label] = {
      result: certificate.result,
      seconds: certificate.timeSeconds,
      method: certificate.method,
      ...(cex
        ? { counterexample: { x: cex.x, reason: cex.reason, V: cex.value, decrease: cex.decrease } }
        : {}),
    };
    process.stderr.write(`mutant ${label}: ${certificate.result}\n`);
  }
  return { dense: checks, mutants: refuted };
}

/** Slices of both certified regions in the pole's plane (cart at rest at the centre). */
function plots(): void {
  for (const name of ['cartpole_lqr', 'cartpole_lqr_rig']) {
    const model = loadModel(join(models, `cartpole/${name}.json`));
    const starts = [
      [0, 0.35, 0, 0.5],
      [0, -0.3, 0, -1.5],
      [0, 0.1, 0, 2.5],
      [0, -0.15, 0, 2],
    ];
    const plot = {
      title: `${name}: V < ${model.spec.rho} in the pole's plane`,
      model,
      grid: levelSetGrid(model, model.spec.rho, 240, [1, 3], [0, 0, 0, 0]),
      trajectories: starts.map((x) => rollout(model, x, 150)),
      labels: ['pole.angle (rad)', 'pole.angvel (rad/s)'] as [string, string],
    };
    writeFileSync(join(repo, `bench/results/certify-cartpole-${name}.svg`), regionSvg(plot));
    writeFileSync(join(repo, `bench/results/certify-cartpole-${name}.png`), regionPng(plot));
  }
}

async function main(): Promise<void> {
  if (process.env['ONLY'] === 'plots') return plots();
  plots();
  const rigModel = loadModel(join(models, process.env['RIG_MODEL'] ?? `${rigCertificate}.json`));
  const nominal = loadModel(join(models, 'cartpole/cartpole_lqr.json'));
  const sampled = sampledRoaLevel(nominal);
  const started = Date.now();
  const phase: Record<string, number> = {};
  let mark = Date.now();
  const lap = (name: string) => {
    phase[name] = (Date.now() - mark) / 1000;
    mark = Date.now();
  };
  const swing: Record<string, unknown> = {};
  const only = process.env['ONLY'];
  for (const policy of ['certified', 'blind-0.6', 'blind-1.0', 'sampled'] as const) {
    if (only && only !== policy) continue;
    const runs: Episode[] = [];
    for (let e = 0; e < episodes; e++)
      runs.push(await swingUpEpisode(policy, 1000 + e, sampled.level, rigModel));
    const ok = runs.filter((r) => r.balanced);
    swing[policy] = {
      episodes: runs.length,
      balanced: ok.length,
      successRate: ok.length / runs.length,
      falls: runs.filter((r) => r.fell).length,
      limitHits: runs.filter((r) => r.limit).length,
      neverSwitched: runs.filter((r) => !r.switched).length,
      switchedButNotBalanced: runs.filter((r) => r.switched && !r.balanced && !r.fell && !r.limit).length,
      medianSwitchSeconds: median(runs.filter((r) => r.switched).map((r) => r.switchTime)),
      medianBalanceSeconds: median(ok.map((r) => r.balanceTime)),
    };
    process.stderr.write(`swing-up ${policy}: ${JSON.stringify(swing[policy])}\n`);
  }
  lap('swingUpSeconds');
  if (only) return;
  const monitor: Record<string, unknown> = {};
  const plants: [string, Record<string, unknown>][] = [
    ['documented gap (inside the certificate)', rigGap],
    ['pole x2.5, actuator gain x0.5', { massScale: { pole: 2.5 }, actuatorGainScale: 0.5 }],
    ['pole x4, actuator gain x0.3', { massScale: { pole: 4 }, actuatorGainScale: 0.3 }],
    ['actuator gain x0.25', { actuatorGainScale: 0.25 }],
  ];
  for (const [label, dynamics] of plants) {
    const runs: MonitorEpisode[] = [];
    for (let e = 0; e < monitorEpisodes; e++) runs.push(await monitorEpisode(dynamics, 5000 + e));
    const falls = runs.filter((r) => r.fell);
    const before = falls.filter((r) => r.trippedTick >= 0 && r.trippedTick < r.fellTick);
    monitor[label] = {
      episodes: runs.length,
      falls: falls.length,
      trippedBeforeFall: before.length,
      medianTicksBeforeFall: median(before.map((r) => r.fellTick - r.trippedTick)),
      minTicksBeforeFall: before.length ? Math.min(...before.map((r) => r.fellTick - r.trippedTick)) : null,
      tripsWithoutFall: runs.filter((r) => !r.fell && r.trippedTick >= 0).length,
    };
    process.stderr.write(`monitor ${label}: ${JSON.stringify(monitor[label])}\n`);
  }
  lap('monitorSeconds');
  const cost = await perTickCost();
  process.stderr.write(`cost: ${JSON.stringify(cost)}\n`);
  const sound = await soundness();
  lap('soundnessSeconds');
  const out = {
    benchmark: 'certify-cartpole',
    machine: machineInfo(),
    date: new Date().toISOString(),
    seconds: (Date.now() - started) / 1000,
    phases: phase,
    setup: {
      rig: 'in-process firmware of the emulated rig: pole mass x1.2, damping x2, actuator gain x0.95, 1 kHz physics, 500 Hz state, 2 ms actuator delay, actuator noise 0.05 N, sensor noise 0.0005',
      starts: 'hanging, resetNoise 8 (angle pi +- 0.4 rad, cart and velocities +- 0.4)',
      success:
        'switched, no fall (|angle| > 0.8 rad) or rail-limit hit (|x| > 2.4 m), |angle| < 0.05 rad over the last 2 s of 12 s',
      certificate: {
        rho: rigModel.spec.rho,
        innerLevel: rigModel.spec.innerLevel,
        uncertainty: rigModel.uncertainty,
      },
      sampledLevel: sampled,
    },
    swingUp: swing,
    monitor,
    perTick: cost,
    soundness: sound,
  };
  writeFileSync(join(repo, 'bench/results/certify-cartpole.json'), `${JSON.stringify(out, null, 2)}\n`);
  process.stderr.write('wrote bench/results/certify-cartpole.json\n');
}

await main();
