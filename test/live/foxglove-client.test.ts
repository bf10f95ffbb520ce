import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wsProtocol, { type Channel, type MessageData, type Service } from '@foxglove/ws-protocol';
import { McapIndexedReader } from '@mcap/core';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { readLog } from '../../src/logging/reader.ts';
import { type LiveRun, startLiveRun, until } from './live-run.ts';

const { FoxgloveClient } = wsProtocol;
const config = join(import.meta.dirname, '../../configs/cartpole.yaml');
const decoder = new TextDecoder();

/** Schema of every channel in an MCAP file, by topic, from its summary (no chunk is decompressed). */
async function logSchemas(path: string): Promise<Map<string, { name: string; data: string }>> {
  const bytes = readFileSync(path);
  const reader = await McapIndexedReader.Initialize({
    readable: {
      size: async () => BigInt(bytes.byteLength),
      read: async (offset, length) => bytes.subarray(Number(offset), Number(offset + length)),
    },
  });
  const byTopic = new Map<string, { name: string; data: string }>();
  for (const channel of reader.channelsById.values()) {
    const schema = reader.schemasById.get(channel.schemaId)!;
    byTopic.set(channel.topic, { name: schema.name, data: decoder.decode(schema.data) });
  }
  return byTopic;
}

/** A WebSocket upgrade with these headers: resolves with the HTTP status (101 when accepted). */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, [FoxgloveClient.SUPPORTED_SUBPROTOCOL], { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

describe('live view: the Foxglove WebSocket protocol, with its own client, during tether run', () => {
  let run: LiveRun | undefined;
  afterAll(() => {
    run?.child.kill('SIGKILL');
  });

  it('streams the log channels, status and events; takes an e-stop only with the token', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'tether-live-')), 'run.mcap');
    run = await startLiveRun(['run', config, '--duration', '60', '--log', log]);
    const wsUrl = run.url.replace('http', 'ws');

    const client = new FoxgloveClient({
      ws: new WebSocket(wsUrl, [FoxgloveClient.SUPPORTED_SUBPROTOCOL]) as never,
    });
    const channels = new Map<number, Channel>();
    const topicOf = new Map<number, string>();
    const received = new Map<string, unknown[]>();
    const services: Service[] = [];
    const replies: { ok?: boolean; message: string; failed: boolean }[] = [];
    let capabilities: string[] = [];
    client.on('serverInfo', (info) => {
      capabilities = info.capabilities;
    });
    client.on('advertise', (advertised) => {
      for (const channel of advertised) {
        channels.set(channel.id, channel);
        topicOf.set(client.subscribe(channel.id), channel.topic);
      }
    });
    client.on('advertiseServices', (advertised) => services.push(...advertised));
    client.on('message', (event: MessageData) => {
      const topic = topicOf.get(event.subscriptionId)!;
      const list = received.get(topic) ?? [];
      list.push(JSON.parse(decoder.decode(event.data)));
      received.set(topic, list);
    });
    client.on('serviceCallResponse', (event) => {
      const body = JSON.parse(decoder.decode(event.data)) as { ok: boolean; message: string };
      replies.push({ ...body, failed: false });
    });
    client.on('serviceCallFailure', (event) => replies.push({ message: event.message, failed: true }));

    const count = (topic: string) => received.get(topic)?.length ?? 0;
    await until(() => count('/tether/observation') >= 25 && count('/tether/status') >= 1, 30_000, 'ticks');
    expect(capabilities).toContain('services');

    // The tick channels: the log's topics, with the log's JSON shape.
    const observations = received.get('/tether/observation') as { tick: number; cart: { pos: number } }[];
    expect(typeof observations[0]!.cart.pos).toBe('number');
    const ticks = observations.map((o) => o.tick);
    expect(ticks).toEqual([...ticks].sort((a, b) => a - b));
    expect(ticks.at(-1)! - ticks[0]!).toBeGreaterThanOrEqual(20);
    for (const topic of ['/tether/command', '/tether/timing', '/tether/mode', '/tether/safety'])
      expect(count(topic)).toBeGreaterThan(0);
    // The run started before this client subscribed: the recent events are replayed to it.
    await until(
      () =>
        (received.get('/tether/events') ?? []).some((e) =>
          /running under lqr/.test((e as { message: string }).message),
        ),
      5000,
      'the replayed start event',
    );
    const timing = received.get('/tether/timing')!.at(-1) as Record<string, number>;
    expect(timing['compute_time']).toBeGreaterThan(0);
    const status = received.get('/tether/status')!.at(-1) as Record<string, unknown>;
    expect(status).toMatchObject({
      run: 'cartpole-lqr',
      controller: 'lqr',
      latched: false,
      robot_state: 'running',
      rate_hz: 50,
      operator: true,
      certificate: { guard: 'none' },
    });

    // Only the page's own origin (and clients without one) may connect; a rebound Host is refused.
    expect(await upgradeStatus(wsUrl, { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(wsUrl, { Host: `evil.example:${run.port}` })).toBe(403);
    expect(await upgradeStatus(wsUrl, { Origin: `http://127.0.0.1:${run.port}` })).toBe(101);
    // No token, no command: over HTTP ...
    const noToken = await fetch(`${run.url}api/operator`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ command: 'estop' }),
    });
    expect(noToken.status).toBe(401);

    // ... and over the protocol's service call.
    const operator = services.find((s) => s.name === '/tether/operator');
    expect(operator).toBeDefined();
    const call = (callId: number, body: unknown) =>
      client.sendServiceCallRequest({
        serviceId: operator!.id,
        callId,
        encoding: 'json',
        data: new TextEncoder().encode(JSON.stringify(body)),
      });
    call(1, { command: 'estop' });
    call(2, { command: 'estop', token: 'not-the-token' });
    await until(() => replies.length >= 2, 5000, 'refusals');
    expect(replies.every((r) => r.failed && /token/.test(r.message))).toBe(true);
    expect(
      count('/tether/status') > 0 && (received.get('/tether/status')!.at(-1) as { latched: boolean }).latched,
    ).toBe(false);

    call(3, { command: 'estop', token: run.token });
    await until(() => replies.length >= 3, 5000, 'the e-stop reply');
    expect(replies[2]).toMatchObject({ ok: true, failed: false, message: 'safe state latched' });
    await until(
      () => (received.get('/tether/status')!.at(-1) as { latched: boolean }).latched,
      5000,
      'the latch in /tether/status',
    );
    await until(
      () =>
        (received.get('/tether/events') ?? []).some((e) =>
          /estop → ok/.test((e as { message: string }).message),
        ),
      5000,
      'the operator event on /tether/events',
    );
    const latchedStatus = received.get('/tether/status')!.at(-1) as { latch_reason: string };
    expect(latchedStatus.latch_reason).toMatch(/from foxglove/);
    client.close();

    run.child.kill('SIGINT');
    const { code, stdout } = await run.exit;
    expect(stdout).toMatch(/safety: LATCHED/);
    expect(code).toBe(2);

    // The log says who pressed it, and its channels have the very schemas the live stream advertised.
    const read = await readLog(log);
    expect(read.events.some((e) => e.source === 'operator:foxglove' && /estop → ok/.test(e.message))).toBe(
      true,
    );
    const schemas = await logSchemas(log);
    for (const channel of channels.values()) {
      if (channel.topic === '/tether/status') continue; // live only
      expect(schemas.get(channel.topic), channel.topic).toEqual({
        name: channel.schemaName,
        data: channel.schema,
      });
    }
  });
});
