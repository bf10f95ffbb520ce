/** Small row-major helpers shared by the algorithms; all write into caller-owned arrays. */

/** out[r] = [a[r], b[r]] for rows r of a (aCols wide) and b (bCols wide). */
export function concatRows(
  a: Float64Array,
  aCols: number,
  b: Float64Array,
  bCols: number,
  rows: number,
  out: Float64Array,
): void {
  const cols = aCols + bCols;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < aCols; k++) out[r * cols + k] = a[r * aCols + k]!;
    for (let k = 0; k < bCols; k++) out[r * cols + aCols + k] = b[r * bCols + k]!;
  }
}

/** Copies columns [from, from + count) of a rows × cols matrix into out (rows × count). */
export function sliceColumns(
  x: Float64Array,
  cols: number,
  from: number,
  count: number,
  rows: number,
  out: Float64Array,
): void {
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < count; k++) out[r * count + k] = x[r * cols + from + k]!;
  }
}

/** True if every value in the first n entries is finite. */
export function allFinite(x: Float64Array, n = x.length): boolean {
  for (let i = 0; i < n; i++) if (!Number.isFinite(x[i]!)) return false;
  return true;
}

/** out = (x − mean) / std row by row, for `rows` rows of `mean.length` columns. */
export function normalizeRows(
  x: Float64Array,
  rows: number,
  mean: Float64Array,
  std: Float64Array,
  out: Float64Array,
): void {
  const n = mean.length;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < n; c++) out[r * n + c] = (x[r * n + c]! - mean[c]!) / std[c]!;
}
