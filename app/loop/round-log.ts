/**
 * One MCAP log per round of the closed loop, on one uninterrupted run: a tick sink and event sink
 * that write to the current round's logger and move to the next file between two ticks. Every log
 * is complete (closed cleanly) before the learner reads it.
 */
import type { ControlEvent, EventSink } from '../../src/core/events.ts';
import type { TickRecord } from '../../src/core/tick.ts';
import { type LogSummary, McapTickLogger, type TickLoggerOptions } from '../../src/logging/tick-logger.ts';
import type { TickSink } from '../../src/loop/control-loop.ts';

/** Events kept from before the first file opens (configuration, certificates, v0's install). */
const maxEarlyEvents = 1000;

export class RoundLog implements TickSink, EventSink {
  private logger: McapTickLogger | undefined;
  private closed = false;
  /** What was said before the first round's file existed: written at its start, never dropped. */
  private early: ControlEvent[] | undefined = [];
  private earlyDropped = 0;

  /** Starts writing to `path`; returns the summary of the file it closed, if any. */
  async rotate(path: string, options: TickLoggerOptions): Promise<LogSummary | undefined> {
    if (this.closed) throw new Error('the round log is closed');
    const next = await McapTickLogger.open(path, options);
    const previous = this.logger;
    this.logger = next;
    if (this.early !== undefined) {
      for (const event of this.early) next.emit(event);
      if (this.earlyDropped > 0)
        next.emit({
          time: this.early.at(-1)?.time ?? 0,
          kind: 'info',
          source: 'loop',
          message: `${this.earlyDropped} events said before the first round log opened were not kept (${maxEarlyEvents} were)`,
        });
    }
    this.early = undefined;
    return previous?.close();
  }

  writeTick(record: TickRecord): void {
    this.logger?.writeTick(record);
  }

  emit(event: ControlEvent): void {
    if (this.logger !== undefined) this.logger.emit(event);
    else if (this.early !== undefined)
      if (this.early.length < maxEarlyEvents) this.early.push(event);
      else this.earlyDropped++;
  }

  async close(): Promise<LogSummary | undefined> {
    this.closed = true;
    const logger = this.logger;
    this.logger = undefined;
    return logger?.close();
  }
}

/** A tick sink whose target is set once the loop exists (the rollback monitor needs its manager). */
export class LateSink implements TickSink {
  target: TickSink | undefined;
  writeTick(record: TickRecord): void {
    this.target?.writeTick(record);
  }
}
