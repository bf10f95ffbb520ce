// Compiled from src/config/errors.ts by `npm run build`: edit the source, not this file.

// src/config/errors.ts
var ConfigError = class extends Error {
  constructor(file, problems) {
    super(formatProblems(file, problems));
    this.file = file;
    this.problems = problems;
    this.name = "ConfigError";
  }
  file;
  problems;
};
function formatKeyPath(path) {
  if (path.length === 0) return "(top level)";
  return path.map((p, i) => typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`).join("");
}
function formatProblems(file, problems) {
  const lines = problems.map((p) => {
    const where = p.line === void 0 ? file : `${file}:${p.line}:${p.column ?? 1}`;
    return `  ${where}: ${formatKeyPath(p.path)}: ${p.message}`;
  });
  return `invalid config ${file}
${lines.join("\n")}`;
}
function problemsFromZod(error, prefix = [], schema) {
  return error.issues.map((issue) => {
    const at = issue.path;
    const path = [...prefix, ...at];
    const unknown = issue.code === "unrecognized_keys" ? issue.keys[0] : void 0;
    const expected = unknown === void 0 || !schema ? void 0 : objectKeysAt(schema, at);
    return {
      path,
      message: describeIssue(issue, expected),
      ...unknown === void 0 ? {} : { locateAt: [...path, unknown] }
    };
  });
}
function objectKeysAt(schema, path) {
  let node = schema;
  let depth = 0;
  for (let step = 0; node !== void 0 && step < 64; step++) {
    const def = node._zod.def;
    if (def.innerType) {
      node = def.innerType;
      continue;
    }
    if (def.type === "pipe" || def.type === "lazy") {
      node = def.type === "pipe" ? def.in : def.getter?.();
      continue;
    }
    if (depth === path.length) return def.type === "object" && def.shape ? Object.keys(def.shape) : void 0;
    const key = path[depth++];
    if (def.type === "object") node = def.shape?.[key];
    else if (def.type === "array" && typeof key === "number") node = def.element;
    else if (def.type === "record") node = def.valueType;
    else return void 0;
  }
  return void 0;
}
function describeIssue(issue, expectedKeys) {
  switch (issue.code) {
    case "unrecognized_keys": {
      const keys = `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
      return expectedKeys && expectedKeys.length > 0 ? `${keys}; expected ${expectedKeys.join(", ")}` : keys;
    }
    case "invalid_type":
      return `expected ${issue.expected}${"input" in issue ? `, got ${describeValue(issue.input)}` : ""}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(" | ")}${"input" in issue ? `, got ${describeValue(issue.input)}` : ""}`;
    default:
      return issue.message;
  }
}
function describeValue(value) {
  if (value === void 0) return "nothing (the key is missing)";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${String(value)}`;
}
export {
  ConfigError,
  formatKeyPath,
  problemsFromZod
};
