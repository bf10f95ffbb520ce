/**
 * Parquet files of typed columns, through Apache Arrow: columns are built as Arrow data of exactly
 * the types a Python reader declares (a float32 vector is `fixed_size_list<float32>[n]`, what Hugging
 * Face `datasets` makes of `Sequence(Value("float32"), length=n)`), and written by Arrow's Rust
 * Parquet implementation (parquet-wasm), which stores the Arrow schema beside the Parquet one so a
 * reader gets the fixed-size lists back.
 */
import {
  Bool,
  type Data,
  type DataType,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int64,
  List,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import {
  Compression,
  readParquet,
  Table as WasmTable,
  WriterPropertiesBuilder,
  writeParquet,
} from 'parquet-wasm';

/** One column to write: its name and Arrow data. */
export interface Column {
  readonly name: string;
  readonly data: Data;
}

export function float32Column(name: string, values: Float32Array): Column {
  return { name, data: makeData({ type: new Float32(), length: values.length, nullCount: 0, data: values }) };
}

export function int64Column(name: string, values: ArrayLike<number>): Column {
  const data = BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
  return { name, data: makeData({ type: new Int64(), length: data.length, nullCount: 0, data }) };
}

export function boolColumn(name: string, values: readonly boolean[]): Column {
  return { name, data: vectorFromArray(values, new Bool()).data[0]! };
}

export function stringColumn(name: string, values: readonly string[]): Column {
  return { name, data: vectorFromArray(values, new Utf8()).data[0]! };
}

/** `fixed_size_list<float32>[width]`, rows of `width` values laid end to end. */
export function float32VectorColumn(name: string, values: Float32Array, width: number): Column {
  const type = new FixedSizeList(width, new Field('item', new Float32(), true));
  const child = makeData({ type: new Float32(), length: values.length, nullCount: 0, data: values });
  return { name, data: makeData({ type, length: values.length / width, nullCount: 0, child }) };
}

/** `list<double>` (or `list<int64>`), one list per row. */
export function numberListColumn(name: string, rows: readonly (readonly number[])[], int = false): Column {
  const item = int ? new Int64() : new Float64();
  const type = new List(new Field('item', item as DataType, true));
  const values = int ? rows.map((r) => r.map((v) => BigInt(v))) : rows;
  return { name, data: vectorFromArray(values as unknown[], type).data[0]! };
}

export function stringListColumn(name: string, rows: readonly (readonly string[])[]): Column {
  const type = new List(new Field('item', new Utf8(), true));
  return { name, data: vectorFromArray(rows as unknown[], type).data[0]! };
}

/** Parquet bytes of the columns (all of one length), Snappy-compressed, with key-value metadata. */
export function toParquet(columns: readonly Column[], metadata: ReadonlyMap<string, string>): Uint8Array {
  const length = columns[0]?.data.length ?? 0;
  for (const c of columns)
    if (c.data.length !== length)
      throw new Error(`column '${c.name}' has ${c.data.length} rows, '${columns[0]!.name}' ${length}`);
  const fields = columns.map((c) => new Field(c.name, c.data.type, true));
  const struct = makeData({
    type: new Struct(fields),
    length,
    nullCount: 0,
    children: columns.map((c) => c.data),
  });
  const table = new Table([new RecordBatch(new Schema(fields), struct)]);
  const properties = new WriterPropertiesBuilder()
    .setCompression(Compression.SNAPPY)
    .setKeyValueMetadata(new Map(metadata))
    .build();
  return writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), properties);
}

/** A Parquet file as an Arrow table. */
export function fromParquet(bytes: Uint8Array): Table {
  return tableFromIPC(readParquet(bytes).intoIPCStream());
}

/** Why a column cannot be read as numbers: undefined when it can. */
function nullsIn(vector: Vector): string | undefined {
  return vector.nullCount > 0 ? `${vector.nullCount} null values` : undefined;
}

/** A numeric column (float or integer) as float64, or a reason it is not one. */
export function numbers(vector: Vector): Float64Array | string {
  const nulls = nullsIn(vector);
  if (nulls) return nulls;
  const id = String(vector.type);
  if (!/^(Float|Int|Uint)/.test(id)) return `type ${id}, expected a number`;
  return Float64Array.from(vector.toArray() as ArrayLike<number | bigint>, Number);
}

/** A boolean column as 0/1, or a reason it is not one. */
export function booleans(vector: Vector): Float64Array | string {
  const nulls = nullsIn(vector);
  if (nulls) return nulls;
  if (!(vector.type instanceof Bool)) return `type ${String(vector.type)}, expected bool`;
  const out = new Float64Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector.get(i) ? 1 : 0;
  return out;
}

/**
 * A column of numeric vectors (fixed-size or variable lists of floats or integers) as `width`
 * values per row, or a reason it is not one (another type, nulls, a row of another length).
 */
export function vectors(vector: Vector, width: number): Float64Array | string {
  const nulls = nullsIn(vector);
  if (nulls) return nulls;
  const type = vector.type as DataType;
  if (!(type instanceof FixedSizeList || type instanceof List))
    return `type ${String(type)}, expected a list of ${width} numbers`;
  const item = String((type.children[0] as Field).type);
  if (!/^(Float|Int|Uint)/.test(item)) return `type ${String(type)}, expected a list of numbers`;
  const out = new Float64Array(vector.length * width);
  let row = 0;
  for (const data of vector.data) {
    const child = data.children[0]!;
    const values = child.values as ArrayLike<number | bigint>;
    for (let r = 0; r < data.length; r++, row++) {
      let start: number;
      let end: number;
      if (type instanceof FixedSizeList) {
        start = (data.offset + r) * type.listSize;
        end = start + type.listSize;
      } else {
        const offsets = data.valueOffsets as Int32Array;
        start = offsets[data.offset + r]!;
        end = offsets[data.offset + r + 1]!;
      }
      if (end - start !== width) return `row ${row} has ${end - start} values, expected ${width}`;
      for (let k = 0; k < width; k++) out[row * width + k] = Number(values[child.offset + start + k]!);
    }
  }
  return out;
}

/** A string column's values, or a reason it is not one. */
export function strings(vector: Vector): string[] | string {
  const nulls = nullsIn(vector);
  if (nulls) return nulls;
  if (!(vector.type instanceof Utf8) && String(vector.type) !== 'LargeUtf8')
    return `type ${String(vector.type)}, expected a string`;
  return Array.from({ length: vector.length }, (_, i) => String(vector.get(i)));
}
