// Compiled from src/inference/io-map.ts by `npm run build`: edit the source, not this file.

// src/inference/io-map.ts
import { CommandBoard } from "../core/commands.js";
import { signalIndex } from "../core/spec.js";
import {
  expand,
  observationSize,
  resolveNormalizer,
  termSignals,
  termWidth
} from "./contract.js";
function rotateToBody(w, x, y, z, vx, vy, vz, out, at) {
  out[at] = (1 - 2 * (y * y + z * z)) * vx + 2 * (x * y + w * z) * vy + 2 * (x * z - w * y) * vz;
  out[at + 1] = 2 * (x * y - w * z) * vx + (1 - 2 * (x * x + z * z)) * vy + 2 * (y * z + w * x) * vz;
  out[at + 2] = 2 * (x * z + w * y) * vx + 2 * (y * z - w * x) * vy + (1 - 2 * (x * x + y * y)) * vz;
}
var PolicyIOMap = class {
  /** The model input (normalised), one row. */
  input;
  /** The raw model output, one row; the policy writes here. */
  output;
  inputSize;
  outputSize;
  /** True when the contract has a PD stage: `applyPd` then writes the torques every tick. */
  hasPd;
  terms;
  mean;
  std;
  /** Last raw action after clipping (the `last_action` observation term). */
  lastAction;
  actionIndex;
  actionScale;
  actionOffset;
  rawLower;
  rawUpper;
  commandLower;
  commandUpper;
  constantIndex;
  constantValue;
  safe;
  /** The processed command of each output (a position target with a PD stage). */
  targets;
  pdKp;
  pdKd;
  pdPosition;
  pdVelocity;
  scratch = new Float64Array(3);
  constructor(contract, observation, action, baseDir, commands = new CommandBoard()) {
    const m = contract.actions.signals.length;
    this.inputSize = observationSize(contract);
    this.outputSize = m;
    this.input = new Float32Array(this.inputSize);
    this.output = new Float32Array(m);
    this.lastAction = new Float64Array(m);
    this.terms = contract.observations.map((t) => {
      const width = termWidth(t, m);
      let values = Float64Array.from(t.value ?? []);
      if (t.source === "command") values = commands.channel(t.command, t.value, t.ranges).values;
      return {
        width,
        history: t.history,
        indices: Int32Array.from(termSignals(t), (s) => signalIndex(observation, s)),
        source: t.source,
        values,
        valueLower: Float64Array.from({ length: width }, (_, i) => t.ranges?.[i]?.[0] ?? -Infinity),
        valueUpper: Float64Array.from({ length: width }, (_, i) => t.ranges?.[i]?.[1] ?? Infinity),
        scale: expand(t.scale, width, `observations.${t.name}.scale`),
        offset: expand(t.offset, width, `observations.${t.name}.offset`),
        lower: t.clip?.[0] ?? -Infinity,
        upper: t.clip?.[1] ?? Infinity,
        clipFirst: t.clip_stage === "before_scale",
        frames: new Float64Array(width * t.history),
        head: 0
      };
    });
    const norm = resolveNormalizer(contract, baseDir);
    this.mean = norm?.mean;
    this.std = norm?.std;
    const a = contract.actions;
    this.actionIndex = Int32Array.from(a.signals, (s) => signalIndex(action, s));
    this.actionScale = expand(a.scale, m, "actions.scale");
    this.actionOffset = expand(a.offset, m, "actions.offset");
    this.rawLower = a.clip?.[0] ?? -Infinity;
    this.rawUpper = a.clip?.[1] ?? Infinity;
    const clip = a.command_clip;
    const perSignal = clip !== void 0 && Array.isArray(clip[0]);
    const clipOf = (j) => clip === void 0 ? void 0 : perSignal ? clip[j] : clip;
    this.commandLower = Float64Array.from({ length: m }, (_, j) => clipOf(j)?.[0] ?? -Infinity);
    this.commandUpper = Float64Array.from({ length: m }, (_, j) => clipOf(j)?.[1] ?? Infinity);
    const constants = Object.entries(a.constants);
    this.constantIndex = Int32Array.from(constants, ([name]) => signalIndex(action, name));
    this.constantValue = Float64Array.from(constants, ([, v]) => v);
    this.safe = Float64Array.from(action.safe);
    this.targets = new Float64Array(m);
    this.hasPd = a.pd !== void 0;
    this.pdKp = expand(a.pd?.kp ?? 0, m, "actions.pd.kp");
    this.pdKd = expand(a.pd?.kd ?? 0, m, "actions.pd.kd");
    this.pdPosition = Int32Array.from(a.pd?.position ?? [], (s) => signalIndex(observation, s));
    this.pdVelocity = Int32Array.from(a.pd?.velocity ?? [], (s) => signalIndex(observation, s));
  }
  /** The term's current raw value of component i (before offset, scale and clip). */
  raw(t, observation, i) {
    switch (t.source) {
      case "signals":
        return observation[t.indices[i]];
      case "last_action":
        return this.lastAction[i];
      case "constant":
        return t.values[i];
      case "command":
        return Math.min(t.valueUpper[i], Math.max(t.valueLower[i], t.values[i]));
      default:
        return this.scratch[i];
    }
  }
  /** Current transformed frame of a term, written into its ring buffer at `head`. */
  pushFrame(t, observation) {
    if (t.source === "projected_gravity" || t.source === "body_frame") {
      const ix = t.indices;
      const w = observation[ix[0]];
      const x = observation[ix[1]];
      const y = observation[ix[2]];
      const z = observation[ix[3]];
      const norm = Math.sqrt(w * w + x * x + y * y + z * z) || 1;
      if (t.source === "projected_gravity")
        rotateToBody(w / norm, x / norm, y / norm, z / norm, 0, 0, -1, this.scratch, 0);
      else
        rotateToBody(
          w / norm,
          x / norm,
          y / norm,
          z / norm,
          observation[ix[4]],
          observation[ix[5]],
          observation[ix[6]],
          this.scratch,
          0
        );
    }
    const base = t.head * t.width;
    for (let i = 0; i < t.width; i++) {
      let v = this.raw(t, observation, i) - t.offset[i];
      if (t.clipFirst) v = Math.min(t.upper, Math.max(t.lower, v)) * t.scale[i];
      else v = Math.min(t.upper, Math.max(t.lower, v * t.scale[i]));
      t.frames[base + i] = v;
    }
    t.head = (t.head + 1) % t.history;
  }
  /**
   * Forgets history: every slot holds the current observation and the last action is zero, which is
   * what Isaac Lab's observation buffers hold after a reset.
   */
  reset(observation) {
    this.lastAction.fill(0);
    for (const t of this.terms) {
      t.head = 0;
      for (let k = 0; k < t.history; k++) this.pushFrame(t, observation);
    }
    for (let j = 0; j < this.outputSize; j++) this.targets[j] = this.process(j, 0);
  }
  /** Pushes one observation into the histories and writes the model input. */
  assemble(observation) {
    let at = 0;
    for (let ti = 0; ti < this.terms.length; ti++) {
      const t = this.terms[ti];
      this.pushFrame(t, observation);
      for (let k = 0; k < t.history; k++) {
        const base = (t.head + k) % t.history * t.width;
        for (let i = 0; i < t.width; i++) this.input[at++] = t.frames[base + i];
      }
    }
    if (this.mean && this.std) {
      for (let i = 0; i < this.inputSize; i++)
        this.input[i] = (this.input[i] - this.mean[i]) / this.std[i];
    }
  }
  /**
   * Index of the first observation signal the contract reads that is NaN or infinite, or −1. Signals
   * the policy does not read may be non-finite (e.g. an unused sensor) without stopping it.
   */
  firstNonFinite(observation) {
    for (let ti = 0; ti < this.terms.length; ti++) {
      const indices = this.terms[ti].indices;
      for (let i = 0; i < indices.length; i++) {
        const k = indices[i];
        if (!Number.isFinite(observation[k])) return k;
      }
    }
    for (const indices of [this.pdPosition, this.pdVelocity]) {
      for (let i = 0; i < indices.length; i++) {
        const k = indices[i];
        if (!Number.isFinite(observation[k])) return k;
      }
    }
    return -1;
  }
  /** True when every model output is finite. */
  outputFinite() {
    for (let i = 0; i < this.outputSize; i++) if (!Number.isFinite(this.output[i])) return false;
    return true;
  }
  /** clip_command(a · scale + offset) for output j and clipped raw value a. */
  process(j, a) {
    const c = a * this.actionScale[j] + this.actionOffset[j];
    return Math.min(this.commandUpper[j], Math.max(this.commandLower[j], c));
  }
  /**
   * Writes the robot command for the current model output: constant signals get their value, other
   * robot signals the policy does not drive get their safe value. Also records the clipped raw action
   * for the `last_action` term. With a PD stage the processed outputs are targets, kept for `applyPd`.
   */
  command(action) {
    action.set(this.safe);
    for (let k = 0; k < this.constantIndex.length; k++)
      action[this.constantIndex[k]] = this.constantValue[k];
    for (let j = 0; j < this.outputSize; j++) {
      const raw = this.output[j];
      const a = Math.min(this.rawUpper, Math.max(this.rawLower, raw));
      this.lastAction[j] = a;
      const c = this.process(j, a);
      this.targets[j] = c;
      if (!this.hasPd) action[this.actionIndex[j]] = c;
    }
  }
  /**
   * The PD stage (contracts with `actions.pd`): τ_j = kp_j (target_j − q_j) − kd_j q̇_j for the current
   * observation, into the torque signals. Called every control tick, between policy steps too.
   */
  applyPd(observation, action) {
    for (let k = 0; k < this.constantIndex.length; k++)
      action[this.constantIndex[k]] = this.constantValue[k];
    for (let j = 0; j < this.outputSize; j++) {
      const q = observation[this.pdPosition[j]];
      const qd = observation[this.pdVelocity[j]];
      action[this.actionIndex[j]] = this.pdKp[j] * (this.targets[j] - q) - this.pdKd[j] * qd;
    }
  }
  /** The processed command per output (position targets with a PD stage); for tests and tools. */
  get processed() {
    return this.targets;
  }
};
export {
  PolicyIOMap,
  rotateToBody
};
