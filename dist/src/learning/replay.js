// Compiled from src/learning/replay.ts by `npm run build`: edit the source, not this file.

// src/learning/replay.ts
function createBatch(maxRows, obsSize, actSize) {
  return {
    rows: 0,
    realRows: 0,
    obsSize,
    actSize,
    obs: new Float64Array(maxRows * obsSize),
    act: new Float64Array(maxRows * actSize),
    reward: new Float64Array(maxRows),
    nextObs: new Float64Array(maxRows * obsSize),
    terminated: new Float64Array(maxRows)
  };
}
var ReplayBuffer = class {
  constructor(capacity, obsSize, actSize) {
    this.capacity = capacity;
    this.obsSize = obsSize;
    this.actSize = actSize;
    this.obs = new Float64Array(capacity * obsSize);
    this.act = new Float64Array(capacity * actSize);
    this.reward = new Float64Array(capacity);
    this.nextObs = new Float64Array(capacity * obsSize);
    this.terminated = new Float64Array(capacity);
  }
  capacity;
  obsSize;
  actSize;
  obs;
  act;
  reward;
  nextObs;
  terminated;
  size = 0;
  /** Index the next `add` writes to. */
  cursor = 0;
  /** Adds row `row` of the given row-major arrays. */
  add(obs, act, reward, nextObs, terminated, row = 0) {
    const i = this.cursor;
    const O = this.obsSize;
    const A = this.actSize;
    for (let k = 0; k < O; k++) {
      this.obs[i * O + k] = obs[row * O + k];
      this.nextObs[i * O + k] = nextObs[row * O + k];
    }
    for (let k = 0; k < A; k++) this.act[i * A + k] = act[row * A + k];
    this.reward[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    this.cursor = (i + 1) % this.capacity;
    if (this.size < this.capacity) this.size += 1;
  }
  /** Writes `count` uniformly drawn transitions into `batch` rows [start, start + count). */
  sampleInto(batch, start, count, rng) {
    if (this.size === 0) throw new RangeError("cannot sample from an empty replay buffer");
    const O = this.obsSize;
    const A = this.actSize;
    for (let n = 0; n < count; n++) {
      const i = rng.int(this.size);
      const row = start + n;
      for (let k = 0; k < O; k++) {
        batch.obs[row * O + k] = this.obs[i * O + k];
        batch.nextObs[row * O + k] = this.nextObs[i * O + k];
      }
      for (let k = 0; k < A; k++) batch.act[row * A + k] = this.act[i * A + k];
      batch.reward[row] = this.reward[i];
      batch.terminated[row] = this.terminated[i];
    }
  }
};
function stateStatistics(data, obsSize, fit) {
  const mean = new Float64Array(obsSize);
  const std = new Float64Array(obsSize).fill(1);
  if (!fit) return { mean, std };
  for (let c = 0; c < obsSize; c++) {
    let m = 0;
    for (let r = 0; r < data.size; r++) m += data.obs[r * obsSize + c] / data.size;
    let variance = 0;
    for (let r = 0; r < data.size; r++) variance += (data.obs[r * obsSize + c] - m) ** 2 / data.size;
    mean[c] = m;
    std[c] = Math.sqrt(variance) + 1e-3;
  }
  return { mean, std };
}
export {
  ReplayBuffer,
  createBatch,
  stateStatistics
};
