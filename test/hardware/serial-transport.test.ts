import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SerialTransport } from '../../hardware/link/serial-transport.ts';
import { startPtyPair } from '../../hardware/link/socat.ts';
import { temporaryDirectory } from '../../hardware/tools/processes.ts';
import { until } from './helpers.ts';

const work = temporaryDirectory('tether-serial-transport-test');
afterAll(() => work.remove());

it('a burst larger than the outgoing ring drops the excess instead of sending a newer frame twice', async () => {
  const pair = await startPtyPair(join(work.path, 'link'));
  const sender = new SerialTransport({ path: pair.rigPath, baudRate: 1_000_000, reconnectMs: 100 });
  const receiver = new SerialTransport({ path: pair.hostPath, baudRate: 1_000_000, reconnectMs: 100 });
  try {
    await sender.open();
    await receiver.open();
    const received: number[] = [];
    receiver.onMessage((message, length) =>
      received.push(new DataView(message.buffer, message.byteOffset, length).getUint32(0, true)),
    );
    // 400 messages in one go: the port has written none of them when the loop ends.
    const message = new Uint8Array(40);
    const view = new DataView(message.buffer);
    let accepted = 0;
    for (let i = 1; i <= 400; i++) {
      view.setUint32(0, i, true);
      if (sender.send(1, message, message.length)) accepted++;
    }
    await until('every accepted frame', () => received.length >= accepted);
    // Every frame on the wire is the message it was sent as: in order, none twice.
    expect(received).toEqual(Array.from({ length: accepted }, (_, i) => i + 1));
    expect(accepted).toBeGreaterThan(0);
    expect(sender.counters.sendDropped).toBe(400 - accepted);
    // Once written, the ring is free again.
    view.setUint32(0, 1000, true);
    await until('a free ring slot', () => sender.send(1, message, message.length), 5_000);
    await until('the frame sent after the burst', () => received.at(-1) === 1000, 5_000);
  } finally {
    await sender.close();
    await receiver.close();
    await pair.close();
  }
});
