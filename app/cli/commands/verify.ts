import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { loadContract } from '../../../src/inference/contract.ts';
import {
  bisectRho,
  type Certificate,
  certify,
  type Progress,
} from '../../../src/verification/certificate.ts';
import { loadModel } from '../../../src/verification/io.ts';
import { type LyapunovModel, type ModelJson, parseModel } from '../../../src/verification/model.ts';
import { defaultProgressMs } from '../../../src/verification/parallel.ts';
import { expressPolicy } from '../../../src/verification/policy.ts';
import { readSigningKey, signCertificate } from '../../../src/verification/signature.ts';

/**
 * `tether verify <model-or-config>`: certify a Lyapunov model (JSON) at its ρ, at a given ρ, or
 * bisect for the largest verifiable ρ. A YAML run config verifies the models its certified guard
 * names (`switching.guard.certificates`), or a hybrid supervisor's modes. Exit code 0 only when
 * everything is verified; 2 for a counterexample or an unknown result (a budget ran out).
 */

interface VerifyFlags {
  rho?: string;
  bisect?: boolean;
  tolerance?: string;
  method: string;
  workers?: string;
  out?: string;
  timeout?: string;
  maxBoxes?: string;
  progress?: boolean;
  progressEvery?: string;
  sign?: string;
  policy?: string;
  innerLevel?: string;
  modelOut?: string;
}

/** Model files named by a file: itself (JSON), a certified guard's models, or a supervisor's modes. */
function modelPaths(file: string): string[] {
  if (!/\.ya?ml$/i.test(file)) return [file];
  const doc = parseYaml(readFileSync(file, 'utf8')) as {
    controller?: { modes?: { model?: unknown }[] };
    switching?: { guard?: { certificates?: Record<string, { model?: unknown }> } };
  };
  const certified = doc?.switching?.guard?.certificates;
  if (certified && typeof certified === 'object')
    return Object.entries(certified).map(([name, entry]) => {
      if (typeof entry?.model !== 'string')
        throw new RangeError(
          `${file}: switching.guard.certificates.${name}.model must be a path to a model JSON`,
        );
      return resolve(dirname(file), entry.model);
    });
  const modes = doc?.controller?.modes;
  if (!Array.isArray(modes) || modes.length === 0)
    throw new RangeError(
      `${file}: expected switching.guard.certificates (a certified guard) or controller.modes[] (a hybrid supervisor)`,
    );
  return modes.map((m, i) => {
    if (typeof m.model !== 'string')
      throw new RangeError(`${file}: controller.modes[${i}].model must be a path to a model JSON`);
    return resolve(dirname(file), m.model);
  });
}

/**
 * The model with an ONNX policy as its controller (`--policy`) and/or another inner level: a new
 * model, which the certificate's hashes then name, so it is written out (`--model-out`).
 */
function derivedModel(model: LyapunovModel, flags: VerifyFlags): ModelJson | undefined {
  if (flags.policy === undefined && flags.innerLevel === undefined) return undefined;
  let json: ModelJson = { ...model.source };
  if (flags.policy !== undefined) {
    const contract = loadContract(flags.policy);
    if (contract.model === undefined)
      throw new RangeError(`${flags.policy}: the contract names no model (its ONNX file)`);
    const onnxPath = resolve(dirname(flags.policy), contract.model);
    const expressed = expressPolicy(new Uint8Array(readFileSync(onnxPath)), contract, model);
    if (!expressed.ok)
      throw new RangeError(
        `${flags.policy}: the policy cannot be the controller of ${model.name}: ${expressed.reason}`,
      );
    json = {
      ...json,
      name: `${model.name}_${basename(onnxPath).replace(/\.onnx$/, '')}`,
      controller: expressed.controller,
    };
  }
  // The level to prove becomes the model's own, so `tether verify` on the written model (or on a
  // config that names it) re-proves what the certificate states.
  if (flags.rho !== undefined) json = { ...json, spec: { ...json.spec, rho: Number(flags.rho) } };
  if (flags.innerLevel !== undefined) {
    const level = Number(flags.innerLevel);
    if (!(level >= 0))
      throw new RangeError(`--inner-level must be a non-negative number, got '${flags.innerLevel}'`);
    json = { ...json, spec: { ...json.spec, inner_level: level } };
  }
  return json;
}

function list(v: readonly number[]): string {
  return `[${v.join(', ')}]`;
}

export function describeCertificate(c: Certificate): string {
  const b = c.boxes;
  const head = `${c.model}: ${c.result.toUpperCase()} at rho=${c.rho} (kappa=${c.kappa}, box ${list(c.box.lo)}..${list(c.box.up)}, hole ${c.hole.relative} of half-width = ${list(c.hole.halfWidths)}${c.innerLevel > 0 ? `, inner level ${c.innerLevel}` : ''})`;
  const lines = [head];
  if (c.result === 'verified') lines.push(`  proved: ${c.statement}`);
  if (c.uncertainty.length > 0)
    lines.push(
      `  uncertainty: ${c.uncertainty.map((u) => `${u.kind} ${u.name} in [${u.lo}, ${u.up}]`).join(', ')}`,
    );
  if (c.assumptions)
    lines.push(
      `  assumes: plant ${c.assumptions.plant}, control period ${c.assumptions.controlPeriod} s${c.assumptions.physicsStep !== undefined ? `, physics step ${c.assumptions.physicsStep} s` : ''}, delay ${c.assumptions.delay} s`,
    );
  lines.push(
    `  ${c.method}, ${b.visited} boxes (${b.verified} verified, ${b.outside} outside the level set, ${b.unknown} unknown), hole: ${c.holeCheck.result} (${c.holeCheck.boxes.visited} boxes), ${c.timeSeconds.toFixed(2)} s on ${c.workers} workers`,
  );
  lines.push(`  cover: ${c.cover.searched.length} searched boxes; ${c.cover.proof}`);
  if (c.stopped)
    lines.push(
      `  stopped by the ${c.stopped === 'time-budget' ? 'time budget (--timeout)' : c.stopped === 'box-budget' ? 'box budget (--max-boxes)' : 'abort'}: ${((100 * b.unknownVolume) / Math.max(1e-300, b.verifiedVolume + b.outsideVolume + b.unknownVolume)).toFixed(2)} % of the region undecided`,
    );
  const cex = c.counterexample;
  if (cex)
    lines.push(
      `  counterexample x=${list(cex.x)}: ${cex.reason}, V(x)=${cex.value}, V(x+)-(1-kappa)V(x)=${cex.decrease}, x+=${list(cex.next)}`,
    );
  lines.push(`  integrity sha256 ${c.integrity.digest}`);
  lines.push(
    c.signature
      ? `  signed ed25519 by key ${c.signature.keyId}`
      : '  unsigned (a runtime with TETHER_CERT_TRUST set refuses it)',
  );
  return lines.join('\n');
}

function positive(flag: string, text: string | undefined, integer = false): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!(v > 0) || (integer && !Number.isInteger(v)))
    throw new RangeError(`--${flag} must be a positive ${integer ? 'integer' : 'number'}, got '${text}'`);
  return v;
}

export function register(program: Command): void {
  program
    .command('verify')
    .description(
      'certify the region of attraction of a Lyapunov-certified controller (sound branch-and-bound)',
    )
    .argument(
      '<model-or-config>',
      'model JSON (yang2024 / tether layout), or a run config with a certified guard or a hybrid supervisor',
    )
    .option('--rho <r>', 'level to certify (default: the model spec rho)')
    .option('--bisect', 'search for the largest verifiable rho')
    .option('--tolerance <t>', 'bisection: relative gap between verified and failed rho', '1e-4')
    .option('--method <m>', 'bounds: linear (CROWN-style, second-order for quadratic V) or ibp', 'linear')
    .option('--workers <n>', 'worker threads (0 = this thread; default: all cores)')
    .option('--timeout <s>', 'stop after this many seconds (the result is then UNKNOWN, never silent)')
    .option('--max-boxes <n>', 'stop after this many boxes (the result is then UNKNOWN)')
    .option('--no-progress', 'no progress lines on stderr')
    .option(
      '--progress-every <s>',
      'seconds between progress lines on stderr',
      String(defaultProgressMs / 1000),
    )
    .option('--out <file>', 'write the certificate JSON here (one model only)')
    .option(
      '--policy <contract>',
      "verify this ONNX policy (the contract's model) as the model's controller, its network read out of the graph",
    )
    .option('--inner-level <v>', 'the ultimate-bound level rho_in below which only V(x+) < rho is required')
    .option(
      '--model-out <file>',
      'write the model that was verified here (required with --policy or --inner-level)',
    )
    .option(
      '--sign <key.pem>',
      'sign the certificate with this Ed25519 private key (openssl genpkey -algorithm ed25519)',
    )
    .addHelpText(
      'after',
      "\nThe region proved is derived from the model (box minus the hole); a file's own spec.sub_boxes are never used.\nExit status: 0 when every model is verified, 2 for a counterexample or an unknown result, 1 on an error.",
    )
    .action(async (file: string, flags: VerifyFlags) => {
      if (flags.rho !== undefined && flags.bisect)
        throw new RangeError('give either --rho or --bisect, not both');
      if (flags.method !== 'linear' && flags.method !== 'ibp')
        throw new RangeError(`--method must be linear or ibp, got '${flags.method}'`);
      const rho = flags.rho === undefined ? undefined : Number(flags.rho);
      if (rho !== undefined && !(rho > 0))
        throw new RangeError(`--rho must be a positive number, got '${flags.rho}'`);
      const workers = flags.workers === undefined ? undefined : Number(flags.workers);
      if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0))
        throw new RangeError(`--workers must be a non-negative integer, got '${flags.workers}'`);
      const timeout = positive('timeout', flags.timeout);
      const maxBoxes = positive('max-boxes', flags.maxBoxes, true);
      const tolerance = positive('tolerance', flags.tolerance) ?? 1e-4;
      const progressSeconds = positive('progress-every', flags.progressEvery) ?? defaultProgressMs / 1000;
      // Read the key first: a bad key must not cost a long verification.
      const signingKey = flags.sign === undefined ? undefined : readSigningKey(flags.sign);
      const paths = modelPaths(file);
      if (flags.out && paths.length !== 1)
        throw new RangeError('--out needs a single model; the config names several');
      const derives = flags.policy !== undefined || flags.innerLevel !== undefined;
      if (derives && (paths.length !== 1 || /\.ya?ml$/i.test(file)))
        throw new RangeError('--policy and --inner-level take a single model JSON, not a run config');
      if (derives && flags.modelOut === undefined)
        throw new RangeError(
          '--policy and --inner-level change the model, which the certificate names by its hashes: give --model-out <file> to keep it',
        );
      const onProgress =
        flags.progress === false
          ? undefined
          : (p: Progress) =>
              process.stderr.write(
                `  … ${p.visited} boxes, ${(100 * p.decided).toFixed(1)} % of the region decided${p.tasks > 0 ? ` (${p.tasksDone}/${p.tasks} tasks)` : ''}, ${p.elapsedSeconds.toFixed(p.elapsedSeconds < 10 ? 1 : 0)} s\n`,
              );
      const options = {
        method: flags.method as 'linear' | 'ibp',
        ...(workers !== undefined ? { workers } : {}),
        ...(rho !== undefined ? { rho } : {}),
        ...(timeout !== undefined ? { timeLimitSeconds: timeout } : {}),
        ...(maxBoxes !== undefined ? { maxBoxes } : {}),
        ...(onProgress ? { onProgress, progressMs: progressSeconds * 1000 } : {}),
      };
      let allVerified = true;
      for (const path of paths) {
        let model = loadModel(path);
        const derived = derivedModel(model, flags);
        if (derived) {
          model = parseModel(derived, flags.modelOut);
          writeFileSync(flags.modelOut!, `${JSON.stringify(derived, null, 2)}\n`);
          process.stderr.write(`${model.name}: the model verified is written to ${flags.modelOut}\n`);
        }
        if (model.spec.subBoxesInFile)
          process.stderr.write(
            `${model.name}: note: spec.sub_boxes in the file are not used; the verifier derives B minus the hole itself\n`,
          );
        let certificate: Certificate | undefined;
        if (flags.bisect) {
          const b = await bisectRho(model, options, tolerance, (at, result) =>
            process.stderr.write(`${model.name}: rho ${at}: ${result}\n`),
          );
          process.stdout.write(
            `${model.name}: largest verified rho ${b.verified} (failed or unknown at ${b.failed}) after ${b.steps} runs\n`,
          );
          certificate = b.certificate;
          if (!certificate) allVerified = false;
        } else {
          certificate = (await certify(model, options)).certificate;
          if (certificate.result !== 'verified') allVerified = false;
        }
        // A bisection proves its own level: the written model takes it, as with --rho.
        if (derived && certificate && certificate.rho !== derived.spec.rho)
          writeFileSync(
            flags.modelOut!,
            `${JSON.stringify({ ...derived, spec: { ...derived.spec, rho: certificate.rho } }, null, 2)}\n`,
          );
        if (certificate && signingKey) certificate = signCertificate(certificate, signingKey);
        if (certificate) process.stdout.write(`${describeCertificate(certificate)}\n`);
        if (flags.out && certificate) writeFileSync(flags.out, `${JSON.stringify(certificate, null, 2)}\n`);
      }
      process.exitCode = allVerified ? 0 : 2;
    });
}
