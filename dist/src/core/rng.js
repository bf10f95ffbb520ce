// Compiled from src/core/rng.ts by `npm run build`: edit the source, not this file.

// src/core/rng.ts
var Rng = class _Rng {
  s = new Uint32Array(4);
  spareNormal = 0;
  hasSpare = false;
  constructor(seed) {
    this.reseed(seed);
  }
  /** Restarts the stream as if constructed with `seed` (e.g. on a seeded environment reset). */
  reseed(seed) {
    let z = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      z = z + 2654435769 >>> 0;
      let t = z;
      t = Math.imul(t ^ t >>> 16, 2246822507);
      t = Math.imul(t ^ t >>> 13, 3266489909);
      this.s[i] = (t ^ t >>> 16) >>> 0;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
    this.hasSpare = false;
  }
  nextUint32() {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }
  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform() {
    return this.nextUint32() / 4294967296;
  }
  /** Uniform in [low, high). */
  range(low, high) {
    return low + (high - low) * this.uniform();
  }
  /** Uniform integer in [0, n). */
  int(n) {
    return Math.floor(this.uniform() * n);
  }
  /** Standard normal. */
  normal() {
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
  fork() {
    return new _Rng(this.nextUint32());
  }
  getState() {
    return { s: Array.from(this.s), spare: this.spareNormal, hasSpare: this.hasSpare };
  }
  setState(state) {
    if (state.s.length !== 4) throw new RangeError(`rng state needs 4 words, got ${state.s.length}`);
    this.s.set(state.s);
    this.spareNormal = state.spare;
    this.hasSpare = state.hasSpare;
  }
};
function rotl(x, k) {
  return (x << k | x >>> 32 - k) >>> 0;
}
export {
  Rng
};
