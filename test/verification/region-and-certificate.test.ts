import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Certificate,
  certify,
  checkCertificate,
  seal,
  statementOf,
} from '../../src/verification/certificate.ts';
import { checkCover } from '../../src/verification/cover.ts';
import { holeHalfWidths, parseModel, regionBoxes } from '../../src/verification/model.ts';
import { textsOffCanvas } from '../support/svg.ts';
import { fixture, fixturePath, rawFixture } from './fixtures.ts';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/tether.mjs', 'verify', ...args], { encoding: 'utf8' });

describe('the region a certificate proves is derived, never taken from the file', () => {
  it('sub_boxes covering half the box, or lying outside it, change nothing: rho 720 is refuted', async () => {
    for (const subBoxes of [[{ lo: [0.012, -12], up: [12, 12] }], [{ lo: [20, 20], up: [30, 30] }], []]) {
      const raw = rawFixture('pendulum_u6');
      raw.spec.sub_boxes = subBoxes;
      const model = parseModel(raw, 'half');
      expect(model.spec.subBoxesInFile).toBe(true);
      const { certificate } = await certify(model, { rho: 720, workers: 0, falsifier: false });
      expect(certificate.result).toBe('counterexample');
    }
  });

  it('the published sub_boxes leave a sliver of B minus the hole uncovered, which the derived region covers', () => {
    const raw = rawFixture('pendulum_u6');
    const model = parseModel(raw, 'u6');
    const target = regionBoxes(model.spec.boxLo, model.spec.boxUp, model.spec.hole);
    const published = checkCover(target, raw.spec.sub_boxes!);
    expect(published.covered).toBe(false);
    expect(published.witness![0]).toBeGreaterThanOrEqual(0.012);
    expect(checkCover(target, model.spec.subBoxes).covered).toBe(true);
  });

  it('the hole is relative to the half-width of B, also for an asymmetric box', () => {
    expect(holeHalfWidths([-12, -6], [12, 18], 0.001)).toEqual([0.012, 0.012]);
    const boxes = regionBoxes([-1, -0.5], [3, 2], [0.5, 0.25]);
    // Exactly B minus the open hole: covered, and the hole's interior in none of the boxes.
    expect(
      checkCover([{ lo: [-1, -0.5], up: [3, 2] }], [...boxes, { lo: [-0.5, -0.25], up: [0.5, 0.25] }])
        .covered,
    ).toBe(true);
    for (const b of boxes)
      expect(b.lo[0]! >= 0.5 || b.up[0]! <= -0.5 || b.lo[1]! >= 0.25 || b.up[1]! <= -0.25).toBe(true);
    expect(() => regionBoxes([1, 0], [3, 2], [0.5, 0.25])).toThrow(/does not lie inside the box/);
  });

  it('cover proofs are exact: a gap of two ulps is found', () => {
    const target = [{ lo: [0, 0], up: [1, 1] }];
    expect(
      checkCover(target, [
        { lo: [0, 0], up: [0.5, 1] },
        { lo: [0.5, 0], up: [1, 1] },
      ]).covered,
    ).toBe(true);
    const gap = checkCover(target, [
      { lo: [0, 0], up: [0.5, 1] },
      { lo: [0.5000000000000002, 0], up: [1, 1] },
    ]);
    expect(gap.covered).toBe(false);
    expect(gap.witness![0]).toBe(0.5000000000000001);
  });
});

describe('certificates bind everything and are integrity-protected', () => {
  it('binds rho, the region searched, the hole check and the spec; any edit is refused', async () => {
    const model = fixture('pendulum_u6');
    const { certificate } = await certify(model, { workers: 0 });
    expect(certificate.result).toBe('verified');
    expect(certificate.holeCheck.result).toBe('verified');
    expect(certificate.cover.proof).toMatch(/exact box subtraction/);
    expect(certificate.statement).toMatch(/for every x in B = \[-12, -12\]\.\.\[12, 12\]/);
    expect(checkCertificate(model, certificate)).toBe(672);

    const edited: Certificate = { ...certificate, rho: 5000 };
    expect(() => checkCertificate(model, edited)).toThrow(
      /does not match its integrity digest.*edited after it was issued/,
    );
    // Re-sealing an edited claim is still refused where it no longer covers the model's region.
    const resealed = seal({
      ...withoutDigest(certificate),
      cover: { ...certificate.cover, searched: certificate.cover.searched.slice(1) },
    });
    expect(() => checkCertificate(model, resealed)).toThrow(/searched boxes do not cover B minus the hole/);
    const refuted = seal({ ...withoutDigest(certificate), result: 'counterexample' });
    expect(() => checkCertificate(model, refuted)).toThrow(/result is 'counterexample'/);
    const v1 = { ...certificate, format: 'tether-certificate/v1' };
    expect(() => checkCertificate(model, v1)).toThrow(/v1 binds neither the region nor rho/);
    // The spec is bound: another hole is another claim.
    const raw = rawFixture('pendulum_u6');
    raw.spec.hole_size_relative = 0.01;
    expect(() => checkCertificate(parseModel(raw), certificate)).toThrow(/hole .* differs/);
  });

  it('refuses a re-sealed certificate whose statement disagrees with its rho; the digest is no signature', () => {
    const model = fixture('pendulum_u6');
    const shipped = join(fixturePath('pendulum_u6'), '../../certificates/pendulum_u6.cert.json');
    const certificate = JSON.parse(readFileSync(shipped, 'utf8')) as Certificate;
    expect(checkCertificate(model, certificate)).toBe(672);
    // rho raised and the digest recomputed, as anyone can: the words still claim 672.
    const raised = seal({ ...withoutDigest(certificate), rho: 5000 });
    expect(() => checkCertificate(model, raised)).toThrow(
      /statement disagrees with its rho 5000 and the model: from character \d+ it reads "672 implies.*the claim at rho 5000 reads "5000 implies/,
    );
    // Words edited to another claim at the same rho are refused too.
    const reworded = seal({
      ...withoutDigest(certificate),
      statement: certificate.statement.replace('(1 - 0.001)', '(1 - 0.1)'),
    });
    expect(() => checkCertificate(model, reworded)).toThrow(/statement disagrees with its rho 672/);
    // What this check cannot do: a forger who also rewrites the statement passes (no key). A
    // signature by a key the robot trusts stops it (signature.test.ts).
    const forged = seal({ ...withoutDigest(certificate), rho: 5000, statement: statementOf(model, 5000) });
    expect(checkCertificate(model, forged)).toBe(5000);
  });
});

function withoutDigest(c: Certificate): Omit<Certificate, 'integrity'> {
  const { integrity: _integrity, ...body } = c;
  return body;
}

describe('budgets end in UNKNOWN, never in silence', () => {
  it('a box budget and a time budget stop the search with the result unknown', async () => {
    const model = fixture('pendulum_u075');
    const boxes = await certify(model, { workers: 2, maxBoxes: 2000, falsifier: false });
    expect(boxes.certificate.result).toBe('unknown');
    expect(boxes.certificate.stopped).toBe('box-budget');
    expect(boxes.certificate.boxes.visited).toBeLessThan(2000 + 2 * 1024 * 32);
    const time = await certify(model, { workers: 0, timeLimitSeconds: 0.05, falsifier: false });
    expect(time.certificate.result).toBe('unknown');
    expect(time.certificate.stopped).toBe('time-budget');
    expect(time.certificate.boxes.unknownVolume).toBeGreaterThan(0);
  });

  it('tether verify says UNKNOWN and which budget, and exits 2', () => {
    const r = cli(fixturePath('pendulum_u075'), '--max-boxes', '3000', '--workers', '1');
    expect(r.stdout).toMatch(/pendulum_u075: UNKNOWN at rho=1\.15516/);
    expect(r.stdout).toMatch(/stopped by the box budget \(--max-boxes\): .* % of the region undecided/);
    expect(r.status).toBe(2);
  });

  it('tether verify prints the exact region it proved, and notes a file`s ignored sub_boxes', () => {
    const r = cli(fixturePath('pendulum_u6'), '--workers', '1');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /proved: for every x in B = \[-12, -12\]\.\.\[12, 12\]: outside the open hole H/,
    );
    expect(r.stdout).toMatch(/cover: \d+ searched boxes; exact box subtraction/);
    expect(r.stderr).toMatch(/spec\.sub_boxes in the file are not used/);
  });

  it('writes a certificate that checks; an edited file is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tether-verify-'));
    const out = join(dir, 'u6.cert.json');
    const r = cli(fixturePath('pendulum_u6'), '--rho', '700', '--workers', '1', '--out', out);
    expect(r.status).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(checkCertificate(fixture('pendulum_u6'), written)).toBe(700);
    writeFileSync(out, JSON.stringify({ ...written, rho: 720 }));
    expect(() => checkCertificate(fixture('pendulum_u6'), JSON.parse(readFileSync(out, 'utf8')))).toThrow(
      /integrity/,
    );
  });
});

describe('tether verify shows its progress', () => {
  const line = /^ {2}… (\d+) boxes, (\d+\.\d) % of the region decided( \((\d+)\/(\d+) tasks\))?, [\d.]+ s$/;
  /** The progress lines on stderr, parsed; fails on any "…" line of another shape. */
  const progressOf = (stderr: string) =>
    stderr
      .split('\n')
      .filter((l) => l.startsWith('  …'))
      .map((l) => {
        const m = line.exec(l);
        expect(m, l).not.toBeNull();
        return {
          boxes: Number(m![1]),
          percent: Number(m![2]),
          tasks: m![3] ? [Number(m![4]), Number(m![5])] : null,
        };
      });

  it('in the calling thread (--workers 0): lines with boxes and a percentage that only grows, up to 100', () => {
    // A short interval so that even a fast machine reports; the assertions do not depend on timing.
    const r = cli(fixturePath('pendulum_u075'), '--workers', '0', '--progress-every', '0.01');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/pendulum_u075: VERIFIED at rho=1\.15516/);
    const lines = progressOf(r.stderr);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const [i, p] of lines.entries()) {
      expect(p.tasks).toBeNull();
      expect(p.boxes).toBeGreaterThan(0);
      expect(p.percent).toBeGreaterThanOrEqual(0);
      expect(p.percent).toBeLessThanOrEqual(100);
      if (i > 0) {
        expect(p.boxes).toBeGreaterThan(lines[i - 1]!.boxes);
        expect(p.percent).toBeGreaterThanOrEqual(lines[i - 1]!.percent);
      }
    }
  });

  it('on worker threads: lines name the tasks done of the tasks cut; --no-progress prints none', () => {
    const r = cli(fixturePath('pendulum_u075'), '--workers', '1', '--progress-every', '0.01');
    expect(r.status).toBe(0);
    const lines = progressOf(r.stderr);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const p of lines) {
      expect(p.percent).toBeGreaterThanOrEqual(0);
      expect(p.percent).toBeLessThanOrEqual(100);
      expect(p.tasks![1]).toBeGreaterThan(0);
      expect(p.tasks![0]).toBeLessThanOrEqual(p.tasks![1]!);
    }
    const quiet = cli(
      fixturePath('pendulum_u075'),
      '--workers',
      '0',
      '--progress-every',
      '0.01',
      '--no-progress',
    );
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).not.toMatch(/…/);
    const bad = cli(fixturePath('pendulum_u075'), '--progress-every', '0');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--progress-every must be a positive number, got '0'/);
  });
});

const textsOf = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)</g)].map((t) => t[1]!);

describe('region plots read on their own', () => {
  it('have a title, ticked and labelled axes and a legend, and no text runs off the canvas', async () => {
    const { levelSetGrid, regionSvg, rollout } = await import('../../src/verification/region.ts');
    const model = fixture('pendulum_u6');
    const svg = regionSvg({
      title: 'pendulum |u| <= 6: certified region (rho 672)',
      model,
      grid: levelSetGrid(model, 672, 60),
      trajectories: [rollout(model, [3, 0], 50)],
      counterexamples: [[5, 5]],
      labels: ['theta (rad)', 'theta dot (rad/s)'],
    });
    const content = textsOf(svg);
    expect(content).toContain('pendulum |u| &lt;= 6: certified region (rho 672)');
    expect(content).toContain('theta (rad)');
    expect(content).toContain('theta dot (rad/s)');
    expect(content).toEqual(expect.arrayContaining(['-10', '-5', '0', '5', '10']));
    expect(content.some((c) => /shaded: V &lt; rho/.test(c))).toBe(true);
    expect(textsOffCanvas(svg)).toEqual([]);
  });

  it('the titles bench:certify-pendulum draws are wrapped onto the canvas, whole and in order', async () => {
    const { regionSvg } = await import('../../src/verification/region.ts');
    const { pendulumRegionPlot } = await import('../../bench/certify-pendulum-plot.ts');
    for (const name of ['pendulum_u6', 'pendulum_u075'] as const) {
      const plot = pendulumRegionPlot(name, fixture(name), [5, 5]);
      const svg = regionSvg(plot);
      const titleLines = [...svg.matchAll(/<text[^>]* font-size="([\d.]+)" text-anchor="middle">([^<]*)</g)]
        .filter((t) => Number(t[1]) > 12)
        .map((t) => t[2]!);
      // These titles are wider than the canvas on one line: the plot must break them, not clip them.
      expect(titleLines.length, name).toBeGreaterThan(1);
      expect(titleLines.join(' '), name).toBe(plot.title.replace(/</g, '&lt;'));
      expect(textsOffCanvas(svg), name).toEqual([]);
      // The plot area moves down below the title, so no title line sits on it.
      const plotTop = Number(/<rect x="80" y="([\d.]+)" width="480" height="480"/.exec(svg)![1]);
      const lastBaseline = Math.max(
        ...[...svg.matchAll(/<text[^>]* y="([\d.]+)" font-size="15"/g)].map((t) => Number(t[1])),
      );
      expect(lastBaseline, name).toBeLessThan(plotTop);
    }
  });

  it('a title word wider than the canvas shrinks the title until it fits', async () => {
    const { levelSetGrid, regionSvg } = await import('../../src/verification/region.ts');
    const model = fixture('pendulum_u6');
    const long = `${'certified_region_'.repeat(5)}end`;
    const svg = regionSvg({ title: long, model, grid: levelSetGrid(model, 672, 20) });
    expect(textsOf(svg)).toContain(long);
    const size = Number(new RegExp(`font-size="([\\d.]+)" text-anchor="middle">${long}<`).exec(svg)![1]);
    expect(size).toBeLessThan(15);
    expect(textsOffCanvas(svg)).toEqual([]);
  });

  it('every committed region plot in bench/results keeps its text on the canvas', () => {
    const dir = join(import.meta.dirname, '..', '..', 'bench', 'results');
    const plots = readdirSync(dir).filter((f) => f.startsWith('certify-') && f.endsWith('.svg'));
    expect(plots).toEqual(
      expect.arrayContaining(['certify-pendulum-pendulum_u6.svg', 'certify-pendulum-pendulum_u075.svg']),
    );
    for (const file of plots) expect(textsOffCanvas(readFileSync(join(dir, file), 'utf8')), file).toEqual([]);
  });
});
