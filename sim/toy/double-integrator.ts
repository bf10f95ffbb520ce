import { InProcessRobot } from '../../src/core/in-process-robot.ts';
import type { RobotInfo } from '../../src/core/robot.ts';
import { signal } from '../../src/core/spec.ts';

/**
 * A lock-stepped double integrator in plain TypeScript: the loop's unit tests and the idle loop benchmark
 * use it where the physics should be trivially predictable (the integration tests drive MuJoCo).
 */
export class DoubleIntegratorRobot extends InProcessRobot {
  readonly info: RobotInfo;
  /** Every force written, in order, when constructed with `recordWrites` (tests). */
  readonly written: number[] = [];
  private position = 1;
  private velocity = 0;
  private time = 0;

  constructor(
    private readonly dt: number,
    private readonly recordWrites = false,
  ) {
    super('double-integrator');
    this.info = {
      name: 'double-integrator',
      transport: 'sim',
      observation: { signals: [signal('x.pos', 'm'), signal('x.vel', 'm/s')] },
      action: { signals: [signal('x.force', 'N', -5, 5)], mode: 'torque', safe: [0] },
      capabilities: { minRateHz: 1, maxRateHz: 2000, lockStep: true, features: [] },
    };
  }

  read(out: Float64Array): number {
    out[0] = this.position;
    out[1] = this.velocity;
    return this.time;
  }

  write(action: Float64Array): void {
    const force = action[0]!;
    if (this.recordWrites) this.written.push(force);
    this.velocity += force * this.dt;
    this.position += this.velocity * this.dt;
    this.time += this.dt;
  }
}
