// Compiled from src/core/spec.ts by `npm run build`: edit the source, not this file.

// src/core/spec.ts
function signal(name, unit, lower = -Infinity, upper = Infinity) {
  if (!(lower <= upper)) throw new RangeError(`signal ${name}: lower ${lower} > upper ${upper}`);
  return { name, unit, lower, upper };
}
function signalIndex(spec, name) {
  const index = spec.signals.findIndex((s) => s.name === name);
  if (index < 0) {
    const known = spec.signals.map((s) => s.name).join(", ");
    throw new RangeError(`no signal named '${name}' (known: ${known})`);
  }
  return index;
}
function lowerBounds(spec) {
  return Float64Array.from(spec.signals, (s) => s.lower);
}
function upperBounds(spec) {
  return Float64Array.from(spec.signals, (s) => s.upper);
}
export {
  lowerBounds,
  signal,
  signalIndex,
  upperBounds
};
