// Compiled from src/config/document.ts by `npm run build`: edit the source, not this file.

// src/config/document.ts
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { ConfigError, problemsFromZod } from "./errors.js";
var ConfigDocument = class _ConfigDocument {
  constructor(file, baseDir, source, root, lineCounter) {
    this.file = file;
    this.baseDir = baseDir;
    this.source = source;
    this.root = root;
    this.lineCounter = lineCounter;
  }
  file;
  baseDir;
  source;
  root;
  lineCounter;
  problems = [];
  static read(file) {
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new ConfigError(file, [{ path: [], message: `cannot read file (${error.message})` }]);
    }
    return _ConfigDocument.parse(text, file);
  }
  /** Parses YAML text; a syntax error is thrown at once with its line. */
  static parse(text, file) {
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { lineCounter, prettyErrors: false });
    if (document.errors.length > 0) {
      throw new ConfigError(
        file,
        document.errors.map((e) => {
          const { line, col } = lineCounter.linePos(e.pos[0]);
          return { path: [], message: `YAML syntax: ${e.message.split("\n")[0]}`, line, column: col };
        })
      );
    }
    return new _ConfigDocument(
      file,
      dirname(resolve(file)),
      document.toJS() ?? {},
      document.contents,
      lineCounter
    );
  }
  /** Resolves a path written in this file against the file's directory. */
  resolvePath(path) {
    return resolve(this.baseDir, path);
  }
  /**
   * Validates `value` (found at `path` in the file) with `schema`. On failure the problems are
   * recorded with their lines and `undefined` is returned, so every section is checked before
   * `throwIfProblems` reports them all at once.
   */
  validate(schema, value, path = []) {
    const parsed = schema.safeParse(value, { reportInput: true });
    if (parsed.success) return parsed.data;
    this.problems.push(...problemsFromZod(parsed.error, path, schema));
    return void 0;
  }
  /** Records a problem found by a semantic check (unknown signal, missing file, mismatch). */
  report(path, message) {
    this.problems.push({ path, message });
  }
  get hasProblems() {
    return this.problems.length > 0;
  }
  /** Throws one ConfigError naming every recorded problem with its line, if there are any. */
  throwIfProblems() {
    if (this.problems.length === 0) return;
    throw new ConfigError(
      this.file,
      this.problems.map((p) => ({ ...p, ...this.positionOf(p.locateAt ?? p.path) }))
    );
  }
  /** Line and column of the deepest YAML node that exists along `path`. */
  positionOf(path) {
    let node = this.root;
    let found;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
        if (!pair) break;
        found = pair.key ?? found;
        node = pair.value;
      } else if (isSeq(node) && typeof key === "number") {
        node = node.items[key];
        found = node;
      } else break;
    }
    const offset = found?.range?.[0] ?? this.root?.range?.[0];
    if (offset === void 0) return {};
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }
};
export {
  ConfigDocument
};
