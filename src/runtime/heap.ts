import { setFlagsFromString } from 'node:v8';

/*
 * V8 heap settings for the threads that keep a loop's deadlines (docs/architecture.md, "No memory
 * reducer on the loop's threads").
 */

const noMemoryReducer = '--no-memory-reducer';

/**
 * V8's memory reducer shrinks a heap that has gone quiet: about 8 s after a heap grows it runs up
 * to three compacting GCs half a second apart, each a 2–9 ms pause of its thread (`--trace-gc`:
 * `Mark-Compact (reduce)`). On the loop's clock thread that is a clock that does not tick; on a
 * rig's main thread, a burst of late states (`bench:links`). Every isolate created after this call
 * (the clock thread, the logger's writer, the live endpoint) has no reducer: V8 reads the flag when
 * an isolate's heap is set up, so it cannot remove the main thread's own reducer; a process that
 * needs that starts node with `realtimeNodeFlags`. The heap then keeps its size until an ordinary
 * GC, which a loop that allocates nothing per tick rarely needs.
 */
export function withoutMemoryReducer(): void {
  setFlagsFromString(noMemoryReducer);
}

/** Node options for a child process that runs a real-time loop of its own (an emulated rig). */
export const realtimeNodeFlags: readonly string[] = [noMemoryReducer];
