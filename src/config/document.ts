import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem, problemsFromZod } from './errors.ts';

/**
 * A YAML (or JSON) config file that remembers where every key was written. Run, loop, train and rig
 * configs and policy contracts go through this one loader, so every error reads
 * `file:line:column: key.path: what was expected` and every relative path resolves the same way:
 * against the directory of the file that names it.
 */
export class ConfigDocument {
  private readonly problems: ConfigProblem[] = [];

  private constructor(
    readonly file: string,
    /** Directory of the file; relative paths in it resolve against this. */
    readonly baseDir: string,
    /** The parsed YAML as written (stored in logs for provenance). */
    readonly source: unknown,
    private readonly root: Node | null,
    private readonly lineCounter: LineCounter,
  ) {}

  static read(file: string): ConfigDocument {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(file, [{ path: [], message: `cannot read file (${(error as Error).message})` }]);
    }
    return ConfigDocument.parse(text, file);
  }

  /** Parses YAML text; a syntax error is thrown at once with its line. */
  static parse(text: string, file: string): ConfigDocument {
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { lineCounter, prettyErrors: false });
    if (document.errors.length > 0) {
      throw new ConfigError(
        file,
        document.errors.map((e) => {
          const { line, col } = lineCounter.linePos(e.pos[0]);
          return { path: [], message: `YAML syntax: ${e.message.split('\n')[0]}`, line, column: col };
        }),
      );
    }
    return new ConfigDocument(
      file,
      dirname(resolve(file)),
      document.toJS() ?? {},
      document.contents,
      lineCounter,
    );
  }

  /** Resolves a path written in this file against the file's directory. */
  resolvePath(path: string): string {
    return resolve(this.baseDir, path);
  }

  /**
   * Validates `value` (found at `path` in the file) with `schema`. On failure the problems are
   * recorded with their lines and `undefined` is returned, so every section is checked before
   * `throwIfProblems` reports them all at once.
   */
  validate<S extends z.ZodType>(
    schema: S,
    value: unknown,
    path: readonly (string | number)[] = [],
  ): z.output<S> | undefined {
    const parsed = schema.safeParse(value, { reportInput: true });
    if (parsed.success) return parsed.data as z.output<S>;
    this.problems.push(...problemsFromZod(parsed.error, path, schema));
    return undefined;
  }

  /** Records a problem found by a semantic check (unknown signal, missing file, mismatch). */
  report(path: readonly (string | number)[], message: string): void {
    this.problems.push({ path, message });
  }

  get hasProblems(): boolean {
    return this.problems.length > 0;
  }

  /** Throws one ConfigError naming every recorded problem with its line, if there are any. */
  throwIfProblems(): void {
    if (this.problems.length === 0) return;
    throw new ConfigError(
      this.file,
      this.problems.map((p) => ({ ...p, ...this.positionOf(p.locateAt ?? p.path) })),
    );
  }

  /** Line and column of the deepest YAML node that exists along `path`. */
  positionOf(path: readonly (string | number)[]): { line?: number; column?: number } {
    let node: unknown = this.root;
    let found: { range?: [number, number, number] | null } | undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
        if (!pair) break;
        found = (pair.key as { range?: [number, number, number] }) ?? found;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        found = node as typeof found;
      } else break;
    }
    const offset =
      found?.range?.[0] ?? (this.root as { range?: [number, number, number] } | null)?.range?.[0];
    if (offset === undefined) return {};
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }
}
