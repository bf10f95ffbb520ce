import { createHash, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthError, LinkAuth, replayWindow } from '../../hardware/link/session.ts';
import {
  AuthMode,
  deriveSession,
  deviceKeyFromEnv,
  HmacKey,
  parseDeviceKey,
  Sha256,
  trailerSize,
} from '../../hardware/protocol/auth.ts';
import { encodeCommand, maxMessageSize } from '../../hardware/protocol/messages.ts';
import { sampleCommand } from './protocol-fixtures.ts';

const key = Uint8Array.from(randomBytes(32));

describe('SHA-256 and HMAC-SHA-256 (allocation-free, as in the C reference)', () => {
  it('match node:crypto on every length up to three blocks, fed in pieces', () => {
    const sha = new Sha256();
    const digest = new Uint8Array(32);
    for (let n = 0; n < 200; n++) {
      const data = randomBytes(n);
      sha.reset();
      sha.update(data, 0, n >> 1);
      sha.update(data, n >> 1, n);
      sha.finish(digest);
      expect(Buffer.from(digest).toString('hex')).toBe(createHash('sha256').update(data).digest('hex'));
      for (const keyLength of [16, 32, 64, 65, 100]) {
        const k = randomBytes(keyLength);
        new HmacKey(k).macRange(data, 0, n, digest, 0);
        expect(Buffer.from(digest).toString('hex')).toBe(createHmac('sha256', k).update(data).digest('hex'));
      }
    }
  });

  it('RFC 4231 test case 2', () => {
    const out = new Uint8Array(32);
    new HmacKey(new TextEncoder().encode('Jefe')).macRange(
      new TextEncoder().encode('what do ya want for nothing?'),
      0,
      28,
      out,
      0,
    );
    expect(Buffer.from(out).toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});

describe('device keys come from the environment, as hex', () => {
  it('refuses short, long and non-hex keys, and names the variable when unset', () => {
    expect(() => parseDeviceKey('abc', 'x')).toThrow(/hexadecimal/);
    expect(() => parseDeviceKey('00'.repeat(8), 'x')).toThrow(/8 bytes; use 16 to 64/);
    expect(() => parseDeviceKey('00'.repeat(65), 'x')).toThrow(/65 bytes/);
    expect(parseDeviceKey(` ${'ab'.repeat(32)}\n`, 'x').length).toBe(32);
    delete process.env['TETHER_TEST_NO_SUCH_KEY'];
    expect(() => deviceKeyFromEnv('TETHER_TEST_NO_SUCH_KEY', 'robot.auth.keyEnv')).toThrow(
      /robot.auth.keyEnv: environment variable TETHER_TEST_NO_SUCH_KEY is not set/,
    );
  });
});

/** A host and a rig that opened a session together. */
function pair() {
  const host = new LinkAuth(key, 'host');
  const rig = new LinkAuth(key, 'rig');
  const rigNonce = Uint8Array.from(randomBytes(16));
  const hostNonce = Uint8Array.from(randomBytes(16));
  const pending = host.expect(rigNonce, hostNonce);
  rig.adopt(deriveSession(rig.device, rigNonce, hostNonce));
  return { host, rig, pending };
}

function sealedCommand(auth: LinkAuth, mode: 'auto' | 'device' | 'none' = 'auto'): Uint8Array {
  const out = new Uint8Array(maxMessageSize);
  const n = encodeCommand(new DataView(out.buffer), sampleCommand());
  return out.slice(0, auth.seal(out, n, mode));
}

describe('sealed frames (LinkAuth)', () => {
  it('the host adopts the session when the rig first uses it; each frame verifies once, reordering within the window', () => {
    const { host, rig, pending } = pair();
    expect(host.sessionId).toBe(0);
    const ack = sealedCommand(rig); // any frame the rig seals with the new session
    const header = { auth: 0, session: 0 };
    expect(host.verify(ack, ack.length, header)).toBe(ack.length - trailerSize);
    expect(host.sessionId).toBe(pending.id);
    expect(header).toEqual({ auth: AuthMode.session, session: pending.id });
    const first = sealedCommand(host);
    const second = sealedCommand(host);
    expect(rig.verify(second, second.length, header)).toBeGreaterThan(0);
    // An older counter after a newer one: a reordering (MQTT does not order across topics), accepted
    // once within the replay window; the same frame again is a replay.
    expect(rig.verify(first, first.length, header)).toBeGreaterThan(0);
    expect(rig.verify(first, first.length, header)).toBe(AuthError.replayed);
    expect(rig.verify(second, second.length, header)).toBe(AuthError.replayed);
    // Older than the window: a replay even if never seen.
    const old = sealedCommand(host);
    for (let i = 0; i < replayWindow; i++) {
      const newer = sealedCommand(host);
      expect(rig.verify(newer, newer.length, header)).toBeGreaterThan(0);
    }
    expect(rig.verify(old, old.length, header)).toBe(AuthError.replayed);
    expect(rig.counters.replayed).toBe(3);
  });

  it('refuses any changed byte, a frame reflected back to its sender, and other sessions', () => {
    const { host, rig } = pair();
    const header = { auth: 0, session: 0 };
    const promote = sealedCommand(rig);
    host.verify(promote, promote.length, header);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const frame = sealedCommand(host);
        const i = at % frame.length;
        frame[i] = frame[i]! ^ flip;
        const result = rig.verify(frame, frame.length, header);
        // Either refused, or (the auth bits cleared) read as an unsealed frame, which the rig's
        // policy refuses for everything but an e-stop and a hello request.
        expect(result < 0 || header.auth === AuthMode.none).toBe(true);
      }),
      { numRuns: 2000 },
    );
    // The host's own frame sent back to it does not verify: each direction has its own key.
    const mine = sealedCommand(host);
    expect(host.verify(mine, mine.length, header)).toBe(AuthError.forged);
    // A frame of another session (another pair with the same device key).
    const other = pair();
    const foreign = sealedCommand(other.rig);
    expect(host.verify(foreign, foreign.length, header)).toBe(AuthError.foreignSession);
  });

  it('a device-key frame verifies only with the same device key', () => {
    const rig = new LinkAuth(key, 'rig');
    const frame = sealedCommand(rig, 'device');
    const header = { auth: 0, session: 0 };
    expect(new LinkAuth(key, 'host').verify(frame, frame.length, header)).toBeGreaterThan(0);
    expect(header.auth).toBe(AuthMode.device);
    const stranger = new LinkAuth(Uint8Array.from(randomBytes(32)), 'host');
    expect(stranger.verify(frame, frame.length, header)).toBe(AuthError.forged);
  });
});
