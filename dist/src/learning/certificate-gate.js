// Compiled from src/learning/certificate-gate.ts by `npm run build`: edit the source, not this file.

// src/learning/certificate-gate.ts
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { compileChain } from "../inference/chain.js";
import { decodeModel } from "../inference/onnx/model.js";
import { certify, inspectCertificateFile } from "../verification/certificate.js";
import { loadModel } from "../verification/io.js";
import { parseModel } from "../verification/model.js";
function expressPolicy(onnx, contract, certified) {
  const fail = (reason) => ({ ok: false, reason });
  const assumptions = certified.assumptions;
  if (assumptions === void 0)
    return fail(
      `model '${certified.name}' names no state signals, so the policy's inputs cannot be matched to its state`
    );
  const period = 1 / contract.policy_rate_hz;
  if (Math.abs(period - assumptions.controlPeriod) > 1e-9 * assumptions.controlPeriod)
    return fail(
      `it acts at ${contract.policy_rate_hz} Hz, the certified controller every ${assumptions.controlPeriod} s`
    );
  const terms = contract.observations;
  const names = [];
  for (const t of terms) {
    if (t.source !== "signals" || t.signals === void 0)
      return fail(`observation term '${t.name}' is not read from robot signals (${t.source})`);
    if (t.history !== 1) return fail(`observation term '${t.name}' has a history of ${t.history}`);
    if (t.clip !== void 0) return fail(`observation term '${t.name}' is clipped`);
    for (const name of t.signals) {
      const unit = assumptions.signals.find((x) => x.name === name)?.unit;
      if (t.unit !== void 0 && unit !== void 0 && t.unit !== unit)
        return fail(`observation '${name}' is in ${t.unit}, the certified state in ${unit}`);
    }
    names.push(...t.signals);
  }
  const state = assumptions.signals.map((s2) => s2.name);
  if (names.join() !== state.join())
    return fail(`its inputs are [${names.join(", ")}], the certified state is [${state.join(", ")}]`);
  if (contract.normalizer.kind !== "none" && contract.normalizer.kind !== "inside_model")
    return fail(`its normaliser (${contract.normalizer.kind}) is outside the model`);
  const actions = contract.actions;
  if (actions.signals.length !== 1 || actions.signals[0] !== assumptions.action.name)
    return fail(
      `it commands [${actions.signals.join(", ")}], the certified controller ${assumptions.action.name}`
    );
  let steps;
  try {
    steps = [...compileChain(decodeModel(onnx)).steps];
  } catch (error) {
    return fail(`its graph cannot be read: ${error.message}`);
  }
  const n = state.length;
  const a = new Float64Array(n);
  const c = new Float64Array(n);
  let i = 0;
  for (const t of terms)
    t.signals.forEach((_, k) => {
      const scale = typeof t.scale === "number" ? t.scale : t.scale[k];
      const offset = typeof t.offset === "number" ? t.offset : t.offset[k];
      a[i] = scale;
      c[i] = -offset * scale;
      i++;
    });
  for (let head = steps[0]; head?.op === "sub" || head?.op === "div"; head = steps[0]) {
    const step = steps.shift();
    for (let i2 = 0; i2 < n; i2++) {
      const k = step.constant.length === 1 ? step.constant[0] : step.constant[i2];
      if (step.op === "sub") c[i2] = c[i2] - k;
      else {
        a[i2] = a[i2] / k;
        c[i2] = c[i2] / k;
      }
    }
  }
  let s = 1;
  let o = 0;
  let lower = Number.NEGATIVE_INFINITY;
  let upper = Number.POSITIVE_INFINITY;
  const scaleBy = (k) => {
    s *= k;
    o *= k;
    [lower, upper] = k >= 0 ? [lower * k, upper * k] : [upper * k, lower * k];
  };
  const shiftBy = (k) => {
    o += k;
    lower += k;
    upper += k;
  };
  const clipTo = (lo, hi) => {
    lower = Math.max(lower, lo);
    upper = Math.min(upper, hi);
  };
  const trailing = [];
  while (steps.length > 0 && steps.at(-1).op !== "dense" && steps.at(-1).op !== "relu")
    trailing.unshift(steps.pop());
  for (const step of trailing) {
    if (step.op === "tanh" || step.op === "sigmoid" || step.op === "elu")
      return fail(
        `its output passes through ${step.op}: the verifier bounds ReLU networks and affine laws, not ${step.op}`
      );
    if (step.op === "clip") clipTo(step.lower, step.upper);
    else if (step.op === "mul" || step.op === "div" || step.op === "add" || step.op === "sub") {
      if (step.constant.length !== 1) return fail(`its output ${step.op} is not a scalar`);
      const k = step.constant[0];
      if (step.op === "mul") scaleBy(k);
      else if (step.op === "div") scaleBy(1 / k);
      else shiftBy(step.op === "add" ? k : -k);
    } else return fail(`its graph ends in ${step.op}`);
  }
  const first = (v) => typeof v === "number" ? v : v[0];
  if (actions.clip !== void 0) clipTo(actions.clip[0], actions.clip[1]);
  scaleBy(first(actions.scale));
  shiftBy(first(actions.offset));
  const commandClip = actions.command_clip;
  if (commandClip !== void 0) {
    const [lo, hi] = Array.isArray(commandClip[0]) ? commandClip[0] : commandClip;
    clipTo(lo, hi);
  }
  const { uLo, uUp } = certified.controller;
  if (lower > uLo || upper < uUp)
    return fail(
      `it clamps its command to [${lower}, ${upper}], tighter than the certified clamp [${uLo}, ${uUp}]`
    );
  const dense = [];
  for (let i2 = 0; i2 < steps.length; i2++) {
    const step = steps[i2];
    if (step.op !== "dense") return fail(`step ${i2} of its graph is ${step.op}, expected a dense layer`);
    dense.push(step);
    const next = steps[i2 + 1];
    if (next === void 0) break;
    if (next.op !== "relu") return fail(`its hidden activation is ${next.op}: the verifier takes ReLU`);
    i2++;
  }
  if (dense.length === 0) return fail("its graph has no dense layer");
  if (dense[0].inSize !== n || dense.at(-1).outSize !== 1)
    return fail(
      `its network maps ${dense[0].inSize} inputs to ${dense.at(-1).outSize} outputs, the model ${n} to 1`
    );
  const layers = dense.map((d, index) => {
    const weight = [];
    const bias = [];
    for (let r = 0; r < d.outSize; r++) {
      const row = [];
      let b = d.bias[r];
      for (let k = 0; k < d.inSize; k++) {
        let w = d.weight[r * d.inSize + k];
        if (index === 0) {
          b += w * c[k];
          w *= a[k];
        }
        row.push(w);
      }
      weight.push(row);
      bias.push(b);
    }
    if (index === dense.length - 1) {
      for (let r = 0; r < weight.length; r++) {
        weight[r] = weight[r].map((w) => s * w);
        bias[r] = s * bias[r] + o;
      }
    }
    return { weight, bias };
  });
  return {
    ok: true,
    controller: {
      negative_slope: 0,
      layers,
      u_lo: [uLo],
      u_up: [uUp],
      u_star: [evaluate(layers, new Float64Array(n))]
    }
  };
}
function evaluate(layers, x) {
  let v = Array.from(x);
  layers.forEach((layer, i) => {
    v = layer.weight.map((row, r) => row.reduce((sum, w, k) => sum + w * v[k], layer.bias[r]));
    if (i < layers.length - 1) v = v.map((z) => Math.max(0, z));
  });
  return v[0];
}
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
  const base = path.join(input.outDir, mode.controller);
  writeFileSync(`${base}.model.json`, `${JSON.stringify(json, null, 2)}
`);
  writeFileSync(`${base}.cert.json`, `${JSON.stringify(certificate, null, 2)}
`);
  const where = `${path.basename(base)}.cert.json`;
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
  expressPolicy
};
