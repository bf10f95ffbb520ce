import { z } from 'zod';
import { rigConfigSchema } from '../hardware/rig/config.ts';
import type { Plugin } from '../src/config/plugin.ts';
import { liveSchema, logSchema, loopSchema, operatorSchema, switchingSchema } from '../src/config/schema.ts';
import { contractSchema } from '../src/inference/contract.ts';
import { algorithmNames, algorithms } from '../src/learning/learner.ts';
import { trainFileSchema } from '../src/learning/train-config.ts';
import { safetyOptionsSchema } from '../src/safety/safety-layer.ts';
import { controllerPlugins, environmentPlugins, robotPlugins } from './plugins.ts';

/** One `kind`-tagged alternative per plugin, so editors complete the options of the chosen kind. */
function pluginUnion(plugins: readonly Plugin<unknown, unknown>[]): z.ZodType {
  const alternatives = plugins.map((p) =>
    z.intersection(z.object({ kind: z.literal(p.kind).describe(p.description) }), p.schema as z.ZodType),
  );
  if (alternatives.length === 0) return z.object({ kind: z.string() });
  if (alternatives.length === 1) return alternatives[0]!;
  return z.union(alternatives as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

/** JSON Schema of a run config, composed from every registered robot and controller. */
export function runConfigJsonSchema(): unknown {
  const schema = z.object({
    name: z.string().optional(),
    duration: z.number().positive().optional(),
    seed: z.number().int().min(0).optional(),
    robot: pluginUnion(robotPlugins),
    controller: pluginUnion(controllerPlugins).optional(),
    controllers: z.record(z.string(), pluginUnion(controllerPlugins)).optional(),
    switching: switchingSchema.optional(),
    loop: loopSchema,
    safety: safetyOptionsSchema.optional(),
    log: logSchema.optional(),
    operator: operatorSchema.optional(),
    live: liveSchema.optional(),
    task: pluginUnion(environmentPlugins).optional(),
  });
  return {
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    title: 'Tether run configuration',
  };
}

/**
 * JSON Schema of a train config: every environment plugin's options under `environment`, and the
 * hyperparameters of the chosen `algorithm` under `options`, with their defaults.
 */
export function trainConfigJsonSchema(): unknown {
  const perAlgorithm = algorithmNames.map((name) =>
    trainFileSchema.extend({
      algorithm: z.literal(name),
      environment: pluginUnion(environmentPlugins),
      options: algorithms[name].hyperparameters.optional(),
    }),
  );
  const schema = z.union(perAlgorithm as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
  return {
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    title: 'Tether training configuration',
  };
}

/** JSON Schema of a rig config (`tether rig`). */
export function rigConfigJsonSchema(): unknown {
  return {
    ...z.toJSONSchema(rigConfigSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'Tether emulated rig configuration',
  };
}

/** JSON Schema of a policy contract (`tether-policy/1`). */
export function contractJsonSchema(): unknown {
  return {
    ...z.toJSONSchema(contractSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'Tether policy contract',
  };
}

/** Every published JSON Schema and where it lives; `tether config schema` writes them. */
export const jsonSchemas = {
  run: { file: 'configs/schema/run.schema.json', build: runConfigJsonSchema },
  train: { file: 'configs/schema/train.schema.json', build: trainConfigJsonSchema },
  rig: { file: 'configs/schema/rig.schema.json', build: rigConfigJsonSchema },
  contract: { file: 'configs/schema/policy-contract.schema.json', build: contractJsonSchema },
} as const;

export type JsonSchemaKind = keyof typeof jsonSchemas;
