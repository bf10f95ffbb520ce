/**
 * Legged benchmark: the walking policy (controllers/policies/examples/quadruped-trot/, a
 * unitree_rl_lab-layout export read unchanged) under the deploy state machine, tracking a schedule of
 * velocity commands on the sim quadruped and on the emulated quadruped rig over serial and MQTT.
 * Reports velocity tracking (mean and RMS error per segment), falls per minute, the policy step time
 * (history-stacked 129-value input: assembly, inference, action mapping) at p50/p99 on ORT and the
 * kernel, and the loop and link timing of the rig runs.
 *
 *   npm run bench:legged                       (about 3 minutes; writes bench/results/legged.json)
 *   LEGGED_SECONDS=20 npm run bench:legged     (rig runs of 20 s instead of 40)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { plugins } from '../app/plugins.ts';
import {
  type CommandStep,
  WalkRecorder,
  walkMetrics,
} from '../controllers/policies/examples/quadruped-trot/metrics.ts';
import { PolicyController } from '../controllers/policies/policy-controller.ts';
import { runAgainstRig, spawnRig, temporaryDirectory, useTestLinkKey } from '../hardware/tools/processes.ts';
import { createEnv } from '../sim/envs/index.ts';
import { loadRunConfig, parseRunConfig } from '../src/config/load.ts';
import { CommandBoard } from '../src/core/commands.ts';
import { EventBuffer } from '../src/core/events.ts';
import { loadContract } from '../src/inference/contract.ts';
import { runFromConfig } from '../src/loop/runner.ts';
import { writeResults } from './report.ts';

useTestLinkKey();
const root = join(import.meta.dirname, '..');
const rigSeconds = Number(process.env['LEGGED_SECONDS'] ?? 40);
const simSeconds = 60;
const work = temporaryDirectory('tether-bench-legged');

/** Commands from 3 s on, 6 s each (the stand-up ends at 2 s). */
function schedule(seconds: number): CommandStep[] {
  const values: [number, number, number][] = [
    [0.5, 0, 0],
    [0.3, 0, 0.5],
    [0, 0, 0],
    [0.6, 0, -0.4],
    [-0.2, 0, 0],
    [0.2, 0.15, 0],
    [0.4, 0, 0.3],
    [0, 0, -0.6],
    [0.5, 0, 0],
  ];
  const steps: CommandStep[] = [];
  for (let k = 0; 3 + 6 * k < seconds && k < values.length; k++)
    steps.push({ at: 3 + 6 * k, value: values[k]! });
  return steps;
}

// biome-ignore lint/suspicious/noExplicitAny: shipped YAML configs, edited in place for the runs
type Yaml = Record<string, any>;

function withSchedule(config: Yaml, steps: CommandStep[]): Yaml {
  config['commands'] = {
    base_velocity: {
      ...(config['commands']?.['base_velocity'] ?? {}),
      initial: [0, 0, 0],
      schedule: steps.map((s) => ({ at: s.at, value: [...s.value] })),
    },
  };
  return config;
}

async function simRun() {
  const file = join(root, 'configs', 'quadruped-walk.yaml');
  const config = withSchedule(parse(readFileSync(file, 'utf8')), schedule(simSeconds));
  config['loop'] = { ...config['loop'], mode: 'fast' };
  const copy = join(root, 'configs', '.bench-quadruped-walk.yaml');
  writeFileSync(copy, stringify(config));
  const rec = new WalkRecorder();
  try {
    const result = await runFromConfig(
      loadRunConfig(copy, plugins),
      { duration: simSeconds },
      { sinks: [rec] },
    );
    return {
      metrics: walkMetrics(rec, schedule(simSeconds), { walkFrom: 2 }),
      activeAtEnd: result.report.activeController,
      latched: result.report.latched ?? null,
    };
  } finally {
    (await import('node:fs')).rmSync(copy, { force: true });
  }
}

/** The controller step alone (assembly with history, inference, action mapping), per backend. */
async function policyStep(backend: 'ort' | 'kernel', samples = 3000) {
  const env = await createEnv('quadruped', { controlDt: 0.02, drive: { mode: 'pd', damping: 4 } });
  const contractFile = join(root, 'controllers/policies/examples/quadruped-trot/policy.yaml');
  const contract = loadContract(contractFile);
  const controller = new PolicyController(
    {
      model: join(root, 'controllers/policies/examples/quadruped-trot', contract.model!),
      contract,
      baseDir: join(root, 'controllers/policies/examples/quadruped-trot'),
    },
    { backend, device: 'cpu', fallback: 'hold', budget_fraction: 1 },
  );
  try {
    await controller.configure({
      observation: env.observation,
      action: env.action,
      dt: 0.02,
      events: new EventBuffer(),
      commands: new CommandBoard(),
    });
    const obs = new Float64Array(env.observation.signals.length);
    const act = new Float64Array(env.action.signals.length);
    env.reset(obs);
    controller.reset(obs);
    const times: number[] = [];
    for (let k = 0; k < samples; k++) {
      const start = performance.now();
      const pending = controller.update(obs, k * 0.02, act);
      if (pending) await pending;
      times.push((performance.now() - start) * 1000);
      if (k % 10 === 0) env.step(act, obs);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
    return {
      backend: controller.backend,
      inputSize: 129,
      p50Micros: q(0.5),
      p99Micros: q(0.99),
      maxMicros: times[times.length - 1]!,
    };
  } finally {
    await controller.dispose();
    env.dispose();
  }
}

async function rigRun(transport: 'serial' | 'mqtt') {
  const rigFile = parse(readFileSync(join(root, 'configs/rig/quadruped.yaml'), 'utf8'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  rigFile['transport'] =
    transport === 'serial'
      ? { kind: 'serial', link: join(work.path, `quadruped-${transport}`) }
      : { kind: 'mqtt', listen: { port } };
  const rig = await spawnRig(rigFile, work.path, `rig-${transport}`);
  const runFile = join(root, 'configs', `quadruped-walk-${transport}.yaml`);
  const config = withSchedule(parse(readFileSync(runFile, 'utf8')), schedule(rigSeconds));
  if (transport === 'serial') config['robot']['path'] = rig.hostLink;
  else config['robot']['url'] = `mqtt://127.0.0.1:${port}`;
  config['robot']['helloTimeoutMs'] = 10000;
  config['controllers']['walk']['contract'] = join(
    root,
    'controllers/policies/examples/quadruped-trot/policy.yaml',
  );
  const rec = new WalkRecorder();
  const { result, rigReport: report } = await runAgainstRig(rig, () =>
    runFromConfig(
      parseRunConfig(stringify(config), join(work.path, `${transport}.yaml`), plugins),
      { duration: rigSeconds },
      { sinks: [rec] },
    ),
  );
  const r = result.report;
  return {
    transport,
    seconds: rigSeconds,
    metrics: walkMetrics(rec, schedule(rigSeconds), { walkFrom: 2 }),
    activeAtEnd: r.activeController,
    latched: r.latched ?? null,
    loop: {
      periodErrorP50Ms: r.periodError.p50 * 1e3,
      periodErrorP99Ms: r.periodError.p99 * 1e3,
      periodErrorMaxMs: r.periodError.max * 1e3,
      missedDeadlines: r.missedDeadlines,
      ticks: r.ticks,
    },
    link: result.link
      ? {
          counters: result.link.counters,
          roundTripP50Ms: result.link.roundTripMs?.p50 ?? null,
          roundTripP99Ms: result.link.roundTripMs?.p99 ?? null,
        }
      : null,
    rig: { overruns: report.overruns, latches: report.latches.map((l) => l.reason) },
  };
}

async function main(): Promise<void> {
  const started = new Date();
  const load = loadavg();
  const sim = await simRun();
  process.stdout.write(
    `sim: ${JSON.stringify(sim.metrics.segments.map((s) => [s.command, s.mean.map((v) => +v.toFixed(2))]))}\n`,
  );
  const step = [await policyStep('ort'), await policyStep('kernel')];
  process.stdout.write(`policy step: ${JSON.stringify(step)}\n`);
  const rigs: unknown[] = [];
  for (const transport of ['serial', 'mqtt'] as const) {
    try {
      const run = await rigRun(transport);
      rigs.push(run);
      const means = run.metrics.segments.map((g) => [g.command, g.mean.map((v) => +v.toFixed(2))]);
      process.stdout.write(`rig ${transport}: ${JSON.stringify(means)}\n`);
    } catch (error) {
      rigs.push({ transport, error: (error as Error).message });
      process.stdout.write(`rig ${transport} failed: ${(error as Error).message}\n`);
    }
  }
  const out = {
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      platform: `${platform()} ${release()}`,
      node: process.version,
      loadAverageAtStart: load,
      loadAverageAtEnd: loadavg(),
    },
    date: started.toISOString(),
    note: 'Shared 2-core machine; other jobs ran concurrently (see the load averages). Sim runs are on a virtual clock (fast); rig runs in real time.',
    sim: { seconds: simSeconds, ...sim },
    policyStep: step,
    rig: rigs,
  };
  writeResults('legged.json', out);
  work.remove();
  process.stdout.write('wrote bench/results/legged.json\n');
}

await main();
