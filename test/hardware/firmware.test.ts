import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, maxFrameSize } from '../../hardware/protocol/framing.ts';
import {
  createCommandSample,
  createStateSample,
  decodeAck,
  decodeFault,
  decodeHeader,
  decodeHeartbeat,
  decodeHello,
  decodeState,
  encodeCommand,
  encodeEstop,
  encodeHello,
  encodeRequest,
  type Hello,
  MessageType,
  maxMessageSize,
} from '../../hardware/protocol/messages.ts';
import { findBinary, temporaryDirectory } from '../../hardware/tools/processes.ts';

const firmware = join(import.meta.dirname, '../../hardware/firmware');
const work = temporaryDirectory('tether-firmware');
afterAll(() => work.remove());

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Decodes one wire frame (hex) with the runtime's frame decoder; returns the message bytes. */
function unframe(frameHex: string): Uint8Array {
  let message: Uint8Array | undefined;
  const decoder = new FrameDecoder((m, length) => {
    message = m.slice(0, length);
  });
  decoder.push(Buffer.from(frameHex, 'hex'));
  if (message === undefined) throw new Error(`frame did not decode: ${JSON.stringify(decoder.counters)}`);
  return message;
}

function frameOf(encode: (out: Uint8Array, view: DataView) => number): string {
  const out = new Uint8Array(maxMessageSize + 4);
  const length = encode(out, new DataView(out.buffer));
  const frame = new Uint8Array(maxFrameSize);
  return hex(frame.subarray(0, encodeFrame(out, length, new Uint8Array(maxMessageSize + 4), frame)));
}

describe('C reference implementation (hardware/firmware) against the runtime', () => {
  const cc = findBinary('cc') ?? findBinary('gcc');
  const program = join(work.path, 'example_rig');

  it('compiles cleanly as C99 with warnings as errors', () => {
    expect(cc, 'a C compiler (cc or gcc) is required').toBeDefined();
    const result = spawnSync(cc!, [
      '-std=c99',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-pedantic',
      '-O2',
      '-o',
      program,
      join(firmware, 'example_rig.c'),
      join(firmware, 'tether_protocol.c'),
      '-lm',
    ]);
    expect(result.stderr.toString()).toBe('');
    expect(result.status).toBe(0);
  });

  it('frames and messages agree byte for byte in both directions', () => {
    const command = createCommandSample();
    Object.assign(command, { seq: 9, timeUs: 123, stateSeq: 42, mode: 1, count: 2, hasGains: true });
    command.target.set([0.5, -1.25]);
    command.kp.set([80, 80]);
    command.kd.set([4, 4]);
    const commandFrame = frameOf((_out, view) => encodeCommand(view, command));
    const requestFrame = frameOf((out) => encodeRequest(out, 17, 0, { op: 2 }));
    const estopFrame = frameOf((out) => encodeEstop(out, 3, 0, { source: 1, reason: 'panel' }));
    const corrupt =
      commandFrame.slice(0, 20) + (commandFrame[20] === 'f' ? 'e' : 'f') + commandFrame.slice(21);
    const input = [commandFrame, corrupt, requestFrame, estopFrame].join('\n');
    const result = spawnSync(program, { input });
    expect(result.status).toBe(0);
    const lines = result.stdout.toString().trim().split('\n');
    const frames = Object.fromEntries(lines.slice(0, 5).map((l) => l.split(' ') as [string, string]));

    // Rig -> host: the runtime decodes what the C encoder wrote.
    const helloBytes = unframe(frames['hello']!);
    const hello = decodeHello(helloBytes, helloBytes.length) as Hello;
    expect(hello.name).toBe('cartpole');
    expect(hello.observation.map((s) => s.name)).toEqual([
      'cart.pos',
      'pole.angle',
      'cart.vel',
      'pole.angvel',
    ]);
    expect(hello.observation[1]!.upper).toBe(Math.PI);
    expect(hello.action).toEqual([
      { name: 'cart.force', unit: 'N', lower: -20, upper: 20, safe: 0, maxDeltaPerTick: Infinity },
    ]);
    // ...and the TypeScript encoder writes the same bytes for the same hello.
    const again = new Uint8Array(maxMessageSize);
    const header = { type: 0, seq: 0, timeUs: 0 };
    decodeHeader(new DataView(helloBytes.buffer), helloBytes.length, header);
    expect(hex(again.subarray(0, encodeHello(again, header.seq, header.timeUs, hello)))).toBe(
      hex(helloBytes),
    );

    const stateBytes = unframe(frames['state']!);
    const state = createStateSample();
    expect(decodeState(new DataView(stateBytes.buffer), stateBytes.length, state)).toBe(MessageType.state);
    expect([state.seq, state.timeUs, state.commandSeq, state.flags, state.jointCount]).toEqual([
      42, 5_000_000_000, 41, 4, 2,
    ]);
    expect(Array.from(state.values.subarray(0, state.valueCount))).toEqual([0.25, -0.125, 1.5, -2, 3, 0]);
    const fault = unframe(frames['fault']!);
    expect(decodeFault(fault, fault.length)).toEqual({ code: 1, message: 'no command for 250 ms' });
    const ack = unframe(frames['ack']!);
    expect(decodeAck(ack, ack.length)).toEqual({ ackedType: MessageType.request, status: 0, ackedSeq: 17 });
    const heartbeat = unframe(frames['heartbeat']!);
    expect(decodeHeartbeat(new DataView(heartbeat.buffer), heartbeat.length)).toEqual({
      role: 1,
      lifecycle: 2,
    });

    // Host -> rig: the C decoder reads what the runtime wrote, and drops the corrupted copy.
    expect(lines.slice(5, 8)).toEqual([
      'command seq=9 state_seq=42 mode=1 count=2 gains=1 0.5 -1.25 kp=80 kd=4',
      'request op=2 seq=17',
      'estop source=1',
    ]);
    const counters = /frames=(\d+) crc=(\d+) cobs=(\d+) oversize=(\d+)/.exec(lines[8]!)!.slice(1).map(Number);
    expect(counters[0]).toBe(3);
    expect(counters[1]! + counters[2]!).toBe(1);
  });
});
