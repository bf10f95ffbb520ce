import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cobsDecode, cobsEncode, cobsMaxEncodedLength } from '../../hardware/protocol/cobs.ts';
import { crc32 } from '../../hardware/protocol/crc32.ts';
import { encodeFrame, FrameDecoder, maxFrameSize } from '../../hardware/protocol/framing.ts';
import {
  createCommandSample,
  createStateSample,
  DecodeError,
  decodeAck,
  decodeCommand,
  decodeEstop,
  decodeHeader,
  decodeHello,
  decodeNotice,
  decodeOperatorCommand,
  decodeOperatorHello,
  decodeOperatorReply,
  decodeSession,
  decodeState,
  decodeStatus,
  encodeAck,
  encodeCommand,
  encodeEstop,
  encodeHello,
  encodeNotice,
  encodeOperatorCommand,
  encodeOperatorHello,
  encodeOperatorReply,
  encodeSession,
  encodeState,
  encodeStatus,
  type Hello,
  MessageType,
  maxMessageSize,
  protocolVersion,
} from '../../hardware/protocol/messages.ts';
import { cartpoleHello, sampleCommand, sampleEstop, sampleState } from './protocol-fixtures.ts';

const out = new Uint8Array(maxMessageSize);
const view = new DataView(out.buffer);

/** Encodes a hello without the encoder's spec check, as a buggy rig would. */
function encodeUnchecked(hello: Hello): number {
  return encodeHello(out, 1, 0, hello, { check: false });
}

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
    const header = { type: 0, seq: 0, timeUs: 0, auth: 0, session: 0 };
    expect(decodeHeader(view, n, header)).toBe(MessageType.hello);
    expect(header).toEqual({ type: MessageType.hello, seq: 1, timeUs: 1000, auth: 0, session: 0 });
    // Without a session part the encoder writes zeros: no nonce, no owner.
    expect(decodeHello(out, n)).toEqual({
      ...cartpoleHello,
      session: { rigNonce: new Uint8Array(16), ownerSession: 0, leaseMs: 0 },
    });
    const session = { rigNonce: new Uint8Array(16).fill(7), ownerSession: 0xdeadbeef, leaseMs: 1500 };
    const m = encodeHello(out, 2, 0, { ...cartpoleHello, session });
    expect((decodeHello(out, m) as Hello).session).toEqual(session);
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
    const header = { type: 0, seq: 0, timeUs: 0, auth: 0, session: 0 };
    expect(decodeHeader(view, 10, header)).toBe(DecodeError.tooShort);
    out[0] = 1;
    expect(decodeHeader(view, n, header)).toBe(DecodeError.badVersion);
    // A v2 peer (before the cartesian mode) speaks another version.
    out[0] = 2;
    expect(decodeHeader(view, n, header)).toBe(DecodeError.badVersion);
    out[0] = protocolVersion;
    out[2] = 4;
    expect(decodeHeader(view, n, header)).toBe(DecodeError.badFlags);
    out[2] = 0;
    out[1] = 200;
    expect(decodeHeader(view, n, header)).toBe(DecodeError.unknownType);
    out[1] = 2;
    const e = encodeEstop(out, 2, 3, sampleEstop);
    expect(decodeEstop(out, e - 3)).toBe(DecodeError.truncated);
  });

  it('refuses commands with a NaN or infinite target, or a negative gain (they never reach an actuator)', () => {
    const back = createCommandSample();
    for (const tweak of [
      (c: ReturnType<typeof sampleCommand>) => c.target.set([Number.NaN], 1),
      (c: ReturnType<typeof sampleCommand>) => c.target.set([-Infinity], 0),
      (c: ReturnType<typeof sampleCommand>) => c.kp.set([-1], 2),
      (c: ReturnType<typeof sampleCommand>) => c.kd.set([Number.NaN], 0),
    ]) {
      const c = sampleCommand();
      tweak(c);
      expect(decodeCommand(view, encodeCommand(view, c), back)).toBe(DecodeError.badValue);
    }
    expect(decodeCommand(view, encodeCommand(view, sampleCommand()), back)).toBe(MessageType.command);
  });

  it('refuses a hello that violates the spec, saying why', () => {
    const cases: [Partial<Hello>, RegExp][] = [
      [{ name: 'cart/pole' }, /robot name 'cart\/pole'/],
      [{ name: '' }, /robot name ''/],
      [
        { action: [{ ...cartpoleHello.action[0]!, safe: 25 }] },
        /safe value 25 is not a finite value within \[-20, 20\]/,
      ],
      [
        { action: [{ ...cartpoleHello.action[0]!, lower: Number.NaN }] },
        /limits \[NaN, 20\] are not an interval/,
      ],
      [{ action: [{ ...cartpoleHello.action[0]!, maxDeltaPerTick: 0 }] }, /max_delta_per_tick 0 must be > 0/],
      [{ action: [] }, /no action signals/],
      [
        { joints: [{ ...cartpoleHello.joints[0]!, positionLower: Number.NaN }, cartpoleHello.joints[1]!] },
        /NaN limit/,
      ],
      [{ joints: [{ ...cartpoleHello.joints[0]!, effortLimit: -1 }, cartpoleHello.joints[1]!] }, />= 0/],
      [
        { observation: [cartpoleHello.observation[0]!, cartpoleHello.observation[0]!] },
        /'cart.pos' appears twice/,
      ],
      [{ observation: [{ ...cartpoleHello.observation[0]!, lower: 4 }] }, /limits \[4, 3\]/],
      [{ minCommandRateHz: 0 }, /1 <= min <= max/],
      [{ features: 64 }, /unknown bits/],
    ];
    for (const [change, reason] of cases) {
      const bad = { ...cartpoleHello, ...change };
      expect(() => encodeHello(out, 1, 0, bad)).toThrow(reason);
      // A rig that writes one anyway (bypassing the check) is refused by the decoder.
      const problems: string[] = [];
      const n = encodeUnchecked(bad);
      expect(decodeHello(out, n, problems)).toBe(DecodeError.badValue);
      expect(problems[0]).toMatch(reason);
    }
  });

  it('round-trips the v2 messages: session, notice, operator hello, command and reply', () => {
    const hostNonce = new Uint8Array(16).fill(1);
    const rigNonce = new Uint8Array(16).fill(2);
    let n = encodeSession(out, 1, 0, { op: 1, hostNonce, rigNonce });
    expect(n).toBe(49);
    expect(decodeSession(out, n)).toEqual({ op: 1, hostNonce, rigNonce });
    n = encodeNotice(out, 1, 0, { code: 2, count: 7, message: 'forged frame refused' });
    expect(decodeNotice(out, n)).toEqual({ code: 2, count: 7, message: 'forged frame refused' });
    n = encodeOperatorHello(out, 1, 0, { nonce: rigNonce });
    expect(decodeOperatorHello(out, n)).toEqual({ nonce: rigNonce });
    n = encodeOperatorCommand(out, 1, 0, { line: 'recover' });
    expect(decodeOperatorCommand(out, n)).toEqual({ line: 'recover' });
    n = encodeOperatorReply(out, 1, 0, { requestCounter: 2 ** 40 + 3, ok: true, text: 'é'.repeat(3000) });
    const reply = decodeOperatorReply(out, n) as { requestCounter: number; ok: boolean; text: string };
    expect(reply.requestCounter).toBe(2 ** 40 + 3);
    expect(reply.text.length).toBe(1024); // cut at 2048 bytes, on a character boundary
    n = encodeAck(out, 1, 0, { ackedType: 9, status: 3, ackedSeq: 5, retryAfterMs: 420 });
    expect(decodeAck(out, n)).toEqual({ ackedType: 9, status: 3, ackedSeq: 5, retryAfterMs: 420 });
  });

  it('round-trips status (ticks beyond 32 bits) and refuses unknown states, flags and reserved bits', () => {
    const status = {
      requestSeq: 9,
      state: 2,
      owned: false,
      flags: 1,
      ticks: 2 ** 33 + 5,
      latches: 3,
      commandsApplied: 1200,
      reason: 'e-stop from host: pole fell',
    };
    const n = encodeStatus(out, 1, 0, status);
    expect(n).toBe(16 + 29 + status.reason.length);
    const header = { type: 0, seq: 0, timeUs: 0, auth: 0, session: 0 };
    expect(decodeHeader(new DataView(out.buffer), n, header)).toBe(MessageType.status);
    expect(decodeStatus(out, n)).toEqual(status);
    for (const [offset, value] of [
      [20, 3],
      [21, 2],
      [22, 1],
      [24, 8],
    ] as const) {
      const bad = out.slice(0, n);
      bad[offset] = value;
      expect(decodeStatus(bad, n)).toBe(DecodeError.badValue);
    }
    expect(decodeStatus(out, n - 1)).toBe(DecodeError.truncated);
  });

  it('refuses to encode what the wire cannot carry', () => {
    expect(() => encodeHello(out, 1, 0, { ...cartpoleHello, name: 'x'.repeat(300) })).toThrow(
      /robot name 'x+' must be 1 to 64/,
    );
    const bad = { ...cartpoleHello, observation: [{ ...cartpoleHello.observation[0]!, stateIndex: 9 }] };
    expect(() => encodeHello(out, 1, 0, bad)).toThrow(/state_index 9 is not below the state size 6/);
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
