/**
 * The project's one seeded random number generator: xoshiro128** (fast, 128-bit state) with
 * Box-Muller normals. Simulator resets, sensor and link noise, training, the falsifier and every
 * data-generation script draw from it, so a run is a pure function of its seeds. The state is plain
 * data (`getState`/`setState`) so checkpoints resume the exact stream; `fork` derives independent
 * streams (one per environment copy). Allocation-free after construction; not for cryptography.
 */
export class Rng {
  private readonly s = new Uint32Array(4);
  private spareNormal = 0;
  private hasSpare = false;

  constructor(seed: number) {
    this.reseed(seed);
  }

  /** Restarts the stream as if constructed with `seed` (e.g. on a seeded environment reset). */
  reseed(seed: number): void {
    // splitmix32 spreads a small integer seed over the whole state (an all-zero state is invalid).
    let z = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z;
      t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
      t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
      this.s[i] = (t ^ (t >>> 16)) >>> 0;
    }
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
    this.hasSpare = false;
  }

  private nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [low, high). */
  range(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spareNormal;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** A new independent stream derived from this one (e.g. one per environment copy). */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }

  getState(): RngState {
    return { s: Array.from(this.s), spare: this.spareNormal, hasSpare: this.hasSpare };
  }

  setState(state: RngState): void {
    if (state.s.length !== 4) throw new RangeError(`rng state needs 4 words, got ${state.s.length}`);
    this.s.set(state.s);
    this.spareNormal = state.spare;
    this.hasSpare = state.hasSpare;
  }
}

export interface RngState {
  s: number[];
  spare: number;
  hasSpare: boolean;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
