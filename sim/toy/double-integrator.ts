import { Lifecycle } from '../../src/core/lifecycle.ts';
import type { Robot, RobotInfo } from '../../src/core/robot.ts';
import { signal } from '../../src/core/spec.ts';

/**
 * A lock-stepped double integrator in plain TypeScript: the loop's unit tests and the idle loop benchmark
 * use it where the physics should be trivially predictable (the integration tests drive MuJoCo).
 */
export class DoubleIntegratorRobot implements Robot {
  readonly info: RobotInfo;
  /** Every force written, in order, when constructed with `recordWrites` (tests). */
  readonly written: number[] = [];
  private readonly lifecycle = new Lifecycle('double-integrator');
  private position = 1;
  private velocity = 0;
  private time = 0;

  constructor(
    private readonly dt: number,
    private readonly recordWrites = false,
  ) {
    this.info = {
      name: 'double-integrator',
      transport: 'sim',
      observation: { signals: [signal('x.pos', 'm'), signal('x.vel', 'm/s')] },
      action: { signals: [signal('x.force', 'N', -5, 5)], mode: 'torque', safe: [0] },
      capabilities: { minRateHz: 1, maxRateHz: 2000, lockStep: true, features: [] },
    };
  }

  get state() {
    return this.lifecycle.state;
  }
  get faultReason() {
    return this.lifecycle.lastFault;
  }
  async configure() {
    this.lifecycle.apply('configure');
  }
  async activate() {
    this.lifecycle.apply('activate');
  }
  async deactivate() {
    this.lifecycle.apply('deactivate');
  }
  async recover() {
    this.lifecycle.apply('recover');
  }
  async shutdown() {
    this.lifecycle.apply('shutdown');
  }
  fault(reason: string) {
    this.lifecycle.apply('fault', reason);
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
