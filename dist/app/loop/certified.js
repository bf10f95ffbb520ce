// Compiled from app/loop/certified.ts by `npm run build`: edit the source, not this file.

// app/loop/certified.ts
import path from "node:path";
function certifiedControllersOf(config) {
  const resolve = (file) => path.resolve(config.baseDir, file);
  const found = [];
  const guard = config.switching.guard;
  if (guard !== void 0)
    for (const [controller, entry] of Object.entries(guard.options.certificates ?? {}))
      found.push({
        controller,
        key: `switching.guard.certificates.${controller}`,
        model: resolve(entry.model),
        certificate: resolve(entry.certificate)
      });
  for (const c of config.controllers) {
    if (c.plugin.kind !== "hybrid-supervisor") continue;
    for (const [i, mode] of (c.options.modes ?? []).entries())
      found.push({
        controller: c.name,
        key: `${c.path.join(".")}.modes.${i} (${mode.name})`,
        model: resolve(mode.model),
        ...mode.certificate === void 0 ? {} : { certificate: resolve(mode.certificate) }
      });
  }
  return found;
}
export {
  certifiedControllersOf
};
