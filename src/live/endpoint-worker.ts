/**
 * The live view's worker thread: runs the LiveEndpoint (HTTP, WebSocket, encoding, sockets) so
 * none of it runs on the loop's thread. Protocol with LiveServer (server.ts): workerData =
 * EndpointOptions; the worker answers `listening` or `error`; see the message types below.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ControlEvent } from '../core/events.ts';
import type { OperatorReply } from '../loop/operator.ts';
import {
  type EndpointAttachment,
  type EndpointOptions,
  LiveEndpoint,
  type LiveRunInfo,
  type LoopState,
} from './endpoint.ts';

/** From LiveServer to the worker. */
export type ToEndpoint =
  | { readonly type: 'attach'; readonly attachment: EndpointAttachment }
  | { readonly type: 'detach' }
  | { readonly type: 'state'; readonly state: LoopState }
  | { readonly type: 'update'; readonly patch: Partial<LiveRunInfo> }
  | { readonly type: 'event'; readonly event: ControlEvent; readonly stampNs: bigint }
  | { readonly type: 'reply'; readonly id: number; readonly reply: OperatorReply }
  | { readonly type: 'status'; readonly id: number }
  | { readonly type: 'close' };

/** From the worker to LiveServer. */
export type FromEndpoint =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'command'; readonly id: number; readonly line: string; readonly source: string }
  | { readonly type: 'refused'; readonly what: string }
  | { readonly type: 'warn'; readonly line: string }
  | { readonly type: 'status'; readonly id: number; readonly status: Record<string, unknown> }
  | { readonly type: 'closed' };

const port = parentPort!;
const post = (message: FromEndpoint): void => port.postMessage(message);
const pending = new Map<number, (reply: OperatorReply) => void>();
let nextCommand = 1;

async function main(options: EndpointOptions): Promise<void> {
  const endpoint = await LiveEndpoint.start(options, {
    execute: (line, source) =>
      new Promise<OperatorReply>((resolve) => {
        const id = nextCommand++;
        pending.set(id, resolve);
        post({ type: 'command', id, line, source });
      }),
    refused: (what) => post({ type: 'refused', what }),
    warn: (line) => post({ type: 'warn', line }),
  });
  port.on('message', (message: ToEndpoint) => {
    switch (message.type) {
      case 'attach':
        endpoint.attach(message.attachment);
        break;
      case 'detach':
        endpoint.detach();
        break;
      case 'state':
        endpoint.setState(message.state);
        break;
      case 'update':
        endpoint.update(message.patch);
        break;
      case 'event':
        endpoint.queueEvent(message.event, message.stampNs);
        break;
      case 'reply':
        pending.get(message.id)?.(message.reply);
        pending.delete(message.id);
        break;
      case 'status':
        post({ type: 'status', id: message.id, status: endpoint.status() });
        break;
      case 'close':
        void endpoint.close().then(() => {
          post({ type: 'closed' });
          port.close();
        });
        break;
    }
  });
  post({ type: 'listening', port: endpoint.port });
}

main(workerData as EndpointOptions).catch((error: unknown) => {
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
});
