import type { z } from 'zod';
import type { Controller } from '../core/controller.ts';
import type { EnvironmentPair } from '../core/environment.ts';
import type { Robot, RobotInfo } from '../core/robot.ts';
import type { SwitchGuard } from '../core/switch-guard.ts';

/**
 * A named, schema-checked factory. Robots and controllers are chosen in YAML by `kind`; the rest of
 * that YAML section is validated by the plugin's own zod schema, so a bad key is reported with its
 * full path (e.g. `controller.gains.q`) before anything starts.
 */
export interface Plugin<TOptions, TProduct, TContext = PluginContext> {
  readonly kind: string;
  readonly description: string;
  /** Validates the YAML section minus its `kind` key. */
  readonly schema: z.ZodType<TOptions>;
  create(options: TOptions, context: TContext): TProduct | Promise<TProduct>;
}

/** What a factory may need beyond its own options. */
export interface PluginContext {
  /** Directory of the config file, to resolve relative paths (models, contracts, certificates). */
  readonly baseDir: string;
  /** Control period of the loop in seconds. */
  readonly controlDt: number;
  /** Seed for anything random (noise, initial states). */
  readonly seed: number;
}

// Registries hold plugins of different option types; `create` takes its options contravariantly, so
// only `any` lets a `Plugin<LqrOptions>` sit in the same array as a `Plugin<PolicyOptions>`.
// biome-ignore lint/suspicious/noExplicitAny: see above
export interface RobotPlugin<TOptions = any> extends Plugin<TOptions, Robot> {
  /**
   * The robot's specs without opening any device, for `tether config check`; absent when only the
   * robot itself can tell (a rig introduces itself in its HELLO).
   */
  describe?(options: TOptions, context: PluginContext): Promise<RobotInfo | undefined>;
}
// biome-ignore lint/suspicious/noExplicitAny: see above
export type ControllerPlugin<TOptions = any> = Plugin<TOptions, Controller>;
// biome-ignore lint/suspicious/noExplicitAny: see above
export type GuardPlugin<TOptions = any> = Plugin<TOptions, SwitchGuard>;

/** What a training environment's factory may need: no loop runs, so no control period or seed. */
export interface EnvironmentContext {
  /** Directory of the training config, to resolve relative paths. */
  readonly baseDir: string;
}
/** A training environment (`environment.kind` in a train config): a (simulator, real) pair. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type EnvironmentPlugin<TOptions = any> = Plugin<TOptions, EnvironmentPair, EnvironmentContext>;

/** The plugins a config may name. Only the composition root (app/plugins.ts) builds one. */
export interface PluginSet {
  readonly robots: readonly RobotPlugin[];
  readonly controllers: readonly ControllerPlugin[];
  /** Switch guards a run config can name in `switching.guard` (e.g. the certified guard). */
  readonly guards: readonly GuardPlugin[];
  /** Training environments a train config can name in `environment.kind`. */
  readonly environments: readonly EnvironmentPlugin[];
}
