// Compiled from src/verification/rounding.ts by `npm run build`: edit the source, not this file.

// src/verification/rounding.ts
var EPS = 2 ** -52;
var TINY = 2 ** -1074;
var UNDERFLOW = 2 ** -1020;
function up(x) {
  return x + (Math.abs(x) * EPS + TINY);
}
function down(x) {
  return x - (Math.abs(x) * EPS + TINY);
}
function sumError(absSum, terms) {
  return absSum * ((terms + 3) * EPS) + (terms + 1) * UNDERFLOW;
}
function down2(y) {
  return y - (2 * Math.abs(y) * EPS + TINY);
}
function up2(y) {
  return y + (2 * Math.abs(y) * EPS + TINY);
}
function sinDown(x) {
  return Math.max(-1, down2(Math.sin(x)));
}
function sinUp(x) {
  return Math.min(1, up2(Math.sin(x)));
}
function cosDown(x) {
  return Math.max(-1, down2(Math.cos(x)));
}
function cosUp(x) {
  return Math.min(1, up2(Math.cos(x)));
}
function tanhDown(x) {
  const y = Math.tanh(x);
  return Math.max(-1, y - (8 * Math.abs(y) * EPS + TINY));
}
function tanhUp(x) {
  const y = Math.tanh(x);
  return Math.min(1, y + (8 * Math.abs(y) * EPS + TINY));
}
var TWO_PI_LO = 6.283185307179586;
var HALF_PI = Math.PI / 2;
function mayContain(lo, hi, phase) {
  if (hi - lo >= TWO_PI_LO) return true;
  const k = Math.ceil((lo - phase - 1e-9) / TWO_PI_LO);
  const point = phase + k * TWO_PI_LO;
  return point <= hi + 1e-9;
}
function sinInterval(lo, hi, out) {
  let l = Math.min(sinDown(lo), sinDown(hi));
  let h = Math.max(sinUp(lo), sinUp(hi));
  if (mayContain(lo, hi, HALF_PI)) h = 1;
  if (mayContain(lo, hi, -HALF_PI)) l = -1;
  out[0] = l;
  out[1] = h;
}
function cosInterval(lo, hi, out) {
  let l = Math.min(cosDown(lo), cosDown(hi));
  let h = Math.max(cosUp(lo), cosUp(hi));
  if (mayContain(lo, hi, 0)) h = 1;
  if (mayContain(lo, hi, Math.PI)) l = -1;
  out[0] = l;
  out[1] = h;
}
function constant(x) {
  return { lo: down(x), hi: up(x) };
}
function exact(x) {
  return { lo: x, hi: x };
}
function cAdd(a, b) {
  return { lo: down(a.lo + b.lo), hi: up(a.hi + b.hi) };
}
function cSub(a, b) {
  return { lo: down(a.lo - b.hi), hi: up(a.hi - b.lo) };
}
function cMul(a, b) {
  const p = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
  return { lo: down(Math.min(...p)), hi: up(Math.max(...p)) };
}
function cDiv(a, b) {
  if (b.lo <= 0 && b.hi >= 0)
    throw new RangeError(`division by an interval containing 0: [${b.lo}, ${b.hi}]`);
  const p = [a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi];
  return { lo: down(Math.min(...p)), hi: up(Math.max(...p)) };
}
export {
  EPS,
  TINY,
  cAdd,
  cDiv,
  cMul,
  cSub,
  constant,
  cosDown,
  cosInterval,
  cosUp,
  down,
  exact,
  sinDown,
  sinInterval,
  sinUp,
  sumError,
  tanhDown,
  tanhUp,
  up
};
