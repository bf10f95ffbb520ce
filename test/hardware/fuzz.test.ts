import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Endpoint } from '../../hardware/link/endpoint.ts';
import { MemoryTransport } from '../../hardware/link/memory-transport.ts';
import { LinkAuth } from '../../hardware/link/session.ts';
import { AuthMode, seal } from '../../hardware/protocol/auth.ts';
import { appendCrc } from '../../hardware/protocol/framing.ts';
import {
  encodeAck,
  encodeCommand,
  encodeEstop,
  encodeFault,
  encodeHeartbeat,
  encodeHello,
  encodeNotice,
  encodeRequest,
  encodeSession,
  encodeState,
  maxMessageSize,
} from '../../hardware/protocol/messages.ts';
import { fuzzFrames, fuzzHellos, fuzzHostStates, fuzzRigCommands } from '../../hardware/tools/fuzz.ts';
import { cartpoleHello, sampleCommand, sampleEstop, sampleState } from './protocol-fixtures.ts';

/**
 * Structure-aware fuzzing (hardware/tools/fuzz.ts): every case is labelled valid or invalid by the
 * mutations that made it; the real receive path must accept exactly the valid ones. bench/link-security.ts
 * runs the same generators for millions of cases.
 */
describe('structure-aware fuzzing of the receive paths', () => {
  it('host: 150k mutated states through verify, decode and the state gate; no invalid one accepted', () => {
    const stats = fuzzHostStates(150_000, 1);
    expect(stats.examples).toEqual([]);
    expect([stats.crashes, stats.acceptedInvalid, stats.refusedValid, stats.hangs]).toEqual([0, 0, 0, 0]);
    // The generator reaches both sides: many valid states and many kinds of invalid ones.
    expect(stats.accepted).toBeGreaterThan(30_000);
    expect(stats.refused).toBeGreaterThan(60_000);
  });

  it('rig: 150k mutated commands through verify, decode and the command checks; no invalid one accepted', () => {
    const stats = fuzzRigCommands(150_000, 2);
    expect(stats.examples).toEqual([]);
    expect([stats.crashes, stats.acceptedInvalid, stats.refusedValid, stats.hangs]).toEqual([0, 0, 0, 0]);
    expect(stats.accepted).toBeGreaterThan(30_000);
    expect(stats.refused).toBeGreaterThan(60_000);
  });

  it('hello: 40k mutated hellos; every spec violation refused, every valid one accepted', () => {
    const stats = fuzzHellos(40_000, 3);
    expect(stats.examples).toEqual([]);
    expect([stats.crashes, stats.acceptedInvalid, stats.refusedValid, stats.hangs]).toEqual([0, 0, 0, 0]);
    expect(stats.accepted).toBeGreaterThan(10_000);
  });

  it('frames: 200k random byte chunks through the frame decoder and an endpoint', () => {
    const stats = fuzzFrames(200_000, 4);
    expect([stats.crashes, stats.hangs]).toEqual([0, 0]);
  });
});

/** One valid message of every type, sealed with the device key: the seeds the byte mutations start from. */
function seedMessages(auth: LinkAuth): Uint8Array[] {
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
    () => encodeSession(out, 1, 1, { op: 1, hostNonce: new Uint8Array(16), rigNonce: new Uint8Array(16) }),
    () => encodeNotice(out, 1, 1, { code: 2, count: 1, message: 'x' }),
  ];
  return encoders.map((encode) => out.slice(0, seal(out, encode(), AuthMode.device, auth.device, 0, 1)));
}

describe('byte-level fuzzing of every message type', () => {
  it('the endpoint survives 300k byte-mutated sealed messages (no throw, bounded result)', () => {
    const key = new Uint8Array(32).fill(5);
    const seeds = seedMessages(new LinkAuth(key, 'rig'));
    const [host] = MemoryTransport.pair();
    const endpoint = new Endpoint(host, new LinkAuth(key, 'host'), {});
    const scratch = new Uint8Array(maxMessageSize + 4);
    let inputs = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: seeds.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat({ max: 3 })), { maxLength: 4 }),
        (which, mutations) => {
          let bytes = seeds[which]!.slice();
          for (const [at, value, kind] of mutations) {
            if (kind === 0 && bytes.length > 0) bytes[at % bytes.length] = value;
            else if (kind === 1) bytes = bytes.slice(0, at % (bytes.length + 1));
            else if (kind === 2) bytes = Uint8Array.from([...bytes, value]);
          }
          if (bytes.length > maxMessageSize) return;
          scratch.set(bytes);
          const withCrc = appendCrc(scratch, bytes.length);
          inputs++;
          const result = endpoint.dispatch(scratch, withCrc - 4);
          expect(Number.isInteger(result)).toBe(true);
          expect(result).toBeGreaterThanOrEqual(-12);
          expect(result).toBeLessThanOrEqual(13);
        },
      ),
      { numRuns: 300_000 },
    );
    expect(inputs).toBeGreaterThan(290_000);
  });
});
