import { constants as osConstants } from 'node:os';
import type { Command } from 'commander';
import { useTestLinkKey } from '../../../hardware/tools/processes.ts';
import { loadRunConfig } from '../../../src/config/load.ts';
import type { EventSink } from '../../../src/core/events.ts';
import { formatTaskOutcome } from '../../../src/loop/task-outcome.ts';
import { startLiveView } from '../../live/live-view.ts';
import { type ClosedLoopResult, runClosedLoop } from '../../loop/closed-loop.ts';
import { loadLoopConfig } from '../../loop/config.ts';
import { plugins } from '../../plugins.ts';

interface LoopFlags {
  rounds?: string;
  live?: boolean | string;
  quiet?: boolean;
  testKey?: boolean;
}

export function register(program: Command): void {
  program
    .command('loop')
    .description(
      'the closed sim-to-real loop: rounds of deploy → log → fine-tune → gate → swap on a running robot (docs/closed-loop.md)',
    )
    .argument('<config>', 'loop config (see configs/loop/)')
    .option('--rounds <n>', 'rounds, overriding the config')
    .option('--live [port]', 'serve the live view of the run (Foxglove WebSocket and a web page)')
    .option('--quiet', 'no status line and no events on stderr')
    .option('--test-key', 'use the public test link key when TETHER_LINK_KEY is unset (emulated rigs only)')
    .addHelpText(
      'after',
      '\nCtrl-C (SIGINT), SIGTERM or SIGHUP stops the loop cleanly: the round in progress ends at a tick boundary, the robot stops through its safe stop, then the learner and the rig; the logs are closed and what finished is printed.\nExit status: 0 when every round finished, 2 when the loop could not finish its rounds (it ended latched), 128 + the signal number when it was stopped by one (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP), 1 on an error.',
    )
    .action(async (file: string, flags: LoopFlags) => {
      const loaded = loadLoopConfig(file);
      const rounds = flags.rounds === undefined ? undefined : Number.parseInt(flags.rounds, 10);
      if (rounds !== undefined && !(rounds > 0))
        throw new Error(`--rounds: expected a positive integer, got '${flags.rounds}'`);
      const config = rounds === undefined ? loaded : { ...loaded, rounds };
      if (flags.testKey) useTestLinkKey();
      const tty = process.stderr.isTTY === true;
      const status = flags.quiet
        ? undefined
        : (line: string) => process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      const printer: EventSink = {
        emit: (e) => {
          if (flags.quiet) return;
          if (e.source === 'loop' || e.kind === 'controller-switch' || e.kind === 'fault')
            process.stderr.write(
              `${tty ? '\r\x1b[2K' : ''}[${e.time.toFixed(1)} s] ${e.kind} (${e.source}): ${e.message}\n`,
            );
        },
      };
      const live =
        flags.live === undefined
          ? undefined
          : await startLiveView(loadRunConfig(config.run, plugins), { port: flags.live });
      // Installed before the rig starts, so a Ctrl-C at any time ends in the safe stop.
      const stop = new AbortController();
      const onSignal = (signal: NodeJS.Signals): void => {
        if (stop.signal.aborted) {
          process.stderr.write(
            `\n${signal}: still stopping (the robot is being put in its safe state); SIGKILL abandons it\n`,
          );
          return;
        }
        stop.abort(signal);
      };
      const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
      for (const signal of signals) process.on(signal, onSignal);
      let result: ClosedLoopResult;
      try {
        result = await runClosedLoop(config, {
          stop: stop.signal,
          ...(status ? { status } : {}),
          sinks: live?.sinks ?? [],
          events: [printer, ...(live?.events ?? [])],
          onStart: (loop, robot, operator) => live?.attach(loop, robot, operator),
        });
      } finally {
        for (const signal of signals) process.off(signal, onSignal);
        await live?.close();
      }
      if (tty && status) process.stderr.write('\n');
      process.stdout.write(formatLoopResult(result));
      process.exitCode = loopExitCode(result);
    });
}

/** 128 + the signal's number when a signal stopped the loop (the shell's convention), 2 latched, else 0. */
export function loopExitCode(r: ClosedLoopResult): number {
  if (r.interrupted !== undefined) {
    const number = osConstants.signals[r.interrupted.reason as NodeJS.Signals];
    return number === undefined ? 1 : 128 + number;
  }
  return r.latched ? 2 : 0;
}

export function formatLoopResult(r: ClosedLoopResult): string {
  const lines = [
    `${r.name}: ${r.rounds.length} round${r.rounds.length === 1 ? '' : 's'} in ${r.wallSeconds.toFixed(0)} s`,
  ];
  if (r.interrupted)
    lines.push(
      `  INTERRUPTED by ${r.interrupted.reason} in round ${r.interrupted.round} (${r.interrupted.phase}): stopped at a tick boundary; the robot stopped through its safe stop, the learner and the rig after it; logs closed. The rounds below finished.`,
    );
  lines.push(
    '  round  version  real return (mean ± std, episodes, falls)  real data used  candidate  outcome',
  );
  for (const k of r.rounds) {
    lines.push(
      `  ${String(k.round).padEnd(5)}  ${k.version.padEnd(7)}  ${k.real.meanReturn.toFixed(2)} ± ${k.real.stdReturn.toFixed(2)} (${k.real.episodes}, ${k.real.falls})`.padEnd(
        64,
      ) +
        `  ${k.realTransitionsUsed ?? '-'}`.padEnd(15) +
        `  ${k.candidate ? `${k.candidate.version} ${k.candidate.sha256.slice(0, 8)}` : '-'}`.padEnd(20) +
        `  ${k.outcome}: ${k.detail}`,
    );
  }
  if (r.final)
    lines.push(
      `  final  ${r.final.version.padEnd(7)}  ${r.final.real.meanReturn.toFixed(2)} ± ${r.final.real.stdReturn.toFixed(2)} (${r.final.real.episodes}, ${r.final.real.falls})`,
    );
  const t = r.report;
  lines.push(
    `  loop: ${t.ticks} ticks, period error p99 ${(t.periodError.p99 * 1e6).toFixed(0)} µs max ${(t.periodError.max * 1e6).toFixed(0)} µs, ` +
      `missed deadlines ${t.missedDeadlines}, ${t.switches} switches${r.latched ? `, ended LATCHED (${r.latched})` : r.interrupted ? ', stopped through the safe stop' : ', ended in the safe state between episodes'}`,
  );
  if (r.task) lines.push(`  task (every episode, exploring ones included): ${formatTaskOutcome(r.task)}`);
  lines.push(`  output: ${r.output} (summary.json, ledger.jsonl, returns.svg, round-*.mcap, round-*/)`);
  return `${lines.join('\n')}\n`;
}
