// Compiled from sim/hybrid/car.ts by `npm run build`: edit the source, not this file.

// sim/hybrid/car.ts
import { Rng } from "../../src/core/rng.js";
import { signal } from "../../src/core/spec.js";
var carParams = { speed: 2, length: 1, radius: 10, dt: 0.05, uLimit: [0.84, 0.5] };
function randomRoad(seed, segments = 10, maxKink = 1.2) {
  const rng = new Rng(seed);
  return Array.from({ length: segments }, (_, k) => ({
    length: rng.range(6, 16),
    mode: rng.int(2),
    kink: k === 0 ? 0 : rng.range(-maxKink, maxKink)
  }));
}
function carStep(p, x, u, out) {
  const d = x[0];
  const th = x[1];
  out[0] = d + p.dt * p.speed * Math.sin(th);
  out[1] = th + p.dt * (p.speed * u / p.length - Math.cos(th) / (p.radius / p.speed - Math.sin(th)));
}
function carReset(kink, x) {
  x[1] = x[1] - kink;
}
function carRoadSystem(road, p = carParams) {
  let segment = 0;
  return {
    name: "car-friction-road",
    dt: p.dt,
    state: [signal("lateral.error", "m"), signal("heading.error", "rad"), signal("progress", "m")],
    input: signal("steering", "1", -p.uLimit[0], p.uLimit[0]),
    modes: [
      { name: "dry", uLo: -p.uLimit[0], uUp: p.uLimit[0] },
      { name: "icy", uLo: -p.uLimit[1], uUp: p.uLimit[1] }
    ],
    commandedModes: false,
    // Between vertices; the heading-jump reset at a vertex is not part of these equations.
    equations: { system: "path_tracking", speed: p.speed, length: p.length, radius: p.radius, dt: p.dt },
    restart() {
      segment = 0;
    },
    step(_mode, x, u, out) {
      carStep(p, x, u, out);
      out[2] = x[2] + p.dt * p.speed * Math.cos(x[1]);
    },
    guard(_mode, x) {
      const next = road[segment + 1];
      if (!next || x[2] < road[segment].length) return -1;
      return next.mode;
    },
    reset(_from, _to, x) {
      segment++;
      carReset(road[segment].kink, x);
      x[2] = 0;
    }
  };
}
export {
  carParams,
  carReset,
  carRoadSystem,
  carStep,
  randomRoad
};
