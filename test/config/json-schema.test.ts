import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConfigJsonSchema } from '../../app/json-schema.ts';
import { controllerPlugins, robotPlugins } from '../../app/plugins.ts';

describe('run config JSON Schema', () => {
  const schema = runConfigJsonSchema();
  const text = JSON.stringify(schema);

  it('offers every registered robot and controller kind', () => {
    for (const p of [...robotPlugins, ...controllerPlugins]) expect(text).toContain(`"const":"${p.kind}"`);
  });

  it('is committed up to date (regenerate with `npx tether config schema`)', () => {
    const committed = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../configs/schema/run.schema.json'), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(text));
  });
});
