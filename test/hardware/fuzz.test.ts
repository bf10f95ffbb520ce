import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Endpoint } from '../../hardware/link/endpoint.ts';
import { MemoryTransport } from '../../hardware/link/memory-transport.ts';
import { appendCrc, encodeFrame, FrameDecoder, maxFrameSize } from '../../hardware/protocol/framing.ts';
import {
  encodeAck,
  encodeCommand,
  encodeEstop,
  encodeFault,
  encodeHeartbeat,
  encodeHello,
  encodeRequest,
  encodeState,
  maxMessageSize,
} from '../../hardware/protocol/messages.ts';
import { cartpoleHello, sampleCommand, sampleEstop, sampleState } from './protocol-fixtures.ts';

/** One valid message of every type: the seeds the mutations start from. */
function seedMessages(): Uint8Array[] {
  const out = new Uint8Array(maxMessageSize);
  const view = new DataView(out.buffer);
  const encoders: (() => number)[] = [
    () => encodeHello(out, 1, 1, cartpoleHello),
    () => encodeState(view, sampleState()),
    () => encodeCommand(view, sampleCommand()),
    () => encodeHeartbeat(view, 1, 1, { role: 0, lifecycle: 2 }),
    () => encodeEstop(out, 1, 1, sampleEstop),
    () => encodeFault(out, 1, 1, { code: 1, message: 'watchdog' }),
    () => encodeAck(out, 1, 1, { ackedType: 8, status: 0, ackedSeq: 4 }),
    () => encodeRequest(out, 1, 1, { op: 2 }),
  ];
  return encoders.map((encode) => out.slice(0, encode()));
}

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ maxLength: 16 }) }),
);

function mutate(seed: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = seed.slice();
  for (const m of mutations) {
    if (m.kind === 'flip' && bytes.length > 0)
      bytes[m.at % bytes.length] = bytes[m.at % bytes.length]! ^ (1 << m.bit);
    else if (m.kind === 'set' && bytes.length > 0) bytes[m.at % bytes.length] = m.value;
    else if (m.kind === 'truncate') bytes = bytes.slice(0, m.at % (bytes.length + 1));
    else if (m.kind === 'extend') {
      const longer = new Uint8Array(bytes.length + m.bytes.length);
      longer.set(bytes);
      longer.set(m.bytes, bytes.length);
      bytes = longer;
    }
  }
  return bytes;
}

describe('decoder fuzzing (1.2 million inputs in total)', () => {
  const seeds = seedMessages();
  const [host] = MemoryTransport.pair();
  const endpoint = new Endpoint(host, {});
  const scratch = new Uint8Array(maxMessageSize + 4);
  let delivered = 0;
  const frames = new FrameDecoder((message, length) => {
    delivered++;
    endpoint.dispatch(message, length);
  });

  it('message decoders survive 600k mutated messages with valid CRC (no throw, bounded result)', () => {
    let inputs = 0;
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 })),
          {
            minLength: 10,
            maxLength: 10,
          },
        ),
        (cases) => {
          for (const [which, mutations] of cases) {
            const message = mutate(seeds[which]!, mutations);
            if (message.length > maxMessageSize) continue;
            scratch.set(message);
            const withCrc = appendCrc(scratch, message.length);
            inputs++;
            const result = endpoint.dispatch(scratch, withCrc - 4);
            expect(Number.isInteger(result)).toBe(true);
            expect(result).toBeGreaterThanOrEqual(-8);
            expect(result).toBeLessThanOrEqual(8);
            if (result > 0) accepted++;
          }
        },
      ),
      { numRuns: 60_000 },
    );
    expect(inputs).toBeGreaterThan(590_000);
    // Mutations that keep the layout (e.g. a changed float) must still decode: the fuzzer reaches deep.
    expect(accepted).toBeGreaterThan(inputs / 20);
    expect(endpoint.decodeErrors).toBeGreaterThan(inputs / 4);
  });

  it('the frame decoder survives 600k random and mutated byte chunks, and still decodes afterwards', () => {
    const frame = new Uint8Array(maxFrameSize);
    const validFrames = seeds.map((s) => frame.slice(0, encodeFrame(s, s.length, scratch, frame)));
    let inputs = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.uint8Array({ maxLength: 96 }),
            fc
              .tuple(fc.nat({ max: validFrames.length - 1 }), fc.array(mutation, { maxLength: 3 }))
              .map(([i, m]) => mutate(validFrames[i]!, m)),
          ),
          { minLength: 10, maxLength: 10 },
        ),
        (chunks) => {
          for (const chunk of chunks) {
            frames.push(chunk);
            inputs++;
          }
        },
      ),
      { numRuns: 60_000 },
    );
    expect(inputs).toBe(600_000);
    const c = frames.counters;
    expect(c.crcErrors + c.cobsErrors).toBeGreaterThan(0);
    // Whatever garbage came before, a delimiter and a valid frame decode.
    const before = delivered;
    frames.push(Uint8Array.of(0));
    frames.push(validFrames[1]!);
    expect(delivered).toBe(before + 1);
  });
});
