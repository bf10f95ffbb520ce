// Compiled from app/loop/task.ts by `npm run build`: edit the source, not this file.

// app/loop/task.ts
import path from "node:path";
import { ConfigDocument } from "../../src/config/document.js";
import { ConfigError } from "../../src/config/errors.js";
import { DatasetError } from "../../src/learning/log-dataset.js";
import { TaskError, taskOfPair } from "../../src/loop/task-outcome.js";
import { environmentPlugins } from "../plugins.js";
async function pairOfTask(section, origin) {
  if (typeof section !== "object" || section === null || typeof section.kind !== "string")
    throw new DatasetError(`${origin.what}: a task needs a 'kind' naming an environment plugin`);
  const { kind, ...options } = section;
  const plugin = environmentPlugins.find((p) => p.kind === kind);
  if (plugin === void 0)
    throw new DatasetError(
      `${origin.what}: unknown task kind '${kind}' (known: ${environmentPlugins.map((p) => p.kind).join(", ")})`
    );
  const parsed = plugin.schema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || kind}: ${i.message}`).join("; ");
    throw new DatasetError(`${origin.what}: task ${kind}: ${issues}`);
  }
  return plugin.create(parsed.data, { baseDir: origin.baseDir });
}
async function datasetTaskOf(section, origin) {
  const pair = await pairOfTask(section, origin);
  try {
    return await taskOfPair(pair, section);
  } catch (error) {
    if (error instanceof TaskError) throw new DatasetError(`${origin.what}: ${error.message}`);
    throw error;
  }
}
function taskSectionOfFile(file) {
  const doc = ConfigDocument.read(file);
  const source = doc.source;
  const section = source["task"] ?? source["environment"];
  if (section === void 0)
    throw new ConfigError(file, [
      {
        path: [],
        message: "no task here: expected a training config (environment:) or a run config with task:"
      }
    ]);
  return { section, origin: { what: file, baseDir: path.dirname(path.resolve(file)) } };
}
export {
  datasetTaskOf,
  pairOfTask,
  taskSectionOfFile
};
