import { type ChainStep, compileChain } from '../inference/chain.ts';
import type { PolicyContract } from '../inference/contract.ts';
import { decodeModel } from '../inference/onnx/model.ts';
import type { LyapunovModel, ModelJson } from './model.ts';

/**
 * An ONNX policy as the verifier's controller: the network read out of the graph, with the
 * contract's input terms and the graph's normaliser folded into the first layer and the output
 * scaling into the last, so that a model's controller computes exactly the command the robot gets
 * (in real arithmetic; the robot runs the graph in float32). The certificate gate re-verifies a
 * candidate policy this way, `tether verify --policy` certifies one, and the certified guard
 * matches a running policy with the certificate's controller by expressing it again.
 */

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
        `its output passes through ${step.op}: after the last dense layer the verifier takes a tanh (first) and scalings, offsets and clips`,
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
