// Compiled from src/live/endpoint-worker.ts by `npm run build`: edit the source, not this file.

// src/live/endpoint-worker.ts
import { parentPort, workerData } from "node:worker_threads";
import {
  LiveEndpoint
} from "./endpoint.js";
var port = parentPort;
var post = (message) => port.postMessage(message);
var pending = /* @__PURE__ */ new Map();
var nextCommand = 1;
async function main(options) {
  const endpoint = await LiveEndpoint.start(options, {
    execute: (line, source) => new Promise((resolve) => {
      const id = nextCommand++;
      pending.set(id, resolve);
      post({ type: "command", id, line, source });
    }),
    refused: (what) => post({ type: "refused", what }),
    warn: (line) => post({ type: "warn", line })
  });
  port.on("message", (message) => {
    switch (message.type) {
      case "attach":
        endpoint.attach(message.attachment);
        break;
      case "detach":
        endpoint.detach();
        break;
      case "state":
        endpoint.setState(message.state);
        break;
      case "update":
        endpoint.update(message.patch);
        break;
      case "event":
        endpoint.queueEvent(message.event, message.stampNs);
        break;
      case "reply":
        pending.get(message.id)?.(message.reply);
        pending.delete(message.id);
        break;
      case "status":
        post({ type: "status", id: message.id, status: endpoint.status() });
        break;
      case "close":
        void endpoint.close().then(() => {
          post({ type: "closed" });
          port.close();
        });
        break;
    }
  });
  post({ type: "listening", port: endpoint.port });
}
main(workerData).catch((error) => {
  post({ type: "error", message: error instanceof Error ? error.message : String(error) });
});
