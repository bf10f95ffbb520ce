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
import { type ChainStep, compileChain } from '../inference/chain.ts';
import type { PolicyContract } from '../inference/contract.ts';
import { decodeModel } from '../inference/onnx/model.ts';
import { type Certificate, certify, inspectCertificateFile } from '../verification/certificate.ts';
import { loadModel } from '../verification/io.ts';
import { type LyapunovModel, type ModelJson, parseModel } from '../verification/model.ts';
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

/** Why a policy's network cannot be the controller of a verifier model, or the controller JSON. */
type Expressed =
  | { readonly ok: true; readonly controller: ModelJson['controller'] }
  | { readonly ok: false; readonly reason: string };

/**
 * The candidate as the verifier's controller `u = clamp(net(x + ε) − net(0) + u*, u_lo, u_up)`:
 * inputs the certified state signals in order (per-term scale and offset and a normaliser in the
 * graph folded into the first layer), hidden ReLUs or tanhs, a linear output (the
 * contract's and the graph's trailing scale and offset folded into the last layer; after an output
 * tanh, a 1×1 layer of its own), no clip tighter than the certified clamp.
 */
export function expressPolicy(
  onnx: Uint8Array,
  contract: PolicyContract,
  certified: LyapunovModel,
): Expressed {
  const fail = (reason: string): Expressed => ({ ok: false, reason });
  const assumptions = certified.assumptions;
  if (assumptions === undefined)
    return fail(
      `model '${certified.name}' names no state signals, so the policy's inputs cannot be matched to its state`,
    );
  const period = 1 / contract.policy_rate_hz;
  if (Math.abs(period - assumptions.controlPeriod) > 1e-9 * assumptions.controlPeriod)
    return fail(
      `it acts at ${contract.policy_rate_hz} Hz, the certified controller every ${assumptions.controlPeriod} s`,
    );
  const terms = contract.observations;
  const names: string[] = [];
  for (const t of terms) {
    if (t.source !== 'signals' || t.signals === undefined)
      return fail(`observation term '${t.name}' is not read from robot signals (${t.source})`);
    if (t.history !== 1) return fail(`observation term '${t.name}' has a history of ${t.history}`);
    if (t.clip !== undefined) return fail(`observation term '${t.name}' is clipped`);
    for (const name of t.signals) {
      const unit = assumptions.signals.find((x) => x.name === name)?.unit;
      if (t.unit !== undefined && unit !== undefined && t.unit !== unit)
        return fail(`observation '${name}' is in ${t.unit}, the certified state in ${unit}`);
    }
    names.push(...t.signals);
  }
  const state = assumptions.signals.map((s) => s.name);
  if (names.join() !== state.join())
    return fail(`its inputs are [${names.join(', ')}], the certified state is [${state.join(', ')}]`);
  if (contract.normalizer.kind !== 'none' && contract.normalizer.kind !== 'inside_model')
    return fail(`its normaliser (${contract.normalizer.kind}) is outside the model`);
  const actions = contract.actions;
  if (actions.signals.length !== 1 || actions.signals[0] !== assumptions.action.name)
    return fail(
      `it commands [${actions.signals.join(', ')}], the certified controller ${assumptions.action.name}`,
    );

  let steps: ChainStep[];
  try {
    steps = [...compileChain(decodeModel(onnx)).steps];
  } catch (error) {
    return fail(`its graph cannot be read: ${(error as Error).message}`);
  }
  // Input affine map x_in = a ⊙ x + c: the contract's terms, then a normaliser in the graph.
  const n = state.length;
  const a = new Float64Array(n);
  const c = new Float64Array(n);
  let i = 0;
  for (const t of terms)
    t.signals!.forEach((_, k) => {
      const scale = typeof t.scale === 'number' ? t.scale : t.scale[k]!;
      const offset = typeof t.offset === 'number' ? t.offset : t.offset[k]!;
      a[i] = scale;
      c[i] = -offset * scale;
      i++;
    });
  for (let head = steps[0]; head?.op === 'sub' || head?.op === 'div'; head = steps[0]) {
    const step = steps.shift() as { op: 'sub' | 'div'; constant: Float32Array };
    for (let i = 0; i < n; i++) {
      const k = step.constant.length === 1 ? step.constant[0]! : step.constant[i]!;
      if (step.op === 'sub') c[i] = c[i]! - k;
      else {
        a[i] = a[i]! / k;
        c[i] = c[i]! / k;
      }
    }
  }
  // The command as an affine map of the last dense layer's output y, u = s·y + o, and the
  // clips on the way as bounds [lower, upper] on the value at that point, carried through.
  let s = 1;
  let o = 0;
  let lower = Number.NEGATIVE_INFINITY;
  let upper = Number.POSITIVE_INFINITY;
  const scaleBy = (k: number): void => {
    s *= k;
    o *= k;
    [lower, upper] = k >= 0 ? [lower * k, upper * k] : [upper * k, lower * k];
  };
  const shiftBy = (k: number): void => {
    o += k;
    lower += k;
    upper += k;
  };
  const clipTo = (lo: number, hi: number): void => {
    lower = Math.max(lower, lo);
    upper = Math.min(upper, hi);
  };
  const trailing: ChainStep[] = [];
  while (steps.length > 0 && steps.at(-1)!.op !== 'dense') trailing.unshift(steps.pop()!);
  // A tanh straight after the last dense layer is one more hidden tanh, followed by a 1×1 layer
  // that carries the scaling below.
  const outputTanh = trailing[0]?.op === 'tanh';
  if (outputTanh) trailing.shift();
  for (const step of trailing) {
    if (step.op === 'tanh' || step.op === 'sigmoid' || step.op === 'elu' || step.op === 'relu')
      return fail(
        `its output passes through ${step.op} after a scaling: the verifier bounds ReLU and tanh networks and affine laws, with at most a tanh straight after the last layer`,
      );
    if (step.op === 'clip') clipTo(step.lower, step.upper);
    else if (step.op === 'mul' || step.op === 'div' || step.op === 'add' || step.op === 'sub') {
      if (step.constant.length !== 1) return fail(`its output ${step.op} is not a scalar`);
      const k = step.constant[0]!;
      if (step.op === 'mul') scaleBy(k);
      else if (step.op === 'div') scaleBy(1 / k);
      else shiftBy(step.op === 'add' ? k : -k);
    } else return fail(`its graph ends in ${step.op}`);
  }
  // The contract: clip(raw output) · scale + offset, then the command clip.
  const first = (v: number | readonly number[]) => (typeof v === 'number' ? v : v[0]!);
  if (actions.clip !== undefined) clipTo(actions.clip[0], actions.clip[1]);
  scaleBy(first(actions.scale));
  shiftBy(first(actions.offset));
  const commandClip = actions.command_clip;
  if (commandClip !== undefined) {
    const [lo, hi] = (Array.isArray(commandClip[0]) ? commandClip[0] : commandClip) as [number, number];
    clipTo(lo, hi);
  }
  // The safety layer clamps to the actuator's limits, the certified clamp: a wider clip changes nothing.
  const { uLo, uUp } = certified.controller;
  if (lower > uLo || upper < uUp)
    return fail(
      `it clamps its command to [${lower}, ${upper}], tighter than the certified clamp [${uLo}, ${uUp}]`,
    );

  // Dense layers with a ReLU or a tanh after each but the last.
  const dense: Extract<ChainStep, { op: 'dense' }>[] = [];
  const activations: ('relu' | 'tanh')[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.op !== 'dense') return fail(`step ${i} of its graph is ${step.op}, expected a dense layer`);
    dense.push(step);
    const next = steps[i + 1];
    if (next === undefined) break;
    if (next.op !== 'relu' && next.op !== 'tanh')
      return fail(`its hidden activation is ${next.op}: the verifier takes ReLU or tanh`);
    activations.push(next.op);
    i++;
  }
  if (outputTanh) activations.push('tanh');
  if (dense.length === 0) return fail('its graph has no dense layer');
  if (dense[0]!.inSize !== n || dense.at(-1)!.outSize !== 1)
    return fail(
      `its network maps ${dense[0]!.inSize} inputs to ${dense.at(-1)!.outSize} outputs, the model ${n} to 1`,
    );

  const layers = dense.map((d, index) => {
    const weight: number[][] = [];
    const bias: number[] = [];
    for (let r = 0; r < d.outSize; r++) {
      const row: number[] = [];
      let b = d.bias[r]!;
      for (let k = 0; k < d.inSize; k++) {
        let w = d.weight[r * d.inSize + k]!;
        if (index === 0) {
          b += w * c[k]!;
          w *= a[k]!;
        }
        row.push(w);
      }
      weight.push(row);
      bias.push(b);
    }
    if (index === dense.length - 1 && !outputTanh) {
      for (let r = 0; r < weight.length; r++) {
        weight[r] = weight[r]!.map((w) => s * w);
        bias[r] = s * bias[r]! + o;
      }
    }
    return { weight, bias };
  });
  if (outputTanh) layers.push({ weight: [[s]], bias: [o] });
  // A network with no tanh is written as the published models are, so its hash is theirs.
  const activation = activations.includes('tanh') ? { activation: activations } : {};
  // The model subtracts net(0) and adds u*: u* = net(0) makes its controller net(x) itself.
  return {
    ok: true,
    controller: {
      ...activation,
      negative_slope: 0,
      layers,
      u_lo: [uLo],
      u_up: [uUp],
      u_star: [evaluate(layers, activations, new Float64Array(n))],
    },
  };
}

function evaluate(
  layers: readonly { weight: number[][]; bias: number[] }[],
  activations: readonly ('relu' | 'tanh')[],
  x: Float64Array,
): number {
  let v = Array.from(x);
  layers.forEach((layer, i) => {
    v = layer.weight.map((row, r) => row.reduce((sum, w, k) => sum + w * v[k]!, layer.bias[r]!));
    if (i < layers.length - 1) v = v.map((z) => (activations[i] === 'tanh' ? Math.tanh(z) : Math.max(0, z)));
  });
  return v[0]!;
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
  const base = path.join(input.outDir, mode.controller);
  writeFileSync(`${base}.model.json`, `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(`${base}.cert.json`, `${JSON.stringify(certificate, null, 2)}\n`);
  const where = `${path.basename(base)}.cert.json`;
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
