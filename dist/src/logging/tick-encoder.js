// Compiled from src/logging/tick-encoder.ts by `npm run build`: edit the source, not this file.

// src/logging/tick-encoder.ts
import {
  fillSafetyValues,
  fillTemplate,
  flatTemplate,
  modeKeys,
  safetyKeys,
  timingKeys,
  vectorLayout,
  vectorTemplate
} from "./layout.js";
import { SlotField, slotHeaderSize } from "./tick-ring.js";
var TickEncoder = class {
  observation;
  action;
  timing = flatTemplate(timingKeys);
  mode = flatTemplate(modeKeys);
  safety = flatTemplate(safetyKeys);
  n;
  m;
  observationValues;
  actionValues;
  commandValues;
  timingValues = new Float64Array(timingKeys.length);
  modeValues = new Float64Array(modeKeys.length);
  safetyValues = new Float64Array(safetyKeys.length);
  constructor(robot) {
    this.observation = vectorTemplate(vectorLayout(robot.observation));
    this.action = vectorTemplate(vectorLayout(robot.action));
    this.n = robot.observation.signals.length;
    this.m = robot.action.signals.length;
    this.observationValues = new Float64Array(this.n + 1);
    this.actionValues = new Float64Array(this.m + 1);
    this.commandValues = new Float64Array(this.m + 1);
  }
  /** JSON of tick channel `index` (0..5, the order of `tickTopics`) for the tick in `slot`. */
  encode(slot, index) {
    const tick = slot[SlotField.tick];
    const n = this.n;
    const m = this.m;
    switch (index) {
      case 0:
        this.observationValues[0] = tick;
        this.observationValues.set(slot.subarray(slotHeaderSize, slotHeaderSize + n), 1);
        return fillTemplate(this.observation, this.observationValues);
      case 1:
        this.actionValues[0] = tick;
        this.actionValues.set(slot.subarray(slotHeaderSize + n, slotHeaderSize + n + m), 1);
        return fillTemplate(this.action, this.actionValues);
      case 2:
        this.commandValues[0] = tick;
        this.commandValues.set(slot.subarray(slotHeaderSize + n + m, slotHeaderSize + n + 2 * m), 1);
        return fillTemplate(this.action, this.commandValues);
      case 3: {
        const v = this.timingValues;
        v[0] = tick;
        v[1] = slot[SlotField.deadline];
        v[2] = slot[SlotField.periodError];
        v[3] = slot[SlotField.computeTime];
        v[4] = slot[SlotField.missedDeadlines];
        v[5] = slot[SlotField.observationTime];
        return fillTemplate(this.timing, v);
      }
      case 4:
        this.modeValues[0] = tick;
        this.modeValues[1] = slot[SlotField.controller];
        this.modeValues[2] = slot[SlotField.mode];
        return fillTemplate(this.mode, this.modeValues);
      case 5:
        fillSafetyValues(tick, slot[SlotField.safetyFlags], this.safetyValues);
        return fillTemplate(this.safety, this.safetyValues);
      default:
        throw new RangeError(`no tick channel ${index}`);
    }
  }
};
export {
  TickEncoder
};
