/**
 * Exploration on the robot, as real-world RL actors do (HIL-SERL samples its stochastic policy on
 * the robot): on the episodes the loop marks for it, Gaussian noise of σ (in the learner's
 * units, i.e. × the action map's scale in robot units) is added to the deployed policy's command.
 * The safety layer still clamps and rate-limits every command; the other episodes run the policy
 * as it is and are the ones the loop's per-round returns are measured on.
 */
import type { Controller, ControllerContext } from '../../src/core/controller.ts';
import { isPromiseLike } from '../../src/core/controller.ts';
import { Rng } from '../../src/core/rng.ts';

/** Shared by every version the loop installs; the episode driver turns it on and off. */
export class ExplorationSwitch {
  on = false;
  constructor(
    /** σ per action component in robot units. */
    readonly std: Float64Array,
    readonly rng: Rng,
  ) {}
}

export class ExploringController implements Controller {
  readonly name: string;
  constructor(
    readonly inner: Controller,
    private readonly exploration: ExplorationSwitch,
  ) {
    this.name = inner.name;
  }
  get mode(): number | undefined {
    return this.inner.mode;
  }
  configure(context: ControllerContext): void | Promise<void> {
    return this.inner.configure(context);
  }
  activate(): void {
    this.inner.activate?.();
  }
  deactivate(): void {
    this.inner.deactivate?.();
  }
  reset(observation: Float64Array): void {
    this.inner.reset?.(observation);
  }
  update(observation: Float64Array, time: number, action: Float64Array): void | Promise<void> {
    const result = this.inner.update(observation, time, action);
    if (!this.exploration.on) return result;
    if (isPromiseLike(result)) return Promise.resolve(result).then(() => this.perturb(action));
    this.perturb(action);
    return result;
  }
  dispose(): void | Promise<void> {
    return this.inner.dispose?.();
  }
  private perturb(action: Float64Array): void {
    const { std, rng } = this.exploration;
    for (let i = 0; i < action.length; i++) action[i] = action[i]! + std[i]! * rng.normal();
  }
}

export function explorationSwitch(std: number, scales: readonly number[], seed: number): ExplorationSwitch {
  return new ExplorationSwitch(
    Float64Array.from(scales, (s) => std * s),
    new Rng(seed),
  );
}
