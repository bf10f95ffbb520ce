import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { LinkRobot } from '../../../hardware/link/link-robot.ts';
import { RigState, type RigStatus, rigStateNames } from '../../../hardware/protocol/messages.ts';
import { loadRigConfig, parseRigConfig, type RigConfig } from '../../../hardware/rig/config.ts';
import { EmulatedRig, type RigReport } from '../../../hardware/rig/rig.ts';
import { idleV8Workers } from '../../../src/loop/background-threads.ts';
import { describeChange, requestedNice, setThreadNice } from '../../../src/loop/priority.ts';
import { quantile } from '../../../src/loop/timing.ts';

interface RigFlags {
  transport?: string;
  link?: string;
  broker?: string;
  port?: string;
  stats?: string;
  duration?: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  const rig = program
    .command('rig')
    .description('start the emulated rig: a MuJoCo robot behind the wire protocol, on a socat pty or MQTT')
    .argument('<config>', 'rig configuration (YAML, see configs/rig/)')
    .option('--transport <kind>', "override transport.kind: 'serial' or 'mqtt'")
    .option('--link <path>', 'serial: base path of the pty pair (the host opens <path>.host)')
    .option('--broker <url>', "mqtt: connect to this broker instead of the config's (or the embedded one)")
    .option('--port <port>', 'mqtt: port of the embedded broker (0 = any free port)')
    .option('--stats <file.json>', 'write counters, latencies and injected faults here on exit')
    .option('-d, --duration <seconds>', 'stop after this many seconds')
    .option('-q, --quiet', 'only print the ready line and errors')
    .action(async (file: string, flags: RigFlags) => {
      const config = withOverrides(loadRigConfig(file), flags);
      const seconds = parseDuration(flags.duration);
      const log = flags.quiet ? () => undefined : (line: string) => process.stderr.write(`rig: ${line}\n`);
      // The firmware loop gets the control loop's priority where permitted, before the rig starts
      // its link (a socat relay inherits it), so neither end starves the other on a busy machine.
      log(describeChange('rig', setThreadNice(requestedNice())));
      const rig = await EmulatedRig.create(config, dirname(resolve(file)), log);
      await rig.start();
      // After MuJoCo is compiled: an asynchronous WebAssembly compile waits for V8's workers.
      const v8Workers = await idleV8Workers();
      if (v8Workers !== undefined) log(v8Workers);
      const stopped = untilStopped(rig, seconds);
      // Announce only once SIGTERM is handled, so whoever waits for this line can stop us cleanly.
      process.stdout.write(
        `rig ${config.name ?? config.model} ready: ${config.transport.kind} ${rig.hostLink}\n`,
      );
      const report = await stopped;
      if (flags.stats) writeFileSync(flags.stats, JSON.stringify(report));
      if (!flags.quiet) printSummary(report);
    });
  rig
    .command('status')
    .description('ask a rig over its link how it is: idle, active or latched and why, ticks, latches, owner')
    .argument('<config>', 'the run configuration that drives the rig (its robot: section names the link)')
    .option('--json', 'print the answer as JSON')
    .addHelpText(
      'after',
      '\nAnswered to any holder of the link key; reading it commands nothing. Over a serial link only while no run holds the port.',
    )
    .action(async (file: string, flags: { json?: boolean }) => {
      const robot = await linkRobotOf(file, true);
      try {
        const status = await robot.rigStatus();
        process.stdout.write(
          flags.json ? `${JSON.stringify(describeStatus(status))}\n` : formatStatus(status),
        );
      } finally {
        await robot.shutdown();
      }
    });
  rig
    .command('recover')
    .description("clear a rig's latch as its owner, so the next run activates it without a restart")
    .argument('<config>', 'the run configuration that drives the rig (its robot: section names the link)')
    .addHelpText(
      'after',
      '\nTakes the rig the way a run does (the link key, and only while no other run owns it), asks it to recover, and releases it.\nExit status: 0 when the rig is not latched afterwards, 1 on an error.',
    )
    .action(async (file: string) => {
      const robot = await linkRobotOf(file, false);
      try {
        await robot.configure();
        const before = await robot.rigStatus();
        if (before.state !== RigState.latched) {
          process.stdout.write(`rig is ${rigStateNames[before.state]}, not latched: nothing to recover\n`);
          return;
        }
        await robot.recoverRig();
        const after = await robot.rigStatus();
        if (after.state === RigState.latched) throw new Error(`the rig is still latched: ${after.reason}`);
        process.stdout.write(
          `recovered: the rig was latched (${before.reason}); now ${rigStateNames[after.state]}\n`,
        );
      } finally {
        await robot.shutdown();
      }
    });
}

/** The link robot a run config names (serial or mqtt); `observer`: never announces itself on a broker. */
async function linkRobotOf(file: string, observer: boolean): Promise<LinkRobot> {
  // Loaded here: the rig itself needs no run-config plugins.
  const [{ loadRunConfig }, { plugins }, { createMqttRobot, mqttRobotSchema }] = await Promise.all([
    import('../../../src/config/load.ts'),
    import('../../plugins.ts'),
    import('../../../hardware/link/plugins.ts'),
  ]);
  const config = loadRunConfig(file, plugins);
  const { plugin, options } = config.robot;
  const context = { baseDir: config.baseDir, controlDt: 1 / config.loop.rateHz, seed: config.seed };
  if (plugin.kind === 'mqtt') return createMqttRobot(mqttRobotSchema.parse(options), context, observer);
  if (plugin.kind === 'serial') return (await plugin.create(options, context)) as LinkRobot;
  throw new Error(`${file}: robot.kind is '${plugin.kind}'; a rig answers over a link (kind serial or mqtt)`);
}

function describeStatus(s: RigStatus) {
  return {
    state: rigStateNames[s.state],
    reason: s.reason,
    owned: s.owned,
    ticks: s.ticks,
    latches: s.latches,
    commandsApplied: s.commandsApplied,
  };
}

function formatStatus(s: RigStatus): string {
  return (
    `${rigStateNames[s.state]}${s.state === RigState.latched ? `: ${s.reason}` : ''}\n` +
    `  owner: ${s.owned ? 'a run holds the rig' : 'none (free to take)'}\n` +
    `  ${s.ticks} inner-loop ticks, ${s.latches} latch${s.latches === 1 ? '' : 'es'}, ${s.commandsApplied} commands applied since the rig started\n`
  );
}

function withOverrides(config: RigConfig, flags: RigFlags): RigConfig {
  const kind = flags.transport ?? config.transport.kind;
  if (kind !== 'serial' && kind !== 'mqtt')
    throw new Error(`--transport: expected 'serial' or 'mqtt', got '${kind}'`);
  if (kind === 'serial') {
    const current = config.transport.kind === 'serial' ? config.transport : undefined;
    // A path on the command line is relative to the working directory, one in the file to the file.
    const link = flags.link === undefined ? current?.link : resolve(flags.link);
    if (link === undefined)
      throw new Error('--transport serial needs --link <path> (or transport.link in the config)');
    return parseRigConfig({ ...config, transport: { kind, link, baudRate: current?.baudRate ?? 1_000_000 } });
  }
  const current = config.transport.kind === 'mqtt' ? config.transport : { kind: 'mqtt' as const };
  const port = flags.port === undefined ? undefined : Number(flags.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new Error(`--port: expected a port number, got '${flags.port}'`);
  }
  const listen = 'listen' in current ? current.listen : undefined;
  return parseRigConfig({
    ...config,
    transport: {
      ...current,
      ...(flags.broker !== undefined ? { url: flags.broker } : {}),
      ...(port !== undefined ? { listen: { ...listen, port } } : {}),
    },
  });
}

function parseDuration(duration: string | undefined): number | undefined {
  if (duration === undefined) return undefined;
  const seconds = Number(duration);
  if (!(seconds > 0)) throw new Error(`--duration: expected a positive number of seconds, got '${duration}'`);
  return seconds;
}

/**
 * Resolves with the rig's report on SIGINT, SIGTERM or after `duration`, whichever comes first. The
 * duration's timer is cleared on a signal: a pending timer would keep the process alive until it ran.
 */
function untilStopped(rig: EmulatedRig, seconds: number | undefined): Promise<RigReport> {
  return new Promise((done) => {
    let stopping = false;
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      rig.stop().then(done, (error: Error) => {
        process.stderr.write(`rig: error while stopping: ${error.message}\n`);
        done(rig.report);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (seconds !== undefined) timer = setTimeout(stop, seconds * 1000);
  });
}

function printSummary(r: RigReport): void {
  const sorted = Float64Array.from(r.latencyUs).sort();
  const latency =
    sorted.length === 0
      ? 'no command answered a state'
      : `p50 ${quantile(sorted, 0.5).toFixed(0)} us  p99 ${quantile(sorted, 0.99).toFixed(0)} us  max ${sorted[sorted.length - 1]!.toFixed(0)} us`;
  process.stderr.write(
    `rig ${r.name}: ${r.statesSent} states sent, ${r.commandsReceived} commands received, ` +
      `${r.counters.crcErrors} CRC errors, ${r.decodeErrors} undecodable, ${r.overruns} overruns\n` +
      `  state->command latency ${latency}\n`,
  );
}
