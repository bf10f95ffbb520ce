import { open } from 'node:fs/promises';
import { McapWriter } from '@mcap/core';
import type { EvalPoint } from '../../src/learning/trainer.ts';
import { fileWritable } from '../../src/logging/file-writable.ts';
import { secondsToNs } from '../../src/logging/layout.ts';

/**
 * A training run's evaluations as they happen, in an MCAP file Foxglove opens (and any MCAP
 * reader): one JSON message per evaluation on `/train/evaluation` — updates, simulator steps, the
 * real return, wall seconds and the learner's statistics (losses, α, mean Q; for H2O the
 * discriminator loss, mean w and the penalty). Messages are written unchunked, each one on disk
 * before the next update, so an interrupted run keeps every evaluation it made.
 */

const schema = {
  title: 'tether.TrainEvaluation',
  type: 'object',
  properties: {
    updates: { type: 'integer', description: 'gradient updates done' },
    simSteps: { type: 'integer', description: 'simulator steps collected' },
    realReturn: { type: 'number', description: 'mean return of the deterministic policy on the real system' },
    seconds: { type: 'number', description: 'training wall time so far' },
    stats: {
      type: 'object',
      description: "the learner's statistics at the update before this evaluation",
      additionalProperties: { type: 'number' },
    },
  },
} as const;

export class TrainMetricsLog {
  private constructor(
    private readonly writer: McapWriter,
    private readonly channel: number,
    private readonly startedAtNs: bigint,
    private readonly close_: () => Promise<void>,
  ) {}

  /** Creates `file` (replacing it) and writes the evaluations the run already has (a resumed run's). */
  static async create(file: string, run: Readonly<Record<string, string>>, history: readonly EvalPoint[]) {
    const handle = await open(file, 'w');
    const writer = new McapWriter({ useChunks: false, writable: fileWritable(handle, file) });
    await writer.start({ profile: '', library: 'tether train' });
    await writer.addMetadata({ name: 'tether.train', metadata: new Map(Object.entries(run)) });
    const schemaId = await writer.registerSchema({
      name: schema.title,
      encoding: 'jsonschema',
      data: new TextEncoder().encode(JSON.stringify(schema)),
    });
    const channel = await writer.registerChannel({
      topic: '/train/evaluation',
      schemaId,
      messageEncoding: 'json',
      metadata: new Map(),
    });
    // Log time: when the run started plus its training seconds, so Foxglove's timeline is the run's.
    const lastSeconds = history.at(-1)?.seconds ?? 0;
    const startedAtNs = BigInt(Math.round(Date.now() - lastSeconds * 1000)) * 1_000_000n;
    const log = new TrainMetricsLog(writer, channel, startedAtNs, () => handle.close());
    for (const point of history) await log.add(point);
    return log;
  }

  async add(point: EvalPoint): Promise<void> {
    const time = this.startedAtNs + secondsToNs(point.seconds);
    await this.writer.addMessage({
      channelId: this.channel,
      sequence: point.updates,
      logTime: time,
      publishTime: time,
      data: new TextEncoder().encode(JSON.stringify(point)),
    });
  }

  /** Writes the summary and footer: a complete file. */
  async close(): Promise<void> {
    await this.writer.end();
    await this.close_();
  }
}
