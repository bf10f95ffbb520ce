// Compiled from src/verification/policy.ts by `npm run build`: edit the source, not this file.

// src/verification/policy.ts
import { compileChain } from "../inference/chain.js";
import { decodeModel } from "../inference/onnx/model.js";
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
  while (steps.length > 0 && steps.at(-1).op !== "dense") trailing.unshift(steps.pop());
  const outputTanh = trailing[0]?.op === "tanh";
  if (outputTanh) trailing.shift();
  for (const step of trailing) {
    if (step.op === "tanh" || step.op === "sigmoid" || step.op === "elu" || step.op === "relu")
      return fail(
        `its output passes through ${step.op}: after the last dense layer the verifier takes a tanh (first) and scalings, offsets and clips`
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
  const activations = [];
  for (let i2 = 0; i2 < steps.length; i2++) {
    const step = steps[i2];
    if (step.op !== "dense") return fail(`step ${i2} of its graph is ${step.op}, expected a dense layer`);
    dense.push(step);
    const next = steps[i2 + 1];
    if (next === void 0) break;
    if (next.op !== "relu" && next.op !== "tanh")
      return fail(`its hidden activation is ${next.op}: the verifier takes ReLU or tanh`);
    activations.push(next.op);
    i2++;
  }
  if (outputTanh) activations.push("tanh");
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
    if (index === dense.length - 1 && !outputTanh) {
      for (let r = 0; r < weight.length; r++) {
        weight[r] = weight[r].map((w) => s * w);
        bias[r] = s * bias[r] + o;
      }
    }
    return { weight, bias };
  });
  if (outputTanh) layers.push({ weight: [[s]], bias: [o] });
  const activation = activations.includes("tanh") ? { activation: activations } : {};
  return {
    ok: true,
    controller: {
      ...activation,
      negative_slope: 0,
      layers,
      u_lo: [uLo],
      u_up: [uUp],
      u_star: [evaluate(layers, activations, new Float64Array(n))]
    }
  };
}
function evaluate(layers, activations, x) {
  let v = Array.from(x);
  layers.forEach((layer, i) => {
    v = layer.weight.map((row, r) => row.reduce((sum, w, k) => sum + w * v[k], layer.bias[r]));
    if (i < layers.length - 1) v = v.map((z) => activations[i] === "tanh" ? Math.tanh(z) : Math.max(0, z));
  });
  return v[0];
}
export {
  expressPolicy
};
