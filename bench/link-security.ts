/**
 * Security and fault evidence for the rig link (issue: command authority and link integrity): every
 * row runs the real runtime (`tether run`, LQR on the cartpole config) against the emulated rig (a
 * separate process) over a socat pty or through Mosquitto, while an outsider, a second runtime, a
 * faulty firmware or a dying process does its worst. Then the fuzzing totals of the TypeScript and
 * C receive paths.
 *
 * Per row: control cycles from the fault to the safe state on the host (from the run's log) and on
 * the rig (its latch, from its report), what was detected on either side, commands the rig applied
 * that the owner did not send (goal: 0), ticks lost in the log.
 *
 *   npm run bench:link-security                       (bench/results/link-security.json)
 *   npm run bench:link-security -- --only fuzz        (the fuzzing totals alone)
 *   npm run bench:link-security -- --only rows --rows stuck,after-latch   (some rows, no fuzzing)
 *   SECURITY_FUZZ=1000000 npm run bench:link-security   (fewer fuzz cases)
 *
 * `--rows a,b` (or SECURITY_ROWS) runs the rows whose name contains any of them. A run of some rows
 * or of one part writes bench/results/link-security-partial.json, never the full file (SECURITY_MERGE
 * replaces rerun rows in the full file instead). The default fuzz count is 10 M inputs per fuzzer
 * (TypeScript: states, commands, hellos, frame chunks; C: the plain driver under ASan/UBSan and
 * libFuzzer), each input timed against a 1 s hang limit. On the 2-core AMD EPYC bench machine the
 * fuzzing took 6 min 24 s (2026-12-07, load 0.1-1.0: TypeScript states 37 s, commands 30 s, hellos
 * 115 s, frames 26 s; C driver 28 s, libFuzzer 146 s) and the rows take about 10 minutes.
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { LinkRobot } from '../hardware/link/link-robot.ts';
import { mqttRobotPlugin, serialRobotPlugin } from '../hardware/link/plugins.ts';
import { SerialTransport } from '../hardware/link/serial-transport.ts';
import { parseDeviceKey } from '../hardware/protocol/auth.ts';
import { createStateSample, RequestOp } from '../hardware/protocol/messages.ts';
import type { FaultSpec, RigConfigInput } from '../hardware/rig/config.ts';
import type { RigReport } from '../hardware/rig/rig.ts';
import {
  createFuzzStats,
  fuzzFrames,
  fuzzHellos,
  fuzzHostStates,
  fuzzRigCommands,
} from '../hardware/tools/fuzz.ts';
import { outsiderBarrage, RawMqttTransport, RoguePeer, SerialInjector } from '../hardware/tools/intruder.ts';
import {
  cartpoleRunConfig,
  findBinary,
  killLeftovers,
  type Mosquitto,
  type RigProcess,
  spawnRig,
  spawnRuntime,
  startMosquitto,
  temporaryDirectory,
  useTestLinkKey,
} from '../hardware/tools/processes.ts';
import { readLog, type TetherLog } from '../src/logging/reader.ts';
import { SafetyFlag } from '../src/safety/types.ts';
import { machineInfo, printTable, repoRoot, resultsPath } from './report.ts';

const repo = join(import.meta.dirname, '..');
const key = parseDeviceKey(useTestLinkKey(), 'bench');
const wrongKey = new Uint8Array(32).fill(7);
const fuzzCases = Number(process.env['SECURITY_FUZZ'] ?? 10_000_000);
/** A case (TS) or input (C) that runs longer than this is a hang (libFuzzer's `-timeout=`, in s). */
const hangLimitSeconds = 1;
/** A whole C fuzz run that outlives this has hung outright (an input that never returns). */
const fuzzRunLimitMs = 30 * 60_000;
const argv = process.argv.slice(2);
function option(name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}
const only = option('--only') as 'fuzz' | 'rows' | undefined;
if (only !== undefined && only !== 'fuzz' && only !== 'rows')
  throw new Error(`--only: expected 'fuzz' or 'rows', got '${only}'`);
const rowFilter = (option('--rows') ?? process.env['SECURITY_ROWS'])?.split(',').filter((r) => r !== '');
/** Some rows, or one part: not the whole evidence, so not the full results file. */
const partial =
  only !== undefined || rowFilter !== undefined || process.env['SECURITY_SKIP_FUZZ'] !== undefined;
const work = temporaryDirectory('tether-bench-security');
const context = { baseDir: work.path, controlDt: 0.01, seed: 0 };
/** The runtime's staleness limit in these runs (the shipped 10 ticks, doubled for a shared 2-core machine). */
const staleAfterTicks = 20;
const runSeconds = 5;
const faultAt = 2;
const rateHz = 100;

type Transport = 'serial' | 'mqtt';

interface Row {
  scenario: string;
  transport: Transport;
  what: string;
  /** Control cycles (10 ms) from the fault to the first latched tick on the host; null: never latched. */
  hostCycles: number | null;
  /** Cycles from the fault to the rig's own latch; null: the rig did not latch. */
  rigCycles: number | null;
  /** What the host detected (counts from its link health) and what the rig refused (its report). */
  detectedHost: Record<string, number>;
  detectedRig: Record<string, number>;
  /** Commands the rig applied that the owner did not send. Goal: 0. */
  foreignApplied: number;
  /** Ticks the loop ran that are not in the log (null where the loop's own count is unknown). */
  ticksLost: number | null;
  latched: string | null;
  /**
   * Stuck-joint rows: cycles from the first tick whose force differs by the configured bound from
   * every force commanded within a state's round trip of the seizure, to the first latched tick
   * (the monitor's promise: at most its window plus that round trip). Null: no latch, or the latch
   * came first (the joint had stopped before the seizure and the monitor counted the push from then).
   */
  cyclesAfterPush?: number | null;
  notes: string;
}

interface RunOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  log: TetherLog | undefined;
  ticks: number | null;
}

function rigConfig(
  transport: Transport,
  name: string,
  faults: FaultSpec[],
  mosquitto: Mosquitto,
): RigConfigInput {
  // The shipped rig (configs/rig/cartpole.yaml): heavier pole, delay, actuator and sensor noise.
  return {
    model: 'cartpole',
    task: 'balance',
    transport:
      transport === 'serial'
        ? { kind: 'serial', link: join(work.path, name) }
        : { kind: 'mqtt', url: mosquitto.url },
    stateRateHz: 500,
    innerLoopHz: 1000,
    watchdogMs: 200,
    dynamics: { massScale: { pole: 1.2 }, dampingScale: 2, actuatorGainScale: 0.95 },
    actuatorDelayMs: 2,
    actuatorNoise: 0.05,
    sensorNoise: 0.0005,
    faults,
  };
}

function runConfig(transport: Transport, rig: RigProcess, mosquitto: Mosquitto, name: string): string {
  return cartpoleRunConfig(
    transport === 'serial' ? { kind: 'serial', path: rig.hostLink } : { kind: 'mqtt', url: mosquitto.url },
    work.path,
    name,
    { staleAfterTicks },
  );
}

/** Runs `tether run` as its own process; `during` runs once the loop is up. */
async function runRuntime(
  config: string,
  name: string,
  during: (child: ChildProcess) => Promise<void>,
  duration = runSeconds,
): Promise<RunOutcome> {
  const logPath = join(work.path, `${name}.mcap`);
  const runtime = spawnRuntime(config, ['--duration', String(duration), '--log', logPath]);
  await runtime.started;
  await during(runtime.child);
  const code = await runtime.exited;
  let log: TetherLog | undefined;
  try {
    log = await readLog(logPath);
  } catch {
    log = undefined;
  }
  const { stdout, stderr } = runtime.output;
  const ticks = /(\d+) ticks over/.exec(stdout);
  return { code, stdout, stderr, log, ticks: ticks ? Number(ticks[1]) : null };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until `condition` holds or `ms` passed (then goes on: the row records what happened). */
async function until(condition: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await sleep(10);
}
const epochMs = () => performance.timeOrigin + performance.now();

/** Cycles from `fromEpochMs` to the first latched tick in the log (inclusive). */
function hostCyclesFromLog(log: TetherLog | undefined, fromEpochMs: number): number | null {
  if (log === undefined) return null;
  const t = log.ticks;
  const latchedFlags = SafetyFlag.estop | SafetyFlag.fault;
  let start = -1;
  for (let i = 0; i < t.count; i++) {
    if (start < 0 && t.wallTime[i]! * 1000 >= fromEpochMs) start = i;
    if (start >= 0 && (t.safetyFlags[i]! & latchedFlags) !== 0) return i - start + 1;
  }
  return null;
}

/**
 * The runtime's stuck-joint bound, N: the shipped run config's `plausibility.minEffortChange` times
 * the cart force's limit as the rig announced it (in the log's robot record).
 */
function pushBoundN(log: TetherLog): number {
  const shipped = parseYaml(readFileSync(join(repoRoot, 'configs/cartpole-serial.yaml'), 'utf8')) as {
    robot: { plausibility: { minEffortChange: number } };
  };
  const force = log.robot!.action.signals[0]!;
  return shipped.robot.plausibility.minEffortChange * Math.max(Math.abs(force.lower), Math.abs(force.upper));
}
/** Cycles from a command to the state that reports its effort. */
const roundTripCycles = 2;

/** See Row.cyclesAfterPush. */
function cyclesAfterPush(log: TetherLog | undefined, fromEpochMs: number): number | null {
  if (log === undefined) return null;
  const t = log.ticks;
  const latchedFlags = SafetyFlag.estop | SafetyFlag.fault;
  const force = (i: number) => t.command[i * t.actionSize]!;
  let start = -1;
  for (let i = 0; i < t.count && start < 0; i++) if (t.wallTime[i]! * 1000 >= fromEpochMs) start = i;
  if (start < roundTripCycles) return null;
  const bound = pushBoundN(log);
  const around: number[] = [];
  for (let i = start - roundTripCycles; i <= start + roundTripCycles && i < t.count; i++)
    around.push(force(i));
  let pushed = -1;
  for (let i = start + 1; i < t.count; i++) {
    if ((t.safetyFlags[i]! & latchedFlags) !== 0) return pushed < 0 ? null : i - pushed;
    if (pushed < 0 && around.every((f) => Math.abs(force(i) - f) >= bound)) pushed = i;
  }
  return null;
}

function rigCycles(report: RigReport | undefined, fromEpochMs: number): number | null {
  const latch = report?.latches.find((l) => l.epochMs >= fromEpochMs - 1);
  return latch === undefined ? null : Math.max(1, Math.ceil((latch.epochMs - fromEpochMs) / (1000 / rateHz)));
}

/** Every session the owner held (its log names them), and what it sent. */
function ownerSessions(log: TetherLog | undefined): { sessions: Set<string>; sent: number } {
  const sessions = new Set<string>();
  let sent = 0;
  for (const sample of log?.link ?? []) {
    if (sample.health.session !== undefined) sessions.add(sample.health.session);
    sent = Math.max(sent, sample.health.counters['commandsSent'] ?? 0);
  }
  for (const e of log?.events ?? []) {
    const m = /session ([0-9a-f]{8}) opened/.exec(e.message);
    if (m) sessions.add(m[1]!);
  }
  return { sessions, sent };
}

function foreignApplied(
  report: RigReport | undefined,
  owner: { sessions: Set<string>; sent: number },
): number {
  if (report === undefined) return Number.NaN;
  let foreign = 0;
  for (const [session, applied] of Object.entries(report.appliedBySession)) {
    if (!owner.sessions.has(session)) foreign += applied.count;
    else if (applied.maxSeq > owner.sent) foreign += applied.maxSeq - owner.sent;
  }
  return foreign;
}

function hostDetected(log: TetherLog | undefined): Record<string, number> {
  const last = log?.link.at(-1)?.health.counters ?? {};
  const keys = [
    'forged',
    'replayed',
    'foreignSession',
    'unauthenticated',
    'shapeErrors',
    'sequenceErrors',
    'nonFinite',
    'intrusions',
    'implausible',
    'ownershipRefused',
    'rig_ownershipRefused',
    'rig_forged',
    'rig_replayed',
    'rig_foreignSession',
    'rig_unauthenticated',
    'rig_malformedCommand',
  ];
  const out: Record<string, number> = {};
  for (const k of keys) if ((last[k] ?? 0) > 0) out[k] = last[k]!;
  return out;
}

function rigDetected(report: RigReport | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(report?.auth ?? {})) if (v > 0 && k !== 'sessionsOpened') out[k] = v;
  return out;
}

function ticksLost(outcome: RunOutcome): number | null {
  if (outcome.ticks === null || outcome.log === undefined) return null;
  return outcome.ticks - outcome.log.ticks.count;
}

function latchOf(outcome: RunOutcome): string | null {
  return /safety: LATCHED \((.*)\); robot/.exec(outcome.stdout)?.[1] ?? null;
}

/** A standard row: rig with `faults`, `tether run`, `during` at the fault time. */
async function runRow(
  scenario: string,
  transport: Transport,
  what: string,
  mosquitto: Mosquitto,
  faults: FaultSpec[],
  during: (ctx: { rig: RigProcess; child: ChildProcess }) => Promise<number | undefined> = async () =>
    undefined,
  notes = '',
): Promise<Row> {
  const name = `${scenario}-${transport}`;
  const rig = await spawnRig(rigConfig(transport, name, faults, mosquitto), work.path, name);
  const config = runConfig(transport, rig, mosquitto, name);
  let faultEpoch = Number.NaN;
  const outcome = await runRuntime(config, name, async (child) => {
    const custom = await during({ rig, child });
    faultEpoch = custom ?? Number.NaN;
  });
  let report: RigReport | undefined;
  try {
    report = await rig.stop();
  } catch {
    report = undefined; // the rig was killed: it reports nothing (and applies nothing)
  }
  if (Number.isNaN(faultEpoch)) faultEpoch = report?.faults[0]?.startEpochMs ?? Number.NaN;
  if (outcome.code !== 0 && outcome.code !== 2) {
    process.stdout.write(
      `  tether run exited ${outcome.code}: ${outcome.stderr.split('\n').slice(-4).join(' | ')}\n`,
    );
  }
  const owner = ownerSessions(outcome.log);
  return {
    scenario,
    transport,
    what,
    hostCycles: Number.isNaN(faultEpoch) ? null : hostCyclesFromLog(outcome.log, faultEpoch),
    rigCycles: Number.isNaN(faultEpoch) ? null : rigCycles(report, faultEpoch),
    detectedHost: hostDetected(outcome.log),
    detectedRig: rigDetected(report),
    foreignApplied: foreignApplied(report, owner),
    ticksLost: ticksLost(outcome),
    latched: latchOf(outcome),
    ...(faults.some((f) => f.kind === 'stuck-joint')
      ? { cyclesAfterPush: Number.isNaN(faultEpoch) ? null : cyclesAfterPush(outcome.log, faultEpoch) }
      : {}),
    notes,
  };
}

function hostRobot(
  transport: Transport,
  rig: RigProcess,
  mosquitto: Mosquitto,
  extra: object = {},
): Promise<LinkRobot> {
  return (
    transport === 'serial'
      ? serialRobotPlugin.create(serialRobotPlugin.schema.parse({ path: rig.hostLink, ...extra }), context)
      : mqttRobotPlugin.create(
          mqttRobotPlugin.schema.parse({ robot: 'cartpole', url: mosquitto.url, ...extra }),
          context,
        )
  ) as Promise<LinkRobot>;
}

/**
 * An outsider without the key (outsiderBarrage) on the link for `ms`: into the serial line at
 * `hostLink`, or on the broker as the host. On MQTT, `replays` (captured owner traffic) go first.
 */
async function outsider(
  transport: Transport,
  hostLink: string,
  mosquitto: Mosquitto,
  ms: number,
  replays: readonly { topic: string; payload: Buffer }[] = [],
): Promise<void> {
  const medium =
    transport === 'serial'
      ? new SerialInjector(hostLink)
      : new RawMqttTransport(mosquitto.url, 'cartpole', 'host');
  await medium.open();
  if (medium instanceof RawMqttTransport) for (const c of replays) medium.replay(c.topic, c.payload);
  await outsiderBarrage(new RoguePeer(medium, wrongKey), ms);
  await medium.close();
}

/** A fault row with an outsider on the link from just before the fault until 1.5 s after it. */
function faultRowWithOutsider(
  scenario: string,
  transport: Transport,
  what: string,
  mosquitto: Mosquitto,
  faults: FaultSpec[],
): Promise<Row> {
  return runRow(
    scenario,
    transport,
    `${what}; an outsider without the key tries the rig throughout`,
    mosquitto,
    faults,
    async ({ rig }) => {
      await sleep(faultAt * 1000 - 300);
      await outsider(transport, rig.hostLink, mosquitto, 1800);
      return undefined;
    },
  );
}

function scenarios(mosquitto: Mosquitto): Record<string, (t: Transport) => Promise<Row>> {
  return {
    baseline: (transport) =>
      runRow(
        'baseline',
        transport,
        'no fault, no attack: nothing may latch (false alarms of the checks)',
        mosquitto,
        [],
      ),
    'outsider-idle': async (transport) => {
      // No runtime at all: the outsider tries to open a session, activate, recover and command.
      const name = `outsider-idle-${transport}`;
      const rig = await spawnRig(rigConfig(transport, name, [], mosquitto), work.path, name);
      const medium =
        transport === 'serial'
          ? new SerialInjector(rig.hostLink)
          : new RawMqttTransport(mosquitto.url, 'cartpole', 'host');
      await medium.open();
      const start = epochMs();
      await outsiderBarrage(new RoguePeer(medium, wrongKey), 2000);
      await medium.close();
      const report = await rig.stop();
      return {
        scenario: 'outsider-idle',
        transport,
        what: 'outsider without the key, no runtime: open, activate, recover, 1500 commands (unsealed, device key, forged tags)',
        hostCycles: null,
        rigCycles: rigCycles(report, start),
        detectedHost: {},
        detectedRig: rigDetected(report),
        foreignApplied: report.commandsApplied,
        ticksLost: null,
        latched: null,
        notes: `rig sessions opened: ${report.sessions.length}; rig never active`,
      };
    },
    'outsider-run': (transport) =>
      runRow(
        'outsider-run',
        transport,
        transport === 'mqtt'
          ? 'outsider during a run: replays every captured owner command, forges commands, asks to activate/recover'
          : 'outsider writes into the serial line during a run: forged and unsealed commands and requests, replays of an earlier session',
        mosquitto,
        [],
        async ({ rig }) => {
          await sleep(1000);
          const start = epochMs();
          if (transport === 'mqtt') {
            const sniffer = new RawMqttTransport(mosquitto.url, 'cartpole', 'rig');
            sniffer.capture = true;
            await sniffer.open();
            await sleep(500);
            const injector = new RawMqttTransport(mosquitto.url, 'cartpole', 'host');
            await injector.open();
            const replays = sniffer.captured.filter((c) => c.topic.endsWith('/host/command'));
            for (const c of replays) injector.replay(c.topic, c.payload);
            await outsiderBarrage(new RoguePeer(injector, wrongKey), 1500);
            await Promise.all([sniffer.close(), injector.close()]);
          } else {
            const injector = new SerialInjector(rig.hostLink);
            await injector.open();
            await outsiderBarrage(new RoguePeer(injector, wrongKey), 2000);
            await injector.close();
          }
          return start;
        },
      ),
    'second-owner': async (transport) => {
      let refusal = '';
      const row = await runRow(
        'second-owner',
        transport,
        'a second runtime holding the key tries to take the rig during a run',
        mosquitto,
        [],
        async ({ rig }) => {
          await sleep(1500);
          const start = epochMs();
          const second = await hostRobot(transport, rig, mosquitto, { helloTimeoutMs: 1500 });
          await second.configure().then(
            () => {
              refusal = 'NOT REFUSED';
            },
            (e: Error) => {
              refusal = e.message;
            },
          );
          await second.shutdown().catch(() => undefined);
          return start;
        },
      );
      return { ...row, notes: `the second runtime was told: ${refusal}` };
    },
    'forged-states': (transport) =>
      runRow(
        'forged-states',
        transport,
        transport === 'mqtt'
          ? 'rig frozen 1 s while an outsider floods the host with replayed genuine states and forged ones'
          : 'rig frozen 1 s while an outsider writes forged states into the host side of the line',
        mosquitto,
        [{ kind: 'freeze', at: faultAt, duration: 1 }],
        async ({ rig }) => {
          const forged = createStateSample();
          Object.assign(forged, {
            seq: 10 ** 6,
            timeUs: 10 ** 12,
            flags: 4,
            jointCount: 2,
            sensorCount: 2,
            valueCount: 8,
          });
          const injector =
            transport === 'mqtt'
              ? new RawMqttTransport(mosquitto.url, 'cartpole', 'rig')
              : new SerialInjector(`${rig.hostLink.replace(/\.host$/, '')}.rig`);
          const sniffer =
            transport === 'mqtt' ? new RawMqttTransport(mosquitto.url, 'cartpole', 'host') : undefined;
          if (sniffer) {
            sniffer.capture = true;
            await sniffer.open();
          }
          await injector.open();
          const peer = new RoguePeer(injector, wrongKey);
          await sleep(faultAt * 1000 - 300);
          const states = (sniffer?.captured ?? []).filter((c) => c.topic.endsWith('/rig/state')).slice(0, 50);
          const end = Date.now() + 1500;
          while (Date.now() < end) {
            if (injector instanceof RawMqttTransport)
              for (const s of states) injector.replay(s.topic, s.payload);
            forged.seq++;
            forged.timeUs += 2000;
            peer.forgedState(forged, 1 + (forged.seq % 7), 2 ** 40 + forged.seq);
            await sleep(5);
          }
          await Promise.all([injector.close(), sniffer?.close()]);
          return undefined;
        },
      ),
    'wrong-shape': (transport) =>
      faultRowWithOutsider(
        'wrong-shape',
        transport,
        'firmware bug: states with 0 joints while the rig is frozen',
        mosquitto,
        [{ kind: 'wrong-shape', at: faultAt, duration: 1 }],
      ),
    'foreign-echo': (transport) =>
      runRow(
        'foreign-echo',
        transport,
        'compromised rig: its states echo a command the runtime never sent',
        mosquitto,
        [{ kind: 'foreign-echo', at: faultAt }],
      ),
    'sequence-jump': (transport) =>
      runRow('sequence-jump', transport, 'firmware bug: the state sequence number jumps by 2^31', mosquitto, [
        { kind: 'sequence-jump', at: faultAt },
      ]),
    'nan-sensor': (transport) =>
      runRow('nan-sensor', transport, 'a sensor reads NaN', mosquitto, [
        { kind: 'sensor-nan', signal: 'pole.angle', at: faultAt },
      ]),
    'stuck-slider': (transport) =>
      faultRowWithOutsider('stuck-slider', transport, 'the actuated joint (cart slider) seizes', mosquitto, [
        { kind: 'stuck-joint', joint: 'slider', at: faultAt },
      ]),
    'stuck-hinge': (transport) =>
      faultRowWithOutsider('stuck-hinge', transport, 'the passive joint (pole hinge) seizes', mosquitto, [
        { kind: 'stuck-joint', joint: 'hinge', at: faultAt },
      ]),
    'after-latch': async (transport) => {
      // The runtime's safety layer latches (a NaN sensor), its latch reaches the rig; then an outsider
      // without the key, and on MQTT replays of every owner command captured before the fault, try
      // to move the latched rig while the runtime still runs.
      let replays: { topic: string; payload: Buffer }[] = [];
      let rigLog: string[] = [];
      let rigLatchedFirst = false;
      const row = await runRow(
        'after-latch',
        transport,
        transport === 'mqtt'
          ? 'after a host latch: an outsider replays the owner commands captured before it, forges commands, asks to activate/recover'
          : 'after a host latch: an outsider writes forged and unsealed commands and requests into the serial line',
        mosquitto,
        [{ kind: 'sensor-nan', signal: 'pole.angle', at: faultAt }],
        async ({ rig }) => {
          rigLog = rig.log;
          const sniffer =
            transport === 'mqtt' ? new RawMqttTransport(mosquitto.url, 'cartpole', 'rig') : undefined;
          if (sniffer) {
            sniffer.capture = true;
            await sniffer.open();
          }
          await sleep(faultAt * 1000);
          await sniffer?.close();
          replays = (sniffer?.captured ?? []).filter((c) => c.topic.endsWith('/host/command'));
          await until(() => rig.log.some((l) => /rig: e-stop from host/.test(l)), 2000);
          rigLatchedFirst = rig.log.some((l) => /rig: e-stop from host/.test(l));
          await outsider(transport, rig.hostLink, mosquitto, 1500, replays);
          return undefined;
        },
      );
      const recovered = rigLog.filter((l) => /recovered|activated/.test(l)).length;
      return {
        ...row,
        notes: `outsider started ${rigLatchedFirst ? 'once the rig logged the host e-stop' : 'after 2 s WITHOUT the rig logging the host e-stop'}; ${replays.length} owner commands replayed; rig lines 'activated'/'recovered' in all: ${recovered} (1: the owner's activate only)`,
      };
    },
    'position-jump': (transport) =>
      runRow('position-jump', transport, 'the hinge encoder jumps by 0.3 rad', mosquitto, [
        { kind: 'position-jump', joint: 'hinge', amount: 0.3, at: faultAt },
      ]),
    'nan-commands': async (transport) => {
      // A rogue owner: it holds the key and owns the rig, and sends NaN and infinite targets.
      const name = `nan-commands-${transport}`;
      const rig = await spawnRig(rigConfig(transport, name, [], mosquitto), work.path, name);
      const medium =
        transport === 'serial'
          ? new SerialTransport({ path: rig.hostLink, baudRate: 1_000_000, reconnectMs: 100 })
          : new RawMqttTransport(mosquitto.url, 'cartpole', 'host');
      const peer = new RoguePeer(medium, key);
      await medium.open();
      for (let i = 0; i < 100 && peer.hello === undefined; i++) {
        peer.askHello();
        await sleep(50);
      }
      peer.tryOpen();
      for (let i = 0; i < 100 && peer.auth.sessionId === 0; i++) await sleep(20);
      peer.request(RequestOp.activate);
      await sleep(200);
      for (let i = 0; i < 200; i++) {
        peer.command([[Number.NaN, Infinity, -Infinity][i % 3]!]);
        await sleep(5);
      }
      await medium.close();
      const report = await rig.stop();
      return {
        scenario: 'nan-commands',
        transport,
        what: 'a rogue owner (it holds the key) sends 200 NaN / ±inf targets',
        hostCycles: null,
        rigCycles: null,
        detectedHost: {},
        detectedRig: rigDetected(report),
        // The owner is the rogue here: what counts is that no non-finite target was applied.
        foreignApplied: report.commandsApplied,
        ticksLost: null,
        latched: null,
        notes: `rig applied ${report.commandsApplied} commands (every one sent was non-finite): refused as malformed while the session lasted, then as another session's once the rogue's lease ran out (refused commands do not renew it)`,
      };
    },
    'broker-restart': async (transport) => {
      if (transport === 'serial')
        return skipped('broker-restart', transport, 'MQTT only: a serial link has no broker');
      return runRow(
        'broker-restart',
        transport,
        'Mosquitto restarted during the run; an outsider without the key on the broker as it comes back',
        mosquitto,
        [],
        async ({ rig }) => {
          await sleep(faultAt * 1000 - 200);
          const start = epochMs();
          await mosquitto.restart();
          // An outsider on the restarted broker while the owner reconnects.
          await outsider(transport, rig.hostLink, mosquitto, 1500);
          return start;
        },
      );
    },
    'rig-restart': async (transport) => {
      let second: RigReport | undefined;
      const row = await runRow(
        'rig-restart',
        transport,
        'the rig process is killed (SIGKILL) and a new one started on the same link; an outsider without the key tries the new rig',
        mosquitto,
        [],
        async ({ rig }) => {
          await sleep(faultAt * 1000 - 200);
          const start = epochMs();
          await rig.kill();
          const name = `rig-restart-${transport}`;
          const again = await spawnRig(rigConfig(transport, name, [], mosquitto), work.path, `${name}-2`);
          // An outsider at the new rig, which nobody owns yet: open, activate, recover, commands.
          await outsider(transport, again.hostLink, mosquitto, 1500);
          second = await again.stop();
          return start;
        },
      );
      // The killed rig reports nothing (and applies nothing); its successor must not be moved by anyone.
      return {
        ...row,
        foreignApplied: second?.commandsApplied ?? Number.NaN,
        detectedRig: rigDetected(second),
        notes: `the new rig was never owned by the runtime (no operator recovered it): ${second?.sessions.length ?? '?'} sessions, ${second?.commandsApplied ?? '?'} commands applied, while the outsider tried it for 1.5 s`,
      };
    },
    'runtime-kill': async (transport) => {
      // kill -9 of the runtime: the rig's watchdog latches; nobody else owns the rig until the lease
      // ran out, and whoever does must recover it.
      const name = `runtime-kill-${transport}`;
      const rig = await spawnRig(rigConfig(transport, name, [], mosquitto), work.path, name);
      const config = runConfig(transport, rig, mosquitto, name);
      let killedAt = 0;
      const outcome = await runRuntime(
        config,
        name,
        async (child) => {
          await sleep(faultAt * 1000);
          killedAt = epochMs();
          child.kill('SIGKILL');
        },
        30,
      );
      // An outsider right after the kill, then a new runtime with the key.
      const medium =
        transport === 'serial'
          ? new SerialInjector(rig.hostLink)
          : new RawMqttTransport(mosquitto.url, 'cartpole', 'host');
      await medium.open();
      await outsiderBarrage(new RoguePeer(medium, wrongKey), 500);
      await medium.close();
      const successor = await hostRobot(transport, rig, mosquitto, { helloTimeoutMs: 5000 });
      const t0 = epochMs();
      await successor.configure();
      const tookOverMs = epochMs() - t0;
      await successor.shutdown();
      const report = await rig.stop();
      const log = outcome.log;
      const owner = ownerSessions(log);
      owner.sessions.add(report.sessions.at(-1)?.id ?? '');
      const lastTick = log && log.ticks.count > 0 ? log.ticks.tick[log.ticks.count - 1]! : -1;
      return {
        scenario: 'runtime-kill',
        transport,
        what: 'kill -9 of tether run; an outsider tries the rig at once; a new runtime takes over',
        hostCycles: null,
        rigCycles: rigCycles(report, killedAt),
        detectedHost: {},
        detectedRig: rigDetected(report),
        foreignApplied: foreignApplied(report, { sessions: owner.sessions, sent: Number.POSITIVE_INFINITY }),
        ticksLost: log === undefined ? null : lastTick + 1 - log.ticks.count,
        latched: null,
        notes: `log ${log?.truncated ? 'truncated, readable' : 'complete'} (${log?.ticks.count ?? 0} ticks); successor owned the rig after ${tookOverMs.toFixed(0)} ms`,
      };
    },
  };
}

function skipped(scenario: string, transport: Transport, why: string): Row {
  return {
    scenario,
    transport,
    what: why,
    hostCycles: null,
    rigCycles: null,
    detectedHost: {},
    detectedRig: {},
    foreignApplied: 0,
    ticksLost: null,
    latched: null,
    notes: 'not applicable',
  };
}

function fuzzC(): Record<string, unknown> {
  const firmware = join(repo, 'hardware/firmware');
  const cc = findBinary('cc') ?? findBinary('gcc');
  if (cc === undefined) return { skipped: 'no C compiler' };
  const driver = join(work.path, 'fuzz_main');
  const sources = ['fuzz/fuzz_main.c', 'fuzz/fuzz_rig.c', 'tether_protocol.c'].map((f) => join(firmware, f));
  const built = spawnSync(cc, [
    '-std=c99',
    '-O2',
    '-fsanitize=address,undefined',
    `-I${firmware}`,
    '-o',
    driver,
    ...sources,
  ]);
  if (built.status !== 0) return { skipped: built.stderr.toString() };
  const started = performance.now();
  const run = spawnSync(driver, [String(fuzzCases), '11', String(hangLimitSeconds * 1000)], {
    env: { ...process.env, TETHER_FUZZ_CONTINUE: '1' },
    timeout: fuzzRunLimitMs,
  });
  const result: Record<string, unknown> = {
    driver: {
      compiler: cc,
      sanitizers: 'address,undefined',
      hangLimitMs: hangLimitSeconds * 1000,
      seconds: (performance.now() - started) / 1000,
      // Killed at the run limit: an input that never returned.
      hungOutright: run.signal === 'SIGTERM',
      crashed: run.signal !== 'SIGTERM' && run.status !== 0 && run.stdout.length === 0,
      ...JSON.parse(run.stdout.toString() || '{}'),
    },
  };
  const clang = findBinary('clang');
  if (clang !== undefined) {
    const target = join(work.path, 'fuzz_rig');
    const b = spawnSync(clang, [
      '-O1',
      '-fsanitize=fuzzer,address,undefined',
      `-I${firmware}`,
      join(firmware, 'fuzz/fuzz_rig.c'),
      join(firmware, 'tether_protocol.c'),
      '-o',
      target,
    ]);
    if (b.status === 0) {
      const runs = fuzzCases;
      const t = performance.now();
      const f = spawnSync(
        target,
        [`-runs=${runs}`, '-max_len=600', '-seed=11', `-timeout=${hangLimitSeconds}`],
        { encoding: 'utf8', maxBuffer: 1 << 26, timeout: fuzzRunLimitMs },
      );
      // libFuzzer stops at its first finding: a hang (an input over -timeout) or a crash.
      const hang = /ERROR: libFuzzer: timeout/.test(f.stderr) || f.signal === 'SIGTERM';
      result['libFuzzer'] = {
        runs,
        timeoutSeconds: hangLimitSeconds,
        seconds: (performance.now() - t) / 1000,
        finished: /Done \d+ runs/.test(f.stderr),
        hangs: hang ? 1 : 0,
        findings: f.status === 0 ? 0 : 1,
        coverage: /cov: (\d+)/.exec(
          f.stderr
            .split('\n')
            .reverse()
            .find((l) => /cov:/.test(l)) ?? '',
        )?.[1],
      };
    }
  }
  return result;
}

async function main(): Promise<void> {
  const mosquitto = await startMosquitto();
  const loadBefore = loadavg()[0];
  const rows: Row[] = [];
  const all = scenarios(mosquitto);
  try {
    for (const [name, scenario] of Object.entries(all)) {
      if (only === 'fuzz') break;
      if (rowFilter !== undefined && !rowFilter.some((r) => name.includes(r))) continue;
      for (const transport of ['serial', 'mqtt'] as const) {
        process.stdout.write(`${name} over ${transport}...\n`);
        try {
          rows.push(await scenario(transport));
        } catch (error) {
          rows.push({ ...skipped(name, transport, 'FAILED'), notes: `FAILED: ${(error as Error).message}` });
        }
      }
    }
  } finally {
    await mosquitto.stop();
    // A row that failed midway may have left its rig (or runtime) running: it would keep this alive.
    killLeftovers();
  }
  printTable(
    'link security rows (cycles of 10 ms)',
    ['scenario', 'link', 'host cyc', 'after push', 'rig cyc', 'foreign applied', 'ticks lost', 'latched'],
    rows.map((r) => [
      r.scenario,
      r.transport,
      r.hostCycles ?? '–',
      r.cyclesAfterPush ?? '',
      r.rigCycles ?? '–',
      r.foreignApplied,
      r.ticksLost ?? '–',
      (r.latched ?? '').slice(0, 50),
    ]),
  );

  const fuzz: Record<string, unknown> = {};
  if (only !== 'rows' && process.env['SECURITY_SKIP_FUZZ'] === undefined) {
    for (const [name, f] of [
      ['hostStates', fuzzHostStates],
      ['rigCommands', fuzzRigCommands],
      ['hellos', fuzzHellos],
      ['frames', fuzzFrames],
    ] as const) {
      const t = performance.now();
      const stats = f(fuzzCases, 11, createFuzzStats(hangLimitSeconds * 1000));
      fuzz[`ts.${name}`] = { ...stats, seconds: (performance.now() - t) / 1000 };
      process.stdout.write(`fuzz ts ${name}: ${JSON.stringify(stats)}\n`);
    }
    fuzz['c'] = fuzzC();
    process.stdout.write(`fuzz c: ${JSON.stringify(fuzz['c'])}\n`);
  }
  const result = {
    benchmark: 'link-security',
    ...machineInfo(),
    loadAverage1m: { before: loadBefore, after: loadavg()[0] },
    method:
      'Each row: the emulated cartpole rig (tether rig, its own process, shipped dynamics and noise, watchdog 200 ms) and tether run (configs/cartpole-{serial,mqtt}.yaml, LQR at 100 Hz, staleAfterTicks ' +
      `${staleAfterTicks}) for ${runSeconds} s with its MCAP log; the fault or attack starts about ${faultAt} s in. Host cycles: ticks from the fault to the first tick the log shows latched; for stuck joints also after the push (cyclesAfterPush: from the first tick whose force differs by the configured 1 N from every force commanded within 2 cycles of the seizure). Rig cycles: the rig's latch time from its report, in 10 ms cycles. Foreign applied: commands the rig applied (per session, from its report) in sessions the owner never held, or beyond the last command the owner sent. Fuzz: structure-aware generators with a validity oracle (hardware/tools/fuzz.ts, hardware/firmware/fuzz), ${fuzzCases} inputs each, every input timed against a ${hangLimitSeconds} s hang limit (libFuzzer -timeout=${hangLimitSeconds}); hangs are inputs over it, slowestMs/slowestUs the slowest input.`,
    rows,
    fuzz,
    goals: {
      foreignApplied: rows.every((r) => r.foreignApplied === 0 || Number.isNaN(r.foreignApplied))
        ? 'met (0 in every row)'
        : 'NOT MET',
    },
  };
  if (process.env['SECURITY_MERGE'] !== undefined) {
    // Rerun rows replace theirs in the last results; everything else (fuzz included) stays.
    const previous = JSON.parse(readFileSync(resultsPath('link-security.json'), 'utf8')) as typeof result & {
      reruns?: unknown[];
    };
    const key = (r: Row) => `${r.scenario}/${r.transport}`;
    const fresh = new Map(rows.map((r) => [key(r), r]));
    const merged = {
      ...previous,
      rows: previous.rows.map((r) => fresh.get(key(r)) ?? r),
      reruns: [
        ...(previous.reruns ?? []),
        { ...machineInfo(), loadAverage1m: result.loadAverage1m, rows: [...fresh.keys()] },
      ],
    };
    merged.goals = {
      foreignApplied: merged.rows.every((r) => r.foreignApplied === 0 || Number.isNaN(r.foreignApplied))
        ? 'met (0 in every row)'
        : 'NOT MET',
    };
    writeFileSync(resultsPath('link-security.json'), `${JSON.stringify(merged, null, 2)}\n`);
  } else if (partial) {
    const file = resultsPath('link-security-partial.json');
    writeFileSync(file, `${JSON.stringify({ ...result, partial: { only, rows: rowFilter } }, null, 2)}\n`);
    process.stdout.write(`some rows or one part: written to ${file}, not the full results\n`);
  } else writeFileSync(resultsPath('link-security.json'), `${JSON.stringify(result, null, 2)}\n`);
  if (process.env['SECURITY_KEEP'] === undefined) work.remove();
  else process.stdout.write(`runs and logs kept in ${work.path}\n`);
}

await main();
