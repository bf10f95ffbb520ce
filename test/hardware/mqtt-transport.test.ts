import { afterAll, beforeAll, expect, it } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../hardware/mqtt/broker.ts';
import { MqttTransport, type MqttTransportOptions } from '../../hardware/mqtt/transport.ts';
import { MessageType } from '../../hardware/protocol/messages.ts';
import { until } from './helpers.ts';

let broker: EmbeddedBroker;
beforeAll(async () => {
  broker = await startEmbeddedBroker({
    host: '127.0.0.1',
    port: 0,
    users: [],
    allowUnauthenticatedExposure: false,
  });
});
afterAll(() => broker.close());

function transport(role: MqttTransportOptions['role']): MqttTransport {
  return new MqttTransport({
    url: broker.url,
    robot: 'burst',
    role,
    topicPrefix: 'tether-test',
    keepaliveS: 5,
    reconnectMs: 100,
    connectTimeoutMs: 5000,
  });
}

it('a burst larger than the outgoing ring drops the excess instead of publishing a newer message twice', async () => {
  const sender = transport('rig');
  const receiver = transport('host');
  try {
    await receiver.open();
    await sender.open();
    await until('both ends online', () => sender.connected && receiver.connected, 5_000);
    const received: number[] = [];
    receiver.onMessage((message, length) =>
      received.push(new DataView(message.buffer, message.byteOffset, length).getUint32(4, true)),
    );
    // 600 state messages in one go (QoS 0): the client has flushed none of them when the loop ends.
    const message = new Uint8Array(40);
    message[0] = MessageType.state;
    const view = new DataView(message.buffer);
    let accepted = 0;
    for (let i = 1; i <= 600; i++) {
      view.setUint32(4, i, true);
      if (sender.send(MessageType.state, message, message.length)) accepted++;
    }
    await until('every accepted message', () => received.length >= accepted, 10_000);
    // Every message the broker delivered is the one it was sent as: in order, none twice.
    expect(received).toEqual(Array.from({ length: accepted }, (_, i) => i + 1));
    expect(accepted).toBeGreaterThan(0);
    expect(sender.counters.sendDropped).toBe(600 - accepted);
    // Once flushed, the ring is free again.
    view.setUint32(4, 1000, true);
    await until('a free ring slot', () => sender.send(MessageType.state, message, message.length), 5_000);
    await until('the message sent after the burst', () => received.at(-1) === 1000, 5_000);
  } finally {
    await sender.close();
    await receiver.close();
  }
});
