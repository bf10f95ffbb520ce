import { ConstantController } from '../controllers/basic/constant.ts';
import { loopSchema } from '../src/config/schema.ts';
import { EventBuffer } from '../src/core/events.ts';
import type { Robot } from '../src/core/robot.ts';
import { ControlLoop, type TickSink } from '../src/loop/control-loop.ts';
import { ControllerManager } from '../src/loop/controller-manager.ts';
import { createSafetyLayer } from '../src/safety/safety-layer.ts';

/**
 * The loop the timing benchmarks measure: a configured robot driven by the constant (trivial)
 * controller on the wall clock, with safety limits but no watchdog or miss escalation in the way.
 * Activates the robot; the caller runs the loop, then deactivates and shuts the robot down.
 */
export async function trivialRealtimeLoop(
  robot: Robot,
  rateHz: number,
  sinks: TickSink[] = [],
): Promise<ControlLoop> {
  const events = new EventBuffer();
  if (robot.state === 'unconfigured') await robot.configure();
  const { observation, action } = robot.info;
  const controller = new ConstantController();
  controller.configure({ observation, action, dt: 1 / rateHz, events });
  const safety = createSafetyLayer({ staleAfterTicks: 1_000_000 }, action, observation, events);
  await robot.activate();
  const options = loopSchema.parse({ rateHz, mode: 'realtime', maxConsecutiveMisses: 1_000_000 });
  return new ControlLoop({
    robot,
    controllers: ControllerManager.single(controller),
    safety,
    events,
    options,
    sinks,
  });
}
