import { AuthMode, trailerSize } from '../protocol/auth.ts';
import {
  type Ack,
  type CommandSample,
  createCommandSample,
  createStateSample,
  DecodeError,
  decodeAck,
  decodeCommand,
  decodeEstop,
  decodeFault,
  decodeHeader,
  decodeHeartbeat,
  decodeHello,
  decodeNotice,
  decodeOperatorCommand,
  decodeOperatorHello,
  decodeOperatorReply,
  decodeRequest,
  decodeSession,
  decodeState,
  decodeStatus,
  type Estop,
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
  encodeStatus,
  type Fault,
  type Header,
  type Heartbeat,
  type Hello,
  headerSize,
  MessageType,
  maxMessageSize,
  messageTypeCount,
  type Notice,
  type Request,
  type RigStatus,
  type SessionOpen,
  type StateSample,
} from '../protocol/messages.ts';
import { AuthError, type LinkAuth, type SealMode } from './session.ts';
import type { Transport } from './transport.ts';

/**
 * What an endpoint does with each decoded message. Hot ones receive reused samples and a reused
 * header: copy to keep. `header.auth` says which key sealed the message (AuthMode); deciding whether
 * that is enough for the message is the handler's job (docs/protocol.md §4.4).
 */
export interface MessageHandlers {
  state?(sample: StateSample, header: Header): void;
  command?(sample: CommandSample, header: Header): void;
  hello?(hello: Hello, header: Header): void;
  heartbeat?(heartbeat: Heartbeat, header: Header): void;
  estop?(estop: Estop, header: Header): void;
  fault?(fault: Fault, header: Header): void;
  ack?(ack: Ack, header: Header): void;
  request?(request: Request, header: Header): void;
  session?(open: SessionOpen, header: Header): void;
  notice?(notice: Notice, header: Header): void;
  status?(status: RigStatus, header: Header): void;
  /** A message that failed to decode or verify (`code` a DecodeError or AuthError). */
  rejected?(code: number, header: Header): void;
}

/** Microseconds on this endpoint's monotonic clock. */
export function monotonicMicros(): number {
  return Math.round(performance.now() * 1000);
}

/** Largest body an encoder may write: the trailer still has to fit in a message. */
export const maxUnsealedSize = maxMessageSize - trailerSize;

/**
 * One side of a link: numbers outgoing messages (one sequence counter per type, from 1), encodes them
 * into a single preallocated buffer, seals them (LinkAuth), and verifies and decodes incoming ones
 * into reused samples.
 */
export class Endpoint {
  readonly state: StateSample = createStateSample();
  readonly command: CommandSample = createCommandSample();
  /** Messages with a valid CRC that did not decode (bad version, type, flags, layout or values). */
  decodeErrors = 0;
  /** The version byte of the last message refused for speaking another protocol version (-1: none). */
  foreignVersion = -1;
  private readonly out = new Uint8Array(maxMessageSize);
  private readonly outView = new DataView(this.out.buffer);
  private readonly sequences = new Uint32Array(messageTypeCount);
  private readonly header: Header = { type: 0, seq: 0, timeUs: 0, auth: 0, session: 0 };
  private lastInput: Uint8Array | undefined;
  private inputView: DataView | undefined;

  constructor(
    readonly transport: Transport,
    readonly auth: LinkAuth,
    private readonly handlers: MessageHandlers,
    private readonly clock: () => number = monotonicMicros,
  ) {
    transport.onMessage((bytes, length) => this.dispatch(bytes, length));
  }

  /** Sends `sample` as a state message, stamping its sequence number and (by default) the time now. */
  sendState(sample: StateSample, timeUs = this.clock()): boolean {
    sample.seq = this.next(MessageType.state);
    sample.timeUs = timeUs;
    return this.emit(MessageType.state, encodeState(this.outView, sample), 'auto');
  }

  sendCommand(sample: CommandSample): boolean {
    sample.seq = this.next(MessageType.command);
    sample.timeUs = this.clock();
    return this.emit(MessageType.command, encodeCommand(this.outView, sample), 'auto');
  }

  sendHeartbeat(heartbeat: Heartbeat): boolean {
    const length = encodeHeartbeat(this.outView, this.next(MessageType.heartbeat), this.clock(), heartbeat);
    return this.emit(MessageType.heartbeat, length, 'auto');
  }

  /** A hello is sealed with the session when there is one (a fresh answer), else with the device key. */
  sendHello(hello: Hello, mode: SealMode = 'device'): boolean {
    const length = encodeHello(this.out, this.next(MessageType.hello), this.clock(), hello);
    return this.emit(MessageType.hello, length, mode);
  }

  sendEstop(estop: Estop): boolean {
    const length = encodeEstop(this.out, this.next(MessageType.estop), this.clock(), estop);
    return this.emit(MessageType.estop, length, 'auto');
  }

  sendFault(fault: Fault): boolean {
    const length = encodeFault(this.out, this.next(MessageType.fault), this.clock(), fault);
    return this.emit(MessageType.fault, length, 'auto');
  }

  sendAck(ack: Ack, mode: SealMode = 'auto'): boolean {
    const length = encodeAck(this.out, this.next(MessageType.ack), this.clock(), ack);
    return this.emit(MessageType.ack, length, mode);
  }

  sendNotice(notice: Notice): boolean {
    const length = encodeNotice(this.out, this.next(MessageType.notice), this.clock(), notice);
    return this.emit(MessageType.notice, length, 'auto');
  }

  /** The answer to a status request: sealed with the asker's key (its session, or the device key). */
  sendStatus(status: RigStatus, mode: SealMode): boolean {
    const length = encodeStatus(this.out, this.next(MessageType.status), this.clock(), status);
    return this.emit(MessageType.status, length, mode);
  }

  /** Returns the request's sequence number, which its ack echoes. */
  sendRequest(request: Request, beforeSending?: (seq: number) => void, mode: SealMode = 'auto'): number {
    const seq = this.next(MessageType.request);
    // The answer may arrive within `send` on a synchronous transport: let the caller listen first.
    beforeSending?.(seq);
    this.emit(MessageType.request, encodeRequest(this.out, seq, this.clock(), request), mode);
    return seq;
  }

  /** Sends a session open; sealed with the current session if there is one (re-keying), else the device key. */
  sendSession(open: SessionOpen, beforeSending?: (seq: number) => void): number {
    const seq = this.next(MessageType.session);
    beforeSending?.(seq);
    const mode: SealMode = this.auth.session === undefined ? 'device' : 'auto';
    this.emit(MessageType.session, encodeSession(this.out, seq, this.clock(), open), mode);
    return seq;
  }

  /** Sends raw message bytes as they are (tools and tests that play an attacker or a faulty peer). */
  sendRaw(type: number, message: Uint8Array, length: number): boolean {
    return this.transport.send(type, message, length);
  }

  private emit(type: number, length: number, mode: SealMode): boolean {
    if (length > maxUnsealedSize)
      throw new RangeError(`message of ${length} bytes leaves no room for its trailer`);
    return this.transport.send(type, this.out, this.auth.seal(this.out, length, mode));
  }

  /** Fault injection (the emulated rig): the next `type` message's sequence number jumps by `by`. */
  skipSequence(type: number, by: number): void {
    this.sequences[type] = (this.sequences[type]! + by) >>> 0;
  }

  private next(type: number): number {
    const seq = (this.sequences[type]! + 1) >>> 0 || 1;
    this.sequences[type] = seq;
    return seq;
  }

  /** Verifies and decodes one message; returns its type or a negative DecodeError / AuthError (also counted). */
  dispatch(bytes: Uint8Array, length: number): number {
    if (bytes !== this.lastInput) {
      this.lastInput = bytes;
      this.inputView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const view = this.inputView!;
    const h = this.handlers;
    const header = this.header;
    header.auth = 0;
    header.session = 0;
    let type = decodeHeader(view, length, header);
    let payload = type > 0 ? this.auth.verify(bytes, length, header) : type;
    if (payload <= AuthError.forged && type === MessageType.estop && length >= headerSize + trailerSize) {
      // Anyone may stop: an e-stop whose seal does not verify (an old session, a forged or replayed
      // tag) is still an e-stop, delivered as unauthenticated (docs/security.md).
      h.rejected?.(payload, header);
      payload = length - trailerSize;
      header.auth = AuthMode.none;
    }
    if (payload < 0) type = payload;
    else payload = Math.min(payload, length);
    if (type === MessageType.state) {
      type = decodeState(view, payload, this.state);
      if (type > 0) h.state?.(this.state, header);
    } else if (type === MessageType.command) {
      type = decodeCommand(view, payload, this.command);
      if (type > 0) h.command?.(this.command, header);
    } else if (type > 0) {
      type = this.dispatchRare(type, bytes, view, payload);
    }
    if (type < 0) {
      // Authentication failures are counted by LinkAuth; these are malformed messages.
      if (type > AuthError.forged) this.decodeErrors++;
      if (type === DecodeError.badVersion) this.foreignVersion = bytes[0]!;
      h.rejected?.(type, header);
    }
    return type;
  }

  private dispatchRare(type: number, bytes: Uint8Array, view: DataView, length: number): number {
    const h = this.handlers;
    const header = { ...this.header };
    const decoded = decodeRare(type, bytes, view, length);
    if (typeof decoded === 'number') return decoded;
    if (type === MessageType.hello) h.hello?.(decoded as Hello, header);
    else if (type === MessageType.heartbeat) h.heartbeat?.(decoded as Heartbeat, header);
    else if (type === MessageType.estop) h.estop?.(decoded as Estop, header);
    else if (type === MessageType.fault) h.fault?.(decoded as Fault, header);
    else if (type === MessageType.ack) h.ack?.(decoded as Ack, header);
    else if (type === MessageType.request) h.request?.(decoded as Request, header);
    else if (type === MessageType.session) h.session?.(decoded as SessionOpen, header);
    else if (type === MessageType.notice) h.notice?.(decoded as Notice, header);
    else if (type === MessageType.status) h.status?.(decoded as RigStatus, header);
    return type;
  }
}

function decodeRare(type: number, bytes: Uint8Array, view: DataView, length: number): object | number {
  switch (type) {
    case MessageType.hello:
      return decodeHello(bytes, length);
    case MessageType.heartbeat:
      return decodeHeartbeat(view, length);
    case MessageType.estop:
      return decodeEstop(bytes, length);
    case MessageType.fault:
      return decodeFault(bytes, length);
    case MessageType.ack:
      return decodeAck(bytes, length);
    case MessageType.request:
      return decodeRequest(bytes, length);
    case MessageType.session:
      return decodeSession(bytes, length);
    case MessageType.notice:
      return decodeNotice(bytes, length);
    case MessageType.status:
      return decodeStatus(bytes, length);
    case MessageType.operatorHello:
      return decodeOperatorHello(bytes, length);
    case MessageType.operator:
      return decodeOperatorCommand(bytes, length);
    case MessageType.operatorReply:
      return decodeOperatorReply(bytes, length);
    default:
      return -3;
  }
}
