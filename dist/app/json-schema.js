// Compiled from app/json-schema.ts by `npm run build`: edit the source, not this file.

// app/json-schema.ts
import { z } from "zod";
import { rigConfigSchema } from "../hardware/rig/config.js";
import { liveSchema, logSchema, loopSchema, operatorSchema, switchingSchema } from "../src/config/schema.js";
import { contractSchema } from "../src/inference/contract.js";
import { algorithmNames, algorithms } from "../src/learning/learner.js";
import { trainFileSchema } from "../src/learning/train-config.js";
import { safetyOptionsSchema } from "../src/safety/safety-layer.js";
import { controllerPlugins, environmentPlugins, robotPlugins } from "./plugins.js";
function pluginUnion(plugins) {
  const alternatives = plugins.map(
    (p) => z.intersection(z.object({ kind: z.literal(p.kind).describe(p.description) }), p.schema)
  );
  if (alternatives.length === 0) return z.object({ kind: z.string() });
  if (alternatives.length === 1) return alternatives[0];
  return z.union(alternatives);
}
function runConfigJsonSchema() {
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
    task: pluginUnion(environmentPlugins).optional()
  });
  return {
    ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }),
    title: "Tether run configuration"
  };
}
function trainConfigJsonSchema() {
  const perAlgorithm = algorithmNames.map(
    (name) => trainFileSchema.extend({
      algorithm: z.literal(name),
      environment: pluginUnion(environmentPlugins),
      options: algorithms[name].hyperparameters.optional()
    })
  );
  const schema = z.union(perAlgorithm);
  return {
    ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }),
    title: "Tether training configuration"
  };
}
function rigConfigJsonSchema() {
  return {
    ...z.toJSONSchema(rigConfigSchema, { io: "input", unrepresentable: "any" }),
    title: "Tether emulated rig configuration"
  };
}
function contractJsonSchema() {
  return {
    ...z.toJSONSchema(contractSchema, { io: "input", unrepresentable: "any" }),
    title: "Tether policy contract"
  };
}
var jsonSchemas = {
  run: { file: "configs/schema/run.schema.json", build: runConfigJsonSchema },
  train: { file: "configs/schema/train.schema.json", build: trainConfigJsonSchema },
  rig: { file: "configs/schema/rig.schema.json", build: rigConfigJsonSchema },
  contract: { file: "configs/schema/policy-contract.schema.json", build: contractJsonSchema }
};
export {
  contractJsonSchema,
  jsonSchemas,
  rigConfigJsonSchema,
  runConfigJsonSchema,
  trainConfigJsonSchema
};
