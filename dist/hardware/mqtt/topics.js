// Compiled from hardware/mqtt/topics.ts by `npm run build`: edit the source, not this file.

// hardware/mqtt/topics.ts
import { MessageType } from "../protocol/messages.js";
var typeNames = {
  [MessageType.hello]: "hello",
  [MessageType.state]: "state",
  [MessageType.command]: "command",
  [MessageType.heartbeat]: "heartbeat",
  [MessageType.estop]: "estop",
  [MessageType.fault]: "fault",
  [MessageType.ack]: "ack",
  [MessageType.request]: "request",
  [MessageType.session]: "session",
  [MessageType.notice]: "notice",
  // Not `status`: that topic carries the retained online/offline of each side.
  [MessageType.status]: "report"
};
var qosByType = {
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
  [MessageType.status]: 1
};
function robotRoot(prefix, robot) {
  if (!/^[A-Za-z0-9_-]+$/.test(robot)) {
    throw new RangeError(
      `robot name '${robot}' must use only letters, digits, '_' and '-' (it becomes an MQTT topic level)`
    );
  }
  return `${prefix}/${robot}`;
}
function topicFor(root, from, type) {
  const name = typeNames[type];
  if (name === void 0) throw new RangeError(`no topic for message type ${type}`);
  return `${root}/${from}/${name}`;
}
function statusTopic(root, of) {
  return `${root}/${of}/status`;
}
function sharedEstopTopic(root) {
  return `${root}/estop`;
}
function peerOf(role) {
  return role === "host" ? "rig" : "host";
}
export {
  peerOf,
  qosByType,
  robotRoot,
  sharedEstopTopic,
  statusTopic,
  topicFor
};
