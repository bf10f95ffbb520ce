// Compiled from src/logging/event-message.ts by `npm run build`: edit the source, not this file.

// src/logging/event-message.ts
import { eventLevel } from "./layout.js";
function eventMessage(event, stampNs) {
  return JSON.stringify({
    timestamp: { sec: Number(stampNs / 1000000000n), nsec: Number(stampNs % 1000000000n) },
    level: eventLevel[event.kind] ?? 2,
    message: event.message,
    name: event.source,
    file: "",
    line: 0,
    time: Number.isFinite(event.time) ? event.time : null,
    kind: event.kind,
    source: event.source,
    data: event.data ?? {}
  });
}
export {
  eventMessage
};
