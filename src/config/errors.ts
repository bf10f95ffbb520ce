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

/**
 * Turns zod issues into problems under `prefix` (the YAML section the schema validated). With the
 * `schema` that failed, an unknown key's message also names the keys that were expected there.
 */
export function problemsFromZod(
  error: z.ZodError,
  prefix: readonly (string | number)[] = [],
  schema?: z.ZodType,
): ConfigProblem[] {
  return error.issues.map((issue) => {
    const at = issue.path as (string | number)[];
    const path = [...prefix, ...at];
    const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const expected = unknown === undefined || !schema ? undefined : objectKeysAt(schema, at);
    return {
      path,
      message: describeIssue(issue, expected),
      ...(unknown === undefined ? {} : { locateAt: [...path, unknown] }),
    };
  });
}

/** Minimal view of a zod 4 schema's definition: just the links `objectKeysAt` follows. */
interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, unknown>;
  readonly innerType?: SchemaLike;
  readonly in?: SchemaLike;
  readonly element?: SchemaLike;
  readonly valueType?: SchemaLike;
  readonly getter?: () => SchemaLike;
}
interface SchemaLike {
  readonly _zod: { readonly def: SchemaDef };
}

/**
 * The keys an object schema accepts at `path` inside `schema`, looking through optional, default,
 * pipe, array, record and lazy wrappers; undefined where the path leads elsewhere (e.g. a union,
 * whose options each expect other keys).
 */
function objectKeysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] | undefined {
  let node: SchemaLike | undefined = schema as unknown as SchemaLike;
  let depth = 0;
  // Bounded: a recursive lazy schema cannot loop forever.
  for (let step = 0; node !== undefined && step < 64; step++) {
    const def: SchemaDef = node._zod.def;
    if (def.innerType) {
      node = def.innerType;
      continue;
    }
    if (def.type === 'pipe' || def.type === 'lazy') {
      node = def.type === 'pipe' ? def.in : def.getter?.();
      continue;
    }
    if (depth === path.length) return def.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
    const key = path[depth++]!;
    if (def.type === 'object') node = def.shape?.[key] as SchemaLike | undefined;
    else if (def.type === 'array' && typeof key === 'number') node = def.element;
    else if (def.type === 'record') node = def.valueType;
    else return undefined;
  }
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue, expectedKeys?: readonly string[]): string {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const keys = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
      return expectedKeys && expectedKeys.length > 0 ? `${keys}; expected ${expectedKeys.join(', ')}` : keys;
    }
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
