// Compiled from src/plot/text.ts by `npm run build`: edit the source, not this file.

// src/plot/text.ts
function escapeXml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function textWidth(text, size) {
  return text.length * size * 0.6;
}
function fitText(text, width, size) {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const longest = Math.max(1, ...words.map((w) => w.length));
  const fitted = Math.min(size, Math.floor(width / textWidth("x".repeat(longest), 1) * 10) / 10);
  const fits = (line) => textWidth(line, fitted) <= width;
  const lines = [];
  const append = (piece) => {
    const last = lines.at(-1);
    if (last !== void 0 && fits(`${last} ${piece}`)) lines[lines.length - 1] = `${last} ${piece}`;
    else lines.push(piece);
  };
  for (const clause of text.split(/(?<=,)\s+/)) {
    const piece = clause.split(/\s+/).filter((w) => w.length > 0).join(" ");
    if (piece.length === 0) continue;
    if (fits(piece)) append(piece);
    else for (const word of piece.split(" ")) append(word);
  }
  return { lines, size: fitted };
}
export {
  escapeXml,
  fitText,
  textWidth
};
