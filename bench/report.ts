import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where every benchmark writes its JSON. */
export function resultsPath(file: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'results', file);
}

/** The machine and moment a figure was measured on, stored with every result. */
export function machineInfo() {
  return {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      loadAverage1m: loadavg()[0],
      /** 1, 5 and 15 minute load averages: long runs on a shared machine need all three. */
      loadAverage: loadavg(),
    },
  };
}

/** Prints a fixed-width table; numbers get three significant decimals at most. */
export function printTable(
  title: string,
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): void {
  const cell = (v: unknown): string =>
    typeof v === 'number'
      ? Number.isInteger(v)
        ? String(v)
        : Number.isNaN(v)
          ? '–'
          : v.toFixed(Math.abs(v) >= 100 ? 0 : 2)
      : String(v);
  const text = [header, ...rows.map((r) => r.map(cell))];
  const widths = header.map((_, i) => Math.max(...text.map((r) => String(r[i] ?? '').length)));
  console.log(`\n${title}`);
  for (const [i, r] of text.entries()) {
    console.log(r.map((c, j) => String(c).padStart(widths[j]!)).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
