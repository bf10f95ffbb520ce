// Compiled from controllers/basic/constant.ts by `npm run build`: edit the source, not this file.

// controllers/basic/constant.ts
import { z } from "zod";
var constantOptions = z.object({
  /** The action to send every tick; default: the robot's safe action. */
  action: z.array(z.number()).optional()
}).strict();
var ConstantController = class {
  constructor(action) {
    this.action = action;
  }
  action;
  name = "constant";
  value = new Float64Array(0);
  configure(context) {
    const size = context.action.signals.length;
    const chosen = this.action ?? context.action.safe;
    if (chosen.length !== size) {
      throw new RangeError(
        `controller.action: expected ${size} values (one per action signal), got ${chosen.length}`
      );
    }
    this.value = Float64Array.from(chosen);
  }
  update(_observation, _time, action) {
    action.set(this.value);
  }
};
var constantControllerPlugin = {
  kind: "constant",
  description: "sends a fixed action every tick (default: the safe action)",
  schema: constantOptions,
  create: (options) => new ConstantController(options.action)
};
export {
  ConstantController,
  constantControllerPlugin
};
