import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { z } from 'zod';
import {
  type BabOptions,
  type BabStats,
  type Counterexample,
  defaultBabOptions,
  emptyStats,
  type StopReason,
} from './bab.ts';
import { checkCover } from './cover.ts';
import { defaultFalsifierConfig, type FalsifierConfig, falsify } from './falsify.ts';
import {
  type Box,
  canonical,
  holeBox,
  type LyapunovModel,
  type ModelHashes,
  modelHashes,
  type PlantAssumptions,
  regionBoxes,
  type UncertainDimension,
  withRho,
} from './model.ts';
import { type ParallelOptions, type Progress, VerifierPool, verifyRegion } from './parallel.ts';
import {
  type CertificateSignature,
  type CertificateTrust,
  certificateTrustFromEnv,
  checkSignature,
} from './signature.ts';

/**
 * Certificates: what was proved about which model, and under which assumptions.
 *
 * A certificate binds everything its claim depends on: the hashes of the controller, the Lyapunov
 * function, the dynamics, the spec (box, κ, hole, proposed sub-boxes), the uncertainty and the plant
 * assumptions; the level ρ that was proved; and the boxes that were searched, whose union the
 * verifier proved (exactly) to contain B minus the hole (× the uncertainty box). A sha256 digest
 * over all of it makes any later edit detectable. `checkCertificate` re-checks all of this against
 * the model in hand, re-proves the cover, and refuses anything that is not a complete proof.
 */

export const CERTIFICATE_FORMAT = 'tether-certificate/v2';

export type CertificateResult = 'verified' | 'counterexample' | 'unknown';

export interface HoleCheck {
  /** V(x) ≤ ρ ⇒ V(x⁺) < ρ and x⁺ ∈ B for every x in the hole: S is invariant, the hole included. */
  readonly result: CertificateResult | 'not-run';
  readonly box: Box | null;
  readonly boxes: BabStats;
  readonly counterexample?: Counterexample;
}

export interface Certificate {
  readonly format: typeof CERTIFICATE_FORMAT;
  readonly model: string;
  readonly hashes: ModelHashes;
  /** The claim in words, with the exact numbers below. */
  readonly statement: string;
  readonly box: Box;
  readonly hole: { readonly relative: number; readonly halfWidths: readonly number[] };
  readonly kappa: number;
  readonly rho: number;
  /** Ultimate-bound level (0: none): below it only V(x⁺) < ρ was proved. */
  readonly innerLevel: number;
  readonly uncertainty: readonly UncertainDimension[];
  readonly assumptions: PlantAssumptions | null;
  /** The boxes searched (worker tasks); their union was proved to contain (B \ H) × U. */
  readonly cover: { readonly searched: readonly Box[]; readonly proof: string };
  readonly result: CertificateResult;
  /** Why the search ended early (a budget), when it did. */
  readonly stopped?: StopReason;
  readonly holeCheck: HoleCheck;
  readonly method: string;
  readonly rounding: string;
  readonly boxes: BabStats;
  readonly counterexample?: Counterexample;
  readonly timeSeconds: number;
  readonly workers: number;
  readonly machine: string;
  readonly date: string;
  /** sha256 over the canonical JSON of every other field but the signature. */
  readonly integrity: { readonly algorithm: 'sha256'; readonly digest: string };
  /** Ed25519 over everything else, digest included (signature.ts); absent: unsigned. */
  readonly signature?: CertificateSignature;
}

const boxSchema = z.object({ lo: z.array(z.number()), up: z.array(z.number()) });
const statsSchema = z.record(z.string(), z.number());

export const certificateSchema = z.object({
  format: z.literal(CERTIFICATE_FORMAT),
  model: z.string(),
  hashes: z.object({
    controller: z.string(),
    lyapunov: z.string(),
    dynamics: z.string(),
    spec: z.string(),
    uncertainty: z.string(),
    assumptions: z.string(),
  }),
  statement: z.string(),
  box: boxSchema,
  hole: z.object({ relative: z.number(), halfWidths: z.array(z.number()) }),
  kappa: z.number(),
  rho: z.number(),
  innerLevel: z.number(),
  uncertainty: z.array(z.record(z.string(), z.unknown())),
  assumptions: z.record(z.string(), z.unknown()).nullable(),
  cover: z.object({ searched: z.array(boxSchema), proof: z.string() }),
  result: z.enum(['verified', 'counterexample', 'unknown']),
  stopped: z.string().optional(),
  holeCheck: z
    .object({
      result: z.enum(['verified', 'counterexample', 'unknown', 'not-run']),
      box: boxSchema.nullable(),
      boxes: statsSchema,
    })
    .loose(),
  method: z.string(),
  rounding: z.string(),
  boxes: statsSchema,
  timeSeconds: z.number(),
  workers: z.number(),
  machine: z.string(),
  date: z.string(),
  integrity: z.object({ algorithm: z.literal('sha256'), digest: z.string().regex(/^[0-9a-f]{64}$/) }),
  signature: z
    .object({
      algorithm: z.literal('ed25519'),
      keyId: z.string().regex(/^[0-9a-f]{16}$/),
      value: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
    })
    .optional(),
});

export const ROUNDING_NOTE =
  'float64, outward rounding: >=1 ulp after + - * /, a-priori gamma bound on every accumulated sum, >=2 ulp after Math.sin/cos (assumes V8 libm error < 1 ulp)';

export interface CertifyOptions extends Partial<Omit<BabOptions, 'rho' | 'deadline'>>, ParallelOptions {
  /** Level to certify; the model's spec ρ when omitted. */
  readonly rho?: number;
  /** Run the PGD falsifier before branch-and-bound (it only refutes). */
  readonly falsifier?: FalsifierConfig | false;
  /** Wall-clock budget in seconds for the whole certification; the result is `unknown` past it. */
  readonly timeLimitSeconds?: number;
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

function fmt(v: readonly number[]): string {
  return `[${v.join(', ')}]`;
}

function dimensionInWords(d: UncertainDimension): string {
  const range = `${d.kind} ${d.name} in [${d.lo}, ${d.up}]`;
  if (d.kind !== 'delayed-command') return range;
  if (d.relative)
    return `${d.kind} offset in [${d.lo}, ${d.up}] (the command applied during the first ${d.steps} physics steps of each period, an input delay of ${d.delay} s, is u(x) plus this offset, u(x) the controller's command at the exact state: a previous command within ${d.relative.within} of u(x)${d.up > d.relative.within ? ", widened by the estimate error's command shift" : ''})`;
  return `${range} (the command applied, in place of the controller's, during the first ${d.steps} physics steps of each period: an input delay of ${d.delay} s)`;
}

/** The claim of a certificate in words, with the exact region. */
export function statementOf(model: LyapunovModel, rho: number): string {
  const { boxLo, boxUp, hole, kappa } = model.spec;
  const u = model.uncertainty;
  const forAll =
    u.length === 0 ? '' : ` and every ${u.map(dimensionInWords).join(', ')} (chosen anew at every step)`;
  const noHole = hole.every((h) => h === 0);
  const est = model.estimateError.some((e) => e > 0)
    ? ` The controller may see the state with an error of up to ${fmt(model.estimateError)} per coordinate${u.some((d) => d.kind === 'estimate') ? '' : ' (covered as part of the force disturbance)'}.`
    : '';
  const inner = model.spec.innerLevel;
  const decrease =
    inner > 0
      ? `${inner} <= V(x) <= ${rho} implies V(x+) - (1 - ${kappa}) V(x) < 0 and x+ in B, and V(x) < ${inner} implies V(x+) < ${rho} and x+ in B`
      : `V(x) <= ${rho} implies V(x+) - (1 - ${kappa}) V(x) < 0 and x+ in B`;
  const shrink = inner > 0 ? ` while V >= ${inner}` : '';
  const delayed = u.find((d) => d.kind === 'delayed-command' && d.relative);
  const rate =
    delayed?.kind === 'delayed-command' && delayed.relative
      ? ` Everywhere in B with V(x) <= ${rho} (the hole included), |u(x+) - u(x)| <= ${delayed.relative.rateBound}, so a command sent within the estimate error's shift of u(x) is within ${delayed.relative.within} of u(x+): if the command applied before the first step is within ${delayed.relative.within} of u(x) there, the delayed command stays within it at every later step.`
      : '';
  return noHole
    ? `for every x in B = ${fmt(boxLo)}..${fmt(boxUp)}${forAll}: ${decrease}. Hence S = {x in B : V(x) < ${rho}} is forward invariant and V shrinks by at least the factor (1 - ${kappa}) per step in S${shrink}.${rate}${est}`
    : `for every x in B = ${fmt(boxLo)}..${fmt(boxUp)}${forAll}: outside the open hole H = {|x_i| < h_i}, h = ${fmt(hole)}, ${decrease}; inside H, V(x) <= ${rho} implies V(x+) < ${rho} and x+ in B. Hence S = {x in B : V(x) < ${rho}} is forward invariant and V shrinks by at least the factor (1 - ${kappa}) per step in S outside H${shrink}.${rate}${est}`;
}

type CertificateBody = Omit<Certificate, 'integrity' | 'signature'>;

function digestOf(body: CertificateBody): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

/** Adds the integrity digest to a certificate body (unsigned: `signCertificate` signs it). */
export function seal(body: CertificateBody): Certificate {
  return { ...body, integrity: { algorithm: 'sha256', digest: digestOf(body) } };
}

/**
 * Verifies (or refutes) the model's condition at ρ and returns the certificate. The region searched
 * is derived from the spec (B minus the hole, × the uncertainty box), never taken from the file, and
 * the boxes actually searched are proved to cover it. The hole is checked too (V(x⁺) < ρ there).
 */
export async function certify(model: LyapunovModel, options: CertifyOptions = {}): Promise<CertifyResult> {
  const rho = options.rho ?? model.spec.rho;
  const m = withRho(model, rho);
  const start = performance.now();
  const deadline =
    options.timeLimitSeconds === undefined ? undefined : Date.now() + options.timeLimitSeconds * 1000;
  const bab: BabOptions = { ...defaultBabOptions, ...pick(options), rho, deadline };
  const target = regionBoxes(model.spec.boxLo, model.spec.boxUp, model.spec.hole, model.uncertainty);
  // The region comes from the box and the hole alone; a file's own sub_boxes are never used.
  const region = target;
  const falsifierConfig = options.falsifier === undefined ? defaultFalsifierConfig : options.falsifier;
  const early = falsifierConfig ? falsify(m, region, rho, falsifierConfig) : undefined;
  const parallel = {
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.keepVerified !== undefined ? { keepVerified: options.keepVerified } : {}),
    ...(options.pool ? { pool: options.pool } : {}),
    ...(options.tasksPerWorker !== undefined ? { tasksPerWorker: options.tasksPerWorker } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.progressMs !== undefined ? { progressMs: options.progressMs } : {}),
  };
  const outcome = early ? undefined : await verifyRegion(m, region, bab, parallel);
  let result: CertificateResult = early ? 'counterexample' : outcome!.status;
  // The proof is only about what was searched: prove that it covers the region exactly.
  const searched = outcome?.searched ?? region;
  const cover = checkCover(target, searched);
  if (!cover.covered && result === 'verified') result = 'unknown';
  const hole = holeBox(m);
  let holeCheck: HoleCheck = { result: 'not-run', box: hole ?? null, boxes: emptyStats() };
  if (result === 'verified' && hole) {
    const h = await verifyRegion(
      m,
      [hole],
      { ...bab, condition: 'stay' },
      { ...parallel, keepVerified: false, tasksPerWorker: 2 },
    );
    holeCheck = {
      result: h.status,
      box: hole,
      boxes: h.stats,
      ...(h.counterexample ? { counterexample: h.counterexample } : {}),
    };
    if (h.status !== 'verified') result = h.status;
  } else if (!hole) holeCheck = { result: 'verified', box: null, boxes: emptyStats() };
  const timeSeconds = (performance.now() - start) / 1000;
  const counterexample = early ?? outcome?.counterexample ?? holeCheck.counterexample;
  const stopped = outcome?.stopped;
  const body: CertificateBody = {
    format: CERTIFICATE_FORMAT,
    model: model.name,
    hashes: modelHashes(model),
    statement: statementOf(model, rho),
    box: { lo: [...model.spec.boxLo], up: [...model.spec.boxUp] },
    hole: { relative: model.spec.holeSizeRelative, halfWidths: [...model.spec.hole] },
    kappa: model.spec.kappa,
    rho,
    innerLevel: model.spec.innerLevel,
    uncertainty: model.uncertainty,
    assumptions: model.assumptions ?? null,
    cover: {
      searched: [...searched],
      proof: cover.covered
        ? 'exact box subtraction: every point of (B minus the hole) x U lies in a searched box'
        : `NOT COVERED: ${fmt(cover.witness ?? [])} lies in no searched box`,
    },
    result,
    ...(stopped ? { stopped } : {}),
    holeCheck,
    method: early ? 'pgd-falsifier' : `branch-and-bound/${bab.method}`,
    rounding: ROUNDING_NOTE,
    boxes: outcome?.stats ?? emptyStats(),
    ...(counterexample ? { counterexample } : {}),
    timeSeconds,
    workers: options.pool?.size ?? options.workers ?? cpus().length,
    machine: machine(),
    date: new Date().toISOString(),
  };
  return {
    certificate: seal(body),
    unknownBoxes: outcome?.unknownBoxes ?? [],
    ...(outcome?.verifiedBoxes ? { verifiedBoxes: outcome.verifiedBoxes } : {}),
  };
}

function pick(o: CertifyOptions): Partial<BabOptions> {
  return {
    ...(o.method ? { method: o.method } : {}),
    ...(o.minRelativeWidth ? { minRelativeWidth: o.minRelativeWidth } : {}),
    ...(o.maxBoxes ? { maxBoxes: o.maxBoxes } : {}),
    ...(o.split ? { split: o.split } : {}),
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
  tolerance = 1e-4,
  onStep?: (rho: number, result: CertificateResult) => void,
): Promise<BisectResult> {
  // One pool for the whole search: starting workers costs more than most of the proofs.
  const workers = options.workers ?? cpus().length;
  const pool = options.pool ?? (workers > 0 ? new VerifierPool(workers) : undefined);
  try {
    return await bisectWith(model, pool ? { ...options, pool } : options, tolerance, onStep);
  } finally {
    if (pool && !options.pool) await pool.dispose();
  }
}

async function bisectWith(
  model: LyapunovModel,
  options: CertifyOptions,
  tolerance: number,
  onStep?: (rho: number, result: CertificateResult) => void,
): Promise<BisectResult> {
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  let best: Certificate | undefined;
  let rho = options.rho ?? model.spec.rho;
  let steps = 0;
  const deadline =
    options.timeLimitSeconds === undefined ? undefined : Date.now() + options.timeLimitSeconds * 1000;
  while (!(hi - lo <= tolerance * Math.max(lo, 1e-12)) && steps < 80) {
    const left = deadline === undefined ? undefined : (deadline - Date.now()) / 1000;
    if (left !== undefined && left <= 0) break;
    steps++;
    const { certificate } = await certify(model, {
      ...options,
      rho,
      ...(left !== undefined ? { timeLimitSeconds: left } : {}),
    });
    onStep?.(rho, certificate.result);
    if (certificate.result === 'verified') {
      lo = rho;
      best = certificate;
    } else hi = rho;
    rho = Number.isFinite(hi) ? (lo > 0 ? 0.5 * (lo + hi) : hi / 2) : rho * 2;
    if (lo === 0 && hi < 1e-12) break;
  }
  return { verified: lo, failed: hi, certificate: best, steps };
}

function sameBox(a: Box, lo: readonly number[], up: readonly number[]): boolean {
  return (
    a.lo.length === lo.length &&
    a.up.length === up.length &&
    a.lo.every((v, i) => v === lo[i]) &&
    a.up.every((v, i) => v === up[i])
  );
}

export interface CheckedCertificate {
  readonly rho: number;
  readonly digest: string;
  /** Key id of the trusted signature that verified; undefined where no trust is configured. */
  readonly signedBy: string | undefined;
  readonly certificate: Certificate;
}

/**
 * Checks that a certificate is intact, belongs to this model (same controller, Lyapunov function,
 * dynamics, spec, uncertainty and assumptions), that its statement in words is the one its ρ and
 * the model give, that it states a complete proof (result and hole check verified) and that its
 * searched boxes cover the model's region; returns the verified ρ. Throws with the mismatch
 * otherwise. The digest detects edits; it is not a signature (anyone can re-seal a file): where
 * `trust` is given, a signature by a trusted key is required too (signature.ts).
 */
export function checkCertificate(
  model: LyapunovModel,
  raw: unknown,
  origin = 'certificate',
  trust: CertificateTrust | undefined = certificateTrustFromEnv(),
): number {
  return inspectCertificate(model, raw, origin, trust).rho;
}

/**
 * `checkCertificate`, returning the whole checked certificate. Where `trust` is given (by default
 * the keys TETHER_CERT_TRUST names), the certificate must also carry a signature by one of them.
 */
export function inspectCertificate(
  model: LyapunovModel,
  raw: unknown,
  origin = 'certificate',
  trust: CertificateTrust | undefined = certificateTrustFromEnv(),
): CheckedCertificate {
  const format = (raw as { format?: unknown } | null)?.format;
  if (format === 'tether-certificate/v1')
    throw new RangeError(
      `${origin}: format tether-certificate/v1 binds neither the region nor rho and has no integrity digest; re-verify the model (tether verify <model> --out <certificate>)`,
    );
  const parsed = certificateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`${origin}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const cert = raw as Certificate;
  const { integrity, signature: _signature, ...body } = cert;
  const digest = digestOf(body);
  if (digest !== integrity.digest)
    throw new RangeError(
      `${origin}: its content does not match its integrity digest (sha256 ${digest.slice(0, 12)}…, recorded ${integrity.digest.slice(0, 12)}…): it was edited after it was issued`,
    );
  const signedBy = checkSignature(cert, trust, origin);
  const hashes = modelHashes(model);
  const compare = (part: keyof ModelHashes) => {
    if (cert.hashes[part] !== hashes[part])
      throw new RangeError(
        `${origin}: the ${part} of model '${model.name}' changed since it was certified (hash ${hashes[part].slice(0, 12)}…, certificate has ${cert.hashes[part].slice(0, 12)}…)`,
      );
  };
  for (const part of ['controller', 'lyapunov', 'dynamics'] as const) compare(part);
  if (!sameBox(cert.box, model.spec.boxLo, model.spec.boxUp))
    throw new RangeError(
      `${origin}: box [${cert.box.lo}]..[${cert.box.up}] differs from the model's [${model.spec.boxLo}]..[${model.spec.boxUp}]`,
    );
  if (cert.kappa !== model.spec.kappa)
    throw new RangeError(`${origin}: kappa ${cert.kappa} differs from the model's ${model.spec.kappa}`);
  if (
    cert.hole.relative !== model.spec.holeSizeRelative ||
    cert.hole.halfWidths.length !== model.spec.hole.length ||
    cert.hole.halfWidths.some((h, i) => h !== model.spec.hole[i])
  )
    throw new RangeError(
      `${origin}: hole ${fmt(cert.hole.halfWidths)} differs from the model's ${fmt(model.spec.hole)}`,
    );
  for (const part of ['spec', 'uncertainty', 'assumptions'] as const) compare(part);
  // The words a reader trusts must say what the numbers claim: re-derived as `certify` writes them.
  const expected = statementOf(model, cert.rho);
  if (cert.statement !== expected) {
    let at = 0;
    while (cert.statement[at] === expected[at]) at++;
    throw new RangeError(
      `${origin}: its statement disagrees with its rho ${cert.rho} and the model: from character ${at} it reads "${cert.statement.slice(at, at + 40)}…", the claim at rho ${cert.rho} reads "${expected.slice(at, at + 40)}…"`,
    );
  }
  if (cert.result !== 'verified')
    throw new RangeError(`${origin}: result is '${cert.result}', expected 'verified'`);
  if (cert.holeCheck.result !== 'verified')
    throw new RangeError(`${origin}: the hole check is '${cert.holeCheck.result}', expected 'verified'`);
  if (!(cert.rho > 0)) throw new RangeError(`${origin}: rho ${cert.rho} is not positive`);
  if (cert.innerLevel !== model.spec.innerLevel || !(cert.innerLevel < cert.rho))
    throw new RangeError(
      `${origin}: inner level ${cert.innerLevel} differs from the model's ${model.spec.innerLevel} or is not below rho`,
    );
  const target = regionBoxes(model.spec.boxLo, model.spec.boxUp, model.spec.hole, model.uncertainty);
  const cover = checkCover(target, cert.cover.searched);
  if (!cover.covered)
    throw new RangeError(
      `${origin}: the searched boxes do not cover B minus the hole: ${fmt(cover.witness!)} lies in none of them`,
    );
  return { rho: cert.rho, digest: integrity.digest, signedBy, certificate: cert };
}

function readCertificateFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RangeError(
      `certificate ${path}: cannot read it (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/**
 * Reads the certificate file at `path` and checks it against the model (`inspectCertificate`);
 * errors name it as `given` (the path as the user wrote it).
 */
export function inspectCertificateFile(
  model: LyapunovModel,
  path: string,
  given: string = path,
): CheckedCertificate {
  return inspectCertificate(model, readCertificateFile(path), `certificate ${given}`);
}

export type { Progress };
