import { MessageType } from '../protocol/messages.ts';

/**
 * Topic layout, one subtree per robot:
 *
 *   <prefix>/<robot>/rig/{hello,state,fault,estop,ack,heartbeat,notice,report}   rig -> host
 *   <prefix>/<robot>/rig/status                                     "online" / "offline" (retained, last will)
 *   <prefix>/<robot>/host/{command,request,heartbeat,estop,session}  host -> rig
 *   <prefix>/<robot>/host/status                                    "online" / "offline" (retained, last will)
 *   <prefix>/<robot>/estop                                          anyone (an operator panel) -> both
 */
export type LinkRole = 'host' | 'rig';

const typeNames: Record<number, string> = {
  [MessageType.hello]: 'hello',
  [MessageType.state]: 'state',
  [MessageType.command]: 'command',
  [MessageType.heartbeat]: 'heartbeat',
  [MessageType.estop]: 'estop',
  [MessageType.fault]: 'fault',
  [MessageType.ack]: 'ack',
  [MessageType.request]: 'request',
  [MessageType.session]: 'session',
  [MessageType.notice]: 'notice',
  // Not `status`: that topic carries the retained online/offline of each side.
  [MessageType.status]: 'report',
};

/**
 * QoS per message type. Streams (state, command, heartbeat) use 0: a late sample is worthless and a
 * retransmission would arrive after the next one. Rare control messages use 1 (at least once); the
 * receiver tolerates duplicates because they are idempotent. Nothing is retained except the status
 * topics: a retained hello would outlive its rig, and the host asks for hello anyway.
 */
export const qosByType: Record<number, 0 | 1> = {
  [MessageType.hello]: 1,
  [MessageType.state]: 0,
  [MessageType.command]: 0,
  [MessageType.heartbeat]: 0,
  [MessageType.estop]: 1,
  [MessageType.fault]: 1,
  [MessageType.ack]: 1,
  [MessageType.request]: 1,
  [MessageType.session]: 1,
  [MessageType.notice]: 1,
  [MessageType.status]: 1,
};

export function robotRoot(prefix: string, robot: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(robot)) {
    throw new RangeError(
      `robot name '${robot}' must use only letters, digits, '_' and '-' (it becomes an MQTT topic level)`,
    );
  }
  return `${prefix}/${robot}`;
}

export function topicFor(root: string, from: LinkRole, type: number): string {
  const name = typeNames[type];
  if (name === undefined) throw new RangeError(`no topic for message type ${type}`);
  return `${root}/${from}/${name}`;
}

export function statusTopic(root: string, of: LinkRole): string {
  return `${root}/${of}/status`;
}

export function sharedEstopTopic(root: string): string {
  return `${root}/estop`;
}

export function peerOf(role: LinkRole): LinkRole {
  return role === 'host' ? 'rig' : 'host';
}
