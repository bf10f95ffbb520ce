// Compiled from controllers/classical/linalg.ts by `npm run build`: edit the source, not this file.

// controllers/classical/linalg.ts
function identity(n) {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}
function diagonal(values) {
  const n = values.length;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = values[i];
  return out;
}
function multiplyInto(out, a, b, r, k, c) {
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p] * b[p * c + j];
      out[i * c + j] = sum;
    }
  }
  return out;
}
function multiply(a, b, r, k, c) {
  return multiplyInto(new Float64Array(r * c), a, b, r, k, c);
}
function transpose(a, r, c) {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
  return out;
}
function add(a, b) {
  return a.map((v, i) => v + b[i]);
}
function subtract(a, b) {
  return a.map((v, i) => v - b[i]);
}
function solveInPlace(a, b, n, m) {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) {
      if (Math.abs(a[row * n + col]) > Math.abs(a[pivot * n + col])) pivot = row;
    }
    const pivotValue = a[pivot * n + col];
    if (Math.abs(pivotValue) < 1e-14) throw new RangeError("singular matrix in linear solve");
    if (pivot !== col) {
      for (let j = 0; j < n; j++) swap(a, col * n + j, pivot * n + j);
      for (let j = 0; j < m; j++) swap(b, col * m + j, pivot * m + j);
    }
    for (let row = col + 1; row < n; row++) {
      const factor = a[row * n + col] / pivotValue;
      if (factor === 0) continue;
      for (let j = col; j < n; j++) a[row * n + j] = a[row * n + j] - factor * a[col * n + j];
      for (let j = 0; j < m; j++) b[row * m + j] = b[row * m + j] - factor * b[col * m + j];
    }
  }
  for (let col = n - 1; col >= 0; col--) {
    const d = a[col * n + col];
    for (let j = 0; j < m; j++) {
      let value = b[col * m + j];
      for (let k = col + 1; k < n; k++) value -= a[col * n + k] * b[k * m + j];
      b[col * m + j] = value / d;
    }
  }
  return b;
}
function solve(a, b, n, m) {
  return solveInPlace(a.slice(), b.slice(), n, m);
}
function swap(v, i, j) {
  const t = v[i];
  v[i] = v[j];
  v[j] = t;
}
function maxAbs(a) {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}
export {
  add,
  diagonal,
  identity,
  maxAbs,
  multiply,
  multiplyInto,
  solve,
  solveInPlace,
  subtract,
  transpose
};
