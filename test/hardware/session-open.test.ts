import { describe, expect, it } from 'vitest';
import { Endpoint } from '../../hardware/link/endpoint.ts';
import { LinkRobot } from '../../hardware/link/link-robot.ts';
import { MemoryTransport } from '../../hardware/link/memory-transport.ts';
import { acceptSession, LinkAuth, randomNonce } from '../../hardware/link/session.ts';
import { AckStatus, MessageType, protocolVersion, RequestOp } from '../../hardware/protocol/messages.ts';
import { cartpoleHello } from './protocol-fixtures.ts';

/**
 * The runtime's side of opening a session, against a scripted rig in the same process: every answer
 * the rig gives is preceded by a forger's, deterministically (the memory transport delivers
 * synchronously, and the rig's own answer comes 5 ms later, so the forger always wins the race). authority.test.ts runs the same attack against
 * the emulated rig over a pty, where the forger wins only some races.
 */
const deviceKey = new Uint8Array(32).fill(7);

/** Answers hellos and session opens as the emulated rig does; `before` runs first on every open. */
function scriptedRig(
  transport: MemoryTransport,
  before: (seq: number, endpoint: Endpoint, renewNonce: () => void) => void,
) {
  const auth = new LinkAuth(deviceKey, 'rig');
  let rigNonce = randomNonce();
  const sessions: number[] = [];
  const endpoint: Endpoint = new Endpoint(transport, auth, {
    request: (request) => {
      if (request.op !== RequestOp.hello) return;
      endpoint.sendHello(
        { ...cartpoleHello, session: { rigNonce, ownerSession: auth.sessionId, leaseMs: 1000 } },
        'device',
      );
    },
    session: (open, header) => {
      before(header.seq, endpoint, () => {
        rigNonce = randomNonce();
      });
      const decision = acceptSession(auth, open, header, rigNonce, false);
      const ack = { ackedType: MessageType.session, status: decision.status, ackedSeq: header.seq };
      if (decision.keys === undefined) {
        endpoint.sendAck(ack, 'device');
        return;
      }
      rigNonce = randomNonce();
      auth.adopt(decision.keys);
      sessions.push(decision.keys.id);
      // A real rig answers a little later than a forger who is closer to the host.
      setTimeout(() => endpoint.sendAck(ack, 'auto'), 5);
    },
  });
  return { sessions };
}

function robotOn(transport: MemoryTransport, helloTimeoutMs = 3000): LinkRobot {
  return new LinkRobot(transport, 'serial', {
    helloTimeoutMs,
    requestTimeoutMs: 500,
    heartbeatMs: 50,
    deviceKey,
  });
}

describe('opening a session', () => {
  it('a bare "stale" answer to an open sealed with the device key is a forgery: counted, not believed', async () => {
    const [host, rigSide] = MemoryTransport.pair();
    await rigSide.open();
    const rig = scriptedRig(rigSide, (ackedSeq, endpoint) =>
      endpoint.sendAck({ ackedType: MessageType.session, status: AckStatus.stale, ackedSeq }, 'none'),
    );
    const robot = robotOn(host);
    try {
      await robot.configure();
      expect(robot.sessionId).toBe(rig.sessions[0]);
      expect(rig.sessions).toHaveLength(1);
      expect(robot.statistics.unauthenticated).toBeGreaterThan(0);
    } finally {
      await robot.shutdown();
    }
  });

  it('a genuine "stale" (sealed with the device key) makes the runtime fetch a fresh nonce and open again', async () => {
    const [host, rigSide] = MemoryTransport.pair();
    await rigSide.open();
    // Another party's open renewed the rig's nonce after the runtime read it: its first open is stale.
    let opens = 0;
    const rig = scriptedRig(rigSide, (_seq, _endpoint, renewNonce) => {
      if (opens++ === 0) renewNonce();
    });
    const robot = robotOn(host);
    try {
      await robot.configure();
      expect(opens).toBe(2);
      expect(rig.sessions).toHaveLength(1);
      expect(robot.sessionId).toBe(rig.sessions[0]);
    } finally {
      await robot.shutdown();
    }
  });

  it('a rig that speaks another wire protocol version is named as such, not as a missing rig', async () => {
    const [host, rigSide] = MemoryTransport.pair();
    await rigSide.open();
    // Every frame the rig sends carries version 2 in its first byte, as a rig of the last version does.
    const send = rigSide.send.bind(rigSide);
    rigSide.send = (type, message, length) => {
      message[0] = 2;
      return send(type, message, length);
    };
    scriptedRig(rigSide, () => undefined);
    const robot = robotOn(host, 600);
    await expect(robot.configure()).rejects.toThrow(
      new RegExp(
        `a rig on memory a speaks wire protocol version 2; this runtime speaks version ${protocolVersion}`,
      ),
    );
    await robot.shutdown();
  });
});
