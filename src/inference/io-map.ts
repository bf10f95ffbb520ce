/**
 * The per-tick half of a contract: assembles the model input from robot observations (terms,
 * histories, scale/offset/clip, normaliser) and maps the model output to robot commands (clip, scale,
 * offset, joint order). Everything is preallocated at construction; `assemble` and `command` allocate
 * nothing.
 */
import { type ActionSpec, signalIndex, type VectorSpec } from '../core/spec.ts';
import { expand, observationSize, type PolicyContract, resolveNormalizer, termWidth } from './contract.ts';

interface TermState {
  readonly width: number;
  readonly history: number;
  /** Indices into the robot observation (signals terms only). */
  readonly indices: Int32Array;
  readonly source: 'signals' | 'last_action' | 'constant';
  readonly constant: Float64Array;
  readonly scale: Float64Array;
  readonly offset: Float64Array;
  readonly lower: number;
  readonly upper: number;
  /** Ring buffer of `history` frames; `head` is where the next frame goes. */
  readonly frames: Float64Array;
  head: number;
}

export class PolicyIOMap {
  /** The model input (normalised), one row. */
  readonly input: Float32Array;
  /** The raw model output, one row; the policy writes here. */
  readonly output: Float32Array;
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly terms: TermState[];
  private readonly mean: Float64Array | undefined;
  private readonly std: Float64Array | undefined;
  /** Last raw action after clipping (the `last_action` observation term). */
  private readonly lastAction: Float64Array;
  private readonly actionIndex: Int32Array;
  private readonly actionScale: Float64Array;
  private readonly actionOffset: Float64Array;
  private readonly rawLower: number;
  private readonly rawUpper: number;
  private readonly safe: Float64Array;

  constructor(contract: PolicyContract, observation: VectorSpec, action: ActionSpec, baseDir: string) {
    const m = contract.actions.signals.length;
    this.inputSize = observationSize(contract);
    this.outputSize = m;
    this.input = new Float32Array(this.inputSize);
    this.output = new Float32Array(m);
    this.lastAction = new Float64Array(m);
    this.terms = contract.observations.map((t) => {
      const width = termWidth(t, m);
      return {
        width,
        history: t.history,
        indices: Int32Array.from(
          t.source === 'signals' ? t.signals!.map((s) => signalIndex(observation, s)) : [],
        ),
        source: t.source,
        constant: Float64Array.from(t.value ?? []),
        scale: expand(t.scale, width, `observations.${t.name}.scale`),
        offset: expand(t.offset, width, `observations.${t.name}.offset`),
        lower: t.clip?.[0] ?? -Infinity,
        upper: t.clip?.[1] ?? Infinity,
        frames: new Float64Array(width * t.history),
        head: 0,
      };
    });
    const norm = resolveNormalizer(contract, baseDir);
    this.mean = norm?.mean;
    this.std = norm?.std;
    this.actionIndex = Int32Array.from(contract.actions.signals, (s) => signalIndex(action, s));
    this.actionScale = expand(contract.actions.scale, m, 'actions.scale');
    this.actionOffset = expand(contract.actions.offset, m, 'actions.offset');
    this.rawLower = contract.actions.clip?.[0] ?? -Infinity;
    this.rawUpper = contract.actions.clip?.[1] ?? Infinity;
    this.safe = Float64Array.from(action.safe);
  }

  /** Current transformed frame of a term, written into its ring buffer at `head`. */
  private pushFrame(t: TermState, observation: Float64Array): void {
    const base = t.head * t.width;
    for (let i = 0; i < t.width; i++) {
      const x =
        t.source === 'signals'
          ? observation[t.indices[i]!]!
          : t.source === 'last_action'
            ? this.lastAction[i]!
            : t.constant[i]!;
      const v = (x - t.offset[i]!) * t.scale[i]!;
      t.frames[base + i] = Math.min(t.upper, Math.max(t.lower, v));
    }
    t.head = (t.head + 1) % t.history;
  }

  /**
   * Forgets history: every slot holds the current observation and the last action is zero, which is
   * what Isaac Lab's observation buffers hold after a reset.
   */
  reset(observation: Float64Array): void {
    this.lastAction.fill(0);
    for (const t of this.terms) {
      t.head = 0;
      for (let k = 0; k < t.history; k++) this.pushFrame(t, observation);
    }
  }

  /** Pushes one observation into the histories and writes the model input. */
  assemble(observation: Float64Array): void {
    let at = 0;
    for (let ti = 0; ti < this.terms.length; ti++) {
      const t = this.terms[ti]!;
      this.pushFrame(t, observation);
      // Oldest frame first: after the push, `head` points at the oldest.
      for (let k = 0; k < t.history; k++) {
        const base = ((t.head + k) % t.history) * t.width;
        for (let i = 0; i < t.width; i++) this.input[at++] = t.frames[base + i]!;
      }
    }
    if (this.mean && this.std) {
      for (let i = 0; i < this.inputSize; i++)
        this.input[i] = (this.input[i]! - this.mean[i]!) / this.std[i]!;
    }
  }

  /**
   * Index of the first observation signal the contract reads that is NaN or infinite, or −1. Signals
   * the policy does not read may be non-finite (e.g. an unused sensor) without stopping it.
   */
  firstNonFinite(observation: Float64Array): number {
    for (let ti = 0; ti < this.terms.length; ti++) {
      const indices = this.terms[ti]!.indices;
      for (let i = 0; i < indices.length; i++) {
        const k = indices[i]!;
        if (!Number.isFinite(observation[k]!)) return k;
      }
    }
    return -1;
  }

  /** True when every model output is finite. */
  outputFinite(): boolean {
    for (let i = 0; i < this.outputSize; i++) if (!Number.isFinite(this.output[i]!)) return false;
    return true;
  }

  /**
   * Writes the robot command for the current model output: robot signals the policy does not drive
   * get their safe value. Also records the clipped raw action for the `last_action` term.
   */
  command(action: Float64Array): void {
    action.set(this.safe);
    for (let j = 0; j < this.outputSize; j++) {
      const raw = this.output[j]!;
      const a = Math.min(this.rawUpper, Math.max(this.rawLower, raw));
      this.lastAction[j] = a;
      action[this.actionIndex[j]!] = a * this.actionScale[j]! + this.actionOffset[j]!;
    }
  }
}
