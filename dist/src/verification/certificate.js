// Compiled from src/verification/certificate.ts by `npm run build`: edit the source, not this file.

// src/verification/certificate.ts
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { z } from "zod";
import {
  defaultBabOptions,
  emptyStats
} from "./bab.js";
import { checkCover } from "./cover.js";
import { defaultFalsifierConfig, falsify } from "./falsify.js";
import {
  canonical,
  holeBox,
  modelHashes,
  regionBoxes,
  withRho
} from "./model.js";
import { VerifierPool, verifyRegion } from "./parallel.js";
import {
  certificateTrustFromEnv,
  checkSignature
} from "./signature.js";
var CERTIFICATE_FORMAT = "tether-certificate/v2";
var boxSchema = z.object({ lo: z.array(z.number()), up: z.array(z.number()) });
var statsSchema = z.record(z.string(), z.number());
var certificateSchema = z.object({
  format: z.literal(CERTIFICATE_FORMAT),
  model: z.string(),
  hashes: z.object({
    controller: z.string(),
    lyapunov: z.string(),
    dynamics: z.string(),
    spec: z.string(),
    uncertainty: z.string(),
    assumptions: z.string()
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
  result: z.enum(["verified", "counterexample", "unknown"]),
  stopped: z.string().optional(),
  holeCheck: z.object({
    result: z.enum(["verified", "counterexample", "unknown", "not-run"]),
    box: boxSchema.nullable(),
    boxes: statsSchema
  }).loose(),
  method: z.string(),
  rounding: z.string(),
  boxes: statsSchema,
  timeSeconds: z.number(),
  workers: z.number(),
  machine: z.string(),
  date: z.string(),
  integrity: z.object({ algorithm: z.literal("sha256"), digest: z.string().regex(/^[0-9a-f]{64}$/) }),
  signature: z.object({
    algorithm: z.literal("ed25519"),
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    value: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/)
  }).optional()
});
var ROUNDING_NOTE = "float64, outward rounding: >=1 ulp after + - * /, a-priori gamma bound on every accumulated sum, >=2 ulp after Math.sin/cos (assumes V8 libm error < 1 ulp)";
function machine() {
  const cpu = cpus();
  return `${cpu[0]?.model ?? "unknown cpu"} x${cpu.length}, node ${process.version}`;
}
function fmt(v) {
  return `[${v.join(", ")}]`;
}
function dimensionInWords(d) {
  const range = `${d.kind} ${d.name} in [${d.lo}, ${d.up}]`;
  if (d.kind !== "delayed-command") return range;
  if (d.relative)
    return `${d.kind} offset in [${d.lo}, ${d.up}] (the command applied during the first ${d.steps} physics steps of each period, an input delay of ${d.delay} s, is u(x) plus this offset, u(x) the controller's command at the exact state: a previous command within ${d.relative.within} of u(x)${d.up > d.relative.within ? ", widened by the estimate error's command shift" : ""})`;
  return `${range} (the command applied, in place of the controller's, during the first ${d.steps} physics steps of each period: an input delay of ${d.delay} s)`;
}
function statementOf(model, rho) {
  const { boxLo, boxUp, hole, kappa } = model.spec;
  const u = model.uncertainty;
  const forAll = u.length === 0 ? "" : ` and every ${u.map(dimensionInWords).join(", ")} (chosen anew at every step)`;
  const noHole = hole.every((h) => h === 0);
  const est = model.estimateError.some((e) => e > 0) ? ` The controller may see the state with an error of up to ${fmt(model.estimateError)} per coordinate${u.some((d) => d.kind === "estimate") ? "" : " (covered as part of the force disturbance)"}.` : "";
  const inner = model.spec.innerLevel;
  const decrease = inner > 0 ? `${inner} <= V(x) <= ${rho} implies V(x+) - (1 - ${kappa}) V(x) < 0 and x+ in B, and V(x) < ${inner} implies V(x+) < ${rho} and x+ in B` : `V(x) <= ${rho} implies V(x+) - (1 - ${kappa}) V(x) < 0 and x+ in B`;
  const shrink = inner > 0 ? ` while V >= ${inner}` : "";
  const delayed = u.find((d) => d.kind === "delayed-command" && d.relative);
  const rate = delayed?.kind === "delayed-command" && delayed.relative ? ` Everywhere in B with V(x) <= ${rho} (the hole included), |u(x+) - u(x)| <= ${delayed.relative.rateBound}, so a command sent within the estimate error's shift of u(x) is within ${delayed.relative.within} of u(x+): if the command applied before the first step is within ${delayed.relative.within} of u(x) there, the delayed command stays within it at every later step.` : "";
  return noHole ? `for every x in B = ${fmt(boxLo)}..${fmt(boxUp)}${forAll}: ${decrease}. Hence S = {x in B : V(x) < ${rho}} is forward invariant and V shrinks by at least the factor (1 - ${kappa}) per step in S${shrink}.${rate}${est}` : `for every x in B = ${fmt(boxLo)}..${fmt(boxUp)}${forAll}: outside the open hole H = {|x_i| < h_i}, h = ${fmt(hole)}, ${decrease}; inside H, V(x) <= ${rho} implies V(x+) < ${rho} and x+ in B. Hence S = {x in B : V(x) < ${rho}} is forward invariant and V shrinks by at least the factor (1 - ${kappa}) per step in S outside H${shrink}.${rate}${est}`;
}
function digestOf(body) {
  return createHash("sha256").update(canonical(body)).digest("hex");
}
function seal(body) {
  return { ...body, integrity: { algorithm: "sha256", digest: digestOf(body) } };
}
async function certify(model, options = {}) {
  const rho = options.rho ?? model.spec.rho;
  const m = withRho(model, rho);
  const start = performance.now();
  const deadline = options.timeLimitSeconds === void 0 ? void 0 : Date.now() + options.timeLimitSeconds * 1e3;
  const bab = { ...defaultBabOptions, ...pick(options), rho, deadline };
  const target = regionBoxes(model.spec.boxLo, model.spec.boxUp, model.spec.hole, model.uncertainty);
  const region = target;
  const falsifierConfig = options.falsifier === void 0 ? defaultFalsifierConfig : options.falsifier;
  const early = falsifierConfig ? falsify(m, region, rho, falsifierConfig) : void 0;
  const parallel = {
    ...options.workers !== void 0 ? { workers: options.workers } : {},
    ...options.keepVerified !== void 0 ? { keepVerified: options.keepVerified } : {},
    ...options.pool ? { pool: options.pool } : {},
    ...options.tasksPerWorker !== void 0 ? { tasksPerWorker: options.tasksPerWorker } : {},
    ...options.onProgress ? { onProgress: options.onProgress } : {},
    ...options.progressMs !== void 0 ? { progressMs: options.progressMs } : {}
  };
  const outcome = early ? void 0 : await verifyRegion(m, region, bab, parallel);
  let result = early ? "counterexample" : outcome.status;
  const searched = outcome?.searched ?? region;
  const cover = checkCover(target, searched);
  if (!cover.covered && result === "verified") result = "unknown";
  const hole = holeBox(m);
  let holeCheck = { result: "not-run", box: hole ?? null, boxes: emptyStats() };
  if (result === "verified" && hole) {
    const h = await verifyRegion(
      m,
      [hole],
      { ...bab, condition: "stay" },
      { ...parallel, keepVerified: false, tasksPerWorker: 2 }
    );
    holeCheck = {
      result: h.status,
      box: hole,
      boxes: h.stats,
      ...h.counterexample ? { counterexample: h.counterexample } : {}
    };
    if (h.status !== "verified") result = h.status;
  } else if (!hole) holeCheck = { result: "verified", box: null, boxes: emptyStats() };
  const timeSeconds = (performance.now() - start) / 1e3;
  const counterexample = early ?? outcome?.counterexample ?? holeCheck.counterexample;
  const stopped = outcome?.stopped;
  const body = {
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
      proof: cover.covered ? "exact box subtraction: every point of (B minus the hole) x U lies in a searched box" : `NOT COVERED: ${fmt(cover.witness ?? [])} lies in no searched box`
    },
    result,
    ...stopped ? { stopped } : {},
    holeCheck,
    method: early ? "pgd-falsifier" : `branch-and-bound/${bab.method}`,
    rounding: ROUNDING_NOTE,
    boxes: outcome?.stats ?? emptyStats(),
    ...counterexample ? { counterexample } : {},
    timeSeconds,
    workers: options.pool?.size ?? options.workers ?? cpus().length,
    machine: machine(),
    date: (/* @__PURE__ */ new Date()).toISOString()
  };
  return {
    certificate: seal(body),
    unknownBoxes: outcome?.unknownBoxes ?? [],
    ...outcome?.verifiedBoxes ? { verifiedBoxes: outcome.verifiedBoxes } : {}
  };
}
function pick(o) {
  return {
    ...o.method ? { method: o.method } : {},
    ...o.minRelativeWidth ? { minRelativeWidth: o.minRelativeWidth } : {},
    ...o.maxBoxes ? { maxBoxes: o.maxBoxes } : {},
    ...o.split ? { split: o.split } : {}
  };
}
async function bisectRho(model, options = {}, tolerance = 1e-4, onStep) {
  const workers = options.workers ?? cpus().length;
  const pool = options.pool ?? (workers > 0 ? new VerifierPool(workers) : void 0);
  try {
    return await bisectWith(model, pool ? { ...options, pool } : options, tolerance, onStep);
  } finally {
    if (pool && !options.pool) await pool.dispose();
  }
}
async function bisectWith(model, options, tolerance, onStep) {
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  let best;
  let rho = options.rho ?? model.spec.rho;
  let steps = 0;
  const deadline = options.timeLimitSeconds === void 0 ? void 0 : Date.now() + options.timeLimitSeconds * 1e3;
  while (!(hi - lo <= tolerance * Math.max(lo, 1e-12)) && steps < 80) {
    const left = deadline === void 0 ? void 0 : (deadline - Date.now()) / 1e3;
    if (left !== void 0 && left <= 0) break;
    steps++;
    const { certificate } = await certify(model, {
      ...options,
      rho,
      ...left !== void 0 ? { timeLimitSeconds: left } : {}
    });
    onStep?.(rho, certificate.result);
    if (certificate.result === "verified") {
      lo = rho;
      best = certificate;
    } else hi = rho;
    rho = Number.isFinite(hi) ? lo > 0 ? 0.5 * (lo + hi) : hi / 2 : rho * 2;
    if (lo === 0 && hi < 1e-12) break;
  }
  return { verified: lo, failed: hi, certificate: best, steps };
}
function sameBox(a, lo, up) {
  return a.lo.length === lo.length && a.up.length === up.length && a.lo.every((v, i) => v === lo[i]) && a.up.every((v, i) => v === up[i]);
}
function checkCertificate(model, raw, origin = "certificate", trust = certificateTrustFromEnv()) {
  return inspectCertificate(model, raw, origin, trust).rho;
}
function inspectCertificate(model, raw, origin = "certificate", trust = certificateTrustFromEnv()) {
  const format = raw?.format;
  if (format === "tether-certificate/v1")
    throw new RangeError(
      `${origin}: format tether-certificate/v1 binds neither the region nor rho and has no integrity digest; re-verify the model (tether verify <model> --out <certificate>)`
    );
  const parsed = certificateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(`${origin}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const cert = raw;
  const { integrity, signature: _signature, ...body } = cert;
  const digest = digestOf(body);
  if (digest !== integrity.digest)
    throw new RangeError(
      `${origin}: its content does not match its integrity digest (sha256 ${digest.slice(0, 12)}…, recorded ${integrity.digest.slice(0, 12)}…): it was edited after it was issued`
    );
  const signedBy = checkSignature(cert, trust, origin);
  const hashes = modelHashes(model);
  const compare = (part) => {
    if (cert.hashes[part] !== hashes[part])
      throw new RangeError(
        `${origin}: the ${part} of model '${model.name}' changed since it was certified (hash ${hashes[part].slice(0, 12)}…, certificate has ${cert.hashes[part].slice(0, 12)}…)`
      );
  };
  for (const part of ["controller", "lyapunov", "dynamics"]) compare(part);
  if (!sameBox(cert.box, model.spec.boxLo, model.spec.boxUp))
    throw new RangeError(
      `${origin}: box [${cert.box.lo}]..[${cert.box.up}] differs from the model's [${model.spec.boxLo}]..[${model.spec.boxUp}]`
    );
  if (cert.kappa !== model.spec.kappa)
    throw new RangeError(`${origin}: kappa ${cert.kappa} differs from the model's ${model.spec.kappa}`);
  if (cert.hole.relative !== model.spec.holeSizeRelative || cert.hole.halfWidths.length !== model.spec.hole.length || cert.hole.halfWidths.some((h, i) => h !== model.spec.hole[i]))
    throw new RangeError(
      `${origin}: hole ${fmt(cert.hole.halfWidths)} differs from the model's ${fmt(model.spec.hole)}`
    );
  for (const part of ["spec", "uncertainty", "assumptions"]) compare(part);
  const expected = statementOf(model, cert.rho);
  if (cert.statement !== expected) {
    let at = 0;
    while (cert.statement[at] === expected[at]) at++;
    throw new RangeError(
      `${origin}: its statement disagrees with its rho ${cert.rho} and the model: from character ${at} it reads "${cert.statement.slice(at, at + 40)}…", the claim at rho ${cert.rho} reads "${expected.slice(at, at + 40)}…"`
    );
  }
  if (cert.result !== "verified")
    throw new RangeError(`${origin}: result is '${cert.result}', expected 'verified'`);
  if (cert.holeCheck.result !== "verified")
    throw new RangeError(`${origin}: the hole check is '${cert.holeCheck.result}', expected 'verified'`);
  if (!(cert.rho > 0)) throw new RangeError(`${origin}: rho ${cert.rho} is not positive`);
  if (cert.innerLevel !== model.spec.innerLevel || !(cert.innerLevel < cert.rho))
    throw new RangeError(
      `${origin}: inner level ${cert.innerLevel} differs from the model's ${model.spec.innerLevel} or is not below rho`
    );
  const target = regionBoxes(model.spec.boxLo, model.spec.boxUp, model.spec.hole, model.uncertainty);
  const cover = checkCover(target, cert.cover.searched);
  if (!cover.covered)
    throw new RangeError(
      `${origin}: the searched boxes do not cover B minus the hole: ${fmt(cover.witness)} lies in none of them`
    );
  return { rho: cert.rho, digest: integrity.digest, signedBy, certificate: cert };
}
function readCertificateFile(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new RangeError(
      `certificate ${path}: cannot read it (${error instanceof Error ? error.message : String(error)})`
    );
  }
}
function inspectCertificateFile(model, path, given = path) {
  return inspectCertificate(model, readCertificateFile(path), `certificate ${given}`);
}
export {
  CERTIFICATE_FORMAT,
  ROUNDING_NOTE,
  bisectRho,
  certificateSchema,
  certify,
  checkCertificate,
  inspectCertificate,
  inspectCertificateFile,
  seal,
  statementOf
};
