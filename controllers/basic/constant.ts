import { z } from 'zod';
import type { ControllerPlugin } from '../../src/config/plugin.ts';
import type { Controller, ControllerContext } from '../../src/core/controller.ts';

const constantOptions = z
  .object({
    /** The action to send every tick; default: the robot's safe action. */
    action: z.array(z.number()).optional(),
  })
  .strict();

/**
 * Sends the same action every tick. The trivial controller for loop benchmarks and link tests,
 * and a way to hold a robot at its safe action while everything else is exercised.
 */
export class ConstantController implements Controller {
  readonly name = 'constant';
  private value = new Float64Array(0);

  constructor(private readonly action?: readonly number[]) {}

  configure(context: ControllerContext): void {
    const size = context.action.signals.length;
    const chosen = this.action ?? context.action.safe;
    if (chosen.length !== size) {
      throw new RangeError(
        `controller.action: expected ${size} values (one per action signal), got ${chosen.length}`,
      );
    }
    this.value = Float64Array.from(chosen);
  }

  update(_observation: Float64Array, _time: number, action: Float64Array): void {
    action.set(this.value);
  }
}

export const constantControllerPlugin: ControllerPlugin<z.output<typeof constantOptions>> = {
  kind: 'constant',
  description: 'sends a fixed action every tick (default: the safe action)',
  schema: constantOptions,
  create: (options) => new ConstantController(options.action),
};
