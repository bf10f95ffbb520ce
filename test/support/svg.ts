/**
 * Every text of `svg` (rotated axis labels aside) whose estimated extent leaves the canvas: 0.6 em a
 * character (more than an average sans-serif glyph), the font size its own or the root's (16 px by
 * default), horizontally by its anchor, vertically from its baseline up by the font size.
 */
export function textsOffCanvas(svg: string): string[] {
  const root = /<svg([^>]*)>/.exec(svg)![1]!;
  const width = Number(/\swidth="([\d.]+)"/.exec(root)![1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)![1]);
  const rootSize = Number(/font-size="([\d.]+)"/.exec(root)?.[1] ?? 16);
  const off: string[] = [];
  for (const [, attrs, text] of svg.matchAll(/<text([^>]*)>([^<]*)</g)) {
    if (/rotate/.test(attrs!)) continue;
    const x = Number(/\sx="([-\d.]+)"/.exec(attrs!)?.[1] ?? 0);
    const y = Number(/\sy="([-\d.]+)"/.exec(attrs!)?.[1] ?? 0);
    const size = Number(/font-size="([\d.]+)"/.exec(attrs!)?.[1] ?? rootSize);
    const w = text!.replace(/&\w+;/g, '_').length * size * 0.6;
    const anchor = /text-anchor="(\w+)"/.exec(attrs!)?.[1] ?? 'start';
    const left = anchor === 'middle' ? x - w / 2 : anchor === 'end' ? x - w : x;
    if (left < 0 || left + w > width || y - size < 0 || y > height)
      off.push(
        `${text} (x ${left.toFixed(0)}..${(left + w).toFixed(0)} of ${width}, baseline ${y} of ${height})`,
      );
  }
  return off;
}
