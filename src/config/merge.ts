// Layering: defaults < file < environment < flags. Sections merge key by key so a variable or a
// flag changes one key without wiping its neighbours; lists and values replace. The merged result
// is validated once, so a problem is reported against the layer that actually set the value.
import type { OctoslackConfig } from './types.js';

export type DeepPartial<T> = T extends readonly (infer U)[]
  ? U[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** Values from command-line flags, in the config's own shape. */
export type ConfigOverrides = DeepPartial<OctoslackConfig>;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Later layers win; undefined in a layer leaves the earlier value alone. */
export function mergeLayers(...layers: unknown[]): unknown {
  let out: unknown = undefined;
  for (const layer of layers) out = mergeTwo(out, layer);
  return out;
}

function mergeTwo(a: unknown, b: unknown): unknown {
  if (b === undefined) return a;
  if (!isPlainObject(a) || !isPlainObject(b)) return b;
  const out: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    // defineProperty: a key named "__proto__" in a file stays a plain (and rejected) key.
    Object.defineProperty(out, k, { value: mergeTwo(a[k], b[k]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Dotted paths of every value (not section) in a layer: which keys it sets. */
export function leafPaths(v: unknown, prefix: string[] = []): string[][] {
  if (!isPlainObject(v)) return prefix.length ? [prefix] : [];
  return Object.keys(v).flatMap((k) => (v[k] === undefined ? [] : leafPaths(v[k], [...prefix, k])));
}
