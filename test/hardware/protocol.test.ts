import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cobsDecode, cobsEncode, cobsMaxEncodedLength } from '../../hardware/protocol/cobs.ts';
import { crc32 } from '../../hardware/protocol/crc32.ts';
import { encodeFrame, FrameDecoder, maxFrameSize } from '../../hardware/protocol/framing.ts';
import {
  createCommandSample,
  createStateSample,
  DecodeError,
  decodeCommand,
  decodeEstop,
  decodeHeader,
  decodeHello,
  decodeState,
  encodeCommand,
  encodeEstop,
  encodeHello,
  encodeState,
  MessageType,
  maxMessageSize,
} from '../../hardware/protocol/messages.ts';
import { cartpoleHello, sampleCommand, sampleEstop, sampleState } from './protocol-fixtures.ts';

const out = new Uint8Array(maxMessageSize);
const view = new DataView(out.buffer);

describe('CRC-32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('COBS', () => {
  it('encodes the reference examples from the paper / Wikipedia', () => {
    const cases: [number[], number[]][] = [
      [[0x00], [0x01, 0x01]],
      [
        [0x00, 0x00],
        [0x01, 0x01, 0x01],
      ],
      [
        [0x11, 0x22, 0x00, 0x33],
        [0x03, 0x11, 0x22, 0x02, 0x33],
      ],
      [
        [0x11, 0x00, 0x00, 0x00],
        [0x02, 0x11, 0x01, 0x01, 0x01],
      ],
    ];
    for (const [input, expected] of cases) {
      const dst = new Uint8Array(cobsMaxEncodedLength(input.length));
      const n = cobsEncode(Uint8Array.from(input), input.length, dst);
      expect(Array.from(dst.subarray(0, n))).toEqual(expected);
    }
  });

  it('handles 254-byte runs without zeros (code 0xFF blocks)', () => {
    const input = Uint8Array.from({ length: 600 }, (_, i) => (i % 255) + 1);
    const dst = new Uint8Array(cobsMaxEncodedLength(input.length));
    const n = cobsEncode(input, input.length, dst);
    expect(dst.subarray(0, n).includes(0)).toBe(false);
    const back = new Uint8Array(input.length + 8);
    expect(cobsDecode(dst, n, back)).toBe(input.length);
    expect(back.subarray(0, input.length)).toEqual(input);
  });

  it('round-trips any bytes and never emits a zero (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1200 }), (input) => {
        const dst = new Uint8Array(cobsMaxEncodedLength(input.length));
        const n = cobsEncode(input, input.length, dst);
        expect(n).toBeLessThanOrEqual(cobsMaxEncodedLength(input.length));
        expect(dst.subarray(0, n).includes(0)).toBe(false);
        const back = new Uint8Array(n);
        expect(cobsDecode(dst, n, back)).toBe(input.length);
        expect(back.subarray(0, input.length)).toEqual(input);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects blocks whose code runs past the end or that contain zero', () => {
    expect(cobsDecode(Uint8Array.of(0x05, 1, 2), 3, new Uint8Array(8))).toBe(-1);
    expect(cobsDecode(Uint8Array.of(0x03, 1, 0), 3, new Uint8Array(8))).toBe(-1);
  });
});

describe('messages', () => {
  it('round-trips hello, including infinite limits', () => {
    const n = encodeHello(out, 1, 1000, cartpoleHello);
    const header = { type: 0, seq: 0, timeUs: 0 };
    expect(decodeHeader(view, n, header)).toBe(MessageType.hello);
    expect(header).toEqual({ type: MessageType.hello, seq: 1, timeUs: 1000 });
    expect(decodeHello(out, n)).toEqual(cartpoleHello);
  });

  it('round-trips state with IMU and sensors, timestamps beyond 32 bits', () => {
    const s = sampleState();
    const n = encodeState(view, s);
    expect(n).toBe(28 + 4 * s.valueCount);
    const back = createStateSample();
    expect(decodeState(view, n, back)).toBe(MessageType.state);
    expect(back.timeUs).toBe(s.timeUs);
    expect(back.valueCount).toBe(s.valueCount);
    expect(back.values.subarray(0, back.valueCount)).toEqual(s.values.subarray(0, s.valueCount));
    expect([back.seq, back.commandSeq, back.flags, back.jointCount, back.hasImu, back.sensorCount]).toEqual([
      7,
      6,
      4,
      2,
      true,
      1,
    ]);
  });

  it('round-trips command with PD gains', () => {
    const c = sampleCommand();
    const n = encodeCommand(view, c);
    expect(n).toBe(24 + 4 * 9);
    const back = createCommandSample();
    expect(decodeCommand(view, n, back)).toBe(MessageType.command);
    expect(Array.from(back.target.subarray(0, 3))).toEqual([0.5, -0.25, 1]);
    expect(Array.from(back.kp.subarray(0, 3))).toEqual([100, 50, 25]);
    expect(Array.from(back.kd.subarray(0, 3))).toEqual([2, 1, 0.5]);
    expect(back.stateSeq).toBe(7);
  });

  it('round-trips e-stop with a UTF-8 reason', () => {
    const n = encodeEstop(out, 2, 3, { source: 1, reason: 'Not-Aus gedrückt' });
    expect(decodeEstop(out, n)).toEqual({ source: 1, reason: 'Not-Aus gedrückt' });
  });

  it('rejects truncated, padded and wrong-version messages with specific codes', () => {
    const n = encodeState(view, sampleState());
    const back = createStateSample();
    expect(decodeState(view, n - 1, back)).toBe(DecodeError.truncated);
    expect(decodeState(view, n + 1, back)).toBe(DecodeError.trailingBytes);
    const header = { type: 0, seq: 0, timeUs: 0 };
    expect(decodeHeader(view, 10, header)).toBe(DecodeError.tooShort);
    out[0] = 2;
    expect(decodeHeader(view, n, header)).toBe(DecodeError.badVersion);
    out[0] = 1;
    out[1] = 200;
    expect(decodeHeader(view, n, header)).toBe(DecodeError.unknownType);
    const e = encodeEstop(out, 2, 3, sampleEstop);
    expect(decodeEstop(out, e - 3)).toBe(DecodeError.truncated);
  });

  it('refuses to encode what the wire cannot carry', () => {
    expect(() => encodeHello(out, 1, 0, { ...cartpoleHello, name: 'x'.repeat(300) })).toThrow(
      /longer than 255 bytes/,
    );
    const bad = { ...cartpoleHello, observation: [{ ...cartpoleHello.observation[0]!, stateIndex: 9 }] };
    expect(() => encodeHello(out, 1, 0, bad)).toThrow(/stateIndex: 9 is not in 0..5/);
  });
});

describe('frame decoder', () => {
  function frameOf(message: Uint8Array, length: number): Uint8Array {
    const frame = new Uint8Array(maxFrameSize);
    const n = encodeFrame(message, length, new Uint8Array(maxMessageSize + 4), frame);
    return frame.slice(0, n);
  }

  it('delivers frames split at every possible byte boundary', () => {
    const n = encodeState(view, sampleState());
    const frame = frameOf(out, n);
    for (let cut = 0; cut <= frame.length; cut++) {
      const received: number[] = [];
      const decoder = new FrameDecoder((_m, length) => received.push(length));
      decoder.push(frame.subarray(0, cut));
      decoder.push(frame.subarray(cut));
      expect(received).toEqual([n]);
    }
  });

  it('counts and drops a corrupt frame, then resynchronises on the next', () => {
    const n = encodeState(view, sampleState());
    const good = frameOf(out, n);
    const corrupt = good.slice();
    corrupt[10] = corrupt[10]! ^ 0x40;
    const truncated = good.slice(0, 12);
    truncated[11] = 0;
    const received: number[] = [];
    const decoder = new FrameDecoder((_m, length) => received.push(length));
    decoder.push(corrupt);
    decoder.push(truncated);
    decoder.push(good);
    expect(received).toEqual([n]);
    expect(decoder.counters.frames).toBe(1);
    expect(decoder.counters.crcErrors + decoder.counters.cobsErrors).toBe(2);
  });

  it('bounds memory: an endless run without delimiters is dropped as oversize', () => {
    const decoder = new FrameDecoder(() => undefined);
    const junk = new Uint8Array(1 << 20).fill(0x55);
    decoder.push(junk);
    decoder.push(Uint8Array.of(0));
    expect(decoder.counters.oversize).toBe(1);
    const n = encodeState(view, sampleState());
    const received: number[] = [];
    const next = new FrameDecoder((_m, length) => received.push(length));
    next.push(junk);
    next.push(Uint8Array.of(0));
    next.push(frameOf(out, n));
    expect(received).toEqual([n]);
  });
});
