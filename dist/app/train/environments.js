// Compiled from app/train/environments.ts by `npm run build`: edit the source, not this file.

// app/train/environments.ts
import path from "node:path";
import { toLearnerActions } from "../../src/core/environment.js";
import { loadDataset } from "../../src/learning/dataset.js";
import { environmentPlugins } from "../plugins.js";
async function environmentPairOf(config) {
  const { kind, options } = config.environment;
  const plugin = environmentPlugins.find((p) => p.kind === kind);
  if (plugin === void 0) throw new Error(`${config.file}: environment: unknown kind '${kind}'`);
  return plugin.create(options, { baseDir: path.dirname(config.file) });
}
async function realDatasetOf(config, pair) {
  if (config.datasets.length === 0) return null;
  const parts = [];
  for (const file of config.datasets) {
    const dataset = await loadDataset(file, pair.reward);
    if (path.extname(file).toLowerCase() === ".mcap") toLearnerActions(pair.actionMap, dataset.act);
    parts.push(dataset);
  }
  return parts.length === 1 ? parts[0] : joinTransitions(parts, config.datasets);
}
function joinTransitions(parts, files) {
  const first = parts[0];
  parts.forEach((p, i) => {
    if (p.obsSize !== first.obsSize || p.actSize !== first.actSize)
      throw new Error(
        `dataset ${files[i]} has ${p.obsSize} observations and ${p.actSize} actions, ${files[0]} has ${first.obsSize} and ${first.actSize}`
      );
  });
  const cat = (pick) => {
    const out = new Float64Array(parts.reduce((n, p) => n + pick(p).length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(pick(p), at);
      at += pick(p).length;
    }
    return out;
  };
  return {
    size: parts.reduce((n, p) => n + p.size, 0),
    obsSize: first.obsSize,
    actSize: first.actSize,
    obs: cat((t) => t.obs),
    act: cat((t) => t.act),
    reward: cat((t) => t.reward),
    nextObs: cat((t) => t.nextObs),
    terminated: cat((t) => t.terminated),
    meta: { sources: [...files] }
  };
}
export {
  environmentPairOf,
  realDatasetOf
};
