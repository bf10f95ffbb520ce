// Compiled from src/verification/cover.ts by `npm run build`: edit the source, not this file.

// src/verification/cover.ts
function overlaps(p, c, i) {
  const pl = p.lo[i];
  const pu = p.up[i];
  if (pl === pu) return c.lo[i] <= pl && pl <= c.up[i];
  return pl < c.up[i] && c.lo[i] < pu;
}
function subtract(p, c, out) {
  const n = p.lo.length;
  for (let i = 0; i < n; i++)
    if (!overlaps(p, c, i)) {
      out.push(p);
      return;
    }
  const lo = [...p.lo];
  const up = [...p.up];
  for (let i = 0; i < n; i++) {
    if (lo[i] < c.lo[i]) {
      const pieceUp = [...up];
      pieceUp[i] = c.lo[i];
      out.push({ lo: [...lo], up: pieceUp });
      lo[i] = c.lo[i];
    }
    if (c.up[i] < up[i]) {
      const pieceLo = [...lo];
      pieceLo[i] = c.up[i];
      out.push({ lo: pieceLo, up: [...up] });
      up[i] = c.up[i];
    }
  }
}
function checkCover(target, cover, pieceLimit = 5e6) {
  for (const b of [...target, ...cover])
    if (b.lo.some((l, i) => !(l <= b.up[i]))) return { covered: false, witness: b.lo, uncovered: [b] };
  let pieces = [...target];
  for (const c of cover) {
    const next = [];
    for (const p2 of pieces) subtract(p2, c, next);
    pieces = next;
    if (pieces.length === 0) return { covered: true };
    if (pieces.length > pieceLimit)
      throw new RangeError(`cover proof: more than ${pieceLimit} pieces; give fewer, larger boxes`);
  }
  if (pieces.length === 0) return { covered: true };
  const p = pieces[0];
  return {
    covered: false,
    witness: p.lo.map((l, i) => 0.5 * (l + p.up[i])),
    uncovered: pieces.slice(0, 10)
  };
}
function insideBox(boxes, outer) {
  return boxes.find((b) => b.lo.some((l, i) => l < outer.lo[i] || b.up[i] > outer.up[i]));
}
export {
  checkCover,
  insideBox
};
