// Compiled from sim/toy/double-integrator.ts by `npm run build`: edit the source, not this file.

// sim/toy/double-integrator.ts
import { InProcessRobot } from "../../src/core/in-process-robot.js";
import { signal } from "../../src/core/spec.js";
var DoubleIntegratorRobot = class extends InProcessRobot {
  constructor(dt, recordWrites = false) {
    super("double-integrator");
    this.dt = dt;
    this.recordWrites = recordWrites;
    this.info = {
      name: "double-integrator",
      transport: "sim",
      observation: { signals: [signal("x.pos", "m"), signal("x.vel", "m/s")] },
      action: { signals: [signal("x.force", "N", -5, 5)], mode: "torque", safe: [0] },
      capabilities: { minRateHz: 1, maxRateHz: 2e3, lockStep: true, features: [] }
    };
  }
  dt;
  recordWrites;
  info;
  /** Every force written, in order, when constructed with `recordWrites` (tests). */
  written = [];
  position = 1;
  velocity = 0;
  time = 0;
  read(out) {
    out[0] = this.position;
    out[1] = this.velocity;
    return this.time;
  }
  write(action) {
    const force = action[0];
    if (this.recordWrites) this.written.push(force);
    this.velocity += force * this.dt;
    this.position += this.velocity * this.dt;
    this.time += this.dt;
  }
};
export {
  DoubleIntegratorRobot
};
