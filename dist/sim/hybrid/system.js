// Compiled from sim/hybrid/system.ts by `npm run build`: edit the source, not this file.

// sim/hybrid/system.ts
import { signal } from "../../src/core/spec.js";
var yangPendulum = { m: 0.15, l: 0.5, beta: 0.1, g: 9.81, dt: 0.05 };
function torqueModePendulum(modes, p = yangPendulum) {
  if (modes.length === 0) throw new RangeError("torqueModePendulum: give at least one mode");
  for (const m of modes)
    if (!(m.uLo < m.uUp)) throw new RangeError(`mode ${m.name}: uLo ${m.uLo} must be below uUp ${m.uUp}`);
  const ml2 = p.m * p.l * p.l;
  return {
    name: "pendulum-torque-modes",
    dt: p.dt,
    state: [signal("theta", "rad"), signal("theta.vel", "rad/s")],
    input: signal(
      "torque",
      "N*m",
      Math.min(...modes.map((m) => m.uLo)),
      Math.max(...modes.map((m) => m.uUp))
    ),
    modes,
    equations: { system: "pendulum", m: p.m, l: p.l, beta: p.beta, g: p.g, dt: p.dt },
    step(_mode, x, u, out) {
      const theta = x[0];
      const omega = x[1];
      const acc = -(p.beta / ml2) * omega + p.g / p.l * Math.sin(theta) + u / ml2;
      out[0] = theta + p.dt * omega;
      out[1] = omega + p.dt * acc;
    }
  };
}
export {
  torqueModePendulum,
  yangPendulum
};
