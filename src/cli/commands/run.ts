import type { Command } from 'commander';
import { loadRunConfig } from '../../config/load.ts';
import type { ClockMode } from '../../config/schema.ts';
import { type RunResult, runFromConfig } from '../../loop/runner.ts';
import { formatMicros } from '../format.ts';

interface RunFlags {
  duration?: string;
  log?: string;
  realtime?: boolean;
  fast?: boolean;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run a controller against a robot (simulated or real) as described by a YAML config')
    .argument('<config>', 'run configuration (YAML)')
    .option('-d, --duration <seconds>', 'stop after this many seconds of loop time')
    .option('-l, --log <file.mcap>', 'log every tick to this MCAP file (overrides log.path)')
    .option('--realtime', 'tick on the wall clock (default unless the config says fast)')
    .option('--fast', 'tick on a virtual clock, as fast as possible (training, tests)')
    .action(async (file: string, flags: RunFlags) => {
      const config = loadRunConfig(file);
      const duration = parseDuration(flags.duration);
      if (flags.realtime && flags.fast) throw new Error('--realtime and --fast exclude each other');
      const mode: ClockMode | undefined = flags.fast ? 'fast' : flags.realtime ? 'realtime' : undefined;
      const logPath = flags.log ?? config.log.path;
      const status = process.stderr.isTTY ? new StatusLine() : undefined;
      // Installed before anything connects, so Ctrl-C during start-up also ends in the safe state.
      let signalled: NodeJS.Signals | undefined;
      let stopLoop: (() => void) | undefined;
      const onSignal = (signal: NodeJS.Signals): void => {
        signalled = signal;
        stopLoop?.();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const result = await runFromConfig(
        config,
        { duration, mode, logPath },
        {
          onStart: (loop) => {
            stopLoop = () => loop.stop();
            if (signalled) loop.stop();
            status?.start(loop.record, config.loop.rateHz);
          },
          events: [
            {
              emit: (e) =>
                process.stderr.write(`[${e.time.toFixed(3)} s] ${e.kind} (${e.source}): ${e.message}\n`),
            },
          ],
        },
      );
      status?.stop();
      printReport(config.name, result, signalled);
    });
}

function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`--duration: expected a positive number of seconds, got '${text}'`);
  return seconds;
}

/** One line on stderr, redrawn once a second, for long runs. */
class StatusLine {
  private timer: NodeJS.Timeout | undefined;
  start(
    record: { tick: number; deadline: number; missedDeadlines: number; mode: number },
    rateHz: number,
  ): void {
    this.timer = setInterval(() => {
      process.stderr.write(
        `\r  t=${record.deadline.toFixed(1)} s  ticks=${record.tick + 1}  rate=${rateHz} Hz  missed=${record.missedDeadlines}  mode=${record.mode}   `,
      );
    }, 1000);
    this.timer.unref();
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    process.stderr.write('\n');
  }
}

function printReport(name: string, result: RunResult, signalled: NodeJS.Signals | undefined): void {
  const r = result.report;
  const lines = [
    `${name}: ${r.ticks} ticks over ${r.loopSeconds.toFixed(2)} s of loop time (${r.wallSeconds.toFixed(2)} s wall)${signalled === 'SIGINT' ? ', stopped by Ctrl-C' : signalled ? `, stopped by ${signalled}` : ''}`,
    `  period error  p50 ${formatMicros(r.periodError.p50)}  p99 ${formatMicros(r.periodError.p99)}  max ${formatMicros(r.periodError.max)}`,
    `  compute time  p50 ${formatMicros(r.computeTime.p50)}  p99 ${formatMicros(r.computeTime.p99)}  max ${formatMicros(r.computeTime.max)}`,
    `  missed deadlines ${r.missedDeadlines}, late results dropped ${r.lateTicks}, safety interventions ${r.safetyInterventions}, controller errors ${r.controllerErrors}`,
    `  safety: ${r.latched ? `LATCHED (${r.latched})` : 'ok'}; robot left ${result.robotState}`,
  ];
  const log = result.log;
  if (log)
    lines.push(
      `  log: ${log.path} (${log.ticks} ticks, ${log.events} events, ${log.droppedTicks} dropped, ${log.bytes} bytes)`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
}
