import { describe, expect, it } from 'vitest';
import { plugins } from '../../app/plugins.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { parseRunConfig } from '../../src/config/load.ts';

function problemsOf(text: string): ConfigError {
  try {
    parseRunConfig(text, 'configs/example.yaml', plugins);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('run config errors name the file, the key path, the line and what was expected', () => {
  it('reports YAML syntax errors with their line', () => {
    const e = problemsOf('robot:\n  kind: sim\n loop: [\n');
    expect(e.message).toContain('configs/example.yaml:');
    expect(e.message).toMatch(/YAML syntax/);
  });

  it('reports an out-of-range rate at its line', () => {
    const e = problemsOf(
      ['robot: { kind: sim }', 'controller: { kind: constant }', 'loop:', '  rateHz: 5000'].join('\n'),
    );
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]!.path).toEqual(['loop', 'rateHz']);
    expect(e.problems[0]!.line).toBe(4);
    expect(e.message).toMatch(/configs\/example\.yaml:4:\d+: loop\.rateHz: .*2000/);
  });

  it('reports unknown keys and wrong enum values together', () => {
    const e = problemsOf(
      [
        'robot: { kind: sim }',
        'controller: { kind: constant }',
        'loop:',
        '  rateHz: 50',
        '  mode: turbo',
        'colour: red',
      ].join('\n'),
    );
    const text = e.message;
    expect(text).toMatch(/loop\.mode: expected one of "realtime" \| "fast", got "turbo"/);
    expect(text).toMatch(/unknown key 'colour'/);
    expect(text).toMatch(/example\.yaml:5:/);
  });

  it('names the keys expected beside an unknown one, at the depth it was written', () => {
    const e = problemsOf(
      [
        'robot: { kind: sim, model: cartpole, initialState: { qpoz: [0, 0.1] } }',
        'controller: { kind: constant }',
        'loop: { rateHz: 50 }',
        'safety:',
        '  maxDeltaPerTik: 10',
      ].join('\n'),
    );
    expect(e.message).toContain(
      "example.yaml:5:3: safety: unknown key 'maxDeltaPerTik'; expected lower, upper, maxDeltaPerTick,",
    );
    expect(e.message).toContain("robot.initialState: unknown key 'qpoz'; expected qpos, qvel");
  });

  it('reports a missing required section', () => {
    const e = problemsOf('robot: { kind: sim }\ncontroller: { kind: constant }\n');
    expect(e.message).toMatch(/loop: expected object, got nothing \(the key is missing\)/);
  });

  it('names unknown plugin kinds and lists the known ones', () => {
    const e = problemsOf('robot: { kind: sim }\ncontroller: { kind: telepathy }\nloop: { rateHz: 50 }\n');
    expect(e.message).toMatch(
      /controller\.kind: unknown controller kind 'telepathy', expected one of .*constant/,
    );
    expect(e.problems.find((p) => p.path.join('.') === 'controller.kind')?.line).toBe(2);
  });

  it('validates plugin options with the plugin schema, under the section path', () => {
    const e = problemsOf(
      'robot: { kind: sim }\ncontroller:\n  kind: constant\n  action: fast\nloop: { rateHz: 50 }\n',
    );
    expect(e.message).toMatch(/controller\.action: expected array, got "fast"/);
    expect(e.problems.find((p) => p.path.join('.') === 'controller.action')?.line).toBe(4);
  });
});
