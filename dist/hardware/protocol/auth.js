// Compiled from hardware/protocol/auth.ts by `npm run build`: edit the source, not this file.

// hardware/protocol/auth.ts
var macSize = 16;
var trailerSize = 28;
var nonceSize = 16;
var minKeyBytes = 16;
var maxKeyBytes = 64;
var AuthMode = { none: 0, device: 1, session: 2 };
var authModeMask = 3;
var K = Int32Array.from([
  1116352408,
  1899447441,
  3049323471,
  3921009573,
  961987163,
  1508970993,
  2453635748,
  2870763221,
  3624381080,
  310598401,
  607225278,
  1426881987,
  1925078388,
  2162078206,
  2614888103,
  3248222580,
  3835390401,
  4022224774,
  264347078,
  604807628,
  770255983,
  1249150122,
  1555081692,
  1996064986,
  2554220882,
  2821834349,
  2952996808,
  3210313671,
  3336571891,
  3584528711,
  113926993,
  338241895,
  666307205,
  773529912,
  1294757372,
  1396182291,
  1695183700,
  1986661051,
  2177026350,
  2456956037,
  2730485921,
  2820302411,
  3259730800,
  3345764771,
  3516065817,
  3600352804,
  4094571909,
  275423344,
  430227734,
  506948616,
  659060556,
  883997877,
  958139571,
  1322822218,
  1537002063,
  1747873779,
  1955562222,
  2024104815,
  2227730452,
  2361852424,
  2428436474,
  2756734187,
  3204031479,
  3329325298
]);
var initialState = Int32Array.from([
  1779033703,
  3144134277,
  1013904242,
  2773480762,
  1359893119,
  2600822924,
  528734635,
  1541459225
]);
var Sha256 = class {
  state = new Int32Array(8);
  block = new Uint8Array(64);
  w = new Int32Array(64);
  blockLength = 0;
  /** Bytes hashed so far (fits 2^53: far beyond any message). */
  total = 0;
  constructor() {
    this.reset();
  }
  reset() {
    this.state.set(initialState);
    this.blockLength = 0;
    this.total = 0;
  }
  /** Copies the chaining state; valid only on a block boundary (HMAC pads are exactly one block). */
  save(into) {
    into.set(this.state);
  }
  restore(from, bytesHashed) {
    this.state.set(from);
    this.blockLength = 0;
    this.total = bytesHashed;
  }
  update(data, start = 0, end = data.length) {
    this.total += end - start;
    let i = start;
    const block = this.block;
    if (this.blockLength > 0) {
      while (i < end && this.blockLength < 64) block[this.blockLength++] = data[i++];
      if (this.blockLength < 64) return;
      this.compress(block, 0);
      this.blockLength = 0;
    }
    while (end - i >= 64) {
      this.compress(data, i);
      i += 64;
    }
    while (i < end) block[this.blockLength++] = data[i++];
  }
  /** Writes the 32-byte digest to out[at, at+32). */
  finish(out, at = 0) {
    const bits = this.total * 8;
    const block = this.block;
    block[this.blockLength++] = 128;
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
      const v = this.state[k];
      out[at + 4 * k] = v >>> 24;
      out[at + 4 * k + 1] = v >>> 16;
      out[at + 4 * k + 2] = v >>> 8;
      out[at + 4 * k + 3] = v;
    }
  }
  compress(data, at) {
    const w = this.w;
    for (let t = 0; t < 16; t++) {
      const o = at + 4 * t;
      w[t] = data[o] << 24 | data[o + 1] << 16 | data[o + 2] << 8 | data[o + 3];
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15];
      const y = w[t - 2];
      const s0 = (x >>> 7 | x << 25) ^ (x >>> 18 | x << 14) ^ x >>> 3;
      const s1 = (y >>> 17 | y << 15) ^ (y >>> 19 | y << 13) ^ y >>> 10;
      w[t] = w[t - 16] + s0 + w[t - 7] + s1 | 0;
    }
    const s = this.state;
    let a = s[0];
    let b = s[1];
    let c = s[2];
    let d = s[3];
    let e = s[4];
    let f = s[5];
    let g = s[6];
    let h = s[7];
    for (let t = 0; t < 64; t++) {
      const S1 = (e >>> 6 | e << 26) ^ (e >>> 11 | e << 21) ^ (e >>> 25 | e << 7);
      const ch = e & f ^ ~e & g;
      const t1 = h + S1 + ch + K[t] + w[t] | 0;
      const S0 = (a >>> 2 | a << 30) ^ (a >>> 13 | a << 19) ^ (a >>> 22 | a << 10);
      const maj = a & b ^ a & c ^ b & c;
      const t2 = S0 + maj | 0;
      h = g;
      g = f;
      f = e;
      e = d + t1 | 0;
      d = c;
      c = b;
      b = a;
      a = t1 + t2 | 0;
    }
    s[0] = s[0] + a | 0;
    s[1] = s[1] + b | 0;
    s[2] = s[2] + c | 0;
    s[3] = s[3] + d | 0;
    s[4] = s[4] + e | 0;
    s[5] = s[5] + f | 0;
    s[6] = s[6] + g | 0;
    s[7] = s[7] + h | 0;
  }
};
var hasher = new Sha256();
var innerDigest = new Uint8Array(32);
var HmacKey = class {
  inner = new Int32Array(8);
  outer = new Int32Array(8);
  constructor(key) {
    const block = new Uint8Array(64);
    if (key.length > 64) {
      hasher.reset();
      hasher.update(key);
      hasher.finish(block);
    } else block.set(key);
    const pad = new Uint8Array(64);
    for (let i = 0; i < 64; i++) pad[i] = block[i] ^ 54;
    hasher.reset();
    hasher.update(pad);
    hasher.save(this.inner);
    for (let i = 0; i < 64; i++) pad[i] = block[i] ^ 92;
    hasher.reset();
    hasher.update(pad);
    hasher.save(this.outer);
  }
  /** Full 32-byte HMAC of `data[start, end)` (and optionally more parts) into out[at, at+32). */
  mac(out, at, ...parts) {
    hasher.restore(this.inner, 64);
    for (const p of parts) hasher.update(p);
    this.finish(out, at);
  }
  /** HMAC of `data[start, end)` into out[at, at+32); allocation-free. */
  macRange(data, start, end, out, at) {
    hasher.restore(this.inner, 64);
    hasher.update(data, start, end);
    this.finish(out, at);
  }
  finish(out, at) {
    hasher.finish(innerDigest);
    hasher.restore(this.outer, 64);
    hasher.update(innerDigest);
    hasher.finish(out, at);
  }
};
var ascii = (text) => Uint8Array.from(text, (c) => c.charCodeAt(0));
var Label = {
  hostToRig: ascii("tether/2 host->rig"),
  rigToHost: ascii("tether/2 rig->host"),
  sessionId: ascii("tether/2 session id"),
  operatorToHost: ascii("tether/2 operator->host"),
  hostToOperator: ascii("tether/2 host->operator"),
  operatorId: ascii("tether/2 operator id")
};
function deriveSession(device, rigNonce, hostNonce, operator = false) {
  const out = new Uint8Array(32);
  const derive = (label) => {
    device.mac(out, 0, label, rigNonce, hostNonce);
    return out.slice();
  };
  const toRig = new HmacKey(derive(operator ? Label.operatorToHost : Label.hostToRig));
  const toHost = new HmacKey(derive(operator ? Label.hostToOperator : Label.rigToHost));
  const idBytes = derive(operator ? Label.operatorId : Label.sessionId);
  const id = (idBytes[0] | idBytes[1] << 8 | idBytes[2] << 16 | idBytes[3] << 24) >>> 0;
  return { id: id === 0 ? 1 : id, toRig, toHost };
}
function parseDeviceKey(text, source) {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) {
    throw new Error(
      `${source}: the link key must be hexadecimal (an even number of 0-9a-f digits), e.g. from \`openssl rand -hex 32\``
    );
  }
  const bytes = hex.length / 2;
  if (bytes < minKeyBytes || bytes > maxKeyBytes) {
    throw new Error(
      `${source}: the link key has ${bytes} bytes; use ${minKeyBytes} to ${maxKeyBytes} (32 recommended: \`openssl rand -hex 32\`)`
    );
  }
  return Uint8Array.from(Buffer.from(hex, "hex"));
}
function deviceKeyFromEnv(variable, what) {
  const value = process.env[variable];
  if (value === void 0 || value === "") {
    throw new Error(
      `${what}: environment variable ${variable} is not set; it must hold the rig's link key (hex, the same on rig and runtime; make one with \`openssl rand -hex 32\`)`
    );
  }
  return parseDeviceKey(value, `${what} (environment variable ${variable})`);
}
function equalBytes(a, aAt, b, bAt, n) {
  let diff = 0;
  for (let i = 0; i < n; i++) diff |= a[aAt + i] ^ b[bAt + i];
  return diff === 0;
}
var tag = new Uint8Array(32);
var twoTo32 = 4294967296;
function seal(message, length, mode, key, session, counter) {
  message[2] = message[2] & ~authModeMask | mode;
  let at = length;
  message[at++] = session & 255;
  message[at++] = session >>> 8 & 255;
  message[at++] = session >>> 16 & 255;
  message[at++] = session >>> 24 & 255;
  const low = counter >>> 0;
  const high = Math.floor(counter / twoTo32);
  message[at++] = low & 255;
  message[at++] = low >>> 8 & 255;
  message[at++] = low >>> 16 & 255;
  message[at++] = low >>> 24 & 255;
  message[at++] = high & 255;
  message[at++] = high >>> 8 & 255;
  message[at++] = high >>> 16 & 255;
  message[at++] = high >>> 24 & 255;
  key.macRange(message, 0, at, tag, 0);
  message.set(tag.subarray(0, macSize), at);
  return at + macSize;
}
function trailerSession(message, length) {
  const at = length - trailerSize;
  return (message[at] | message[at + 1] << 8 | message[at + 2] << 16 | message[at + 3] << 24) >>> 0;
}
function trailerCounter(message, length) {
  const at = length - trailerSize + 4;
  const low = (message[at] | message[at + 1] << 8 | message[at + 2] << 16 | message[at + 3] << 24) >>> 0;
  const high = (message[at + 4] | message[at + 5] << 8 | message[at + 6] << 16 | message[at + 7] << 24) >>> 0;
  return high * twoTo32 + low;
}
function verifyTag(message, length, key) {
  const macAt = length - macSize;
  key.macRange(message, 0, macAt, tag, 0);
  return equalBytes(tag, 0, message, macAt, macSize);
}
export {
  AuthMode,
  HmacKey,
  Label,
  Sha256,
  authModeMask,
  deriveSession,
  deviceKeyFromEnv,
  equalBytes,
  macSize,
  maxKeyBytes,
  minKeyBytes,
  nonceSize,
  parseDeviceKey,
  seal,
  trailerCounter,
  trailerSession,
  trailerSize,
  verifyTag
};
