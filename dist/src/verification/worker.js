// Compiled from src/verification/worker.ts by `npm run build`: edit the source, not this file.

// src/verification/worker.ts
import { parentPort } from "node:worker_threads";
import { BranchAndBound } from "./bab.js";
import { parseModel } from "./model.js";
var engine;
var keep = false;
var control;
var inFlight;
var slot = 0;
var publish = (stats) => {
  inFlight[slot] = stats.verifiedVolume + stats.outsideVolume;
};
parentPort.on("message", (message) => {
  if (message.type === "init") {
    engine = new BranchAndBound(parseModel(message.model, "worker model"), message.options);
    keep = message.keepVerified;
    control = new Int32Array(message.control);
    inFlight = new Float64Array(message.inFlight);
    slot = message.slot;
    parentPort.postMessage({ type: "ready", run: message.run });
    return;
  }
  if (!engine) throw new Error("verifier worker got a task before its model");
  const outcome = engine.run([message.box], keep, control, publish);
  parentPort.postMessage({ type: "result", run: message.run, id: message.id, outcome });
});
