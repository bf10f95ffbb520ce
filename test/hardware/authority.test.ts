/**
 * Command authority and link integrity against the real emulated rig (a separate process) over a
 * socat pty and through Mosquitto: outsiders, a second would-be owner, forged and replayed frames,
 * a host latch reaching the rig, strict decoding and the plausibility monitors (docs/security.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkRobot } from '../../hardware/link/link-robot.ts';
import { defaultPlausibility } from '../../hardware/link/plausibility.ts';
import { SerialTransport } from '../../hardware/link/serial-transport.ts';
import { parseDeviceKey } from '../../hardware/protocol/auth.ts';
import { AckStatus, createStateSample, MessageType, RequestOp } from '../../hardware/protocol/messages.ts';
import type { FaultSpec } from '../../hardware/rig/config.ts';
import { RawMqttTransport, RoguePeer, SerialInjector } from '../../hardware/tools/intruder.ts';
import {
  killLeftovers,
  type Mosquitto,
  type RigProcess,
  spawnRig,
  startMosquitto,
  temporaryDirectory,
  testLinkKey,
} from '../../hardware/tools/processes.ts';
import { HostLoop, mqttRobot, serialRobot, sleep, until } from './helpers.ts';

const work = temporaryDirectory('tether-authority');
afterAll(killLeftovers);
let mosquitto: Mosquitto;
beforeAll(async () => {
  mosquitto = await startMosquitto();
});
afterAll(async () => {
  await mosquitto?.stop();
  work.remove();
});

const key = parseDeviceKey(testLinkKey, 'test');
const wrongKey = new Uint8Array(32).fill(7);
const staleAfterTicks = 20;
const inFlightTicks = 5;

function serialRig(
  name: string,
  faults: FaultSpec[] = [],
  extra: Record<string, unknown> = {},
): Promise<RigProcess> {
  return spawnRig(
    {
      model: 'cartpole',
      transport: { kind: 'serial', link: `${work.path}/${name}` },
      faults,
      watchdogMs: 1000,
      ...extra,
    },
    work.path,
    name,
  );
}

function mqttRig(name: string, faults: FaultSpec[] = []): Promise<RigProcess> {
  return spawnRig(
    { model: 'cartpole', transport: { kind: 'mqtt', url: mosquitto.url }, faults, watchdogMs: 1000 },
    work.path,
    name,
  );
}

/** Pole PD plus cart feedback: commands change as the cart moves (as the runtime's LQR's do). */
const withCart = (o: Float64Array) => 20 * o[1]! + 2 * o[3]! + 4 * o[0]! + 4 * o[2]!;

async function startHost(
  robot: LinkRobot,
  stale = staleAfterTicks,
  control?: (o: Float64Array) => number,
): Promise<HostLoop> {
  await robot.configure();
  await robot.activate();
  const loop = new HostLoop(robot, { staleAfterTicks: stale }, 100, control);
  loop.start();
  return loop;
}

/** Everything an outsider can try against a rig: every attempt must be refused. */
async function attack(peer: RoguePeer): Promise<void> {
  peer.askHello();
  await sleep(200);
  peer.tryOpen();
  peer.unsealedSession();
  for (const mode of ['none', 'device'] as const) {
    peer.request(RequestOp.activate, mode);
    peer.request(RequestOp.recover, mode);
  }
  peer.unsealedRequest(RequestOp.activate);
  for (let i = 0; i < 50; i++) {
    peer.command([20], i % 2 === 0 ? 'none' : 'device');
    peer.forgedCommand([20], 1 + i, 1000 + i);
    await sleep(5);
  }
}

describe('an outsider cannot move the rig', () => {
  it('without a runtime, over MQTT: no session, no activation, 0 commands applied', async () => {
    const rig = await mqttRig('outsider-mqtt');
    const transport = new RawMqttTransport(mosquitto.url, 'cartpole', 'host');
    await transport.open();
    const peer = new RoguePeer(transport, wrongKey);
    await attack(peer);
    await sleep(300);
    // The rig's hello does not verify with the wrong key: the outsider learns nothing it can use.
    expect(peer.hello).toBeUndefined();
    await transport.close();
    const report = await rig.stop();
    expect(report.commandsApplied).toBe(0);
    expect(report.sessions).toEqual([]);
    expect(report.auth.forged + report.auth.foreignSession).toBeGreaterThan(40);
    expect(report.auth.unauthenticated).toBeGreaterThan(25);
  });

  it('without a runtime, over serial (frames written into the device): 0 commands applied', async () => {
    const rig = await serialRig('outsider-serial');
    const injector = new SerialInjector(rig.hostLink);
    await injector.open();
    await attack(new RoguePeer(injector, wrongKey));
    await sleep(300);
    await injector.close();
    const report = await rig.stop();
    expect(report.commandsApplied).toBe(0);
    expect(report.sessions).toEqual([]);
    expect(report.auth.forged + report.auth.foreignSession).toBeGreaterThan(40);
  });

  it('during a run, forged and replayed commands are refused by the rig, never applied, and reported to the owner', async () => {
    const rig = await mqttRig('replay-commands');
    const robot = await mqttRobot(mosquitto.url);
    const loop = await startHost(robot);
    // A sniffer on the broker captures the owner's commands; an injector replays them and forges more.
    const sniffer = new RawMqttTransport(mosquitto.url, 'cartpole', 'rig');
    sniffer.capture = true;
    await sniffer.open();
    await sleep(500);
    sniffer.capture = false;
    const injector = new RawMqttTransport(mosquitto.url, 'cartpole', 'host');
    await injector.open();
    const peer = new RoguePeer(injector, wrongKey);
    const commands = sniffer.captured.filter((c) => c.topic.endsWith('/host/command'));
    expect(commands.length).toBeGreaterThan(20);
    for (const c of commands) injector.replay(c.topic, c.payload);
    for (let i = 0; i < 50; i++) peer.forgedCommand([20], robot.sessionId, 2 ** 40 + i);
    await sleep(800);
    expect(loop.safety.latched, loop.safety.latchReason).toBe(false);
    loop.stop();
    const rigRefused = robot.statistics.rigRefused;
    await robot.shutdown();
    const sent = robot.statistics.commandsSent;
    await Promise.all([sniffer.close(), injector.close()]);
    const report = await rig.stop();
    expect(report.auth.replayed).toBeGreaterThanOrEqual(commands.length - 5);
    expect(report.auth.forged).toBeGreaterThanOrEqual(50);
    // Every applied command came from the owner's session, and was one the owner sent.
    const sessions = Object.keys(report.appliedBySession);
    expect(sessions).toEqual([report.sessions[0]!.id]);
    expect(report.appliedBySession[sessions[0]!]!.maxSeq).toBeLessThanOrEqual(sent);
    // The rig told the owner.
    expect((rigRefused['replayed'] ?? 0) + (rigRefused['forged'] ?? 0)).toBeGreaterThan(0);
  });

  it('forged and replayed states are refused by the host: they neither steer nor keep a frozen rig looking alive', async () => {
    const rig = await mqttRig('forged-states', [{ kind: 'freeze', at: 1.2, duration: 1 }]);
    const robot = await mqttRobot(mosquitto.url);
    const loop = await startHost(robot);
    const sniffer = new RawMqttTransport(mosquitto.url, 'cartpole', 'host');
    sniffer.capture = true;
    await sniffer.open();
    await sleep(400);
    sniffer.capture = false;
    const states = sniffer.captured.filter((c) => c.topic.endsWith('/rig/state'));
    expect(states.length).toBeGreaterThan(50);
    const injector = new RawMqttTransport(mosquitto.url, 'cartpole', 'rig');
    await injector.open();
    const peer = new RoguePeer(injector, wrongKey);
    const forged = createStateSample();
    Object.assign(forged, {
      seq: 10 ** 6,
      timeUs: 10 ** 12,
      flags: 4,
      jointCount: 2,
      sensorCount: 2,
      valueCount: 8,
    });
    // While the rig is frozen, flood the host with what an attacker has: old states and forgeries.
    const flood = setInterval(() => {
      for (const s of states.slice(0, 20)) injector.replay(s.topic, s.payload);
      forged.seq++;
      forged.timeUs += 2000;
      peer.forgedState(forged, robot.sessionId, 2 ** 40 + forged.seq);
    }, 10);
    await until('the latch', () => loop.safety.latched, 10_000);
    clearInterval(flood);
    expect(loop.safety.latchReason).toMatch(/stale/);
    const stats = robot.statistics;
    expect(stats.replayed).toBeGreaterThan(100);
    expect(stats.forged).toBeGreaterThan(10);
    loop.stop();
    await robot.shutdown();
    await Promise.all([sniffer.close(), injector.close()]);
    const report = await rig.stop();
    expect(loop.cyclesToSafe(report.faults[0]!.startEpochMs)).toBeLessThanOrEqual(
      staleAfterTicks + inFlightTicks,
    );
  });
});

describe('one owner per rig', () => {
  it('a second runtime holding the key is refused while the owner runs; rig and owner both report it', async () => {
    const rig = await mqttRig('second-owner');
    const owner = await mqttRobot(mosquitto.url);
    const events: string[] = [];
    owner.onLinkEvent((message) => events.push(message));
    const loop = await startHost(owner);
    const second = await mqttRobot(mosquitto.url, { helloTimeoutMs: 1500 });
    await expect(second.configure()).rejects.toThrow(
      /rig 'cartpole' is owned by another session \(0x[0-9a-f]+\) and refused this runtime \d+ times? .*only one runtime may command a rig/,
    );
    await second.shutdown().catch(() => undefined);
    await until('the owner hearing of it', () => (owner.statistics.rigRefused['ownershipRefused'] ?? 0) > 0);
    expect(events.some((e) => /another runtime asked to own this rig/.test(e))).toBe(true);
    expect(loop.safety.latched, loop.safety.latchReason).toBe(false);
    loop.stop();
    await owner.shutdown();
    const report = await rig.stop();
    expect(report.auth.ownershipRefused).toBeGreaterThan(0);
    expect(report.sessions.length).toBe(1);
    expect(rig.log.some((l) => /session open refused: the rig is owned by session/.test(l))).toBe(true);
  });

  it('a runtime killed without goodbye: the rig latches; a new one owns it once the old lease ran out, and must recover it', async () => {
    const rig = await serialRig('lease', [], { sessionLeaseMs: 1000 });
    const first = await serialRobot(rig.hostLink);
    const loop = await startHost(first);
    await sleep(300);
    // Gone without releasing: no more frames from it (the loop and its heartbeats stop).
    loop.stop();
    clearInterval((first as unknown as { heartbeatTimer: NodeJS.Timeout }).heartbeatTimer);
    await (first as unknown as { transport: SerialTransport }).transport.close();
    const second = await serialRobot(rig.hostLink, { helloTimeoutMs: 5000 });
    await second.configure();
    expect(second.sessionId).not.toBe(0);
    // The rig latched when its active owner vanished: the new owner must recover it first.
    await expect(second.activate()).rejects.toThrow(/rig refused 'activate'/);
    expect(second.state).toBe('fault');
    await second.recover();
    await second.activate();
    await sleep(200);
    expect(second.state).toBe('running');
    await second.shutdown();
    const report = await rig.stop();
    expect(report.sessions.length).toBe(3); // the first owner, the successor, its re-key on recovery
    expect(rig.log.some((l) => /lost the rig: nothing heard for \d+ ms/.test(l))).toBe(true);
    expect(report.latches.some((l) => /owner [0-9a-f]+ lost while active/.test(l.reason))).toBe(true);
  });
});

describe('bare refusals', () => {
  it('a forger answering every session open with a bare "unauthenticated", "busy" or "stale" does not stop a runtime from taking its rig', async () => {
    const rig = await serialRig('bare-acks');
    // Written into the rig's end of the line: the host reads it as if the rig had said it. An
    // unsealed refusal is what the rig sends to opens it cannot verify (an outsider's, numbered like
    // the runtime's own), and what anyone can forge.
    // Non-blocking: until the runtime opens its port nothing reads the line.
    const forger = new SerialInjector(`${rig.hostLink.replace(/\.host$/, '')}.rig`, { nonBlocking: true });
    await forger.open();
    const peer = new RoguePeer(forger, wrongKey);
    const robot = await serialRobot(rig.hostLink);
    const flood = setInterval(() => {
      for (let ackedSeq = 1; ackedSeq <= 16; ackedSeq++) {
        const session = MessageType.session;
        peer.endpoint.sendAck({ ackedType: session, status: AckStatus.unauthenticated, ackedSeq }, 'none');
        peer.endpoint.sendAck(
          { ackedType: session, status: AckStatus.busy, ackedSeq, retryAfterMs: 60_000 },
          'none',
        );
      }
      // A bare "stale" makes the runtime ask for a fresh hello and open again with the next number:
      // forged for every number it will use, it used to stop the start after 20 opens.
      for (let ackedSeq = 1; ackedSeq <= 96; ackedSeq++) {
        peer.endpoint.sendAck({ ackedType: MessageType.session, status: AckStatus.stale, ackedSeq }, 'none');
      }
    }, 1);
    try {
      await robot.configure();
      expect(robot.sessionId).not.toBe(0);
    } finally {
      clearInterval(flood);
      await forger.close();
      await robot.shutdown();
    }
    const report = await rig.stop();
    expect(report.sessions.length).toBe(1);
  });
});

describe('the host latch reaches the rig', () => {
  it('when the safety layer latches, the rig latches its own safe state; commands stop being applied', async () => {
    const rig = await serialRig('latch');
    const robot = await serialRobot(rig.hostLink);
    const loop = await startHost(robot);
    await sleep(400);
    expect((await robot.rigStatus()).commandsApplied).toBeGreaterThan(0);
    loop.safety.estop('test: operator e-stop');
    await until('the robot fault', () => robot.state === 'fault');
    await until('the rig latched', () => rig.log.some((l) => l.includes('runtime safety layer latched')));
    // From the rig's latch on, the host keeps sending (its safe action, every tick) and the rig's
    // count of applied commands stands still.
    const atLatch = await robot.rigStatus();
    const sentAtLatch = robot.statistics.commandsSent;
    await until('ten more commands sent', () => robot.statistics.commandsSent > sentAtLatch + 10);
    const later = await robot.rigStatus();
    expect(later.ticks).toBeGreaterThan(atLatch.ticks);
    expect(later.commandsApplied).toBe(atLatch.commandsApplied);
    loop.stop();
    await robot.shutdown();
    const report = await rig.stop();
    const latch = report.latches.find((l) =>
      /runtime safety layer latched: test: operator e-stop/.test(l.reason),
    );
    expect(latch, JSON.stringify(report.latches)).toBeDefined();
    expect(report.commandsApplied).toBe(atLatch.commandsApplied);
  });

  it('a rogue owner (it holds the key) sending NaN or infinite targets: the rig refuses every one', async () => {
    const rig = await serialRig('nan');
    const transport = new SerialTransport({ path: rig.hostLink, baudRate: 1_000_000, reconnectMs: 100 });
    const peer = new RoguePeer(transport, key);
    await transport.open();
    await until('a hello', () => {
      peer.askHello();
      return peer.hello !== undefined;
    });
    peer.tryOpen();
    await until('the session', () => peer.auth.sessionId !== 0);
    peer.request(RequestOp.activate);
    await sleep(100);
    for (let i = 0; i < 30; i++) {
      peer.command([i % 2 === 0 ? Number.NaN : Infinity]);
      await sleep(5);
    }
    peer.command([1]);
    await sleep(200);
    await transport.close();
    const report = await rig.stop();
    expect(report.auth.malformedCommands).toBe(30);
    expect(report.commandsApplied).toBe(1);
  });
});

describe('strict decoding against HELLO', () => {
  it('states of the wrong shape during a freeze never refresh the staleness watchdog', async () => {
    const rig = await serialRig('shape', [{ kind: 'wrong-shape', at: 0.5, duration: 1 }]);
    const robot = await serialRobot(rig.hostLink);
    const loop = await startHost(robot);
    await until('the latch', () => loop.safety.latched);
    expect(loop.safety.latchReason).toMatch(/stale for 20 ticks/);
    expect(robot.statistics.shapeErrors).toBeGreaterThan(10);
    loop.stop();
    await robot.shutdown();
    const report = await rig.stop();
    expect(loop.cyclesToSafe(report.faults[0]!.startEpochMs)).toBeLessThanOrEqual(
      staleAfterTicks + inFlightTicks,
    );
  });

  it('a sequence number jumping by 2^31 is refused (and what follows it: the link goes stale), not counted as 2 billion lost states', async () => {
    const rig = await serialRig('jump', [{ kind: 'sequence-jump', at: 0.4 }]);
    const robot = await serialRobot(rig.hostLink);
    const loop = await startHost(robot, 100);
    await sleep(1200);
    loop.stop();
    const stats = robot.statistics;
    await robot.shutdown();
    await rig.stop();
    expect(stats.sequenceErrors).toBeGreaterThan(0);
    expect(stats.statesLost).toBeLessThan(100);
  });

  it('a state echoing a command this runtime never sent is an intrusion: it latches', async () => {
    const rig = await serialRig('echo', [{ kind: 'foreign-echo', at: 0.5 }]);
    const robot = await serialRobot(rig.hostLink);
    const loop = await startHost(robot, 100);
    await until('the latch', () => loop.safety.latched);
    expect(loop.safety.latchReason).toMatch(
      /intrusion: the rig applied command #\d+, which this runtime did not send/,
    );
    expect(robot.statistics.intrusions).toBeGreaterThan(0);
    loop.stop();
    await robot.shutdown();
    const report = await rig.stop();
    expect(loop.cyclesToSafe(report.faults[0]!.startEpochMs)).toBeLessThanOrEqual(2 + inFlightTicks);
  });
});

describe('plausibility monitors', () => {
  const window = defaultPlausibility.windowCycles;
  /** Cycles from a command to the state that reports its effort. */
  const roundTrip = 2;
  for (const joint of ['slider', 'hinge'] as const) {
    it(`a stuck ${joint} is caught within the configured window`, async () => {
      const rig = await serialRig(`stuck-${joint}`, [{ kind: 'stuck-joint', joint, at: 0.5 }]);
      // The shipped cartpole configs' bound: a change of 5 % of the cart force's limit (1 N) must move something.
      const minEffortChange = 0.05;
      const robot = await serialRobot(rig.hostLink, { plausibility: { minEffortChange } });
      const loop = await startHost(robot, 100, withCart);
      await until('the latch', () => loop.safety.latched, 10_000);
      // Seized (no motion while the effort or the drive changes) or frozen (readings bit-identical).
      expect(robot.faultReason).toMatch(
        new RegExp(`implausible state: (passive )?joint '${joint}' (did not move|reads exactly the same)`),
      );
      loop.stop();
      await robot.shutdown();
      const report = await rig.stop();
      const seizedAt = loop.ticks.findIndex((t) => t.epochMs >= report.faults[0]!.startEpochMs);
      const latchedAt = loop.ticks.findIndex((t) => t.latched);
      // A joint that is not asked to move cannot be told from a seized one: the clock starts when the
      // commanded force has changed by the configured bound (1 N) from what it was when the joint
      // stopped, which is known only to within a state's round trip of the seizure.
      const cartForce = robot.info.action.signals[0]!;
      const bound = minEffortChange * Math.max(Math.abs(cartForce.lower), Math.abs(cartForce.upper));
      expect(bound).toBe(1);
      const aroundSeizure = loop.commands.slice(seizedAt - roundTrip, seizedAt + roundTrip + 1);
      const pushedAt = loop.commands.findIndex(
        (u, i) => i > seizedAt && aroundSeizure.every((before) => Math.abs(u - before) >= bound),
      );
      expect(pushedAt).toBeGreaterThan(seizedAt);
      // The monitor sees the push in a state a round trip after commanding it, then allows the window.
      expect(latchedAt - pushedAt).toBeLessThanOrEqual(roundTrip + window);
      // Not before the joint had been still for the window (a joint that stopped just before the
      // seizure may be judged from then: the slider's push can count from before it).
      expect(latchedAt - seizedAt).toBeGreaterThanOrEqual(window);
    });
  }

  it('a position jump no joint can make is caught on the cycle it shows', async () => {
    const rig = await serialRig('pjump', [{ kind: 'position-jump', joint: 'hinge', amount: 0.3, at: 0.5 }]);
    const robot = await serialRobot(rig.hostLink);
    const loop = await startHost(robot, 100);
    await until('the latch', () => loop.safety.latched);
    expect(robot.faultReason).toMatch(/implausible state: joint 'hinge' moved 0\.3\d* in/);
    loop.stop();
    await robot.shutdown();
    const report = await rig.stop();
    expect(loop.cyclesToSafe(report.faults[0]!.startEpochMs)).toBeLessThanOrEqual(2 + inFlightTicks);
  });
});
