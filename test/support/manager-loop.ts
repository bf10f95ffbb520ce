import { DoubleIntegratorRobot } from '../../sim/toy/double-integrator.ts';
import { loopSchema } from '../../src/config/schema.ts';
import type { Controller } from '../../src/core/controller.ts';
import { EventBuffer } from '../../src/core/events.ts';
import { ControlLoop } from '../../src/loop/control-loop.ts';
import type { ControllerManager } from '../../src/loop/controller-manager.ts';
import type { RollbackMonitor } from '../../src/loop/rollback-monitor.ts';
import { createSafetyLayer } from '../../src/safety/safety-layer.ts';

/** Proposes a constant (at once, or from a resolved promise); counts its updates and lifecycle calls. */
export class RecordingConstant implements Controller {
  readonly calls: string[] = [];
  updates = 0;
  constructor(
    readonly name: string,
    public value: number,
    private readonly async = false,
  ) {}
  configure(): void {}
  activate(): void {
    this.calls.push('activate');
  }
  deactivate(): void {
    this.calls.push('deactivate');
  }
  reset(): void {
    this.calls.push('reset');
  }
  update(_o: Float64Array, _t: number, action: Float64Array): void | Promise<void> {
    this.updates++;
    if (!this.async) {
      action.fill(this.value);
      return;
    }
    return Promise.resolve().then(() => {
      action.fill(this.value);
    });
  }
}

/** What one tick of a managed run did. */
export interface ManagedTick {
  /** Index of the active controller. */
  controller: number;
  proposal: number;
  command: number;
  position: number;
}

/**
 * Runs `manager` for `ticks` ticks on the double integrator (dt 0.01 s, fast clock) behind a safety
 * layer that caps the command's change per tick at `maxDeltaPerTick` (default 100: no cap in effect).
 * `beforeTick(k, loop)` runs once tick k − 1 is written, so what it requests takes effect at tick k;
 * `monitor` adds a rollback monitor as the first sink.
 */
export async function runManaged(
  manager: ControllerManager,
  ticks: number,
  options: {
    beforeTick?: (k: number, loop: ControlLoop) => void;
    monitor?: (manager: ControllerManager, events: EventBuffer) => RollbackMonitor;
    maxDeltaPerTick?: number;
  } = {},
) {
  const events = new EventBuffer();
  const robot = new DoubleIntegratorRobot(0.01);
  await robot.configure();
  const { observation, action } = robot.info;
  manager.bind({ observation, action, dt: 0.01, events });
  const safety = createSafetyLayer(
    { staleAfterTicks: 1000, maxDeltaPerTick: options.maxDeltaPerTick ?? 100 },
    action,
    observation,
    events,
  );
  await robot.activate();
  const first = new Float64Array(observation.signals.length);
  robot.read(first);
  manager.start(first);
  const monitor = options.monitor?.(manager, events);
  const log: ManagedTick[] = [];
  let loop: ControlLoop | undefined;
  loop = new ControlLoop({
    robot,
    controllers: manager,
    safety,
    events,
    options: loopSchema.parse({ rateHz: 100, mode: 'fast' }),
    sinks: [
      ...(monitor ? [monitor] : []),
      {
        writeTick: (r) => {
          log.push({
            controller: r.controller,
            proposal: r.action[0]!,
            command: r.command[0]!,
            position: r.observation[0]!,
          });
          options.beforeTick?.(r.tick + 1, loop!);
        },
      },
    ],
  });
  const report = await loop.run(ticks);
  return { report, log, events: events.events, monitor };
}
