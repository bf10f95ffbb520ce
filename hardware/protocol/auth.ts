/**
 * Message authentication for wire protocol v2 (docs/protocol.md §4): HMAC-SHA-256 truncated to 128
 * bits, over the whole message and a trailer that names the session and a per-sender counter.
 *
 *   message = header ‖ body ‖ trailer
 *   trailer = u32 session ‖ u64 counter ‖ tag[16]
 *   tag     = HMAC-SHA-256(key, header ‖ body ‖ session ‖ counter)[0, 16)
 *
 * The key is the rig's device key (HELLO, SESSION open, their refusals) or one of the two keys of a
 * session (host→rig and rig→host differ, so a frame cannot be reflected back to its sender). Session
 * keys are derived from the device key and a fresh nonce from each side:
 *
 *   k = HMAC-SHA-256(device key, label ‖ rig_nonce ‖ host_nonce)
 *
 * SHA-256 and HMAC are implemented here without allocation (the hot path seals every state and
 * command); test/hardware/auth.test.ts checks them against node:crypto, and the C reference
 * (hardware/firmware/tether_protocol.c) implements the same functions.
 */

export const macSize = 16;
/** u32 session + u64 counter + 16-byte tag. */
export const trailerSize = 28;
export const nonceSize = 16;
/** Shortest device key accepted (bytes); 32 is recommended (`openssl rand -hex 32`). */
export const minKeyBytes = 16;
export const maxKeyBytes = 64;

/** `flags` bits 0–1 of the header: which key sealed the message. */
export const AuthMode = { none: 0, device: 1, session: 2 } as const;
export const authModeMask = 0x3;

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const initialState = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/**
 * Incremental SHA-256 (FIPS 180-4) with fixed buffers: `reset`/`update`/`finish` never allocate.
 * `save`/`restore` snapshot the state after whole blocks, which HMAC uses to precompute its pads.
 */
export class Sha256 {
  readonly state = new Int32Array(8);
  private readonly block = new Uint8Array(64);
  private readonly w = new Int32Array(64);
  private blockLength = 0;
  /** Bytes hashed so far (fits 2^53: far beyond any message). */
  private total = 0;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.state.set(initialState);
    this.blockLength = 0;
    this.total = 0;
  }

  /** Copies the chaining state; valid only on a block boundary (HMAC pads are exactly one block). */
  save(into: Int32Array): void {
    into.set(this.state);
  }

  restore(from: Int32Array, bytesHashed: number): void {
    this.state.set(from);
    this.blockLength = 0;
    this.total = bytesHashed;
  }

  update(data: Uint8Array, start = 0, end = data.length): void {
    this.total += end - start;
    let i = start;
    const block = this.block;
    if (this.blockLength > 0) {
      while (i < end && this.blockLength < 64) block[this.blockLength++] = data[i++]!;
      if (this.blockLength < 64) return;
      this.compress(block, 0);
      this.blockLength = 0;
    }
    while (end - i >= 64) {
      this.compress(data, i);
      i += 64;
    }
    while (i < end) block[this.blockLength++] = data[i++]!;
  }

  /** Writes the 32-byte digest to out[at, at+32). */
  finish(out: Uint8Array, at = 0): void {
    const bits = this.total * 8;
    const block = this.block;
    block[this.blockLength++] = 0x80;
    if (this.blockLength > 56) {
      block.fill(0, this.blockLength);
      this.compress(block, 0);
      this.blockLength = 0;
    }
    block.fill(0, this.blockLength, 56);
    const high = Math.floor(bits / 4294967296);
    const low = bits >>> 0;
    block[56] = high >>> 24;
    block[57] = high >>> 16;
    block[58] = high >>> 8;
    block[59] = high;
    block[60] = low >>> 24;
    block[61] = low >>> 16;
    block[62] = low >>> 8;
    block[63] = low;
    this.compress(block, 0);
    this.blockLength = 0;
    for (let k = 0; k < 8; k++) {
      const v = this.state[k]!;
      out[at + 4 * k] = v >>> 24;
      out[at + 4 * k + 1] = v >>> 16;
      out[at + 4 * k + 2] = v >>> 8;
      out[at + 4 * k + 3] = v;
    }
  }

  private compress(data: Uint8Array, at: number): void {
    const w = this.w;
    for (let t = 0; t < 16; t++) {
      const o = at + 4 * t;
      w[t] = (data[o]! << 24) | (data[o + 1]! << 16) | (data[o + 2]! << 8) | data[o + 3]!;
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]!;
      const y = w[t - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
    }
    const s = this.state;
    let a = s[0]!;
    let b = s[1]!;
    let c = s[2]!;
    let d = s[3]!;
    let e = s[4]!;
    let f = s[5]!;
    let g = s[6]!;
    let h = s[7]!;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K[t]! + w[t]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    s[0] = (s[0]! + a) | 0;
    s[1] = (s[1]! + b) | 0;
    s[2] = (s[2]! + c) | 0;
    s[3] = (s[3]! + d) | 0;
    s[4] = (s[4]! + e) | 0;
    s[5] = (s[5]! + f) | 0;
    s[6] = (s[6]! + g) | 0;
    s[7] = (s[7]! + h) | 0;
  }
}

/** One shared hasher: everything here is synchronous, so calls never interleave. */
const hasher = new Sha256();
const innerDigest = new Uint8Array(32);

/**
 * HMAC-SHA-256 (RFC 2104) with one fixed key: the inner and outer pads are hashed once, so a MAC of
 * a short message costs two or three block compressions and no allocation.
 */
export class HmacKey {
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);

  constructor(key: Uint8Array) {
    const block = new Uint8Array(64);
    if (key.length > 64) {
      hasher.reset();
      hasher.update(key);
      hasher.finish(block);
    } else block.set(key);
    const pad = new Uint8Array(64);
    for (let i = 0; i < 64; i++) pad[i] = block[i]! ^ 0x36;
    hasher.reset();
    hasher.update(pad);
    hasher.save(this.inner);
    for (let i = 0; i < 64; i++) pad[i] = block[i]! ^ 0x5c;
    hasher.reset();
    hasher.update(pad);
    hasher.save(this.outer);
  }

  /** Full 32-byte HMAC of `data[start, end)` (and optionally more parts) into out[at, at+32). */
  mac(out: Uint8Array, at: number, ...parts: Uint8Array[]): void {
    hasher.restore(this.inner, 64);
    for (const p of parts) hasher.update(p);
    this.finish(out, at);
  }

  /** HMAC of `data[start, end)` into out[at, at+32); allocation-free. */
  macRange(data: Uint8Array, start: number, end: number, out: Uint8Array, at: number): void {
    hasher.restore(this.inner, 64);
    hasher.update(data, start, end);
    this.finish(out, at);
  }

  private finish(out: Uint8Array, at: number): void {
    hasher.finish(innerDigest);
    hasher.restore(this.outer, 64);
    hasher.update(innerDigest);
    hasher.finish(out, at);
  }
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Key-derivation labels (ASCII, no terminator). */
export const Label = {
  hostToRig: ascii('tether/2 host->rig'),
  rigToHost: ascii('tether/2 rig->host'),
  sessionId: ascii('tether/2 session id'),
  operatorToHost: ascii('tether/2 operator->host'),
  hostToOperator: ascii('tether/2 host->operator'),
  operatorId: ascii('tether/2 operator id'),
} as const;

/** The keys of one session, one per direction, and its identifier (never 0). */
export interface SessionKeys {
  readonly id: number;
  /** Key of frames the host sends (or, for the operator channel, the operator sends). */
  readonly toRig: HmacKey;
  /** Key of frames the rig (or, for the operator channel, the runtime) sends. */
  readonly toHost: HmacKey;
}

/**
 * Derives a session from the device key and the two nonces. `operator` derives the operator
 * channel's keys instead (operator = the sending side "host", runtime = the answering side "rig").
 */
export function deriveSession(
  device: HmacKey,
  rigNonce: Uint8Array,
  hostNonce: Uint8Array,
  operator = false,
): SessionKeys {
  const out = new Uint8Array(32);
  const derive = (label: Uint8Array): Uint8Array => {
    device.mac(out, 0, label, rigNonce, hostNonce);
    return out.slice();
  };
  const toRig = new HmacKey(derive(operator ? Label.operatorToHost : Label.hostToRig));
  const toHost = new HmacKey(derive(operator ? Label.hostToOperator : Label.rigToHost));
  const idBytes = derive(operator ? Label.operatorId : Label.sessionId);
  const id = (idBytes[0]! | (idBytes[1]! << 8) | (idBytes[2]! << 16) | (idBytes[3]! << 24)) >>> 0;
  return { id: id === 0 ? 1 : id, toRig, toHost };
}

/** Parses a device key given as hex (what the key environment variable holds). */
export function parseDeviceKey(text: string, source: string): Uint8Array {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) {
    throw new Error(
      `${source}: the link key must be hexadecimal (an even number of 0-9a-f digits), e.g. from \`openssl rand -hex 32\``,
    );
  }
  const bytes = hex.length / 2;
  if (bytes < minKeyBytes || bytes > maxKeyBytes) {
    throw new Error(
      `${source}: the link key has ${bytes} bytes; use ${minKeyBytes} to ${maxKeyBytes} (32 recommended: \`openssl rand -hex 32\`)`,
    );
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** Reads and parses the device key from the environment variable a config names. */
export function deviceKeyFromEnv(variable: string, what: string): Uint8Array {
  const value = process.env[variable];
  if (value === undefined || value === '') {
    throw new Error(
      `${what}: environment variable ${variable} is not set; it must hold the rig's link key ` +
        `(hex, the same on rig and runtime; make one with \`openssl rand -hex 32\`)`,
    );
  }
  return parseDeviceKey(value, `${what} (environment variable ${variable})`);
}

/** Constant-time comparison of a[aAt, aAt+n) and b[bAt, bAt+n). */
export function equalBytes(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number, n: number): boolean {
  let diff = 0;
  for (let i = 0; i < n; i++) diff |= a[aAt + i]! ^ b[bAt + i]!;
  return diff === 0;
}

const tag = new Uint8Array(32);
const twoTo32 = 4294967296;

/**
 * Appends the trailer to message[0, length) (which needs `trailerSize` spare bytes), sets the auth
 * mode in the header flags and returns the new length. Allocation-free.
 */
export function seal(
  message: Uint8Array,
  length: number,
  mode: number,
  key: HmacKey,
  session: number,
  counter: number,
): number {
  message[2] = (message[2]! & ~authModeMask) | mode;
  let at = length;
  message[at++] = session & 0xff;
  message[at++] = (session >>> 8) & 0xff;
  message[at++] = (session >>> 16) & 0xff;
  message[at++] = (session >>> 24) & 0xff;
  const low = counter >>> 0;
  const high = Math.floor(counter / twoTo32);
  message[at++] = low & 0xff;
  message[at++] = (low >>> 8) & 0xff;
  message[at++] = (low >>> 16) & 0xff;
  message[at++] = (low >>> 24) & 0xff;
  message[at++] = high & 0xff;
  message[at++] = (high >>> 8) & 0xff;
  message[at++] = (high >>> 16) & 0xff;
  message[at++] = (high >>> 24) & 0xff;
  key.macRange(message, 0, at, tag, 0);
  message.set(tag.subarray(0, macSize), at);
  return at + macSize;
}

/** The trailer fields of a sealed message of total `length`. */
export function trailerSession(message: Uint8Array, length: number): number {
  const at = length - trailerSize;
  return (message[at]! | (message[at + 1]! << 8) | (message[at + 2]! << 16) | (message[at + 3]! << 24)) >>> 0;
}

export function trailerCounter(message: Uint8Array, length: number): number {
  const at = length - trailerSize + 4;
  const low =
    (message[at]! | (message[at + 1]! << 8) | (message[at + 2]! << 16) | (message[at + 3]! << 24)) >>> 0;
  const high =
    (message[at + 4]! | (message[at + 5]! << 8) | (message[at + 6]! << 16) | (message[at + 7]! << 24)) >>> 0;
  return high * twoTo32 + low;
}

/** True when the tag of a sealed message of total `length` verifies under `key`. */
export function verifyTag(message: Uint8Array, length: number, key: HmacKey): boolean {
  const macAt = length - macSize;
  key.macRange(message, 0, macAt, tag, 0);
  return equalBytes(tag, 0, message, macAt, macSize);
}
