import { Lifecycle, type LifecycleState } from './lifecycle.ts';
import type { Robot, RobotInfo } from './robot.ts';

/**
 * Lifecycle bookkeeping for robots that live in this process (simulators, toy plants): they have
 * no link to open or device to ask, so each transition is just the state change plus an optional
 * hook. Subclasses provide `info`, `read` and `write`.
 */
export abstract class InProcessRobot implements Robot {
  abstract readonly info: RobotInfo;
  protected readonly lifecycle: Lifecycle;

  constructor(subject: string) {
    this.lifecycle = new Lifecycle(subject);
  }

  get state(): LifecycleState {
    return this.lifecycle.state;
  }

  get faultReason(): string | undefined {
    return this.lifecycle.lastFault;
  }

  async configure(): Promise<void> {
    this.lifecycle.apply('configure');
    this.onConfigure();
  }

  async activate(): Promise<void> {
    this.lifecycle.apply('activate');
  }

  async deactivate(): Promise<void> {
    this.lifecycle.apply('deactivate');
  }

  async recover(): Promise<void> {
    this.lifecycle.apply('recover');
  }

  /** Idempotent: releases resources once. */
  async shutdown(): Promise<void> {
    if (this.lifecycle.state === 'stopped') return;
    this.lifecycle.apply('shutdown');
    this.onShutdown();
  }

  /** Latches the first reason; a stopped robot stays stopped. */
  fault(reason: string): void {
    if (this.lifecycle.state === 'stopped' || this.lifecycle.state === 'fault') return;
    this.lifecycle.apply('fault', reason);
  }

  /** Puts the plant in its initial state when the robot is configured. */
  protected onConfigure(): void {}
  /** Releases what the robot holds (native models, buffers). */
  protected onShutdown(): void {}

  abstract read(out: Float64Array): number;
  abstract write(action: Float64Array): void;
}
