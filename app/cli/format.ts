/** Seconds as a short human string in µs or ms. */
export function formatMicros(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'n/a';
  const us = seconds * 1e6;
  return Math.abs(us) >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`;
}
