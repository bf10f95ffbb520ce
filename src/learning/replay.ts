import type { Rng } from '../core/rng.ts';
import type { TransitionColumns, Transitions } from './transitions.ts';

/** A minibatch of transitions; rows [0, realRows) come from the real log, the rest from sim. */
export interface Batch extends TransitionColumns {
  rows: number;
  realRows: number;
}

export function createBatch(maxRows: number, obsSize: number, actSize: number): Batch {
  return {
    rows: 0,
    realRows: 0,
    obsSize,
    actSize,
    obs: new Float64Array(maxRows * obsSize),
    act: new Float64Array(maxRows * actSize),
    reward: new Float64Array(maxRows),
    nextObs: new Float64Array(maxRows * obsSize),
    terminated: new Float64Array(maxRows),
  };
}

/** A ring buffer of transitions in preallocated columns; rows [0, size) hold transitions. */
export class ReplayBuffer implements Transitions {
  readonly obs: Float64Array;
  readonly act: Float64Array;
  readonly reward: Float64Array;
  readonly nextObs: Float64Array;
  readonly terminated: Float64Array;
  size = 0;
  /** Index the next `add` writes to. */
  cursor = 0;

  constructor(
    readonly capacity: number,
    readonly obsSize: number,
    readonly actSize: number,
  ) {
    this.obs = new Float64Array(capacity * obsSize);
    this.act = new Float64Array(capacity * actSize);
    this.reward = new Float64Array(capacity);
    this.nextObs = new Float64Array(capacity * obsSize);
    this.terminated = new Float64Array(capacity);
  }

  /** Adds row `row` of the given row-major arrays. */
  add(
    obs: Float64Array,
    act: Float64Array,
    reward: number,
    nextObs: Float64Array,
    terminated: boolean,
    row = 0,
  ): void {
    const i = this.cursor;
    const O = this.obsSize;
    const A = this.actSize;
    for (let k = 0; k < O; k++) {
      this.obs[i * O + k] = obs[row * O + k]!;
      this.nextObs[i * O + k] = nextObs[row * O + k]!;
    }
    for (let k = 0; k < A; k++) this.act[i * A + k] = act[row * A + k]!;
    this.reward[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    this.cursor = (i + 1) % this.capacity;
    if (this.size < this.capacity) this.size += 1;
  }

  /** Writes `count` uniformly drawn transitions into `batch` rows [start, start + count). */
  sampleInto(batch: Batch, start: number, count: number, rng: Rng): void {
    if (this.size === 0) throw new RangeError('cannot sample from an empty replay buffer');
    const O = this.obsSize;
    const A = this.actSize;
    for (let n = 0; n < count; n++) {
      const i = rng.int(this.size);
      const row = start + n;
      for (let k = 0; k < O; k++) {
        batch.obs[row * O + k] = this.obs[i * O + k]!;
        batch.nextObs[row * O + k] = this.nextObs[i * O + k]!;
      }
      for (let k = 0; k < A; k++) batch.act[row * A + k] = this.act[i * A + k]!;
      batch.reward[row] = this.reward[i]!;
      batch.terminated[row] = this.terminated[i]!;
    }
  }
}

/**
 * Per-coordinate mean and standard deviation of a log's states, the offline learners' input
 * normaliser (TD3+BC, IQL); 1e-3 is added to each σ so a constant coordinate stays finite. Without
 * `fit`, the identity (mean 0, σ 1).
 */
export function stateStatistics(
  data: ReplayBuffer,
  obsSize: number,
  fit: boolean,
): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(obsSize);
  const std = new Float64Array(obsSize).fill(1);
  if (!fit) return { mean, std };
  for (let c = 0; c < obsSize; c++) {
    let m = 0;
    for (let r = 0; r < data.size; r++) m += data.obs[r * obsSize + c]! / data.size;
    let variance = 0;
    for (let r = 0; r < data.size; r++) variance += (data.obs[r * obsSize + c]! - m) ** 2 / data.size;
    mean[c] = m;
    std[c] = Math.sqrt(variance) + 1e-3;
  }
  return { mean, std };
}
