/**
 * The authentication state of one end of a link (docs/protocol.md §4): its device key, the session
 * it holds (and, on the host, the one it is opening), and the counters that make every sealed frame
 * usable once. The endpoint seals every outgoing frame and verifies every incoming one through it.
 */
import { randomFillSync } from 'node:crypto';
import {
  AuthMode,
  authModeMask,
  deriveSession,
  equalBytes,
  HmacKey,
  nonceSize,
  type SessionKeys,
  seal,
  trailerCounter,
  trailerSession,
  trailerSize,
  verifyTag,
} from '../protocol/auth.ts';
import {
  AckStatus,
  type CommandSample,
  DecodeError,
  type Header,
  headerSize,
  SessionOp,
  type SessionOpen,
} from '../protocol/messages.ts';

/** Which end: the host seals with `toRig` and verifies `toHost`; the rig the other way round. */
export type LinkSide = 'host' | 'rig';

/** Negative results of `verify` (and the rig's command checks), next to DecodeError's. */
export const AuthError = {
  /** A session-sealed frame whose tag does not verify: forged, corrupted, or sealed with another key. */
  forged: -10,
  /** A verified frame whose counter is not above the last one accepted: a replay (or a duplicate). */
  replayed: -11,
  /** Sealed for a session this end does not hold (another owner, or one that ended). */
  foreignSession: -12,
} as const;

/** The rig's refusals of a verified, decoded command (`checkCommand`); C: tether_check_command. */
export const CommandError = {
  /** Not sealed by the session that owns the rig. */
  unauthenticated: -13,
  /** Mode, count or gains other than the rig's hello announced. */
  shape: -14,
  /** Sequence number not above the last one applied in this session. */
  sequence: -15,
} as const;

export interface AuthCounters {
  forged: number;
  replayed: number;
  foreignSession: number;
  /** Device-key frames whose tag does not verify. */
  deviceForged: number;
}

export type SealMode = 'auto' | 'device' | 'none';

/** How far below the newest counter a reordered frame is still accepted (once). C: TETHER_REPLAY_WINDOW. */
export const replayWindow = 64;

export function randomNonce(): Uint8Array {
  return randomFillSync(new Uint8Array(nonceSize));
}

export class LinkAuth {
  readonly device: HmacKey;
  readonly counters: AuthCounters = { forged: 0, replayed: 0, foreignSession: 0, deviceForged: 0 };
  private current: SessionKeys | undefined;
  /** Host only: the session just requested, adopted by the first frame the rig seals with it. */
  private pending: SessionKeys | undefined;
  private txCounter = 0;
  private rxCounter = 0;
  /** Counter accepted per slot (counter mod replayWindow): a reordered frame is accepted once. */
  private readonly seen = new Float64Array(replayWindow);
  private deviceCounter = 0;
  /** Set when the pending session became the current one (the host's open succeeded). */
  onPromoted: ((session: SessionKeys) => void) | undefined;

  constructor(
    deviceKey: Uint8Array,
    readonly side: LinkSide,
  ) {
    this.device = new HmacKey(deviceKey);
  }

  get session(): SessionKeys | undefined {
    return this.current;
  }

  get sessionId(): number {
    return this.current?.id ?? 0;
  }

  get pendingId(): number {
    return this.pending?.id ?? 0;
  }

  /** Counter of the newest verified frame of the current session (a replay carries one at most this). */
  get receivedCounter(): number {
    return this.rxCounter;
  }

  /** Rig: a session was opened; from now on frames are sealed with it and its counters start over. */
  adopt(session: SessionKeys | undefined): void {
    this.current = session;
    this.pending = undefined;
    this.txCounter = 0;
    this.rxCounter = 0;
    this.seen.fill(0);
  }

  /** Host: derive the session an open with these nonces creates; it becomes current once the rig uses it. */
  expect(rigNonce: Uint8Array, hostNonce: Uint8Array): SessionKeys {
    this.pending = deriveSession(this.device, rigNonce, hostNonce);
    return this.pending;
  }

  /** Forget the session (released, or the link to its peer ended for good). */
  drop(): void {
    this.adopt(undefined);
  }

  /**
   * Seals message[0, length) in place (the buffer needs `trailerSize` spare bytes) and returns the
   * sealed length. `auto` uses the session when there is one and sends unauthenticated otherwise.
   */
  seal(message: Uint8Array, length: number, mode: SealMode): number {
    const session = this.current;
    if (mode === 'none' || (mode === 'auto' && session === undefined)) {
      message[2] = message[2]! & ~authModeMask;
      return length;
    }
    if (mode === 'device' || session === undefined) {
      return seal(message, length, AuthMode.device, this.device, 0, ++this.deviceCounter);
    }
    const key = this.side === 'host' ? session.toRig : session.toHost;
    return seal(message, length, AuthMode.session, key, session.id, ++this.txCounter);
  }

  /**
   * Verifies the trailer of an incoming message; returns the length without it, or a negative
   * DecodeError / AuthError. `out` receives the auth mode and session id. Nothing allocates.
   */
  verify(message: Uint8Array, length: number, out: { auth: number; session: number }): number {
    const mode = message[2]! & authModeMask;
    out.auth = mode;
    out.session = 0;
    if (mode === AuthMode.none) return length;
    if (mode !== AuthMode.device && mode !== AuthMode.session) return DecodeError.badFlags;
    if (length < headerSize + trailerSize) return DecodeError.truncated;
    const session = trailerSession(message, length);
    out.session = session;
    if (mode === AuthMode.device) {
      if (!verifyTag(message, length, this.device)) {
        this.counters.deviceForged++;
        return AuthError.forged;
      }
      return length - trailerSize;
    }
    const current = this.current;
    const keys =
      current !== undefined && current.id === session
        ? current
        : this.pending !== undefined && this.pending.id === session
          ? this.pending
          : undefined;
    if (keys === undefined) {
      this.counters.foreignSession++;
      return AuthError.foreignSession;
    }
    if (!verifyTag(message, length, this.side === 'host' ? keys.toHost : keys.toRig)) {
      this.counters.forged++;
      return AuthError.forged;
    }
    const counter = trailerCounter(message, length);
    if (keys === this.pending) {
      // The rig sealed a frame with the session we asked for: it accepted our open.
      this.current = keys;
      this.pending = undefined;
      this.txCounter = 0;
      this.rxCounter = 0;
      this.seen.fill(0);
      this.accept(counter);
      this.onPromoted?.(keys);
      return length - trailerSize;
    }
    if (!this.accept(counter)) {
      this.counters.replayed++;
      return AuthError.replayed;
    }
    return length - trailerSize;
  }

  /**
   * Anti-replay window (as IPsec's): a counter above the highest so far is new; one up to
   * `replayWindow` below it is accepted once (MQTT may deliver a QoS 1 ack after QoS 0 states sent
   * later); anything older, or seen before, is a replay.
   */
  private accept(counter: number): boolean {
    if (counter === 0) return false;
    const slot = counter % replayWindow;
    if (counter > this.rxCounter) {
      this.rxCounter = counter;
      this.seen[slot] = counter;
      return true;
    }
    if (this.rxCounter - counter >= replayWindow || this.seen[slot] === counter) return false;
    this.seen[slot] = counter;
    return true;
  }
}

/**
 * The rig's decision on a SESSION open (C: tether_link_accept_session): bare opens are refused as
 * unauthenticated; the open must echo the rig's current nonce (else `stale`); while another session
 * owns the rig and was heard within its lease the answer is `busy`; the owner re-keying its own
 * session (sealed with it) is always admitted. On `ok` the caller adopts `keys` and renews its nonce.
 */
export function acceptSession(
  auth: LinkAuth,
  open: SessionOpen,
  header: Header,
  rigNonce: Uint8Array,
  ownerAlive: boolean,
): { status: number; rekey: boolean; keys?: SessionKeys } {
  if (header.auth === AuthMode.none) return { status: AckStatus.unauthenticated, rekey: false };
  if (open.op !== SessionOp.open) return { status: AckStatus.unsupported, rekey: false };
  if (!equalBytes(open.rigNonce, 0, rigNonce, 0, nonceSize)) return { status: AckStatus.stale, rekey: false };
  const owner = auth.session;
  const rekey = owner !== undefined && header.auth === AuthMode.session && header.session === owner.id;
  if (owner !== undefined && !rekey && ownerAlive) return { status: AckStatus.busy, rekey: false };
  return { status: AckStatus.ok, rekey, keys: deriveSession(auth.device, rigNonce, open.hostNonce) };
}

/** Shape a rig announced for its commands. */
export interface CommandShape {
  /** Wire code of the command mode. */
  readonly mode: number;
  readonly count: number;
  readonly gainsAllowed: boolean;
}

/**
 * The rig's checks on a verified, decoded command before it is applied (C: tether_check_command):
 * sealed by the owner's session, the announced shape, and a sequence number above the last one of
 * this session. Returns 0 or a CommandError.
 */
export function checkCommand(
  auth: LinkAuth,
  header: Header,
  command: CommandSample,
  shape: CommandShape,
  lastSeq: number,
): number {
  if (header.auth !== AuthMode.session || auth.sessionId === 0 || header.session !== auth.sessionId)
    return CommandError.unauthenticated;
  if (
    command.mode !== shape.mode ||
    command.count !== shape.count ||
    (command.hasGains && !shape.gainsAllowed)
  )
    return CommandError.shape;
  if (command.seq <= lastSeq) return CommandError.sequence;
  return 0;
}
