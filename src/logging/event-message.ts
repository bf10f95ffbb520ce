/**
 * The JSON body of one `/tether/events` message: the shape of `foxglove.Log` (so Foxglove's Log
 * panel lists events) plus the ControlEvent fields under their own names. The MCAP writer and
 * the live stream both build their event messages here; the schema is `eventSchema` in layout.ts.
 */
import type { ControlEvent } from '../core/events.ts';
import { eventLevel } from './layout.ts';

/** `stampNs`: the message's time (nanoseconds) for `timestamp`; `time` keeps the loop time. */
export function eventMessage(event: ControlEvent, stampNs: bigint): string {
  return JSON.stringify({
    timestamp: { sec: Number(stampNs / 1_000_000_000n), nsec: Number(stampNs % 1_000_000_000n) },
    level: eventLevel[event.kind] ?? 2,
    message: event.message,
    name: event.source,
    file: '',
    line: 0,
    time: Number.isFinite(event.time) ? event.time : null,
    kind: event.kind,
    source: event.source,
    data: event.data ?? {},
  });
}
