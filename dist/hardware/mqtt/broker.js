// Compiled from hardware/mqtt/broker.ts by `npm run build`: edit the source, not this file.

// hardware/mqtt/broker.ts
import { readFileSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { Aedes } from "aedes";
import { isLoopbackHost } from "./transport.js";
function checkBrokerExposure(options) {
  if (isLoopbackHost(options.host) || options.users.length > 0 || options.allowUnauthenticatedExposure)
    return;
  throw new Error(
    `refusing to start an unauthenticated MQTT broker on ${options.host}: anyone who can reach it could command the robot. Listen on 127.0.0.1, configure users (username + password), or set allowUnauthenticatedExposure: true to accept the risk (docs/security.md).`
  );
}
async function startEmbeddedBroker(options) {
  checkBrokerExposure(options);
  const users = new Map(options.users.map((u) => [u.username, u.password]));
  const broker = await Aedes.createBroker({
    authenticate: (_client, username, password, done) => {
      if (users.size === 0) {
        done(null, true);
        return;
      }
      const expected = username === void 0 ? void 0 : users.get(username);
      if (expected !== void 0 && password !== void 0 && password.toString() === expected) {
        done(null, true);
        return;
      }
      const error = Object.assign(new Error("bad username or password"), { returnCode: 4 });
      done(error, false);
    }
  });
  const tls = options.tls;
  const handle = (socket) => {
    socket.setNoDelay(true);
    broker.handle(socket);
  };
  const server = tls ? createTlsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, handle) : createNetServer(handle);
  await new Promise((resolve, reject) => {
    server.once(
      "error",
      (error) => reject(
        new Error(`embedded MQTT broker cannot listen on ${options.host}:${options.port}: ${error.message}`)
      )
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `${tls ? "mqtts" : "mqtt"}://${host}:${port}`,
    port,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      broker.close();
    })
  };
}
export {
  checkBrokerExposure,
  startEmbeddedBroker
};
