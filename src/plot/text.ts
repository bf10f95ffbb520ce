/**
 * Text for the SVG plots (region plots, learning curves, the loop's per-round plot): escaping, and
 * lines that stay on the canvas, estimated without a font engine.
 */

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Estimated advance of `text` set in `size` px sans-serif: 0.6 em a character, more than the average
 * glyph of common sans-serif faces, so a text that fits by this estimate fits when rendered.
 */
export function textWidth(text: string, size: number): number {
  return text.length * size * 0.6;
}

/**
 * `text` broken into lines no wider than `width` px at `size`: at the ends of its comma-separated
 * clauses where a whole clause fits, else between words. The size shrinks only when a single word is
 * wider than `width` on its own, so no line runs off whatever canvas it is fitted to.
 */
export function fitText(text: string, width: number, size: number): { lines: string[]; size: number } {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const longest = Math.max(1, ...words.map((w) => w.length));
  const fitted = Math.min(size, Math.floor((width / textWidth('x'.repeat(longest), 1)) * 10) / 10);
  const fits = (line: string) => textWidth(line, fitted) <= width;
  const lines: string[] = [];
  /** Appends `piece` to the last line if it fits there, else starts a line with it. */
  const append = (piece: string) => {
    const last = lines.at(-1);
    if (last !== undefined && fits(`${last} ${piece}`)) lines[lines.length - 1] = `${last} ${piece}`;
    else lines.push(piece);
  };
  for (const clause of text.split(/(?<=,)\s+/)) {
    const piece = clause
      .split(/\s+/)
      .filter((w) => w.length > 0)
      .join(' ');
    if (piece.length === 0) continue;
    if (fits(piece)) append(piece);
    else for (const word of piece.split(' ')) append(word);
  }
  return { lines, size: fitted };
}
