import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLivePort, runInfo } from '../../app/live/live-view.ts';
import { plugins } from '../../app/plugins.ts';
import { loadRunConfig, parseRunConfig } from '../../src/config/load.ts';

const base = `
robot: { kind: sim, model: cartpole }
controller: { kind: lqr, model: cartpole }
loop: { rateHz: 50 }
`;

describe('live view configuration', () => {
  it('is off without a live: section, and on with defaults with an empty one', () => {
    expect(parseRunConfig(base, 'run.yaml', plugins).live).toBeUndefined();
    expect(parseRunConfig(`${base}live: {}\n`, 'run.yaml', plugins).live).toEqual({
      host: '127.0.0.1',
      port: 8765,
      allowOrigins: [],
      tickHz: 50,
      publishHz: 25,
    });
  });

  it('refuses unknown keys and bad values at their line', () => {
    expect(() =>
      parseRunConfig(
        `${base}live: { port: 70000, tokenEnv: 'not a name', colour: red }\n`,
        'run.yaml',
        plugins,
      ),
    ).toThrow(/run\.yaml:5:\d+: live\.port[\s\S]*live\.tokenEnv[\s\S]*colour/);
  });

  it('--live takes an optional port', () => {
    expect(parseLivePort(true)).toBeUndefined();
    expect(parseLivePort('0')).toBe(0);
    expect(parseLivePort('9000')).toBe(9000);
    expect(() => parseLivePort('http')).toThrow(/--live: expected a TCP port/);
  });

  it('status names each policy by model file, SHA-256 and model card', () => {
    const config = loadRunConfig(
      join(import.meta.dirname, '../../configs/cartpole-policy-lqr.yaml'),
      plugins,
    );
    const info = runInfo(config);
    expect(info.guard).toBe('none');
    const policy = Object.values(info.policies ?? {})[0];
    expect(policy?.model).toBe('cartpole-balance.onnx');
    expect(policy?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
