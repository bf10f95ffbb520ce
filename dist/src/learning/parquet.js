// Compiled from src/learning/parquet.ts by `npm run build`: edit the source, not this file.

// src/learning/parquet.ts
import {
  Bool,
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
  vectorFromArray
} from "apache-arrow";
import {
  Compression,
  readParquet,
  Table as WasmTable,
  WriterPropertiesBuilder,
  writeParquet
} from "parquet-wasm";
function float32Column(name, values) {
  return { name, data: makeData({ type: new Float32(), length: values.length, nullCount: 0, data: values }) };
}
function int64Column(name, values) {
  const data = BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
  return { name, data: makeData({ type: new Int64(), length: data.length, nullCount: 0, data }) };
}
function boolColumn(name, values) {
  return { name, data: vectorFromArray(values, new Bool()).data[0] };
}
function stringColumn(name, values) {
  return { name, data: vectorFromArray(values, new Utf8()).data[0] };
}
function float32VectorColumn(name, values, width) {
  const type = new FixedSizeList(width, new Field("item", new Float32(), true));
  const child = makeData({ type: new Float32(), length: values.length, nullCount: 0, data: values });
  return { name, data: makeData({ type, length: values.length / width, nullCount: 0, child }) };
}
function numberListColumn(name, rows, int = false) {
  const item = int ? new Int64() : new Float64();
  const type = new List(new Field("item", item, true));
  const values = int ? rows.map((r) => r.map((v) => BigInt(v))) : rows;
  return { name, data: vectorFromArray(values, type).data[0] };
}
function stringListColumn(name, rows) {
  const type = new List(new Field("item", new Utf8(), true));
  return { name, data: vectorFromArray(rows, type).data[0] };
}
function toParquet(columns, metadata) {
  const length = columns[0]?.data.length ?? 0;
  for (const c of columns)
    if (c.data.length !== length)
      throw new Error(`column '${c.name}' has ${c.data.length} rows, '${columns[0].name}' ${length}`);
  const fields = columns.map((c) => new Field(c.name, c.data.type, true));
  const struct = makeData({
    type: new Struct(fields),
    length,
    nullCount: 0,
    children: columns.map((c) => c.data)
  });
  const table = new Table([new RecordBatch(new Schema(fields), struct)]);
  const properties = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setKeyValueMetadata(new Map(metadata)).build();
  return writeParquet(WasmTable.fromIPCStream(tableToIPC(table, "stream")), properties);
}
function fromParquet(bytes) {
  return tableFromIPC(readParquet(bytes).intoIPCStream());
}
function nullsIn(vector) {
  return vector.nullCount > 0 ? `${vector.nullCount} null values` : void 0;
}
function numbers(vector) {
  const nulls = nullsIn(vector);
  if (nulls) return nulls;
  const id = String(vector.type);
  if (!/^(Float|Int|Uint)/.test(id)) return `type ${id}, expected a number`;
  return Float64Array.from(vector.toArray(), Number);
}
function booleans(vector) {
  const nulls = nullsIn(vector);
  if (nulls) return nulls;
  if (!(vector.type instanceof Bool)) return `type ${String(vector.type)}, expected bool`;
  const out = new Float64Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector.get(i) ? 1 : 0;
  return out;
}
function vectors(vector, width) {
  const nulls = nullsIn(vector);
  if (nulls) return nulls;
  const type = vector.type;
  if (!(type instanceof FixedSizeList || type instanceof List))
    return `type ${String(type)}, expected a list of ${width} numbers`;
  const item = String(type.children[0].type);
  if (!/^(Float|Int|Uint)/.test(item)) return `type ${String(type)}, expected a list of numbers`;
  const out = new Float64Array(vector.length * width);
  let row = 0;
  for (const data of vector.data) {
    const child = data.children[0];
    const values = child.values;
    for (let r = 0; r < data.length; r++, row++) {
      let start;
      let end;
      if (type instanceof FixedSizeList) {
        start = (data.offset + r) * type.listSize;
        end = start + type.listSize;
      } else {
        const offsets = data.valueOffsets;
        start = offsets[data.offset + r];
        end = offsets[data.offset + r + 1];
      }
      if (end - start !== width) return `row ${row} has ${end - start} values, expected ${width}`;
      for (let k = 0; k < width; k++) out[row * width + k] = Number(values[child.offset + start + k]);
    }
  }
  return out;
}
function strings(vector) {
  const nulls = nullsIn(vector);
  if (nulls) return nulls;
  if (!(vector.type instanceof Utf8) && String(vector.type) !== "LargeUtf8")
    return `type ${String(vector.type)}, expected a string`;
  return Array.from({ length: vector.length }, (_, i) => String(vector.get(i)));
}
export {
  boolColumn,
  booleans,
  float32Column,
  float32VectorColumn,
  fromParquet,
  int64Column,
  numberListColumn,
  numbers,
  stringColumn,
  stringListColumn,
  strings,
  toParquet,
  vectors
};
