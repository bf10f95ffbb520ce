import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { z } from 'zod';
import { type BabOptions, type BabStats, type Counterexample, defaultBabOptions } from './bab.ts';
import { defaultFalsifierConfig, type FalsifierConfig, falsify } from './falsify.ts';
import { type Box, type LyapunovModel, modelHashes, withRho } from './model.ts';
import { type ParallelOptions, VerifierPool, verifyRegion } from './parallel.ts';

/**
 * Certificates: what was proved about which model. A certificate names the hashes of the
 * controller, the Lyapunov function and the dynamics, the box, hole, κ and ρ, and the outcome;
 * `checkCertificate` refuses a model whose parts no longer match.
 */

export const CERTIFICATE_FORMAT = 'tether-certificate/v1';

export type CertificateResult = 'verified' | 'counterexample' | 'unknown';

export interface Certificate {
  readonly format: typeof CERTIFICATE_FORMAT;
  readonly model: string;
  readonly hashes: { readonly controller: string; readonly lyapunov: string; readonly dynamics: string };
  readonly box: Box;
  readonly hole: { readonly relative: number; readonly subBoxes: readonly Box[] };
  readonly kappa: number;
  readonly rho: number;
  readonly result: CertificateResult;
  readonly method: string;
  readonly rounding: string;
  readonly boxes: BabStats;
  readonly counterexample?: Counterexample;
  readonly timeSeconds: number;
  readonly workers: number;
  readonly machine: string;
  readonly date: string;
}

export const certificateSchema = z.object({
  format: z.literal(CERTIFICATE_FORMAT),
  model: z.string(),
  hashes: z.object({ controller: z.string(), lyapunov: z.string(), dynamics: z.string() }),
  box: z.object({ lo: z.array(z.number()), up: z.array(z.number()) }),
  hole: z.object({
    relative: z.number(),
    subBoxes: z.array(z.object({ lo: z.array(z.number()), up: z.array(z.number()) })),
  }),
  kappa: z.number(),
  rho: z.number(),
  result: z.enum(['verified', 'counterexample', 'unknown']),
  method: z.string(),
  rounding: z.string(),
  boxes: z.record(z.string(), z.number()),
  timeSeconds: z.number(),
  workers: z.number(),
  machine: z.string(),
  date: z.string(),
});

export const ROUNDING_NOTE =
  'float64, outward rounding: >=1 ulp after + - * /, a-priori gamma bound on every accumulated sum, >=2 ulp after Math.sin/cos (assumes V8 libm error < 1 ulp)';

export interface CertifyOptions extends Partial<Omit<BabOptions, 'rho'>>, ParallelOptions {
  /** Level to certify; the model's spec ρ when omitted. */
  readonly rho?: number;
  /** Run the PGD falsifier before branch-and-bound (it only refutes). */
  readonly falsifier?: FalsifierConfig | false;
}

export interface CertifyResult {
  readonly certificate: Certificate;
  readonly verifiedBoxes?: Box[];
  readonly unknownBoxes: Box[];
}

function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? 'unknown cpu'} x${cpu.length}, node ${process.version}`;
}

/** Verifies (or refutes) the model's condition at ρ and returns the certificate. */
export async function certify(model: LyapunovModel, options: CertifyOptions = {}): Promise<CertifyResult> {
  const rho = options.rho ?? model.spec.rho;
  const m = withRho(model, rho);
  const bab: BabOptions = { ...defaultBabOptions, ...pick(options), rho };
  const start = performance.now();
  const falsifierConfig = options.falsifier === undefined ? defaultFalsifierConfig : options.falsifier;
  const early = falsifierConfig ? falsify(m, m.spec.subBoxes, rho, falsifierConfig) : undefined;
  const outcome = early
    ? undefined
    : await verifyRegion(m, m.spec.subBoxes, bab, {
        ...(options.workers !== undefined ? { workers: options.workers } : {}),
        ...(options.keepVerified !== undefined ? { keepVerified: options.keepVerified } : {}),
        ...(options.pool ? { pool: options.pool } : {}),
      });
  const timeSeconds = (performance.now() - start) / 1000;
  const result: CertificateResult = early ? 'counterexample' : outcome!.status;
  const counterexample = early ?? outcome?.counterexample;
  const certificate: Certificate = {
    format: CERTIFICATE_FORMAT,
    model: model.name,
    hashes: modelHashes(model),
    box: { lo: [...model.spec.boxLo], up: [...model.spec.boxUp] },
    hole: { relative: model.spec.holeSizeRelative, subBoxes: model.spec.subBoxes },
    kappa: model.spec.kappa,
    rho,
    result,
    method: early ? 'pgd-falsifier' : `branch-and-bound/${bab.method}`,
    rounding: ROUNDING_NOTE,
    boxes: outcome?.stats ?? {
      visited: 0,
      verified: 0,
      outside: 0,
      unknown: 0,
      smallestUnknownWidth: 1,
      verifiedVolume: 0,
      outsideVolume: 0,
    },
    ...(counterexample ? { counterexample } : {}),
    timeSeconds,
    workers: options.pool?.size ?? options.workers ?? cpus().length,
    machine: machine(),
    date: new Date().toISOString(),
  };
  return {
    certificate,
    unknownBoxes: outcome?.unknownBoxes ?? [],
    ...(outcome?.verifiedBoxes ? { verifiedBoxes: outcome.verifiedBoxes } : {}),
  };
}

function pick(o: CertifyOptions): Partial<BabOptions> {
  return {
    ...(o.method ? { method: o.method } : {}),
    ...(o.minRelativeWidth ? { minRelativeWidth: o.minRelativeWidth } : {}),
    ...(o.maxBoxes ? { maxBoxes: o.maxBoxes } : {}),
  };
}

export interface BisectResult {
  /** Largest ρ verified, and the smallest ρ refuted or left unknown. */
  readonly verified: number;
  readonly failed: number;
  readonly certificate: Certificate | undefined;
  readonly steps: number;
}

/** Bisection for the largest verifiable ρ, to a relative gap of `tolerance`. */
export async function bisectRho(
  model: LyapunovModel,
  options: CertifyOptions = {},
  tolerance = 1e-3,
): Promise<BisectResult> {
  // One pool for the whole search: starting workers costs more than most of the proofs.
  const workers = options.workers ?? cpus().length;
  const pool = options.pool ?? (workers > 0 ? new VerifierPool(workers) : undefined);
  try {
    return await bisectWith(model, pool ? { ...options, pool } : options, tolerance);
  } finally {
    if (pool && !options.pool) await pool.dispose();
  }
}

async function bisectWith(
  model: LyapunovModel,
  options: CertifyOptions,
  tolerance: number,
): Promise<BisectResult> {
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  let best: Certificate | undefined;
  let rho = options.rho ?? model.spec.rho;
  let steps = 0;
  while (!(hi - lo <= tolerance * Math.max(lo, 1e-12)) && steps < 60) {
    steps++;
    const { certificate } = await certify(model, { ...options, rho });
    if (certificate.result === 'verified') {
      lo = rho;
      best = certificate;
    } else hi = rho;
    rho = Number.isFinite(hi) ? (lo > 0 ? 0.5 * (lo + hi) : hi / 2) : rho * 2;
    if (lo === 0 && hi < 1e-12) break;
  }
  return { verified: lo, failed: hi, certificate: best, steps };
}

/**
 * Checks that a certificate belongs to this model (same controller, Lyapunov function, dynamics,
 * box and κ) and proves something; returns the verified ρ. Throws with the mismatch otherwise.
 */
export function checkCertificate(model: LyapunovModel, raw: unknown, origin = 'certificate'): number {
  const parsed = certificateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`${origin}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const cert = parsed.data;
  const hashes = modelHashes(model);
  for (const part of ['controller', 'lyapunov', 'dynamics'] as const) {
    if (cert.hashes[part] !== hashes[part])
      throw new RangeError(
        `${origin}: the ${part} of model '${model.name}' changed since it was certified (hash ${hashes[part].slice(0, 12)}…, certificate has ${cert.hashes[part].slice(0, 12)}…)`,
      );
  }
  const sameBox =
    cert.box.lo.every((v, i) => v === model.spec.boxLo[i]) &&
    cert.box.up.every((v, i) => v === model.spec.boxUp[i]);
  if (!sameBox)
    throw new RangeError(
      `${origin}: box [${cert.box.lo}]..[${cert.box.up}] differs from the model's [${model.spec.boxLo}]..[${model.spec.boxUp}]`,
    );
  if (cert.kappa !== model.spec.kappa)
    throw new RangeError(`${origin}: kappa ${cert.kappa} differs from the model's ${model.spec.kappa}`);
  if (cert.result !== 'verified')
    throw new RangeError(`${origin}: result is '${cert.result}', expected 'verified'`);
  return cert.rho;
}

export function loadCertificate(model: LyapunovModel, path: string): number {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RangeError(
      `certificate ${path}: cannot read it (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return checkCertificate(model, raw, `certificate ${path}`);
}
