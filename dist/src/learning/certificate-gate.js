// Compiled from src/learning/certificate-gate.ts by `npm run build`: edit the source, not this file.

// src/learning/certificate-gate.ts
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { certify, inspectCertificateFile } from "../verification/certificate.js";
import { loadModel } from "../verification/io.js";
import { parseModel } from "../verification/model.js";
import { expressPolicy } from "../verification/policy.js";
async function judgeMode(mode, input) {
  const label = `'${mode.controller}' (${mode.key})`;
  if (mode.certificate === void 0)
    return mode.controller === input.replaces ? { passed: false, line: `${label}: no certificate file to re-verify the candidate against` } : {
      passed: true,
      line: `${label}: no certificate file (its controller verifies it when it loads); the candidate does not replace '${mode.controller}'`
    };
  let model;
  let rho;
  let digest;
  try {
    model = loadModel(mode.model);
    const checked = inspectCertificateFile(model, mode.certificate);
    rho = checked.rho;
    digest = checked.digest;
  } catch (error) {
    return { passed: false, line: `${label}: its certificate does not hold: ${error.message}` };
  }
  if (mode.controller !== input.replaces)
    return {
      passed: true,
      line: `${label}: certificate re-checked (rho ${rho}, sha256 ${digest.slice(0, 12)}: integrity, model hashes, proof and cover); it proves '${mode.controller}''s own law, which the candidate does not replace`
    };
  const expressed = expressPolicy(input.candidate.onnx, input.candidate.contract, model);
  if (!expressed.ok)
    return {
      passed: false,
      line: `${label}: its certificate (rho ${rho}) proves the deployed '${mode.controller}', not the candidate, and the candidate cannot be re-verified: ${expressed.reason}`
    };
  const json = {
    ...model.source,
    name: `${model.name} with candidate ${input.candidate.sha256.slice(0, 12)}`,
    controller: expressed.controller
  };
  let certificate;
  try {
    const candidateModel = parseModel(json, `the candidate's model of ${mode.controller}`);
    certificate = (await certify(candidateModel, {
      rho,
      timeLimitSeconds: input.budget.seconds,
      workers: input.budget.workers
    })).certificate;
  } catch (error) {
    return { passed: false, line: `${label}: re-verification failed to run: ${error.message}` };
  }
  mkdirSync(input.outDir, { recursive: true });
  const written = reverifiedFiles(input.outDir, mode.controller);
  writeFileSync(written.model, `${JSON.stringify(json, null, 2)}
`);
  writeFileSync(written.certificate, `${JSON.stringify(certificate, null, 2)}
`);
  const where = path.basename(written.certificate);
  if (certificate.result === "verified" && certificate.holeCheck.result === "verified")
    return {
      passed: true,
      line: `${label}: VERIFIED for the candidate at rho ${rho} (${certificate.boxes.visited} boxes, ${certificate.timeSeconds.toFixed(1)} s; ${where}); the proof is about its weights in real arithmetic, the robot runs them in float32`
    };
  const why = certificate.result === "counterexample" ? `refuted: counterexample at x = [${(certificate.counterexample?.x ?? []).map((v) => v.toPrecision(4)).join(", ")}]` : certificate.result === "unknown" ? `UNKNOWN within the budget (${input.budget.seconds} s, ${input.budget.workers} workers${certificate.stopped ? `; ${certificate.stopped}` : ""})` : `the hole check is ${certificate.holeCheck.result}`;
  return {
    passed: false,
    line: `${label}: the candidate is not verified at rho ${rho}: ${why} (${where})`
  };
}
function reverifiedFiles(outDir, controller) {
  const base = path.join(outDir, controller);
  return { model: `${base}.model.json`, certificate: `${base}.cert.json` };
}
async function certificateGate(input) {
  if (input.certified.length === 0)
    return {
      name: "certificate",
      passed: true,
      applicable: false,
      detail: "the run config has no certified modes",
      values: {}
    };
  const verdicts = [];
  for (const mode of input.certified) verdicts.push(await judgeMode(mode, input));
  const passed = verdicts.every((v) => v.passed);
  return {
    name: "certificate",
    passed,
    applicable: true,
    detail: verdicts.map((v) => v.line).join("; "),
    values: {
      certified: input.certified.map((m) => m.controller).join(", "),
      failed: input.certified.filter((_, i) => !verdicts[i].passed).map((m) => m.controller).join(", ")
    }
  };
}
export {
  certificateGate,
  reverifiedFiles
};
