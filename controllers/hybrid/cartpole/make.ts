/**
 * Builds the cart-pole balance certificates, deterministically:
 *
 *   1. LQR about upright, exactly as the `lqr` controller computes it at run time (MuJoCo
 *      linearisation of the nominal cartpole over one 50 Hz control period, Q = I, R = 0.1): the
 *      certified guard checks that the running controller's gain equals this one bit for bit.
 *   2. V(x) = xᵀPx with P the discrete Riccati cost-to-go of that linearisation, written as
 *      V(x) = ‖L x‖² with L the transposed Cholesky factor (the file's L is what is certified).
 *   3. The plant: the closed-form cart-pole with the MJCF's masses, inertia and damping as MuJoCo
 *      compiles them, MuJoCo's semi-implicit Euler with implicit damping, force held over the period.
 *   4. Two models, each with its assumptions:
 *      - `cartpole_lqr` (the MuJoCo simulator): nominal parameters, physics step 2 ms, exact state;
 *      - `cartpole_lqr_rig` (the emulated rig): physics step 1 ms, and intervals that cover the
 *        rig's documented gap (pole mass ×1.2 ± 0.02, damping ×2 ± 0.5, actuator gain ×0.95 ± 0.02), its
 *        actuator noise (σ 0.05 N: a 0.25 N force disturbance) and sensor noise (σ 0.0005: a
 *        0.0025 estimate error per signal), and an ultimate-bound level for them;
 *      - `cartpole_lqr_rig_delay` (`rig-delay`): the rig's model with its 2 ms actuator delay as
 *        well (the first 2 of the 20 physics steps of a period apply the previous command). With
 *        that command anywhere in ±20 N it is refuted (it pushes V up faster than this LQR's V
 *        falls); so the previous command is taken within 4 N of the LQR's command at the current
 *        state, which the proof carries from period to period by bounding the command's change
 *        per period, and which the certified guard checks at the switch. The delayed command
 *        halves the decrease's margin near the inner level, so the decrease is asked from V = 80
 *        on (docs/certification.md): verified at ρ 150 in 29 min on two workers.
 *   5. Bisection for the largest verifiable ρ (within a time budget), then the certificate.
 *
 * Run: node --import tsx controllers/hybrid/cartpole/make.ts [sim|rig|rig-delay|all] [--time s]
 *        [--rho r] [--inner level] [--workers n]
 * (--inner replaces the variant's ultimate-bound level for a trial run; the written model records
 * the level it was verified with, so make.ts must say that level for the shipped model to rebuild.)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEnv } from '../../../sim/envs/index.ts';
import { SimModel } from '../../../sim/model.ts';
import { EventBuffer } from '../../../src/core/events.ts';
import { bisectRho, type Certificate, certify } from '../../../src/verification/certificate.ts';
import { type ModelJson, parseModel } from '../../../src/verification/model.ts';
import { diagonal } from '../../classical/linalg.ts';
import { holdOverSteps, linearizePhysicsStep } from '../../classical/linearize.ts';
import { LqrController, solveDiscreteRiccati } from '../../classical/lqr.ts';

export const outDir = fileURLToPath(new URL('../models/cartpole/', import.meta.url));
const controlDt = 0.02;
/** The `lqr` controller's defaults: Q = I, R = 0.1 (controllers/classical/lqr.ts). */
const q = [1, 1, 1, 1];
const r = [0.1];

/** The gain the run-time `lqr` controller computes for `{ kind: lqr, model: cartpole }` at 50 Hz. */
async function runtimeGain(): Promise<Float64Array> {
  const env = await createEnv('cartpole', { controlDt });
  try {
    const lqr = new LqrController({ model: 'cartpole' });
    await lqr.configure({
      observation: env.observation,
      action: env.action,
      dt: controlDt,
      events: new EventBuffer(),
    });
    return lqr.gain;
  } finally {
    env.dispose();
  }
}

/** L with V(x) = xᵀPx = ‖L x‖² (P = C Cᵀ by Cholesky, L = Cᵀ). */
function choleskyFactor(p: Float64Array, n: number): number[][] {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = p[i * n + j]!;
      for (let k = 0; k < j; k++) s -= c[i * n + k]! * c[j * n + k]!;
      c[i * n + j] = i === j ? Math.sqrt(s) : s / c[j * n + j]!;
    }
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => c[j * n + i]!));
}

export interface Variant {
  readonly name: string;
  readonly substeps: number;
  readonly uncertainty?: ModelJson['uncertainty'];
  readonly innerLevel: number;
  /** The input delay the certificate covers, s (also its assumptions.delay). */
  readonly delay: number;
  readonly holeRelative: number;
  readonly startRho: number;
  readonly notes: string;
}

export const variants: Record<'sim' | 'rig', Variant> = {
  sim: {
    name: 'cartpole_lqr',
    substeps: 10,
    innerLevel: 0,
    delay: 0,
    holeRelative: 0.001,
    startRho: 150,
    notes:
      'MuJoCo cartpole as tether runs it: nominal parameters, semi-implicit Euler with implicit damping at 2 ms, force held over the 20 ms period, no contact, the slider limit (3 m) outside B, the exact state observed, no delay',
  },
  rig: {
    name: 'cartpole_lqr_rig',
    substeps: 20,
    uncertainty: {
      parameters: {
        pole_mass_scale: [1.18, 1.22],
        damping_scale: [1.5, 2.5],
        force_gain_scale: [0.93, 0.97],
      },
      force_disturbance: 0.25,
      estimate_error: [0.0025, 0.0025, 0.0025, 0.0025],
    },
    innerLevel: 25,
    delay: 0,
    holeRelative: 0.001,
    startRho: 100,
    notes:
      'the emulated cartpole rig (configs/rig/cartpole.yaml): physics at 1 kHz; pole mass and inertia x[1.18, 1.22], joint damping x[1.5, 2.5], actuator gain x[0.93, 0.97]; actuator noise (sigma 0.05 N) taken as a force disturbance of at most 0.25 N and sensor noise (sigma 0.0005) as an estimate error of at most 0.0025, i.e. 5 sigma: Gaussian noise has no hard bound. NOT covered: the 2 ms actuator delay and the age of the streamed state (the monitor watches them)',
  },
};

/**
 * The rig with its actuator delay covered too: the previous command within 4 N of the LQR's
 * command at the current state, carried from period to period by the command-rate condition
 * (|u(x⁺) − u(x)| ≤ 4 N − s), and checked by the certified guard at the switch.
 */
export const rigWithDelay: Variant = {
  ...variants.rig,
  name: 'cartpole_lqr_rig_delay',
  uncertainty: { ...variants.rig.uncertainty, input_delay: 0.002, previous_command_within: 4 },
  // The delayed command adds to the disturbance: sampled, the decrease's worst margin is 0.51 % of V
  // at V = 40 (0.80 % at the undelayed model's level 25) and 0.72 % at V = 80, so the decrease is
  // asked from V = 80 on; at 25 and 40 the search was not decided within an hour on two workers.
  innerLevel: 80,
  delay: 0.002,
  notes:
    'the emulated cartpole rig (configs/rig/cartpole.yaml): physics at 1 kHz; pole mass and inertia x[1.18, 1.22], joint damping x[1.5, 2.5], actuator gain x[0.93, 0.97]; actuator noise (sigma 0.05 N) taken as a force disturbance of at most 0.25 N and sensor noise (sigma 0.0005) as an estimate error of at most 0.0025, i.e. 5 sigma: Gaussian noise has no hard bound; the 2 ms actuator delay (actuatorDelayMs: 2) as the first 2 of the 20 physics steps of every period applying the previous command, within 4 N of the controller command at the current state (the certified guard checks the last command sent at the switch; the proof carries it on). NOT covered: the age of the streamed state (0-2 ms at 500 Hz; the monitor watches it), and any filter that changes the command after the controller (a rate limiter, a derating)',
};
const allVariants = { ...variants, 'rig-delay': rigWithDelay };
type VariantName = keyof typeof allVariants;

export async function buildModel(v: Variant, rho: number): Promise<ModelJson> {
  const sim = await SimModel.load('cartpole');
  try {
    const gain = await runtimeGain();
    const decimation = Math.round(controlDt / sim.timestep);
    const sys = holdOverSteps(linearizePhysicsStep(sim, [0, 0], [0]), decimation);
    const { P } = solveDiscreteRiccati(sys, diagonal(q), diagonal(r));
    const m = sim.model;
    const box = [2.4, 0.8, 5, 8];
    return {
      format: 'tether-lyapunov-model/v1',
      name: v.name,
      state_dim: 4,
      x_star: [0, 0, 0, 0],
      controller: {
        negative_slope: 0,
        layers: [{ weight: [Array.from(gain, (k) => -k)], bias: [0] }],
        u_lo: [-20],
        u_up: [20],
        u_star: [0],
      },
      lyapunov: { kind: 'quadratic', L: choleskyFactor(P, 4) },
      dynamics: {
        system: 'cartpole',
        cart_mass: m.body_mass[sim.id('body', 'cart')]!,
        pole_mass: m.body_mass[sim.id('body', 'pole')]!,
        pole_com: m.body_ipos[3 * sim.id('body', 'pole') + 2]!,
        pole_inertia: m.body_inertia[3 * sim.id('body', 'pole') + 1]!,
        slider_damping: m.dof_damping[sim.dofAddress('slider')]!,
        hinge_damping: m.dof_damping[sim.dofAddress('hinge')]!,
        gravity: -m.opt.gravity[2]!,
        force_gain: m.actuator_gainprm[0]! * m.actuator_gear[0]!,
        dt: controlDt,
        substeps: v.substeps,
        integration: 'semi_implicit_euler',
      },
      ...(v.uncertainty ? { uncertainty: v.uncertainty } : {}),
      assumptions: {
        plant: 'cartpole',
        signals: [
          { name: 'cart.pos', unit: 'm' },
          { name: 'pole.angle', unit: 'rad' },
          { name: 'cart.vel', unit: 'm/s' },
          { name: 'pole.angvel', unit: 'rad/s' },
        ],
        action: { name: 'cart.force', unit: 'N', lower: -20, upper: 20 },
        control_period: controlDt,
        physics_step: controlDt / v.substeps,
        delay: v.delay,
        notes: v.notes,
      },
      spec: {
        box_lo: box.map((b) => -b),
        box_up: box,
        rho,
        kappa: 0.001,
        hole_size_relative: v.holeRelative,
        inner_level: v.innerLevel,
      },
    };
  } finally {
    sim.dispose();
  }
}

async function make(
  which: VariantName,
  seconds: number,
  rho?: number,
  innerLevel?: number,
  workers?: number,
): Promise<void> {
  const v = innerLevel === undefined ? allVariants[which] : { ...allVariants[which], innerLevel };
  const pool = workers === undefined ? {} : { workers };
  const start = rho ?? v.startRho;
  let json = await buildModel(v, start);
  let model = parseModel(json, v.name);
  let certificate: Certificate | undefined;
  if (rho !== undefined) {
    certificate = (await certify(model, { rho, timeLimitSeconds: seconds, onProgress: progress, ...pool }))
      .certificate;
  } else {
    const b = await bisectRho(
      model,
      { rho: start, timeLimitSeconds: seconds, onProgress: progress, ...pool },
      0.01,
      (at, result) => process.stderr.write(`${v.name}: rho ${at} ${result}\n`),
    );
    process.stderr.write(
      `${v.name}: largest verified rho ${b.verified} (failed at ${b.failed}) after ${b.steps} runs\n`,
    );
    certificate = b.certificate;
  }
  if (certificate?.result !== 'verified') {
    process.stderr.write(`${v.name}: nothing verified (${certificate?.result ?? 'no run'})\n`);
    process.exitCode = 2;
    return;
  }
  json = await buildModel(v, certificate.rho);
  model = parseModel(json, v.name);
  writeFileSync(join(outDir, `${v.name}.json`), `${JSON.stringify(json, null, 2)}\n`);
  // The certificate binds the spec's hash, which does not include ρ, so it holds for the rewritten file.
  writeFileSync(join(outDir, `${v.name}.cert.json`), `${JSON.stringify(certificate, null, 2)}\n`);
  process.stderr.write(
    `${v.name}: VERIFIED at rho ${certificate.rho}: ${certificate.boxes.visited} boxes, ${certificate.timeSeconds.toFixed(1)} s\n`,
  );
}

function progress(p: { visited: number; decided: number; elapsedSeconds: number }): void {
  process.stderr.write(
    `  ${p.visited} boxes, ${(100 * p.decided).toFixed(1)} % decided, ${p.elapsedSeconds.toFixed(0)} s\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const which = (args.find((a) => !a.startsWith('--') && !/^\d/.test(a)) ?? 'all') as VariantName | 'all';
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const seconds = flag('--time') ?? 1200;
  const rho = flag('--rho');
  if (which !== 'all' && !(which in allVariants))
    throw new RangeError(
      `make.ts: unknown variant '${which}', expected one of ${Object.keys(allVariants).join(', ')}, all`,
    );
  for (const w of which === 'all' ? (['sim', 'rig'] as const) : [which])
    await make(w, seconds, rho, flag('--inner'), flag('--workers'));
}
