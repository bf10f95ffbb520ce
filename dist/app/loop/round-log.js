// Compiled from app/loop/round-log.ts by `npm run build`: edit the source, not this file.

// app/loop/round-log.ts
import { McapTickLogger } from "../../src/logging/tick-logger.js";
var maxEarlyEvents = 1e3;
var RoundLog = class {
  logger;
  closed = false;
  /** What was said before the first round's file existed: written at its start, never dropped. */
  early = [];
  earlyDropped = 0;
  /** Starts writing to `path`; returns the summary of the file it closed, if any. */
  async rotate(path, options) {
    if (this.closed) throw new Error("the round log is closed");
    const next = await McapTickLogger.open(path, options);
    const previous = this.logger;
    this.logger = next;
    if (this.early !== void 0) {
      for (const event of this.early) next.emit(event);
      if (this.earlyDropped > 0)
        next.emit({
          time: this.early.at(-1)?.time ?? 0,
          kind: "info",
          source: "loop",
          message: `${this.earlyDropped} events said before the first round log opened were not kept (${maxEarlyEvents} were)`
        });
    }
    this.early = void 0;
    return previous?.close();
  }
  writeTick(record) {
    this.logger?.writeTick(record);
  }
  emit(event) {
    if (this.logger !== void 0) this.logger.emit(event);
    else if (this.early !== void 0)
      if (this.early.length < maxEarlyEvents) this.early.push(event);
      else this.earlyDropped++;
  }
  async close() {
    this.closed = true;
    const logger = this.logger;
    this.logger = void 0;
    return logger?.close();
  }
};
var LateSink = class {
  target;
  writeTick(record) {
    this.target?.writeTick(record);
  }
};
export {
  LateSink,
  RoundLog
};
