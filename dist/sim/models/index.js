// Compiled from sim/models/index.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../sim/models/index.ts", import.meta.url).href;

// sim/models/index.ts
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
var models = [
  {
    name: "pendulum",
    description: "torque-driven inverted pendulum (1 DoF)",
    file: "pendulum.xml",
    defaultRateHz: 100
  },
  {
    name: "cartpole",
    description: "cart on a rail with a free pole (2 DoF, 1 actuator)",
    file: "cartpole.xml",
    defaultRateHz: 50
  },
  {
    name: "hopper",
    description: "planar one-legged hopper (6 DoF, 3 actuators)",
    file: "hopper.xml",
    defaultRateHz: 125
  },
  {
    name: "quadruped",
    description: "12-DoF torque-controlled quadruped on a floor",
    file: "quadruped.xml",
    defaultRateHz: 100
  },
  {
    name: "arm",
    description: "7-DoF arm with the Franka Panda kinematics and limits",
    file: "arm.xml",
    defaultRateHz: 500
  }
];
var modelNames = models.map((m) => m.name);
var UnknownModelError = class extends RangeError {
  constructor(requested) {
    super(`unknown model '${requested}' (known models: ${modelNames.join(", ")})`);
    this.requested = requested;
    this.name = "UnknownModelError";
  }
  requested;
};
function modelEntry(name) {
  const entry = models.find((m) => m.name === name);
  if (!entry) throw new UnknownModelError(name);
  return entry;
}
function modelPath(name) {
  return fileURLToPath(new URL(modelEntry(name).file, __sourceUrl));
}
function readModelXml(name) {
  const entry = modelEntry(name);
  return { xml: readFileSync(modelPath(name), "utf8"), source: `sim/models/${entry.file}` };
}
export {
  UnknownModelError,
  modelEntry,
  modelNames,
  modelPath,
  models,
  readModelXml
};
