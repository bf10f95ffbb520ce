/**
 * Link benchmark: observation-to-command latency (a state frame leaves the emulated rig -> the command
 * answering it arrives at the rig, both timed by the rig), dropped frames, and control cycles from each
 * injected fault to the runtime's safe state.
 *
 *   npm run bench:links            (about 5 minutes; writes bench/results/links.json)
 *   LINKS_SECONDS=3 npm run bench:links   (shorter runs per scenario)
 *   LINKS_NICE=-10 npm run bench:links    (host, rigs and Mosquitto at nice -10; needs CAP_SYS_NICE)
 *   LINKS_ONLY=pty,500 npm run bench:links   (only the latency rows whose link, rate or controller is
 *                                            listed in each group given, no fault rows; writes links-only.json)
 *   TETHER_V8_WORKERS=idle npm run bench:links  (host and rigs put V8's workers in SCHED_IDLE; -v8-idle.json)
 *
 * This process stands in for `tether run`'s host side and runs, like the rigs it spawns (spawnRig),
 * without V8's memory reducer (`node --no-memory-reducer`, see src/runtime/heap.ts): with it,
 * an event-driven host that looks idle to V8 compacts its heap about 8 s in and a burst of commands
 * comes 5–8 ms late. `tether run`'s own main thread runs its loop and was not seen to (`tether demo
 * --duration 14` under --trace-gc: compactions only on worker isolates, which the runtime now starts
 * without a reducer).
 * Rows of another length than 6 s write links[-only]-<seconds>s[-v8-idle].json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { join } from 'node:path';
import { plugins } from '../app/plugins.ts';
import type { LinkRobot } from '../hardware/link/link-robot.ts';
import { mqttRobotPlugin, serialRobotPlugin } from '../hardware/link/plugins.ts';
import type { FaultSpec, RigConfigInput } from '../hardware/rig/config.ts';
import {
  freeLoopbackPort,
  type Mosquitto,
  type RigProcess,
  spawnRig,
  startMosquitto,
  temporaryDirectory,
  useTestLinkKey,
} from '../hardware/tools/processes.ts';
import { parseRunConfig } from '../src/config/load.ts';
import type { Robot } from '../src/core/robot.ts';
import { loadPolicy } from '../src/inference/load.ts';
import { randomMlp } from '../src/inference/mlp.ts';
import { mlpToOnnx } from '../src/inference/onnx/build.ts';
import type { Policy } from '../src/inference/policy.ts';
import { idleV8Workers } from '../src/loop/background-threads.ts';
import { describeChange, requestedNice, setThreadNice } from '../src/loop/priority.ts';
import { runFromConfig } from '../src/loop/runner.ts';
import { SafetyFlag } from '../src/safety/types.ts';

type LinkKind = 'pty' | 'mqtt-embedded' | 'mqtt-mosquitto';
/** trivial: a PD in TypeScript; onnx-ort: ONNX Runtime (async run); onnx-kernel: the same ONNX model on the synchronous WASM kernel. */
type ControllerKind = 'trivial' | 'onnx-ort' | 'onnx-kernel';

// Rig and host share the public test key (TETHER_LINK_KEY, unless set).
useTestLinkKey();
const seconds = Number(process.env['LINKS_SECONDS'] ?? 6);
/** LINKS_ONLY: a subset of the latency rows (e.g. `pty,500`); a group none of whose values is listed runs whole. */
const only = process.env['LINKS_ONLY']?.split(',');
function pick<T extends string | number>(values: readonly T[]): readonly T[] {
  const chosen = values.filter((v) => only?.includes(String(v)));
  return chosen.length > 0 ? chosen : values;
}
/**
 * Priority: by default nothing is raised (TETHER_LOOP_NICE=0), so the figures are what an
 * unprivileged user gets at nice 0. LINKS_NICE=-10 asks for nice -10 for this process's main thread
 * (which answers the states), the rigs (`tether rig` raises itself from TETHER_LOOP_NICE) and
 * Mosquitto (started from this thread, it inherits its nice value); it needs CAP_SYS_NICE.
 */
process.env['TETHER_LOOP_NICE'] = process.env['LINKS_NICE'] ?? '0';
const hostPriority = describeChange('host', setThreadNice(requestedNice()));
const hostV8Workers = (await idleV8Workers()) ?? 'V8 worker threads: normal priority';
const work = temporaryDirectory('tether-bench-links');
const context = { baseDir: work.path, controlDt: 0.01, seed: 0 };

function rigConfig(
  link: LinkKind,
  rateHz: number,
  broker: { port?: number; url?: string },
  faults: FaultSpec[] = [],
): RigConfigInput {
  const transport =
    link === 'pty'
      ? { kind: 'serial' as const, link: join(work.path, 'link') }
      : link === 'mqtt-embedded'
        ? { kind: 'mqtt' as const, listen: { port: broker.port! } }
        : { kind: 'mqtt' as const, url: broker.url! };
  return { model: 'cartpole', transport, stateRateHz: rateHz, innerLoopHz: 1000, watchdogMs: 500, faults };
}

function hostRobot(link: LinkKind, rig: RigProcess, brokerUrl: string | undefined): Promise<LinkRobot> {
  if (link === 'pty') {
    return serialRobotPlugin.create(
      serialRobotPlugin.schema.parse({ path: rig.hostLink }),
      context,
    ) as Promise<LinkRobot>;
  }
  return mqttRobotPlugin.create(
    mqttRobotPlugin.schema.parse({ robot: 'cartpole', url: brokerUrl }),
    context,
  ) as Promise<LinkRobot>;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface LatencyRow {
  link: LinkKind;
  rateHz: number;
  controller: ControllerKind;
  samples: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  /** Seconds into the row (by the count of answered states) when the slowest command came. */
  maxAtSecond: number;
  statesSent: number;
  statesReceived: number;
  statesLost: number;
  commandsSent: number;
  commandsReceived: number;
  crcErrors: number;
  /** 1-minute load average when the row ended: other work on the machine sets the tails. */
  loadAverage1m: number;
  /** Why the host's link faulted during the row, if it did. */
  robotFault: string | undefined;
}

/** Answers every state at once (event-driven), so the figure is link + decode + controller + encode. */
async function latencyScenario(
  link: LinkKind,
  rateHz: number,
  controller: ControllerKind,
  policy: Policy | undefined,
  mosquitto: Mosquitto,
): Promise<LatencyRow> {
  const port = await freeLoopbackPort();
  const brokerUrl =
    link === 'mqtt-embedded'
      ? `mqtt://127.0.0.1:${port}`
      : link === 'mqtt-mosquitto'
        ? mosquitto.url
        : undefined;
  const rig = await spawnRig(
    rigConfig(link, rateHz, { port, url: mosquitto.url }),
    work.path,
    `rig-${link}-${rateHz}`,
  );
  const robot = await hostRobot(link, rig, brokerUrl);
  await robot.configure();
  await robot.activate();
  const observation = new Float64Array(robot.info.observation.signals.length);
  const action = new Float64Array(robot.info.action.signals.length);
  const input = new Float32Array(policy?.inputSize ?? 0);
  const output = new Float32Array(policy?.outputSize ?? 0);
  let busy = false;
  // Commands written in answer to a state; deactivate's own command, after the row, is not one.
  let answered = 0;
  robot.onSample(() => {
    robot.read(observation);
    if (controller === 'trivial') {
      action[0] = -10 * observation[1]! - 1 * observation[3]!;
      robot.write(action);
      answered++;
      return;
    }
    // An async policy still running when the next state arrives skips that state (counted below).
    if (busy) return;
    for (let i = 0; i < observation.length; i++) input[i] = observation[i]!;
    const pending = policy!.act(input, output);
    if (pending === undefined) {
      action[0] = output[0]!;
      robot.write(action);
      answered++;
      return;
    }
    busy = true;
    pending.then(() => {
      action[0] = output[0]!;
      robot.write(action);
      answered++;
      busy = false;
    });
  });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  robot.onSample(undefined);
  // On a loaded machine the link can time out: the row keeps its figures and says so.
  const robotFault = robot.state === 'fault' ? robot.faultReason : undefined;
  if (robot.state === 'running') await robot.deactivate();
  await robot.shutdown();
  const stats = robot.statistics;
  const report = await rig.stop();
  // In arrival order, the first `answered` are the answers (commands arrive in the order sent).
  const latencies = report.latencyUs.slice(0, answered);
  const sorted = [...latencies].sort((a, b) => a - b);
  // Where in the row the worst command came: start-up or steady state.
  const worst = latencies.indexOf(sorted.at(-1) ?? Number.NaN);
  return {
    link,
    rateHz,
    controller,
    samples: sorted.length,
    p50Us: quantile(sorted, 0.5),
    p99Us: quantile(sorted, 0.99),
    maxUs: sorted.at(-1) ?? Number.NaN,
    maxAtSecond: worst < 0 ? Number.NaN : worst / rateHz,
    statesSent: report.statesSent,
    statesReceived: stats.statesReceived,
    statesLost: stats.statesLost,
    commandsSent: stats.commandsSent,
    commandsReceived: report.commandsReceived,
    crcErrors: stats.crcErrors + report.counters.crcErrors,
    loadAverage1m: loadavg()[0]!,
    robotFault,
  };
}

const faultCases: { name: string; fault?: FaultSpec }[] = [
  { name: 'freeze', fault: { kind: 'freeze', at: 1, duration: 1 } },
  { name: 'disconnect', fault: { kind: 'disconnect', at: 1, duration: 1 } },
  { name: 'sensor-nan', fault: { kind: 'sensor-nan', signal: 'pole.angle', at: 1, duration: 0.5 } },
  {
    name: 'drop-all-states',
    fault: { kind: 'drop', probability: 1, direction: 'state', at: 1, duration: 1 },
  },
  { name: 'corrupt-all-frames', fault: { kind: 'corrupt', probability: 1, at: 1, duration: 1 } },
  { name: 'rig-estop', fault: { kind: 'estop', at: 1 } },
  { name: 'rig-killed' },
];

interface FaultRow {
  link: LinkKind;
  fault: string;
  staleAfterTicks: number;
  /** Control ticks from the first tick at or after the fault to the first in the safe state. */
  cyclesToSafe: number;
  latchReason: string | undefined;
  robotFault: string | undefined;
}

const staleAfterTicks = 10;

/** Runs the real control loop (LQR at 100 Hz) against the rig and injects one fault at 1 s. */
async function faultScenario(
  link: Exclude<LinkKind, 'mqtt-embedded'>,
  c: (typeof faultCases)[number],
  mosquitto: Mosquitto,
): Promise<FaultRow> {
  const rig = await spawnRig(
    rigConfig(link, 500, { url: mosquitto.url }, c.fault ? [c.fault] : []),
    work.path,
    `fault-${link}-${c.name}`,
  );
  const robotYaml =
    link === 'pty'
      ? `  kind: serial\n  path: ${rig.hostLink}\n`
      : `  kind: mqtt\n  robot: cartpole\n  url: ${mosquitto.url}\n`;
  const yaml = `robot:\n${robotYaml}controller:\n  kind: lqr\n  model: cartpole\nloop:\n  rateHz: 100\nsafety:\n  staleAfterTicks: ${staleAfterTicks}\n`;
  const config = parseRunConfig(yaml, join(work.path, `fault-${link}-${c.name}.yaml`), plugins);
  const ticks: { epochMs: number; safe: boolean }[] = [];
  let robot: Robot | undefined;
  let killedAt = Number.NaN;
  const result = await runFromConfig(
    config,
    { duration: 3 },
    {
      onStart: (_loop, r) => {
        robot = r;
        if (c.fault === undefined) {
          setTimeout(() => {
            killedAt = performance.timeOrigin + performance.now();
            void rig.kill();
          }, 1000);
        }
      },
      sinks: [
        {
          writeTick: (record) => {
            const latched = (record.safetyFlags & (SafetyFlag.estop | SafetyFlag.fault)) !== 0;
            ticks.push({
              epochMs: performance.timeOrigin + performance.now(),
              safe: latched || robot?.state === 'fault',
            });
          },
        },
      ],
    },
  );
  let faultAt = killedAt;
  if (c.fault !== undefined) {
    const report = await rig.stop();
    faultAt = report.faults[0]?.startEpochMs ?? Number.NaN;
  } else {
    // The killed rig's socat is still alive (it held the pty); a new rig on the same link retires it.
    if (link === 'pty') await (await spawnRig(rigConfig(link, 500, {}), work.path, 'cleanup')).stop();
  }
  const start = ticks.findIndex((t) => t.epochMs >= faultAt);
  const safe = ticks.findIndex((t, i) => i >= start && t.safe);
  // A latch before the fault (a stall of the loaded machine looks like a stale link) voids the row.
  const safeTooEarly = start > 0 && ticks[start - 1]!.safe;
  return {
    link,
    fault: c.name,
    staleAfterTicks,
    cyclesToSafe: start < 0 || safe < 0 || safeTooEarly ? Number.NaN : safe - start + 1,
    latchReason: result.report.latched,
    robotFault: robot?.faultReason,
  };
}

function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

async function main(): Promise<void> {
  // Other work on the machine sets the tails; keep its load next to the figures.
  const loadBefore = loadavg()[0];
  console.log(
    `${hostPriority}; rigs and Mosquitto ask for TETHER_LOOP_NICE=${process.env['TETHER_LOOP_NICE']}`,
  );
  console.log(`host ${hostV8Workers} (the rigs follow TETHER_V8_WORKERS too)`);
  const mosquitto = await startMosquitto();
  const onnx = mlpToOnnx(randomMlp([4, 64, 64, 1], 'tanh', 1));
  // Loaded only when a row needs them: ONNX Runtime's threads stay out of the other rows' process.
  const policies: Partial<Record<Exclude<ControllerKind, 'trivial'>, Policy>> = {};
  const policyFor = async (kind: Exclude<ControllerKind, 'trivial'>): Promise<Policy> => {
    policies[kind] ??= await loadPolicy(onnx, {
      backend: kind === 'onnx-ort' ? 'ort' : 'kernel',
      warmup: 200,
    });
    return policies[kind];
  };
  const latency: LatencyRow[] = [];
  const faults: FaultRow[] = [];
  try {
    console.log(
      `observation-to-command latency (rig clock), ${seconds} s per row, controller answers every state`,
    );
    for (const link of pick(['pty', 'mqtt-embedded', 'mqtt-mosquitto'] as const)) {
      for (const rateHz of pick([100, 500])) {
        for (const controller of pick(['trivial', 'onnx-ort', 'onnx-kernel'] as const)) {
          const policy = controller === 'trivial' ? undefined : await policyFor(controller);
          const row = await latencyScenario(link, rateHz, controller, policy, mosquitto);
          latency.push(row);
          console.log(
            `${link.padEnd(15)} ${String(rateHz).padStart(4)} Hz ${controller.padEnd(11)} p50 ${row.p50Us.toFixed(0).padStart(6)} us  p99 ${row.p99Us.toFixed(0).padStart(6)} us  max ${row.maxUs.toFixed(0).padStart(7)} us at ${row.maxAtSecond.toFixed(1).padStart(4)} s  load ${row.loadAverage1m.toFixed(2)}  lost ${row.statesLost}/${row.statesSent} states, ${row.commandsSent - row.commandsReceived}/${row.commandsSent} commands${row.robotFault ? `  FAULT: ${row.robotFault}` : ''}`,
          );
        }
      }
    }
    console.log(
      `\ncycles from injected fault to safe state (LQR, 100 Hz, staleAfterTicks ${staleAfterTicks})`,
    );
    for (const link of only ? [] : (['pty', 'mqtt-mosquitto'] as const)) {
      for (const c of faultCases) {
        let row = await faultScenario(link, c, mosquitto);
        if (Number.isNaN(row.cyclesToSafe)) row = await faultScenario(link, c, mosquitto);
        faults.push(row);
        console.log(
          `${link.padEnd(15)} ${c.name.padEnd(19)} ${String(row.cyclesToSafe).padStart(3)} cycles  (${row.latchReason ?? row.robotFault ?? 'not latched'})`,
        );
      }
    }
  } finally {
    for (const policy of Object.values(policies)) await policy?.dispose();
    await mosquitto.stop();
    work.remove();
  }
  mkdirSync('bench/results', { recursive: true });
  const loadAfter = loadavg()[0];
  const result = {
    benchmark: 'links',
    loadAverage1m: { before: loadBefore, after: loadAfter },
    date: new Date().toISOString(),
    machine: machine(),
    secondsPerRow: seconds,
    nice: Number(process.env['TETHER_LOOP_NICE']),
    priority: hostPriority,
    v8Workers: hostV8Workers,
    method:
      'Rig (tether rig, separate process, MuJoCo cartpole, 1 kHz firmware loop) timestamps each state message as it sends it and each command as it arrives; the command echoes the state it answers. Host answers every state at once (event-driven). onnx-ort = ONNX Runtime CPU (async), onnx-kernel = the synchronous WASM-SIMD kernel, both running the same ONNX MLP 4-64-64-1; an async policy still busy when the next state arrives skips it (commands < states). Mosquitto runs with set_tcp_nodelay.',
    latency,
    faults,
  };
  // A subset, other row lengths and TETHER_V8_WORKERS=idle keep their own files; the default stays.
  const variant = `${seconds !== 6 ? `-${seconds}s` : ''}${process.env['TETHER_V8_WORKERS'] === 'idle' ? '-v8-idle' : ''}`;
  const file = `bench/results/${only ? 'links-only' : 'links'}${variant}.json`;
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${file}`);
}

await main();
