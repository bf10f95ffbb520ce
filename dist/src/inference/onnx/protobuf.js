// Compiled from src/inference/onnx/protobuf.ts by `npm run build`: edit the source, not this file.

// src/inference/onnx/protobuf.ts
var WIRE_VARINT = 0;
var WIRE_FIXED64 = 1;
var WIRE_LEN = 2;
var WIRE_FIXED32 = 5;
var textEncoder = new TextEncoder();
var textDecoder = new TextDecoder();
var ProtoWriter = class _ProtoWriter {
  chunks = [];
  scratch = new Uint8Array(10);
  length = 0;
  push(bytes) {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
  varint(value) {
    let v = BigInt.asUintN(64, value);
    let n = 0;
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 128;
      this.scratch[n++] = byte;
    } while (v !== 0n);
    this.push(this.scratch.slice(0, n));
  }
  tag(field, wire) {
    this.varint(BigInt(field << 3 | wire));
  }
  int(field, value) {
    this.tag(field, WIRE_VARINT);
    this.varint(BigInt(value));
    return this;
  }
  float(field, value) {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }
  bytes(field, value) {
    this.tag(field, WIRE_LEN);
    this.varint(BigInt(value.length));
    this.push(value);
    return this;
  }
  string(field, value) {
    return this.bytes(field, textEncoder.encode(value));
  }
  message(field, message) {
    return this.bytes(field, message.finish());
  }
  packedInts(field, values) {
    const inner = new _ProtoWriter();
    for (const v of values) inner.varint(BigInt(v));
    return this.bytes(field, inner.finish());
  }
  packedFloats(field, values) {
    const b = new Uint8Array(values.length * 4);
    const view = new DataView(b.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
    return this.bytes(field, b);
  }
  finish() {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
};
var ProtoDecodeError = class extends Error {
  name = "ProtoDecodeError";
};
function decodeFields(bytes) {
  const fields = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const readVarint = () => {
    let result = 0n;
    let shift = 0n;
    for (; ; ) {
      if (pos >= bytes.length) throw new ProtoDecodeError(`truncated varint at byte ${pos}`);
      const byte = bytes[pos++];
      result |= BigInt(byte & 127) << shift;
      if ((byte & 128) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new ProtoDecodeError(`varint longer than 10 bytes at byte ${pos}`);
    }
  };
  while (pos < bytes.length) {
    const key = Number(readVarint());
    const field = key >>> 3;
    const wire = key & 7;
    if (field === 0) throw new ProtoDecodeError(`field number 0 at byte ${pos}`);
    switch (wire) {
      case WIRE_VARINT:
        fields.push({ field, wire, value: readVarint() });
        break;
      case WIRE_FIXED64:
        if (pos + 8 > bytes.length) throw new ProtoDecodeError(`truncated fixed64 at byte ${pos}`);
        fields.push({ field, wire, value: view.getBigUint64(pos, true) });
        pos += 8;
        break;
      case WIRE_LEN: {
        const len = Number(readVarint());
        if (pos + len > bytes.length)
          throw new ProtoDecodeError(`length ${len} overruns message at byte ${pos}`);
        fields.push({ field, wire, value: bytes.subarray(pos, pos + len) });
        pos += len;
        break;
      }
      case WIRE_FIXED32:
        if (pos + 4 > bytes.length) throw new ProtoDecodeError(`truncated fixed32 at byte ${pos}`);
        fields.push({ field, wire, value: view.getFloat32(pos, true) });
        pos += 4;
        break;
      default:
        throw new ProtoDecodeError(`unsupported wire type ${wire} (field ${field}) at byte ${pos}`);
    }
  }
  return fields;
}
function decodeString(bytes) {
  return textDecoder.decode(bytes);
}
function repeatedInts(fields, field) {
  const out = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wire === WIRE_VARINT) out.push(f.value);
    else if (f.wire === WIRE_LEN) {
      const inner = f.value;
      let pos = 0;
      while (pos < inner.length) {
        let result = 0n;
        let shift = 0n;
        for (; ; ) {
          const byte = inner[pos++];
          if (byte === void 0) throw new ProtoDecodeError("truncated packed varint");
          result |= BigInt(byte & 127) << shift;
          if ((byte & 128) === 0) break;
          shift += 7n;
        }
        out.push(result);
      }
    }
  }
  return out;
}
function repeatedFloats(fields, field) {
  const out = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wire === WIRE_FIXED32) out.push(f.value);
    else if (f.wire === WIRE_LEN) {
      const view = new DataView(f.value.buffer, f.value.byteOffset, f.value.byteLength);
      for (let i = 0; i + 4 <= f.value.byteLength; i += 4) out.push(view.getFloat32(i, true));
    }
  }
  return out;
}
function firstOf(fields, field) {
  return fields.find((f) => f.field === field);
}
function allOf(fields, field) {
  return fields.filter((f) => f.field === field);
}
export {
  ProtoDecodeError,
  ProtoWriter,
  allOf,
  decodeFields,
  decodeString,
  firstOf,
  repeatedFloats,
  repeatedInts
};
