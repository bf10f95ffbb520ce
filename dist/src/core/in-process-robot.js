// Compiled from src/core/in-process-robot.ts by `npm run build`: edit the source, not this file.

// src/core/in-process-robot.ts
import { Lifecycle } from "./lifecycle.js";
var InProcessRobot = class {
  lifecycle;
  constructor(subject) {
    this.lifecycle = new Lifecycle(subject);
  }
  get state() {
    return this.lifecycle.state;
  }
  get faultReason() {
    return this.lifecycle.lastFault;
  }
  async configure() {
    this.lifecycle.apply("configure");
    this.onConfigure();
  }
  async activate() {
    this.lifecycle.apply("activate");
  }
  async deactivate() {
    this.lifecycle.apply("deactivate");
  }
  async recover() {
    this.lifecycle.apply("recover");
  }
  /** Idempotent: releases resources once. */
  async shutdown() {
    if (this.lifecycle.state === "stopped") return;
    this.lifecycle.apply("shutdown");
    this.onShutdown();
  }
  /** Latches the first reason; a stopped robot stays stopped. */
  fault(reason) {
    if (this.lifecycle.state === "stopped" || this.lifecycle.state === "fault") return;
    this.lifecycle.apply("fault", reason);
  }
  /** Puts the plant in its initial state when the robot is configured. */
  onConfigure() {
  }
  /** Releases what the robot holds (native models, buffers). */
  onShutdown() {
  }
};
export {
  InProcessRobot
};
