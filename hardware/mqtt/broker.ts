import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes } from 'aedes';
import { isLoopbackHost } from './transport.ts';

export interface BrokerUser {
  readonly username: string;
  readonly password: string;
}

export interface EmbeddedBrokerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** When non-empty, every client must authenticate as one of these. */
  readonly users: readonly BrokerUser[];
  /** PEM paths; both given = MQTT over TLS. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /**
   * Listening beyond loopback without users lets anyone on the network command the robot; it is
   * refused unless this is set explicitly (docs/security.md).
   */
  readonly allowUnauthenticatedExposure: boolean;
}

export interface EmbeddedBroker {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Checks the exposure rule before anything listens; the message says how to fix it. */
export function checkBrokerExposure(
  options: Pick<EmbeddedBrokerOptions, 'host' | 'users' | 'allowUnauthenticatedExposure'>,
): void {
  if (isLoopbackHost(options.host) || options.users.length > 0 || options.allowUnauthenticatedExposure)
    return;
  throw new Error(
    `refusing to start an unauthenticated MQTT broker on ${options.host}: anyone who can reach it could ` +
      'command the robot. Listen on 127.0.0.1, configure users (username + password), or set ' +
      'allowUnauthenticatedExposure: true to accept the risk (docs/security.md).',
  );
}

/**
 * An in-process MQTT 3.1.1 broker (aedes), so a demo needs no broker install. aedes speaks 3.1.1 only;
 * our transport falls back to it automatically. Production fleets use Mosquitto or another broker.
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  checkBrokerExposure(options);
  const users = new Map(options.users.map((u) => [u.username, u.password]));
  const broker = await Aedes.createBroker({
    authenticate: (_client, username, password, done) => {
      if (users.size === 0) {
        done(null, true);
        return;
      }
      const expected = username === undefined ? undefined : users.get(username);
      if (expected !== undefined && password !== undefined && password.toString() === expected) {
        done(null, true);
        return;
      }
      const error = Object.assign(new Error('bad username or password'), { returnCode: 4 as const });
      done(error, false);
    },
  });
  const tls = options.tls;
  // Without TCP_NODELAY each small publish waits for the previous one's ACK (Nagle).
  const handle = (socket: Socket) => {
    socket.setNoDelay(true);
    broker.handle(socket);
  };
  const server: Server = tls
    ? createTlsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, handle)
    : createNetServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new Error(`embedded MQTT broker cannot listen on ${options.host}:${options.port}: ${error.message}`),
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `${tls ? 'mqtts' : 'mqtt'}://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        broker.close();
        // Open client sockets keep server.close() waiting; aedes.close() ends them.
      }),
  };
}
