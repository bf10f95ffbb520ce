import wsProtocol from '@foxglove/ws-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { checkRequest, isLoopback, newToken, tokenMatches } from '../../src/live/auth.ts';
import { LiveServer } from '../../src/live/server.ts';

const { FoxgloveClient } = wsProtocol;
const rules = { host: '127.0.0.1', port: 8765, allowOrigins: ['https://app.foxglove.dev'] };

describe('live view access rules', () => {
  it('tokens: fresh, 128 bits, compared exactly', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newToken()).not.toBe(a);
    expect(tokenMatches(a, a)).toBe(true);
    expect(tokenMatches(a, `${a}x`)).toBe(false);
    expect(tokenMatches(a, undefined)).toBe(false);
    expect(tokenMatches('', '')).toBe(false);
  });

  it('loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost'])
      expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.com']) expect(isLoopback(host)).toBe(false);
  });

  it('Host must name this server; Origin must be its own page or an allowed one', () => {
    expect(checkRequest(rules, { host: '127.0.0.1:8765' })).toBeUndefined();
    expect(checkRequest(rules, { host: 'localhost:8765', origin: 'http://localhost:8765' })).toBeUndefined();
    expect(
      checkRequest(rules, { host: '127.0.0.1:8765', origin: 'https://app.foxglove.dev' }),
    ).toBeUndefined();
    expect(checkRequest(rules, { host: '127.0.0.1:8765', origin: 'http://evil.example' })).toMatch(
      /cross-origin/,
    );
    expect(checkRequest(rules, { host: '127.0.0.1:8765', origin: 'null' })).toMatch(/cross-origin/);
    // DNS rebinding: the browser thinks it talks to evil.example, and says so in Host.
    expect(checkRequest(rules, { host: 'evil.example:8765', origin: 'http://evil.example:8765' })).toMatch(
      /does not name/,
    );
    expect(checkRequest(rules, { host: '127.0.0.1:9999' })).toMatch(/does not name/);
    expect(checkRequest(rules, {})).toMatch(/does not name/);
  });
});

describe('live server without a run', () => {
  let server: LiveServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const upgrade = (url: string): Promise<number> =>
    new Promise((resolve) => {
      const ws = new WebSocket(url, [FoxgloveClient.SUPPORTED_SUBPROTOCOL]);
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

  it('serves the page with a strict policy and refuses commands without a token or a run', async () => {
    const token = newToken();
    server = await LiveServer.start({
      host: '127.0.0.1',
      port: 0,
      token,
      allowOrigins: [],
      tickHz: 50,
      publishHz: 25,
    });
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('E-STOP');
    expect((await fetch(`${server.url}live.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${server.url}../package.json`)).status).toBe(404);

    const post = (headers: Record<string, string>) =>
      fetch(`${server!.url}api/operator`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify({ command: 'estop' }),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post({ Authorization: `Bearer ${token}`, Origin: 'http://evil.example' })).status).toBe(
      403,
    );
    const noRun = await post({ Authorization: `Bearer ${token}` });
    expect(noRun.status).toBe(409);
    expect(await noRun.json()).toEqual({ ok: false, message: 'no run with an operator console is attached' });
    expect(await server.status()).toMatchObject({ robot_state: 'not running', latched: false });
    // Loopback: streaming is open.
    expect(await upgrade(server.url.replace('http', 'ws'))).toBe(101);
  });

  it('bound beyond loopback, streaming needs the token too', async () => {
    const token = newToken();
    server = await LiveServer.start({
      host: '0.0.0.0',
      port: 0,
      token,
      allowOrigins: [],
      tickHz: 50,
      publishHz: 25,
    });
    expect(server.streamNeedsToken).toBe(true);
    expect(server.wsUrl).toContain(`?token=${token}`);
    const base = `ws://127.0.0.1:${server.port}/`;
    expect(await upgrade(base)).toBe(403);
    expect(await upgrade(`${base}?token=wrong`)).toBe(403);
    expect(await upgrade(`${base}?token=${token}`)).toBe(101);
  });

  it('a taken port is reported plainly', async () => {
    server = await LiveServer.start({
      host: '127.0.0.1',
      port: 0,
      token: newToken(),
      allowOrigins: [],
      tickHz: 50,
      publishHz: 25,
    });
    await expect(
      LiveServer.start({
        host: '127.0.0.1',
        port: server.port,
        token: newToken(),
        allowOrigins: [],
        tickHz: 50,
        publishHz: 25,
      }),
    ).rejects.toThrow(/is in use/);
  });
});
