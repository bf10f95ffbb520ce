/**
 * The certificate gate: a candidate may replace the deployed policy only where every certificate of
 * the run still holds.
 *
 * A certificate (src/verification) is bound by hashes to the controller it proves. So:
 *
 * - a certificate of a controller the candidate does not replace (the LQR a certified guard switches
 *   into, a hybrid supervisor's modes) is re-checked as it stands — integrity digest, model hashes,
 *   proof result and the cover of the region re-proved — and still governs that controller;
 * - a certificate of the controller the candidate replaces does not cover the candidate. The verifier
 *   is run again on the certificate's model with the candidate's network as its controller, at the
 *   certificate's ρ, and the gate passes only on a sound proof (VERIFIED); the new certificate is
 *   written beside the candidate. A counterexample, a budget that runs out (UNKNOWN), or a network
 *   the verifier cannot take (a sigmoid or ELU, inputs it cannot map onto the certified state)
 *   fail it.
 *
 * Sampling only refutes; nothing here is called verified unless the verifier proved it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PolicyContract } from '../inference/contract.ts';
import { type Certificate, certify, inspectCertificateFile } from '../verification/certificate.ts';
import { loadModel } from '../verification/io.ts';
import { type LyapunovModel, type ModelJson, parseModel } from '../verification/model.ts';
import { expressPolicy } from '../verification/policy.ts';
import type { GateCheck } from './gates.ts';

/** One certificate of the run config and the controller it proves. */
export interface CertifiedController {
  /** The run config's controller the certificate proves, e.g. `balance`. */
  readonly controller: string;
  /** Where the config names it, for messages, e.g. `switching.guard.certificates.balance`. */
  readonly key: string;
  /** The verifier model (controller, V, plant) and the certificate file, absolute paths. */
  readonly model: string;
  /** Absent: the controller verifies it when it loads (a hybrid supervisor's `verify: true`). */
  readonly certificate?: string;
}

export interface CertificateGateInput {
  readonly certified: readonly CertifiedController[];
  /** The run config's controller the candidate replaces (the deployed policy). */
  readonly replaces: string;
  readonly candidate: {
    readonly onnx: Uint8Array;
    readonly contract: PolicyContract;
    readonly sha256: string;
  };
  /** Where a re-verified model and certificate are written (the candidate's folder). */
  readonly outDir: string;
  /** Verifier budget per certificate: wall seconds and worker threads. */
  readonly budget: { readonly seconds: number; readonly workers: number };
}

interface ModeVerdict {
  readonly passed: boolean;
  readonly line: string;
}

async function judgeMode(mode: CertifiedController, input: CertificateGateInput): Promise<ModeVerdict> {
  const label = `'${mode.controller}' (${mode.key})`;
  if (mode.certificate === undefined)
    return mode.controller === input.replaces
      ? { passed: false, line: `${label}: no certificate file to re-verify the candidate against` }
      : {
          passed: true,
          line: `${label}: no certificate file (its controller verifies it when it loads); the candidate does not replace '${mode.controller}'`,
        };
  let model: LyapunovModel;
  let rho: number;
  let digest: string;
  try {
    model = loadModel(mode.model);
    const checked = inspectCertificateFile(model, mode.certificate);
    rho = checked.rho;
    digest = checked.digest;
  } catch (error) {
    return { passed: false, line: `${label}: its certificate does not hold: ${(error as Error).message}` };
  }
  if (mode.controller !== input.replaces)
    return {
      passed: true,
      line: `${label}: certificate re-checked (rho ${rho}, sha256 ${digest.slice(0, 12)}: integrity, model hashes, proof and cover); it proves '${mode.controller}''s own law, which the candidate does not replace`,
    };
  const expressed = expressPolicy(input.candidate.onnx, input.candidate.contract, model);
  if (!expressed.ok)
    return {
      passed: false,
      line: `${label}: its certificate (rho ${rho}) proves the deployed '${mode.controller}', not the candidate, and the candidate cannot be re-verified: ${expressed.reason}`,
    };
  const json: ModelJson = {
    ...model.source,
    name: `${model.name} with candidate ${input.candidate.sha256.slice(0, 12)}`,
    controller: expressed.controller,
  };
  let certificate: Certificate;
  try {
    const candidateModel = parseModel(json, `the candidate's model of ${mode.controller}`);
    certificate = (
      await certify(candidateModel, {
        rho,
        timeLimitSeconds: input.budget.seconds,
        workers: input.budget.workers,
      })
    ).certificate;
  } catch (error) {
    return { passed: false, line: `${label}: re-verification failed to run: ${(error as Error).message}` };
  }
  mkdirSync(input.outDir, { recursive: true });
  const written = reverifiedFiles(input.outDir, mode.controller);
  writeFileSync(written.model, `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(written.certificate, `${JSON.stringify(certificate, null, 2)}\n`);
  const where = path.basename(written.certificate);
  if (certificate.result === 'verified' && certificate.holeCheck.result === 'verified')
    return {
      passed: true,
      line: `${label}: VERIFIED for the candidate at rho ${rho} (${certificate.boxes.visited} boxes, ${certificate.timeSeconds.toFixed(1)} s; ${where}); the proof is about its weights in real arithmetic, the robot runs them in float32`,
    };
  const why =
    certificate.result === 'counterexample'
      ? `refuted: counterexample at x = [${(certificate.counterexample?.x ?? []).map((v) => v.toPrecision(4)).join(', ')}]`
      : certificate.result === 'unknown'
        ? `UNKNOWN within the budget (${input.budget.seconds} s, ${input.budget.workers} workers${certificate.stopped ? `; ${certificate.stopped}` : ''})`
        : `the hole check is ${certificate.holeCheck.result}`;
  return {
    passed: false,
    line: `${label}: the candidate is not verified at rho ${rho}: ${why} (${where})`,
  };
}

/**
 * Where the gate writes the model and certificate it re-verified for a candidate (its folder), for
 * `controller`: what the loop hands the live guard with the candidate.
 */
export function reverifiedFiles(outDir: string, controller: string): { model: string; certificate: string } {
  const base = path.join(outDir, controller);
  return { model: `${base}.model.json`, certificate: `${base}.cert.json` };
}

/** Every certificate of the run judged against the candidate; passes only if each one holds. */
export async function certificateGate(input: CertificateGateInput): Promise<GateCheck> {
  if (input.certified.length === 0)
    return {
      name: 'certificate',
      passed: true,
      applicable: false,
      detail: 'the run config has no certified modes',
      values: {},
    };
  const verdicts: ModeVerdict[] = [];
  for (const mode of input.certified) verdicts.push(await judgeMode(mode, input));
  const passed = verdicts.every((v) => v.passed);
  return {
    name: 'certificate',
    passed,
    applicable: true,
    detail: verdicts.map((v) => v.line).join('; '),
    values: {
      certified: input.certified.map((m) => m.controller).join(', '),
      failed: input.certified
        .filter((_, i) => !verdicts[i]!.passed)
        .map((m) => m.controller)
        .join(', '),
    },
  };
}
