// Compiled from src/learning/tensor-ops.ts by `npm run build`: edit the source, not this file.

// src/learning/tensor-ops.ts
function concatRows(a, aCols, b, bCols, rows, out) {
  const cols = aCols + bCols;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < aCols; k++) out[r * cols + k] = a[r * aCols + k];
    for (let k = 0; k < bCols; k++) out[r * cols + aCols + k] = b[r * bCols + k];
  }
}
function sliceColumns(x, cols, from, count, rows, out) {
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < count; k++) out[r * count + k] = x[r * cols + from + k];
  }
}
function allFinite(x, n = x.length) {
  for (let i = 0; i < n; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}
function normalizeRows(x, rows, mean, std, out) {
  const n = mean.length;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < n; c++) out[r * n + c] = (x[r * n + c] - mean[c]) / std[c];
}
export {
  allFinite,
  concatRows,
  normalizeRows,
  sliceColumns
};
