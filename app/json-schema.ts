import { z } from 'zod';
import type { Plugin } from '../src/config/plugin.ts';
import { logSchema, loopSchema, operatorSchema, switchingSchema } from '../src/config/schema.ts';
import { safetyOptionsSchema } from '../src/safety/safety-layer.ts';
import { controllerPlugins, robotPlugins } from './plugins.ts';

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
  });
  return {
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    title: 'Tether run configuration',
  };
}
