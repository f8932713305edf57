// A request object's own enumerable fields, copied into a plain object that cannot throw when read: a getter or
// a Proxy trap runs here, where its throw is caught, instead of inside the wasm (where a throw would skip the
// Rust frames between). Fields are kept as JSON.stringify would keep them (undefined, functions and symbols
// left out), except that a nested object or array keeps only its kind: a request's fields are strings and
// numbers, and the core names a field of another kind in its error. A BigInt beyond 64 bits becomes a Number
// (which the core refuses as inexact). `undefined` when reading threw.
export function ownFields(value) {
  try {
    const fields = {};
    for (const key of Object.keys(value)) {
      const field = value[key];
      const kind = typeof field;
      if (kind === 'undefined' || kind === 'function' || kind === 'symbol') continue;
      if (kind === 'bigint') fields[key] = BigInt.asIntN(64, field) === field || BigInt.asUintN(64, field) === field ? field : Number(field);
      else fields[key] = field === null || kind !== 'object' ? field : Array.isArray(field) ? [] : {};
    }
    return fields;
  } catch {
    return undefined;
  }
}
