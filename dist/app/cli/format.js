// Compiled from app/cli/format.ts by `npm run build`: edit the source, not this file.

// app/cli/format.ts
function formatMicros(seconds) {
  if (!Number.isFinite(seconds)) return "n/a";
  const us = seconds * 1e6;
  return Math.abs(us) >= 1e3 ? `${(us / 1e3).toFixed(2)} ms` : `${us.toFixed(1)} µs`;
}
export {
  formatMicros
};
