import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  killLeftovers,
  type Mosquitto,
  spawnRig,
  startMosquitto,
  temporaryDirectory,
  useTestLinkKey,
} from '../../hardware/tools/processes.ts';
import { loadLogDataset } from '../../src/learning/log-dataset.ts';
import { readLog } from '../../src/logging/reader.ts';
import { tether } from '../support/cli.ts';

// The rig and the CLI runs it spawns share the public test key (never a real rig's).
useTestLinkKey();
const configs = join(import.meta.dirname, '../../configs');
const work = temporaryDirectory('tether-run-e2e');
// A failed test must not leave a rig running.
afterAll(killLeftovers);
let mosquitto: Mosquitto;

beforeAll(async () => {
  mosquitto = await startMosquitto();
});

afterAll(async () => {
  await mosquitto?.stop();
  work.remove();
});

/**
 * The shipped config with the robot section pointed at this test's link, and more staleness headroom
 * (250 ms) than the shipped 100 ms: test files run in parallel on a 2-core CI machine.
 */
function hostConfig(file: string, robotLines: Record<string, string>): string {
  let text = readFileSync(join(configs, file), 'utf8').replace('staleAfterTicks: 10', 'staleAfterTicks: 25');
  for (const [from, to] of Object.entries(robotLines)) text = text.replace(from, to);
  const out = join(work.path, file);
  writeFileSync(out, text);
  return out;
}

describe('tether rig + tether run: the same config drives the rig over a pty and over MQTT', () => {
  it('the two shipped configs differ only in the robot section', () => {
    const serial = readFileSync(join(configs, 'cartpole-serial.yaml'), 'utf8').split('\n');
    const mqtt = readFileSync(join(configs, 'cartpole-mqtt.yaml'), 'utf8').split('\n');
    const differing = serial
      .map((line, i) => [line, mqtt[i]])
      .filter(([a, b]) => a !== b && !a!.startsWith('#') && !a!.startsWith('name:'));
    expect(differing).toEqual([
      ['  kind: serial', '  kind: mqtt'],
      ['  path: ../runs/cartpole-link.host', '  robot: cartpole'],
    ]);
  });

  it('balances the emulated cartpole over a socat pty, logs every tick, and the log becomes a LeRobot dataset', async () => {
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'serial', link: join(work.path, 'pty') }, watchdogMs: 1000 },
      work.path,
      'pty',
    );
    const config = hostConfig('cartpole-serial.yaml', {
      'path: ../runs/cartpole-link.host': `path: ${rig.hostLink}`,
    });
    const log = join(work.path, 'serial.mcap');
    const result = await tether(['run', config, '--duration', '3', '--log', log]);
    const report = await rig.stop();
    expect(result.stderr).not.toMatch(/tether:/);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').find((l) => l.includes('safety:'))).toMatch(/safety: ok/);
    const ticks = Number(/(\d+) ticks over/.exec(result.stdout)![1]);
    const read = await readLog(log);
    expect(read.ticks.tick.length).toBe(ticks);
    expect(read.robot?.transport).toBe('serial');
    expect(report.commandsApplied).toBeGreaterThan(ticks / 2);

    // The rig's log is a dataset of the run config's task, and LeRobot reads it: build, export, and
    // read the frames back with an independent Parquet reader.
    const datasetFile = join(work.path, 'serial-dataset.json');
    const built = await tether(['dataset', 'build', log, '-o', datasetFile]);
    expect(built.code, built.stderr).toBe(0);
    const exported = join(work.path, 'serial-lerobot');
    const exportRun = await tether(['dataset', 'export', datasetFile, '--format', 'lerobot', '-o', exported]);
    expect(exportRun.code, exportRun.stderr).toBe(0);
    const info = JSON.parse(readFileSync(join(exported, 'meta/info.json'), 'utf8'));
    expect(info).toMatchObject({ codebase_version: 'v3.0', fps: 100 });
    const dataset = await loadLogDataset(datasetFile);
    // A clean run is one episode: every tick but the last begins a transition.
    expect(dataset.episodes.map((e) => [e.firstTick, e.transitions])).toEqual([
      [read.ticks.tick[0], ticks - 1],
    ]);
    const file = readFileSync(join(exported, 'data/chunk-000/file-000.parquet'));
    const frames = await parquetReadObjects({
      file: file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer,
    });
    expect(frames.length).toBe(info.total_frames);
    expect(frames.length).toBe(dataset.size);
    // Each frame's state is what the rig sent at that tick, as float32, signal by signal.
    const names: string[] = info.features['observation.state'].names;
    const logged = read.ticks;
    for (const k of [0, Math.floor(frames.length / 2), frames.length - 1]) {
      const state = frames[k]!['observation.state'] as number[];
      names.forEach((name, i) => {
        const column = logged.observationNames.indexOf(name);
        const value = logged.observation[k * logged.observationSize + column]!;
        expect(state[i], `frame ${k} ${name}`).toBe(Math.fround(value));
      });
    }
  });

  it('balances it over MQTT (Mosquitto); a frozen rig mid-run latches the safe state and the log keeps every tick', async () => {
    const rig = await spawnRig(
      {
        model: 'cartpole',
        transport: { kind: 'mqtt', url: mosquitto.url },
        watchdogMs: 1000,
        faults: [{ kind: 'freeze', at: 1.5, duration: 0.8 }],
      },
      work.path,
      'mqtt',
    );
    const config = hostConfig('cartpole-mqtt.yaml', {
      'robot: cartpole': `robot: cartpole\n  url: ${mosquitto.url}`,
    });
    const log = join(work.path, 'mqtt.mcap');
    const result = await tether(['run', config, '--duration', '3', '--log', log]);
    await rig.stop();
    expect(result.stderr).not.toMatch(/tether:/);
    expect(result.stdout).toMatch(/safety: LATCHED \(observation stale for 25 ticks/);
    expect(result.code).toBe(2);
    const ticks = Number(/(\d+) ticks over/.exec(result.stdout)![1]);
    const read = await readLog(log);
    expect(read.truncated).toBe(false);
    expect(read.ticks.tick.length).toBe(ticks);
    expect(read.events.some((e) => e.kind === 'fault' && e.message.includes('stale'))).toBe(true);
  });
});
