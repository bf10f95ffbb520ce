/**
 * Shared-memory layout between the vector runner and its workers. Batches live in one
 * SharedArrayBuffer (no copies, no messages per step); a small Int32Array carries the handshake:
 * the main thread bumps `generation` and waits for `remaining` to reach 0.
 */
export const control = { generation: 0, command: 1, remaining: 2, failed: 3 } as const;
export const command = { step: 1, reset: 2, exit: 3 } as const;
export const controlSlots = 4;

export interface VectorShape {
  readonly numEnvs: number;
  readonly observationSize: number;
  readonly actionSize: number;
}

export interface VectorViews {
  readonly actions: Float64Array;
  readonly observations: Float64Array;
  /** Last observation of an episode that auto-reset during this step (else a copy of observations). */
  readonly finalObservations: Float64Array;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  /** Seed per environment for the next reset command. */
  readonly seeds: Float64Array;
}

export function sharedBytes(shape: VectorShape): number {
  const { numEnvs: n, observationSize: o, actionSize: a } = shape;
  return 8 * (n * a + 2 * n * o + 2 * n) + 2 * n;
}

export function vectorViews(buffer: SharedArrayBuffer, shape: VectorShape): VectorViews {
  const { numEnvs: n, observationSize: o, actionSize: a } = shape;
  let offset = 0;
  const f64 = (length: number): Float64Array => {
    const view = new Float64Array(buffer, offset, length);
    offset += 8 * length;
    return view;
  };
  const actions = f64(n * a);
  const observations = f64(n * o);
  const finalObservations = f64(n * o);
  const rewards = f64(n);
  const seeds = f64(n);
  const terminated = new Uint8Array(buffer, offset, n);
  const truncated = new Uint8Array(buffer, offset + n, n);
  return { actions, observations, finalObservations, rewards, terminated, truncated, seeds };
}

/** What the main thread sends each worker at start-up. */
export interface WorkerInit {
  readonly model: string;
  /** Options for createEnv (plain data: it crosses the thread boundary). */
  readonly envOptions: Record<string, unknown>;
  /** Global indices of the environments this worker owns: [first, first + count). */
  readonly first: number;
  readonly count: number;
  readonly shape: VectorShape;
  readonly autoReset: boolean;
  readonly buffer: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
}
