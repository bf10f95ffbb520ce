import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { jsonSchemas } from '../../app/json-schema.ts';
import { environmentPlugins } from '../../app/plugins.ts';
import { algorithmNames } from '../../src/learning/learner.ts';

const repo = join(import.meta.dirname, '../..');

describe('published JSON Schemas (train, rig, policy contract)', () => {
  for (const kind of ['train', 'rig', 'contract'] as const) {
    it(`${kind}: committed up to date (regenerate with \`tether config schema --kind ${kind}\`)`, () => {
      const committed = JSON.parse(readFileSync(join(repo, jsonSchemas[kind].file), 'utf8'));
      expect(committed).toEqual(JSON.parse(JSON.stringify(jsonSchemas[kind].build())));
    });
  }

  it('train: offers every environment kind and every algorithm with its defaults', () => {
    const text = JSON.stringify(jsonSchemas.train.build());
    for (const p of environmentPlugins) expect(text).toContain(`"const":"${p.kind}"`);
    for (const a of algorithmNames) expect(text).toContain(`"const":"${a}"`);
    expect(text).toContain('"discriminatorHidden":{"default":[256,256]');
  });

  it('train: the shipped configs point editors at it', () => {
    const first = readFileSync(join(repo, 'configs/train/river-h2o.yaml'), 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=../schema/train.schema.json');
    expect(parse(readFileSync(join(repo, 'configs/train/river-h2o.yaml'), 'utf8')).algorithm).toBe('h2o');
  });
});
