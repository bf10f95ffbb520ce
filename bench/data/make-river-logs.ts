/**
 * Writes the river-crossing real logs (columnar JSON) for C₀ = 1.2, 0.9 and 0.6:
 *   node --import tsx bench/data/make-river-logs.ts
 * The logs are deterministic (fixed seed), so regenerating them reproduces the committed files.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRiverLog } from '../../sim/river/log.ts';
import { riverDefaults } from '../../sim/river/river.ts';
import { saveColumnar } from '../../src/learning/dataset.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../sim/river/data');
mkdirSync(dir, { recursive: true });
for (const current of [1.2, 0.9, 0.6]) {
  const file = path.join(dir, `real-log-c${current}.json`);
  await saveColumnar(file, generateRiverLog({ ...riverDefaults, current }), 5);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
