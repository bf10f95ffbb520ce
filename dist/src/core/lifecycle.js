// Compiled from src/core/lifecycle.ts by `npm run build`: edit the source, not this file.

// src/core/lifecycle.ts
var allowed = {
  configure: ["unconfigured"],
  activate: ["ready"],
  deactivate: ["running"],
  fault: ["unconfigured", "ready", "running", "fault"],
  recover: ["fault"],
  shutdown: ["unconfigured", "ready", "running", "fault", "stopped"]
};
var target = {
  configure: "ready",
  activate: "running",
  deactivate: "ready",
  fault: "fault",
  recover: "ready",
  shutdown: "stopped"
};
var LifecycleError = class extends Error {
  constructor(subject, from, transition2) {
    super(`${subject}: cannot ${transition2} while ${from}`);
    this.subject = subject;
    this.from = from;
    this.transition = transition2;
    this.name = "LifecycleError";
  }
  subject;
  from;
  transition;
};
function transition(subject, from, t) {
  if (!allowed[t].includes(from)) throw new LifecycleError(subject, from, t);
  return target[t];
}
var Lifecycle = class {
  constructor(subject) {
    this.subject = subject;
  }
  subject;
  current = "unconfigured";
  faultReason;
  listeners = [];
  get state() {
    return this.current;
  }
  get lastFault() {
    return this.faultReason;
  }
  onChange(listener) {
    this.listeners.push(listener);
  }
  apply(t, reason) {
    this.current = transition(this.subject, this.current, t);
    if (t === "fault") this.faultReason = reason;
    if (t === "recover") this.faultReason = void 0;
    for (const l of this.listeners) l(this.current, reason);
    return this.current;
  }
};
export {
  Lifecycle,
  LifecycleError,
  transition
};
