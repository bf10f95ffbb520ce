import type { z } from 'zod';

/** One problem in a config file, located by key path and (when known) line and column. */
export interface ConfigProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** Where to point when that is not `path` itself (the first unknown key inside it). */
  readonly locateAt?: readonly (string | number)[];
  line?: number;
  column?: number;
}

/**
 * A malformed config: names the file, each offending key path with its line, and what was expected.
 * Thrown before anything connects to a robot.
 */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(file, problems));
    this.name = 'ConfigError';
  }
}

export function formatKeyPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function formatProblems(file: string, problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => {
    const where = p.line === undefined ? file : `${file}:${p.line}:${p.column ?? 1}`;
    return `  ${where}: ${formatKeyPath(p.path)}: ${p.message}`;
  });
  return `invalid config ${file}\n${lines.join('\n')}`;
}

/** Turns zod issues into problems under `prefix` (the YAML section the schema validated). */
export function problemsFromZod(
  error: z.ZodError,
  prefix: readonly (string | number)[] = [],
): ConfigProblem[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    return {
      path,
      message: describeIssue(issue),
      ...(unknown === undefined ? {} : { locateAt: [...path, unknown] }),
    };
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_type':
      return `expected ${issue.expected}${'input' in issue ? `, got ${describeValue(issue.input)}` : ''}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}${
        'input' in issue ? `, got ${describeValue(issue.input)}` : ''
      }`;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}
