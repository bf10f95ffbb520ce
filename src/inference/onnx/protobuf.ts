/**
 * The protobuf wire format, as much as ONNX needs: varints, 64-bit ints as varints, fixed32 floats,
 * length-delimited bytes/strings/sub-messages, packed repeated scalars.
 * https://protobuf.dev/programming-guides/encoding/
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** Append-only byte sink for one message; nested messages are written separately and embedded. */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private scratch = new Uint8Array(10);
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private varint(value: bigint): void {
    // Negative int64 values are encoded as their 64-bit two's complement (10 bytes).
    let v = BigInt.asUintN(64, value);
    let n = 0;
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.scratch[n++] = byte;
    } while (v !== 0n);
    this.push(this.scratch.slice(0, n));
  }

  private tag(field: number, wire: number): void {
    this.varint(BigInt((field << 3) | wire));
  }

  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.varint(BigInt(value));
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.varint(BigInt(value.length));
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  message(field: number, message: ProtoWriter): this {
    return this.bytes(field, message.finish());
  }

  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(BigInt(v));
    return this.bytes(field, inner.finish());
  }

  packedFloats(field: number, values: ArrayLike<number>): this {
    const b = new Uint8Array(values.length * 4);
    const view = new DataView(b.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
    return this.bytes(field, b);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

/** One decoded field. Varints stay bigints so int64 values survive; LEN fields are views, not copies. */
export type ProtoField =
  | { readonly field: number; readonly wire: 0; readonly value: bigint }
  | { readonly field: number; readonly wire: 1; readonly value: bigint }
  | { readonly field: number; readonly wire: 2; readonly value: Uint8Array }
  | { readonly field: number; readonly wire: 5; readonly value: number };

export class ProtoDecodeError extends Error {
  override name = 'ProtoDecodeError';
}

/** Splits one message into its fields (no schema needed); throws on truncated or malformed input. */
export function decodeFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= bytes.length) throw new ProtoDecodeError(`truncated varint at byte ${pos}`);
      const byte = bytes[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
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

export function decodeString(bytes: Uint8Array): string {
  return textDecoder.decode(bytes);
}

/** Reads a repeated int64 field that may be packed (one LEN field) or unpacked (many varints). */
export function repeatedInts(fields: readonly ProtoField[], field: number): bigint[] {
  const out: bigint[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wire === WIRE_VARINT) out.push(f.value);
    else if (f.wire === WIRE_LEN) {
      const inner = f.value;
      let pos = 0;
      while (pos < inner.length) {
        let result = 0n;
        let shift = 0n;
        for (;;) {
          const byte = inner[pos++];
          if (byte === undefined) throw new ProtoDecodeError('truncated packed varint');
          result |= BigInt(byte & 0x7f) << shift;
          if ((byte & 0x80) === 0) break;
          shift += 7n;
        }
        out.push(result);
      }
    }
  }
  return out;
}

/** Reads a repeated float field that may be packed or unpacked. */
export function repeatedFloats(fields: readonly ProtoField[], field: number): number[] {
  const out: number[] = [];
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

export function firstOf(fields: readonly ProtoField[], field: number): ProtoField | undefined {
  return fields.find((f) => f.field === field);
}

export function allOf(fields: readonly ProtoField[], field: number): ProtoField[] {
  return fields.filter((f) => f.field === field);
}
