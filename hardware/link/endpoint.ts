import {
  type Ack,
  type CommandSample,
  createCommandSample,
  createStateSample,
  decodeAck,
  decodeCommand,
  decodeEstop,
  decodeFault,
  decodeHeader,
  decodeHeartbeat,
  decodeHello,
  decodeRequest,
  decodeState,
  type Estop,
  encodeAck,
  encodeCommand,
  encodeEstop,
  encodeFault,
  encodeHeartbeat,
  encodeHello,
  encodeRequest,
  encodeState,
  type Fault,
  type Header,
  type Heartbeat,
  type Hello,
  MessageType,
  maxMessageSize,
  messageTypeCount,
  type Request,
  type StateSample,
} from '../protocol/messages.ts';
import type { Transport } from './transport.ts';

/** What an endpoint does with each decoded message. Hot ones receive reused samples: copy to keep. */
export interface MessageHandlers {
  state?(sample: StateSample): void;
  command?(sample: CommandSample): void;
  hello?(hello: Hello, header: Header): void;
  heartbeat?(heartbeat: Heartbeat, header: Header): void;
  estop?(estop: Estop, header: Header): void;
  fault?(fault: Fault, header: Header): void;
  ack?(ack: Ack, header: Header): void;
  request?(request: Request, header: Header): void;
}

/** Microseconds on this endpoint's monotonic clock. */
export function monotonicMicros(): number {
  return Math.round(performance.now() * 1000);
}

/**
 * One side of a link: numbers outgoing messages (one sequence counter per type, from 1), encodes them
 * into a single preallocated buffer, and decodes incoming ones into reused samples.
 */
export class Endpoint {
  readonly state: StateSample = createStateSample();
  readonly command: CommandSample = createCommandSample();
  /** Messages with a valid CRC that did not decode (bad version, type, layout or values). */
  decodeErrors = 0;
  private readonly out = new Uint8Array(maxMessageSize);
  private readonly outView = new DataView(this.out.buffer);
  private readonly sequences = new Uint32Array(messageTypeCount);
  private readonly header: Header = { type: 0, seq: 0, timeUs: 0 };
  private lastInput: Uint8Array | undefined;
  private inputView: DataView | undefined;

  constructor(
    readonly transport: Transport,
    private readonly handlers: MessageHandlers,
    private readonly clock: () => number = monotonicMicros,
  ) {
    transport.onMessage((bytes, length) => this.dispatch(bytes, length));
  }

  /** Sends `sample` as a state message, stamping its sequence number and (by default) the time now. */
  sendState(sample: StateSample, timeUs = this.clock()): boolean {
    sample.seq = this.next(MessageType.state);
    sample.timeUs = timeUs;
    return this.transport.send(MessageType.state, this.out, encodeState(this.outView, sample));
  }

  sendCommand(sample: CommandSample): boolean {
    sample.seq = this.next(MessageType.command);
    sample.timeUs = this.clock();
    return this.transport.send(MessageType.command, this.out, encodeCommand(this.outView, sample));
  }

  sendHeartbeat(heartbeat: Heartbeat): boolean {
    const length = encodeHeartbeat(this.outView, this.next(MessageType.heartbeat), this.clock(), heartbeat);
    return this.transport.send(MessageType.heartbeat, this.out, length);
  }

  sendHello(hello: Hello): boolean {
    const length = encodeHello(this.out, this.next(MessageType.hello), this.clock(), hello);
    return this.transport.send(MessageType.hello, this.out, length);
  }

  sendEstop(estop: Estop): boolean {
    const length = encodeEstop(this.out, this.next(MessageType.estop), this.clock(), estop);
    return this.transport.send(MessageType.estop, this.out, length);
  }

  sendFault(fault: Fault): boolean {
    const length = encodeFault(this.out, this.next(MessageType.fault), this.clock(), fault);
    return this.transport.send(MessageType.fault, this.out, length);
  }

  sendAck(ack: Ack): boolean {
    const length = encodeAck(this.out, this.next(MessageType.ack), this.clock(), ack);
    return this.transport.send(MessageType.ack, this.out, length);
  }

  /** Returns the request's sequence number, which its ack echoes. */
  sendRequest(request: Request, beforeSending?: (seq: number) => void): number {
    const seq = this.next(MessageType.request);
    // The answer may arrive within `send` on a synchronous transport: let the caller listen first.
    beforeSending?.(seq);
    this.transport.send(MessageType.request, this.out, encodeRequest(this.out, seq, this.clock(), request));
    return seq;
  }

  private next(type: number): number {
    const seq = (this.sequences[type]! + 1) >>> 0 || 1;
    this.sequences[type] = seq;
    return seq;
  }

  /** Decodes one message; returns its type or a negative DecodeError (also counted). */
  dispatch(bytes: Uint8Array, length: number): number {
    if (bytes !== this.lastInput) {
      this.lastInput = bytes;
      this.inputView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const view = this.inputView!;
    const h = this.handlers;
    let type = decodeHeader(view, length, this.header);
    if (type === MessageType.state) {
      type = decodeState(view, length, this.state);
      if (type > 0) h.state?.(this.state);
    } else if (type === MessageType.command) {
      type = decodeCommand(view, length, this.command);
      if (type > 0) h.command?.(this.command);
    } else if (type > 0) {
      type = this.dispatchRare(type, bytes, view, length);
    }
    if (type < 0) this.decodeErrors++;
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
    default:
      return -3;
  }
}
