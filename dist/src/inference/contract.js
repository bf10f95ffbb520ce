// Compiled from src/inference/contract.ts by `npm run build`: edit the source, not this file.

// src/inference/contract.ts
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ConfigDocument } from "../config/document.js";
import {
  contractSchema
} from "./contract-schema.js";
import { contractFromDeploy, DeployError, pythonSliceTag } from "./isaaclab.js";
import { contractFromIODescriptors } from "./isaaclab-io.js";
var ContractError = class extends Error {
  constructor(subject, issues) {
    super(`${subject}:
  - ${issues.join("\n  - ")}`);
    this.subject = subject;
    this.issues = issues;
    this.name = "ContractError";
  }
  subject;
  issues;
};
function termWidth(term, actionSize) {
  switch (term.source) {
    case "signals":
      return term.signals.length;
    case "constant":
    case "command":
      return term.value.length;
    case "projected_gravity":
    case "body_frame":
      return 3;
    case "last_action":
      return actionSize;
  }
}
function termSignals(term) {
  if (term.source === "projected_gravity") return term.quaternion;
  if (term.source === "body_frame") return [...term.quaternion, ...term.signals];
  if (term.source === "signals") return term.signals;
  return [];
}
function observationSize(contract) {
  const m = contract.actions.signals.length;
  return contract.observations.reduce((n, t) => n + termWidth(t, m) * t.history, 0);
}
function expand(value, n, what) {
  if (typeof value === "number") return new Float64Array(n).fill(value);
  if (value.length !== n)
    throw new ContractError("contract", [`${what}: ${value.length} values given, expected 1 or ${n}`]);
  return Float64Array.from(value);
}
function parseContract(data, source = "contract", doc) {
  const result = contractSchema.safeParse(data);
  if (!result.success) {
    if (doc) {
      doc.validate(contractSchema, data);
      doc.throwIfProblems();
    }
    throw new ContractError(
      source,
      result.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`)
    );
  }
  const contract = result.data;
  const issues = [];
  const issue = (at, label, message) => issues.push({ at, label, message });
  const m = contract.actions.signals.length;
  contract.observations.forEach((t, i) => {
    const w = termWidth(t, m);
    for (const key of ["scale", "offset"]) {
      const v = t[key];
      if (Array.isArray(v) && v.length !== w)
        issue(
          ["observations", i, key],
          `observations.${t.name}.${key}`,
          `${v.length} values, expected 1 or ${w}`
        );
    }
  });
  for (const key of ["scale", "offset", "unit"]) {
    const v = contract.actions[key];
    if (Array.isArray(v) && v.length !== m)
      issue(["actions", key], `actions.${key}`, `${v.length} values, expected 1 or ${m}`);
  }
  const commandClip = contract.actions.command_clip;
  if (commandClip !== void 0 && Array.isArray(commandClip[0]) && commandClip.length !== m)
    issue(
      ["actions", "command_clip"],
      "actions.command_clip",
      `${commandClip.length} ranges, expected 1 or ${m}`
    );
  const pd = contract.actions.pd;
  if (pd) {
    for (const key of ["kp", "kd"]) {
      const v = pd[key];
      if (Array.isArray(v) && v.length !== m)
        issue(["actions", "pd", key], `actions.pd.${key}`, `${v.length} values, expected 1 or ${m}`);
    }
    for (const key of ["position", "velocity"])
      if (pd[key].length !== m)
        issue(
          ["actions", "pd", key],
          `actions.pd.${key}`,
          `${pd[key].length} signals, expected ${m} (one per action)`
        );
    if (contract.actions.mode !== void 0 && contract.actions.mode !== "position")
      issue(
        ["actions", "pd"],
        "actions.pd",
        `a PD stage turns position targets into torques; actions.mode is ${contract.actions.mode}`
      );
  }
  for (const name of Object.keys(contract.actions.constants))
    if (contract.actions.signals.includes(name))
      issue(
        ["actions", "constants", name],
        `actions.constants.${name}`,
        `the policy already outputs '${name}'`
      );
  const recurrentNames = contract.recurrent.flatMap((r) => [r.input, r.output]);
  const clash = recurrentNames.find((n) => n === contract.input || n === contract.output);
  if (clash) issue(["recurrent"], "recurrent", `'${clash}' is also the contract's input or output`);
  const names = contract.observations.map((t) => t.name);
  const dup = names.findIndex((n, i) => names.indexOf(n) !== i);
  if (dup >= 0)
    issue(["observations", dup, "name"], "observations", `term name '${names[dup]}' is used twice`);
  if (issues.length === 0) return contract;
  if (doc) {
    for (const { at, message } of issues) doc.report(at, message);
    doc.throwIfProblems();
  }
  throw new ContractError(
    source,
    issues.map(({ label, message }) => `${label}: ${message}`)
  );
}
var deployWrapperSchema = z.object({
  format: z.literal("isaaclab-deploy/1"),
  /** A deploy YAML (unitree_rl_lab's or the plainer layout)… */
  deploy: z.string().optional(),
  /** …or Isaac Lab's IO descriptor export (IO_descriptors.yaml): one of the two. */
  io_descriptors: z.string().optional(),
  model: z.string().optional(),
  input: z.string().optional(),
  output: z.string().optional(),
  bind: z.unknown()
});
function parseText(text, source, options = {}) {
  try {
    return source.endsWith(".json") ? JSON.parse(text) : parseYaml(text, options);
  } catch (error) {
    throw new ContractError(source, [
      `not valid ${source.endsWith(".json") ? "JSON" : "YAML"}: ${error.message}`
    ]);
  }
}
function readText(file, what) {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read ${what} '${file}': ${error.message}`);
  }
}
function loadContract(file) {
  const doc = ConfigDocument.parse(readText(file, "policy contract"), file);
  const wrapper = deployWrapperSchema.safeParse(doc.source);
  if (!wrapper.success) return parseContract(doc.source, file, doc);
  const { model, input, output, deploy: deployName, io_descriptors: ioName } = wrapper.data;
  if (deployName === void 0 === (ioName === void 0))
    throw new DeployError(
      file,
      deployName === void 0 ? "deploy" : "io_descriptors",
      `expected either deploy (a deploy YAML) or io_descriptors (Isaac Lab's IO_descriptors.yaml), ${deployName === void 0 ? "found neither" : "not both"}`
    );
  if (ioName !== void 0) {
    const ioFile = path.resolve(path.dirname(file), ioName);
    const descriptors = parseText(readText(ioFile, "IO descriptors YAML"), ioFile);
    return parseContract(
      contractFromIODescriptors(
        descriptors,
        wrapper.data.bind,
        { model, input, output },
        { descriptors: ioFile, wrapper: file }
      ),
      `${file} (over ${ioFile})`
    );
  }
  const deployFile = path.resolve(path.dirname(file), deployName);
  const deploy = parseText(readText(deployFile, "deploy YAML"), deployFile, { customTags: [pythonSliceTag] });
  if (deploy !== null && typeof deploy === "object" && "articulations" in deploy && "scene" in deploy)
    throw new DeployError(
      file,
      "deploy",
      `${deployName} is an Isaac Lab IO descriptors file (it has articulations and scene), not a deploy YAML; name it as io_descriptors: ${deployName}`
    );
  return parseContract(
    contractFromDeploy(
      deploy,
      wrapper.data.bind,
      { model, input, output },
      { deploy: deployFile, wrapper: file }
    ),
    `${file} (over ${deployFile})`
  );
}
function resolveNormalizer(contract, baseDir) {
  const n = observationSize(contract);
  const norm = contract.normalizer;
  if (norm.kind === "none" || norm.kind === "inside_model") return void 0;
  let mean;
  let std;
  let eps;
  if (norm.kind === "mean_std") {
    ({ mean, std, eps } = norm);
  } else {
    const file = path.resolve(baseDir, norm.path);
    const stats = readLeRobotStats(file);
    const entry = stats[norm.key];
    if (!entry)
      throw new ContractError(file, [`no key '${norm.key}' (keys: ${Object.keys(stats).join(", ")})`]);
    eps = norm.eps;
    if (norm.mode === "min_max") {
      const { min, max } = entry;
      if (!min || !max || min.length !== max.length)
        throw new ContractError(file, [
          `${norm.key}: mode min_max needs "min" and "max" of one length (LeRobot writes them beside mean and std)`
        ]);
      mean = min.map((lo, i) => (lo + max[i] + eps) / 2);
      std = min.map((lo, i) => (max[i] - lo) / 2);
      eps /= 2;
    } else {
      if (!entry.mean || !entry.std)
        throw new ContractError(file, [`${norm.key}: mode mean_std needs "mean" and "std"`]);
      mean = entry.mean;
      std = entry.std;
    }
  }
  if (mean.length !== n || std.length !== n) {
    throw new ContractError("normalizer", [
      `mean/std have ${mean.length}/${std.length} values, expected ${n} (the observation size)`
    ]);
  }
  return { mean: Float64Array.from(mean), std: Float64Array.from(std, (s) => s + eps) };
}
var statsSchema = z.record(
  z.string(),
  z.looseObject({
    mean: z.array(z.unknown()).optional(),
    std: z.array(z.unknown()).optional(),
    min: z.array(z.unknown()).optional(),
    max: z.array(z.unknown()).optional()
  })
);
function flatNumbers(values) {
  const flat = values.flat(3);
  return flat.every((v) => typeof v === "number") ? flat : void 0;
}
function readLeRobotStats(file) {
  let raw;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`cannot read LeRobot stats '${file}': ${error.message}`);
  }
  const parsed = statsSchema.safeParse(raw);
  if (!parsed.success)
    throw new ContractError(file, ['expected { "<feature>": { "mean": [...], "std": [...] } }']);
  const out = {};
  for (const [key, v] of Object.entries(parsed.data)) {
    const entry = {};
    for (const stat of ["mean", "std", "min", "max"]) {
      const values = v[stat] && flatNumbers(v[stat]);
      if (values && values.length > 0) entry[stat] = values;
    }
    if (Object.keys(entry).length > 0) out[key] = entry;
  }
  return out;
}
function describeTerms(contract) {
  const m = contract.actions.signals.length;
  return contract.observations.map((t) => `${t.name} ${termWidth(t, m)}×${t.history}`).join(" + ");
}
function withRslRlRecurrence(contract, model) {
  if (contract.recurrent.length > 0) return contract;
  const extraInputs = model.inputs.map((v) => v.name).filter((n) => n !== contract.input);
  const outputs = new Set(model.outputs.map((v) => v.name));
  if (extraInputs.length === 0 || extraInputs.length > 2) return contract;
  const pairs = extraInputs.map((input) => ({ input, output: input.replace(/_in$/, "_out") }));
  const rslRl = pairs.every((p) => /^[hc]_in$/.test(p.input) && outputs.has(p.output));
  return rslRl ? { ...contract, recurrent: pairs } : contract;
}
function checkContractAgainstModel(contract, model, subject = "policy contract vs model") {
  const issues = [];
  const check = (role, wanted, size, detail) => {
    const list = role === "input" ? model.inputs : model.outputs;
    const found = list.find((v) => v.name === wanted);
    if (!found) {
      issues.push(
        `${role} tensor: contract names '${wanted}', model has [${list.map((v) => `'${v.name}'`).join(", ")}]`
      );
      return;
    }
    const last = found.shape[found.shape.length - 1];
    if (found.shape.length !== 2) {
      issues.push(
        `${role} '${wanted}': expected shape [batch, ${size}], model declares [${found.shape.join(", ")}]`
      );
    } else if (last !== size) {
      issues.push(`${role} '${wanted}': expected ${size} features (${detail}), model has ${last}`);
    }
  };
  check("input", contract.input, observationSize(contract), describeTerms(contract));
  check("output", contract.output, contract.actions.signals.length, `actions.signals`);
  for (const { input, output } of contract.recurrent) {
    const i = model.inputs.find((v) => v.name === input);
    const o = model.outputs.find((v) => v.name === output);
    if (!i)
      issues.push(
        `recurrent input '${input}': model inputs are [${model.inputs.map((v) => `'${v.name}'`).join(", ")}]`
      );
    if (!o)
      issues.push(
        `recurrent output '${output}': model outputs are [${model.outputs.map((v) => `'${v.name}'`).join(", ")}]`
      );
    if (i && o && i.shape.join("×") !== o.shape.join("×"))
      issues.push(
        `recurrent '${input}' → '${output}': shapes [${i.shape.join(", ")}] and [${o.shape.join(", ")}] differ`
      );
  }
  const fed = /* @__PURE__ */ new Set([contract.input, ...contract.recurrent.map((r) => r.input)]);
  for (const v of model.inputs)
    if (!fed.has(v.name))
      issues.push(
        `input tensor '${v.name}': the contract feeds [${[...fed].map((n) => `'${n}'`).join(", ")}] only` + (/^[hc]_in$/.test(v.name) ? ` (a recurrent export: declare recurrent: [{ input: ${v.name}, output: ${v.name.replace("_in", "_out")} }])` : "")
      );
  if (issues.length) throw new ContractError(subject, issues);
}
var MIN_ACTUATOR_SHARE = 1 / 4;
function checkContractAgainstRobot(contract, observation, action, subject = "policy contract vs robot") {
  const issues = [];
  const obsNames = observation.signals.map((s) => s.name);
  for (const t of contract.observations) {
    for (const name of termSignals(t)) {
      const spec = observation.signals.find((s) => s.name === name);
      if (!spec)
        issues.push(
          `observation term '${t.name}': robot has no signal '${name}' (robot signals: ${obsNames.join(", ")})`
        );
      else if (t.source === "signals" && t.unit !== void 0 && spec.unit !== t.unit) {
        issues.push(
          `observation term '${t.name}': signal '${name}' is in ${spec.unit}, contract expects ${t.unit}`
        );
      }
    }
  }
  const actNames = action.signals.map((s) => s.name);
  for (const name of contract.actions.signals) {
    if (!actNames.includes(name))
      issues.push(`actions: robot has no action signal '${name}' (robot actions: ${actNames.join(", ")})`);
  }
  for (const name of Object.keys(contract.actions.constants)) {
    if (!actNames.includes(name))
      issues.push(
        `actions.constants: robot has no action signal '${name}' (robot actions: ${actNames.join(", ")})`
      );
  }
  const dup = contract.actions.signals.find((n, i) => contract.actions.signals.indexOf(n) !== i);
  if (dup) issues.push(`actions: signal '${dup}' is mapped twice`);
  const pd = contract.actions.pd;
  for (const name of [...pd?.position ?? [], ...pd?.velocity ?? []]) {
    if (!obsNames.includes(name))
      issues.push(
        `actions.pd: robot has no observation signal '${name}' (robot signals: ${obsNames.join(", ")})`
      );
  }
  const mode = contract.actions.mode;
  const robotMode = pd ? "position" : action.mode;
  if (pd && action.mode !== "torque")
    issues.push(
      `actions.pd: a PD stage writes torques, but the robot takes ${action.mode} commands (expected a torque robot; a robot with a pd drive takes the targets and gains itself)`
    );
  else if (mode && mode !== robotMode) {
    const hint = mode === "position" && action.mode === "torque" ? ": a position policy needs the robot's pd drive (kp/kd on the motors) or a PD stage in the runtime (actions.pd)" : mode === "torque" && action.mode === "position" ? ": nothing turns a torque policy's output into position targets; use a torque drive" : mode === "cartesian" || action.mode === "cartesian" ? ": end-effector poses need a cartesian rig (rig config commandMode: cartesian) and a policy that outputs them; nothing converts between poses and joint commands" : "";
    issues.push(
      `actions.mode: the policy outputs ${mode} commands, the robot takes ${action.mode} commands${hint}`
    );
  }
  const warnings = pd ? checkPdTargets(contract, observation, issues) : checkActionRanges(contract, action, mode ?? action.mode, issues);
  if (issues.length) throw new ContractError(subject, issues);
  return warnings;
}
function checkPdTargets(contract, observation, issues) {
  const positions = contract.actions.pd.position;
  const joints = positions.map((name) => observation.signals.find((s) => s.name === name));
  const asAction = {
    mode: "position",
    signals: contract.actions.signals.map((name, j) => ({
      name,
      unit: joints[j]?.unit ?? "rad",
      lower: joints[j]?.lower ?? -Infinity,
      upper: joints[j]?.upper ?? Infinity
    })),
    safe: contract.actions.signals.map(() => 0)
  };
  const { unit: _unit, ...rest } = contract.actions;
  return checkActionRanges({ ...contract, actions: rest }, asAction, "position", issues);
}
function checkActionRanges(contract, action, mode, issues) {
  const warnings = [];
  const { signals, unit, clip } = contract.actions;
  const m = signals.length;
  const scale = expand(contract.actions.scale, m, "actions.scale");
  const offset = expand(contract.actions.offset, m, "actions.offset");
  const [rawLower, rawUpper] = clip ?? [-1, 1];
  const raw = clip ? `the policy's ${interval(rawLower, rawUpper)}` : `the policy's ${interval(rawLower, rawUpper)} (no actions.clip: the usual range of a raw output)`;
  signals.forEach((name, j) => {
    const spec = action.signals.find((s) => s.name === name);
    if (!spec) return;
    const commanded = unit === void 0 ? spec.unit : typeof unit === "string" ? unit : unit[j];
    if (commanded !== spec.unit) {
      issues.push(
        `action '${name}': the contract commands ${commanded}, the robot's actuator takes ${spec.unit}`
      );
      return;
    }
    if (!Number.isFinite(spec.lower) || !Number.isFinite(spec.upper)) return;
    const a = scale[j] * rawLower + offset[j];
    const b = scale[j] * rawUpper + offset[j];
    const [clipLower, clipUpper] = commandClipOf(contract.actions.command_clip, j);
    const lower = Math.max(Math.min(a, b), clipLower);
    const upper = Math.min(Math.max(a, b), clipUpper);
    const span = spec.upper - spec.lower;
    const what = `action '${name}': the contract maps ${raw} to ${interval(lower, upper)} ${spec.unit}, but the robot's actuator spans ${interval(spec.lower, spec.upper)} ${spec.unit}`;
    const slack = 1e-9 * Math.max(1, span);
    const targets = mode === "position" || mode === "cartesian";
    if (upper < spec.lower - slack || lower > spec.upper + slack) {
      issues.push(`${what}: the policy can never command a value the actuator accepts`);
    } else if (!targets && upper - lower < MIN_ACTUATOR_SHARE * span) {
      const share = 100 * (upper - lower) / span;
      issues.push(
        `${what}: the policy could use only ${Number(share.toPrecision(2))} % of it (a policy trained on normalised actions needs the actuator scale in actions.scale)`
      );
    } else if (lower < spec.lower - slack || upper > spec.upper + slack) {
      warnings.push(`${what}: commands beyond it are clamped by the safety layer`);
    }
  });
  return warnings;
}
function commandClipOf(clip, j) {
  if (clip === void 0) return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  return Array.isArray(clip[0]) ? clip[j] : clip;
}
var interval = (lower, upper) => `[${Number(lower.toPrecision(6))}, ${Number(upper.toPrecision(6))}]`;
function resolveDecimation(contract, dt) {
  const ratio = 1 / contract.policy_rate_hz / dt;
  const derived = Math.round(ratio);
  if (derived < 1 || Math.abs(ratio - derived) > 1e-6 * Math.max(1, ratio)) {
    throw new ContractError("policy rate", [
      `policy_rate_hz ${contract.policy_rate_hz} is not an integer divisor of the loop rate ${(1 / dt).toFixed(6)} Hz`
    ]);
  }
  if (contract.decimation !== void 0 && contract.decimation !== derived) {
    throw new ContractError("policy rate", [
      `decimation ${contract.decimation} with a ${(1 / dt).toFixed(6)} Hz loop gives ${(1 / dt / contract.decimation).toFixed(6)} Hz, but policy_rate_hz is ${contract.policy_rate_hz}`
    ]);
  }
  return derived;
}
export {
  ContractError,
  MIN_ACTUATOR_SHARE,
  checkContractAgainstModel,
  checkContractAgainstRobot,
  contractSchema,
  expand,
  loadContract,
  observationSize,
  parseContract,
  readLeRobotStats,
  resolveDecimation,
  resolveNormalizer,
  termSignals,
  termWidth,
  withRslRlRecurrence
};
