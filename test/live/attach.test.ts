import wsProtocol, { type MessageData } from '@foxglove/ws-protocol';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { trivialRealtimeLoop } from '../../bench/trivial-loop.ts';
import { DoubleIntegratorRobot } from '../../sim/toy/double-integrator.ts';
import { newToken } from '../../src/live/auth.ts';
import { LiveServer } from '../../src/live/server.ts';
import { until } from './live-run.ts';

const { FoxgloveClient } = wsProtocol;
const decoder = new TextDecoder();

describe('one live server across several loops (a command that runs loops one after another)', () => {
  it('streams each attached loop, re-advertises its channels, and reports a new policy version', async () => {
    const server = await LiveServer.start({
      host: '127.0.0.1',
      port: 0,
      token: newToken(),
      allowOrigins: [],
      tickHz: 100,
      publishHz: 25,
    });
    const client = new FoxgloveClient({
      ws: new WebSocket(server.url.replace('http', 'ws'), [FoxgloveClient.SUPPORTED_SUBPROTOCOL]) as never,
    });
    const topics = new Map<number, string>();
    const observations: { tick: number }[] = [];
    const statuses: { run: string; policy: Record<string, { sha256: string }> }[] = [];
    let advertised = 0;
    let unadvertised = 0;
    client.on('advertise', (channels) => {
      for (const c of channels) {
        advertised++;
        topics.set(client.subscribe(c.id), c.topic);
      }
    });
    client.on('unadvertise', (ids) => {
      unadvertised += ids.length;
    });
    client.on('message', (event: MessageData) => {
      const body = JSON.parse(decoder.decode(event.data));
      const topic = topics.get(event.subscriptionId);
      if (topic === '/tether/observation') observations.push(body);
      if (topic === '/tether/status') statuses.push(body);
    });
    try {
      for (const [index, sha256] of ['a'.repeat(64), 'b'.repeat(64)].entries()) {
        const robot = new DoubleIntegratorRobot(1 / 100);
        const loop = await trivialRealtimeLoop(robot, 100, [server.sink]);
        const name = `episode-${index}`;
        server.attach({ loop, robot, info: { name, rateHz: 100, policies: {} } });
        server.update({ policies: { actor: { model: 'actor.onnx', sha256, version: `v${index}` } } });
        // Subscribed to the new channels before the loop starts, so tick 0 is seen.
        await until(() => advertised >= 2 + 6 * (index + 1), 5000, `the channels of ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const before = observations.length;
        await loop.run(40);
        await until(() => observations.length >= before + 20, 5000, `ticks of ${name}`);
        await until(
          () => statuses.some((s) => s.run === name && s.policy['actor']?.sha256 === sha256),
          5000,
          `the status of ${name}`,
        );
        server.detach();
        await robot.deactivate();
        await robot.shutdown();
      }
      // Both loops' ticks arrived, each from tick 0; each loop had its own six tick channels.
      expect(observations.filter((o) => o.tick === 0).length).toBe(2);
      await until(() => unadvertised >= 6, 5000, 'the first loop channels to go');
      expect(advertised).toBe(2 + 6 + 6);
      expect((await server.status())['live']).toMatchObject({ dropped_ticks: 0 });
    } finally {
      client.close();
      await server.close();
    }
  });
});
