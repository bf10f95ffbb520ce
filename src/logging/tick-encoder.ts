/**
 * Turns a tick's ring slot (tick-ring.ts layout) into the JSON of the six tick channels
 * (layout.ts), without allocating beyond the strings: the one encoder behind both the MCAP writer
 * and the live stream, so both carry exactly the same messages.
 */
import type { RobotInfo } from '../core/robot.ts';
import {
  fillSafetyValues,
  fillTemplate,
  flatTemplate,
  type JsonTemplate,
  modeKeys,
  safetyKeys,
  timingKeys,
  vectorLayout,
  vectorTemplate,
} from './layout.ts';
import { SlotField, slotHeaderSize } from './tick-ring.ts';

export class TickEncoder {
  private readonly observation: JsonTemplate;
  private readonly action: JsonTemplate;
  private readonly timing = flatTemplate(timingKeys);
  private readonly mode = flatTemplate(modeKeys);
  private readonly safety = flatTemplate(safetyKeys);
  private readonly n: number;
  private readonly m: number;
  private readonly observationValues: Float64Array;
  private readonly actionValues: Float64Array;
  private readonly commandValues: Float64Array;
  private readonly timingValues = new Float64Array(timingKeys.length);
  private readonly modeValues = new Float64Array(modeKeys.length);
  private readonly safetyValues = new Float64Array(safetyKeys.length);

  constructor(robot: RobotInfo) {
    this.observation = vectorTemplate(vectorLayout(robot.observation));
    this.action = vectorTemplate(vectorLayout(robot.action));
    this.n = robot.observation.signals.length;
    this.m = robot.action.signals.length;
    this.observationValues = new Float64Array(this.n + 1);
    this.actionValues = new Float64Array(this.m + 1);
    this.commandValues = new Float64Array(this.m + 1);
  }

  /** JSON of tick channel `index` (0..5, the order of `tickTopics`) for the tick in `slot`. */
  encode(slot: Float64Array, index: number): string {
    const tick = slot[SlotField.tick]!;
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
        v[1] = slot[SlotField.deadline]!;
        v[2] = slot[SlotField.periodError]!;
        v[3] = slot[SlotField.computeTime]!;
        v[4] = slot[SlotField.missedDeadlines]!;
        v[5] = slot[SlotField.observationTime]!;
        return fillTemplate(this.timing, v);
      }
      case 4:
        this.modeValues[0] = tick;
        this.modeValues[1] = slot[SlotField.controller]!;
        this.modeValues[2] = slot[SlotField.mode]!;
        return fillTemplate(this.mode, this.modeValues);
      case 5:
        fillSafetyValues(tick, slot[SlotField.safetyFlags]!, this.safetyValues);
        return fillTemplate(this.safety, this.safetyValues);
      default:
        throw new RangeError(`no tick channel ${index}`);
    }
  }
}
