import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { TickRecord } from '../src/core/tick.ts';
import type { LoopReport } from '../src/loop/control-loop.ts';

/** Repository root, from this file's location. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The published Yang et al. 2024 models, when they are checked out beside the repository. */
export function anchorsDir(): string | undefined {
  const dir = join(repoRoot, '..', 'shared', 'anchors', 'yang2024');
  return existsSync(dir) ? dir : undefined;
}

/** Where every benchmark writes its JSON. */
export function resultsPath(file: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'results', file);
}

/** Writes `result` as indented JSON to bench/results/`file` (creating the folder); returns the path. */
export function writeResults(file: string, result: unknown): string {
  const path = resultsPath(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
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

/** A numeric command-line flag (`--seconds 5`), or `fallback` when it is absent or not a number. */
export function numberFlag(name: string, fallback: number): number {
  return Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
}

/** Counts the garbage collections from this call on: read `count` before and after a measurement. */
export function gcCounter(): { readonly count: number } {
  const counter = { count: 0 };
  new PerformanceObserver((list) => {
    counter.count += list.getEntries().length;
  }).observe({ entryTypes: ['gc'] });
  return counter;
}

/** Fills a tick record with synthetic values that change every tick (the sinks' benchmarks write these). */
export function fillTick(record: TickRecord, tick: number): void {
  record.tick = tick;
  record.deadline = tick / 1000;
  record.periodError = 1e-5 * (tick % 17);
  record.computeTime = 2e-5;
  record.observationTime = tick / 1000;
  for (let i = 0; i < record.observation.length; i++) record.observation[i] = Math.sin(tick * 1e-3 + i);
  for (let i = 0; i < record.action.length; i++)
    record.command[i] = record.action[i] = Math.cos(tick * 1e-3 + i);
}

/** A loop run's ticks, period error (p50, p99, max in µs) and missed deadlines, as the loop benchmarks store them. */
export function loopTiming(report: LoopReport) {
  return {
    ticks: report.ticks,
    p50us: report.periodError.p50 * 1e6,
    p99us: report.periodError.p99 * 1e6,
    maxUs: report.periodError.max * 1e6,
    missed: report.missedDeadlines,
  };
}
