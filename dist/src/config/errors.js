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
function problemsFromZod(error, prefix = []) {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    const unknown = issue.code === "unrecognized_keys" ? issue.keys[0] : void 0;
    return {
      path,
      message: describeIssue(issue),
      ...unknown === void 0 ? {} : { locateAt: [...path, unknown] }
    };
  });
}
function describeIssue(issue) {
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
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
