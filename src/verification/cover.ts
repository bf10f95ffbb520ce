import type { Box } from './model.ts';

/**
 * Exact cover proofs for the regions the verifier searches: every point of the target boxes lies
 * in some box of the cover. Only comparisons of floats are made, no arithmetic, so the answer is
 * exact. Boxes are closed.
 *
 * Method: subtract the cover boxes one by one from the target, keeping what is left as closed
 * pieces. A piece is cut along a cover box's faces only where it sticks out strictly, so the
 * interior of every piece left is disjoint from every cover box subtracted so far: when pieces
 * remain at the end, the centre of one is a point no cover box contains.
 */

function overlaps(p: Box, c: Box, i: number): boolean {
  const pl = p.lo[i]!;
  const pu = p.up[i]!;
  if (pl === pu) return c.lo[i]! <= pl && pl <= c.up[i]!;
  return pl < c.up[i]! && c.lo[i]! < pu;
}

function subtract(p: Box, c: Box, out: Box[]): void {
  const n = p.lo.length;
  for (let i = 0; i < n; i++)
    if (!overlaps(p, c, i)) {
      out.push(p);
      return;
    }
  const lo = [...p.lo];
  const up = [...p.up];
  for (let i = 0; i < n; i++) {
    if (lo[i]! < c.lo[i]!) {
      const pieceUp = [...up];
      pieceUp[i] = c.lo[i]!;
      out.push({ lo: [...lo], up: pieceUp });
      lo[i] = c.lo[i]!;
    }
    if (c.up[i]! < up[i]!) {
      const pieceLo = [...lo];
      pieceLo[i] = c.up[i]!;
      out.push({ lo: pieceLo, up: [...up] });
      up[i] = c.up[i]!;
    }
  }
}

export interface CoverCheck {
  readonly covered: boolean;
  /** A point of the target that no cover box contains (when not covered). */
  readonly witness?: readonly number[];
  /** Pieces of the target left uncovered (a sample). */
  readonly uncovered?: readonly Box[];
}

/** Proves that the union of `cover` contains the union of `target`, or returns an uncovered point. */
export function checkCover(
  target: readonly Box[],
  cover: readonly Box[],
  pieceLimit = 5_000_000,
): CoverCheck {
  for (const b of [...target, ...cover])
    if (b.lo.some((l, i) => !(l <= b.up[i]!))) return { covered: false, witness: b.lo, uncovered: [b] };
  let pieces: Box[] = [...target];
  for (const c of cover) {
    const next: Box[] = [];
    for (const p of pieces) subtract(p, c, next);
    pieces = next;
    if (pieces.length === 0) return { covered: true };
    if (pieces.length > pieceLimit)
      throw new RangeError(`cover proof: more than ${pieceLimit} pieces; give fewer, larger boxes`);
  }
  if (pieces.length === 0) return { covered: true };
  const p = pieces[0]!;
  return {
    covered: false,
    witness: p.lo.map((l, i) => 0.5 * (l + p.up[i]!)),
    uncovered: pieces.slice(0, 10),
  };
}

/** Whether every box lies inside the outer box. */
export function insideBox(boxes: readonly Box[], outer: Box): Box | undefined {
  return boxes.find((b) => b.lo.some((l, i) => l < outer.lo[i]! || b.up[i]! > outer.up[i]!));
}
