// Compiled from hardware/link/endpoint.ts by `npm run build`: edit the source, not this file.

// hardware/link/endpoint.ts
import { AuthMode, trailerSize } from "../protocol/auth.js";
import {
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
  headerSize,
  MessageType,
  maxMessageSize,
  messageTypeCount
} from "../protocol/messages.js";
import { AuthError } from "./session.js";
function monotonicMicros() {
  return Math.round(performance.now() * 1e3);
}
var maxUnsealedSize = maxMessageSize - trailerSize;
var Endpoint = class {
  constructor(transport, auth, handlers, clock = monotonicMicros) {
    this.transport = transport;
    this.auth = auth;
    this.handlers = handlers;
    this.clock = clock;
    transport.onMessage((bytes, length) => this.dispatch(bytes, length));
  }
  transport;
  auth;
  handlers;
  clock;
  state = createStateSample();
  command = createCommandSample();
  /** Messages with a valid CRC that did not decode (bad version, type, flags, layout or values). */
  decodeErrors = 0;
  /** The version byte of the last message refused for speaking another protocol version (-1: none). */
  foreignVersion = -1;
  out = new Uint8Array(maxMessageSize);
  outView = new DataView(this.out.buffer);
  sequences = new Uint32Array(messageTypeCount);
  header = { type: 0, seq: 0, timeUs: 0, auth: 0, session: 0 };
  lastInput;
  inputView;
  /** Sends `sample` as a state message, stamping its sequence number and (by default) the time now. */
  sendState(sample, timeUs = this.clock()) {
    sample.seq = this.next(MessageType.state);
    sample.timeUs = timeUs;
    return this.emit(MessageType.state, encodeState(this.outView, sample), "auto");
  }
  sendCommand(sample) {
    sample.seq = this.next(MessageType.command);
    sample.timeUs = this.clock();
    return this.emit(MessageType.command, encodeCommand(this.outView, sample), "auto");
  }
  sendHeartbeat(heartbeat) {
    const length = encodeHeartbeat(this.outView, this.next(MessageType.heartbeat), this.clock(), heartbeat);
    return this.emit(MessageType.heartbeat, length, "auto");
  }
  /** A hello is sealed with the session when there is one (a fresh answer), else with the device key. */
  sendHello(hello, mode = "device") {
    const length = encodeHello(this.out, this.next(MessageType.hello), this.clock(), hello);
    return this.emit(MessageType.hello, length, mode);
  }
  sendEstop(estop) {
    const length = encodeEstop(this.out, this.next(MessageType.estop), this.clock(), estop);
    return this.emit(MessageType.estop, length, "auto");
  }
  sendFault(fault) {
    const length = encodeFault(this.out, this.next(MessageType.fault), this.clock(), fault);
    return this.emit(MessageType.fault, length, "auto");
  }
  sendAck(ack, mode = "auto") {
    const length = encodeAck(this.out, this.next(MessageType.ack), this.clock(), ack);
    return this.emit(MessageType.ack, length, mode);
  }
  sendNotice(notice) {
    const length = encodeNotice(this.out, this.next(MessageType.notice), this.clock(), notice);
    return this.emit(MessageType.notice, length, "auto");
  }
  /** The answer to a status request: sealed with the asker's key (its session, or the device key). */
  sendStatus(status, mode) {
    const length = encodeStatus(this.out, this.next(MessageType.status), this.clock(), status);
    return this.emit(MessageType.status, length, mode);
  }
  /** Returns the request's sequence number, which its ack echoes. */
  sendRequest(request, beforeSending, mode = "auto") {
    const seq = this.next(MessageType.request);
    beforeSending?.(seq);
    this.emit(MessageType.request, encodeRequest(this.out, seq, this.clock(), request), mode);
    return seq;
  }
  /** Sends a session open; sealed with the current session if there is one (re-keying), else the device key. */
  sendSession(open, beforeSending) {
    const seq = this.next(MessageType.session);
    beforeSending?.(seq);
    const mode = this.auth.session === void 0 ? "device" : "auto";
    this.emit(MessageType.session, encodeSession(this.out, seq, this.clock(), open), mode);
    return seq;
  }
  /** Sends raw message bytes as they are (tools and tests that play an attacker or a faulty peer). */
  sendRaw(type, message, length) {
    return this.transport.send(type, message, length);
  }
  emit(type, length, mode) {
    if (length > maxUnsealedSize)
      throw new RangeError(`message of ${length} bytes leaves no room for its trailer`);
    return this.transport.send(type, this.out, this.auth.seal(this.out, length, mode));
  }
  /** Fault injection (the emulated rig): the next `type` message's sequence number jumps by `by`. */
  skipSequence(type, by) {
    this.sequences[type] = this.sequences[type] + by >>> 0;
  }
  next(type) {
    const seq = this.sequences[type] + 1 >>> 0 || 1;
    this.sequences[type] = seq;
    return seq;
  }
  /** Verifies and decodes one message; returns its type or a negative DecodeError / AuthError (also counted). */
  dispatch(bytes, length) {
    if (bytes !== this.lastInput) {
      this.lastInput = bytes;
      this.inputView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const view = this.inputView;
    const h = this.handlers;
    const header = this.header;
    header.auth = 0;
    header.session = 0;
    let type = decodeHeader(view, length, header);
    let payload = type > 0 ? this.auth.verify(bytes, length, header) : type;
    if (payload <= AuthError.forged && type === MessageType.estop && length >= headerSize + trailerSize) {
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
      if (type > AuthError.forged) this.decodeErrors++;
      if (type === DecodeError.badVersion) this.foreignVersion = bytes[0];
      h.rejected?.(type, header);
    }
    return type;
  }
  dispatchRare(type, bytes, view, length) {
    const h = this.handlers;
    const header = { ...this.header };
    const decoded = decodeRare(type, bytes, view, length);
    if (typeof decoded === "number") return decoded;
    if (type === MessageType.hello) h.hello?.(decoded, header);
    else if (type === MessageType.heartbeat) h.heartbeat?.(decoded, header);
    else if (type === MessageType.estop) h.estop?.(decoded, header);
    else if (type === MessageType.fault) h.fault?.(decoded, header);
    else if (type === MessageType.ack) h.ack?.(decoded, header);
    else if (type === MessageType.request) h.request?.(decoded, header);
    else if (type === MessageType.session) h.session?.(decoded, header);
    else if (type === MessageType.notice) h.notice?.(decoded, header);
    else if (type === MessageType.status) h.status?.(decoded, header);
    return type;
  }
};
function decodeRare(type, bytes, view, length) {
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
export {
  Endpoint,
  maxUnsealedSize,
  monotonicMicros
};
