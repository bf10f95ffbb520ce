import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadRunConfig, type RunConfig } from '../../../src/config/load.ts';
import type { EventSink } from '../../../src/core/events.ts';
import { readLog } from '../../../src/logging/reader.ts';
import { OperatorConsole } from '../../../src/loop/operator.ts';
import { describeChange, requestedNice, setProcessNice } from '../../../src/loop/priority.ts';
import { runFromConfig } from '../../../src/loop/runner.ts';
import { formatTaskOutcome } from '../../../src/loop/task-outcome.ts';
import { realtimeNodeFlags } from '../../../src/runtime/heap.ts';
import { startLiveView } from '../../live/live-view.ts';
import { plugins } from '../../plugins.ts';
import { runExitCode } from '../exit-code.ts';
import { formatMicros } from '../format.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = join(root, 'bin/tether.mjs');
const demoConfig = join(root, 'configs/demo.yaml');
const rigConfig = join(root, 'configs/rig/cartpole.yaml');

/**
 * The main job on embedded defaults: start the emulated cartpole rig as its own process with an
 * embedded MQTT broker, drive it with the bundled ONNX policy over MQTT in real time, log every
 * tick, stop the rig, and summarise what happened.
 */
export function register(program: Command): void {
  program
    .command('demo')
    .description('run the bundled ONNX policy against the emulated cartpole rig over an embedded MQTT broker')
    .option('-d, --duration <seconds>', 'seconds to run', '10')
    .option('-l, --log <file.mcap>', 'where to log every tick', 'runs/demo.mcap')
    .option('--live [port]', 'serve the live view: Foxglove WebSocket and a web page (default port 8765)')
    .action(async (flags: { duration: string; log: string; live?: boolean | string }) => {
      const duration = Number(flags.duration);
      if (!(duration > 0))
        throw new Error(`--duration: expected a positive number of seconds, got '${flags.duration}'`);
      const config = loadRunConfig(demoConfig, plugins);
      // The demo starts both ends, so it can give them a fresh key of their own (docs/security.md).
      if (process.env['TETHER_LINK_KEY'] === undefined) {
        process.env['TETHER_LINK_KEY'] = randomBytes(32).toString('hex');
        process.stdout.write(
          'link key: a fresh random one for this demo (set TETHER_LINK_KEY to choose it)\n',
        );
      }
      const rig = spawn(
        process.execPath,
        [
          ...realtimeNodeFlags,
          cli,
          'rig',
          rigConfig,
          '--transport',
          'mqtt',
          '--port',
          '0',
          '--quiet',
          '--duration',
          String(duration + 30),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        const brokerUrl = await rigReady(rig);
        process.stdout.write(`emulated cartpole rig up (separate process ${rig.pid}), broker ${brokerUrl}\n`);
        // The rig's firmware loop and the control loop must not starve each other: both get the
        // loop's priority where that is permitted, and each says whether it got it.
        process.stdout.write(`${describeChange('rig', setProcessNice(rig.pid!, requestedNice()))}\n`);
        const priorityLine: EventSink = {
          emit: (e) => {
            if (e.source === 'loop' && e.message.startsWith('loop priority'))
              process.stdout.write(`${e.message}\n`);
          },
        };
        const live = await startLiveView(config, { port: flags.live });
        const result = await runFromConfig(
          withBroker(config, brokerUrl),
          { duration, logPath: flags.log },
          {
            sinks: live?.sinks ?? [],
            events: [priorityLine, ...(live?.events ?? [])],
            onStart: (loop, robot) => live?.attach(loop, robot, new OperatorConsole(loop, robot)),
          },
        ).finally(() => live?.close());
        const r = result.report;
        const log = await readLog(flags.log);
        const angle = log.ticks.observationNames.indexOf('pole.angle');
        const n = log.ticks.observationSize;
        let worst = 0;
        for (let i = 0; i < log.ticks.tick.length; i++)
          worst = Math.max(worst, Math.abs(log.ticks.observation[i * n + angle]!));
        const final = log.ticks.observation[(log.ticks.tick.length - 1) * n + angle]!;
        process.stdout.write(
          [
            `the bundled ONNX policy drove the rig for ${r.loopSeconds.toFixed(1)} s: ${r.ticks} ticks at ${config.loop.rateHz} Hz over MQTT`,
            `  pole angle: worst |${worst.toFixed(3)}| rad, final ${final.toFixed(4)} rad`,
            `  period error p99 ${formatMicros(r.periodError.p99)}, compute p99 ${formatMicros(r.computeTime.p99)}, missed deadlines ${r.missedDeadlines}`,
            `  safety: ${r.latched ? `LATCHED (${r.latched})` : 'ok'}; robot left ${result.robotState}`,
            ...(result.task ? [`  task: ${formatTaskOutcome(result.task)}`] : []),
            `  log: ${flags.log} (${log.ticks.tick.length} ticks) — inspect with: npx tether log info ${flags.log}`,
            '',
          ].join('\n'),
        );
        process.exitCode = runExitCode(result);
      } finally {
        await stopRig(rig);
      }
    });
}

function withBroker(config: RunConfig, url: string): RunConfig {
  return { ...config, robot: { ...config.robot, options: { ...(config.robot.options as object), url } } };
}

/** Resolves with the broker URL from the rig's ready line. */
function rigReady(rig: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the emulated rig did not report ready within 30 s')),
      30_000,
    );
    const lines = createInterface({ input: rig.stdout! });
    lines.on('line', (line) => {
      const url = /ready: mqtt (mqtt:\/\/\S+)/.exec(line)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    rig.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulated rig exited (code ${code}) before it was ready`));
    });
  });
}

function stopRig(rig: ChildProcess): Promise<void> {
  if (rig.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => rig.kill('SIGKILL'), 5000);
    rig.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    rig.kill('SIGTERM');
  });
}
