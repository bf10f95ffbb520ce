// Compiled from sim/vector-layout.ts by `npm run build`: edit the source, not this file.

// sim/vector-layout.ts
var control = { generation: 0, command: 1, remaining: 2, failed: 3 };
var command = { step: 1, reset: 2, exit: 3 };
var controlSlots = 4;
function sharedBytes(shape) {
  const { numEnvs: n, observationSize: o, actionSize: a } = shape;
  return 8 * (n * a + 2 * n * o + 2 * n) + 2 * n;
}
function vectorViews(buffer, shape) {
  const { numEnvs: n, observationSize: o, actionSize: a } = shape;
  let offset = 0;
  const f64 = (length) => {
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
export {
  command,
  control,
  controlSlots,
  sharedBytes,
  vectorViews
};
