// Reads the config schema as data: which keys exist at a path, what type and default a key has,
// what it is for. Environment variable names, "did you mean" suggestions and the starter file's
// reference come from here, so they can never disagree with the schema itself.
import type { z } from 'zod';
import { configSchema } from './schema.js';

export type LeafKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'stringList';

export interface KeyInfo {
  path: string[];
  /** 'object': a section; 'objectList': a list of sections (rules), not settable from the environment. */
  kind: LeafKind | 'object' | 'objectList';
  description?: string;
  /** Present when the key has a default. */
  default?: unknown;
  /** Allowed values of an enum. */
  values?: string[];
  min?: number;
  max?: number;
}

type Schema = z.ZodType;
interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  entries?: Record<string, string>;
  defaultValue?: unknown;
}

const def = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

interface Unwrapped {
  core: Schema;
  description?: string;
  hasDefault: boolean;
  default?: unknown;
}

/**
 * Peels optional/default/prefault/pipe wrappers, keeping the outermost description and (when
 * asked: a prefault's default costs a parse) the default.
 */
function unwrap(schema: Schema, withDefault = false): Unwrapped {
  let s = schema;
  const out: Unwrapped = { core: s, hasDefault: false };
  for (;;) {
    out.description ??= s.description;
    const d = def(s);
    if (d.type === 'default' && !out.hasDefault) {
      out.hasDefault = true;
      out.default = d.defaultValue;
    }
    if (d.type === 'prefault' && !out.hasDefault) {
      out.hasDefault = true;
      if (withDefault) out.default = s.parse(undefined);
    }
    const next = d.type === 'pipe' ? d.in : ['optional', 'default', 'prefault', 'nullable'].includes(d.type) ? d.innerType : undefined;
    if (!next) break;
    s = next;
  }
  out.core = s;
  return out;
}

function leafKind(core: Schema): LeafKind | undefined {
  const d = def(core);
  if (d.type === 'string' || d.type === 'boolean' || d.type === 'enum') return d.type;
  if (d.type === 'number') return (core as unknown as { isInt?: boolean }).isInt ? 'integer' : 'number';
  if (d.type === 'array' && d.element && def(unwrap(d.element).core).type === 'string') return 'stringList';
  return undefined;
}

function info(path: string[], schema: Schema, withDefault: boolean): KeyInfo {
  const u = unwrap(schema, withDefault);
  const d = def(u.core);
  const kind = leafKind(u.core) ?? (d.type === 'object' ? 'object' : 'objectList');
  const out: KeyInfo = { path, kind };
  if (u.description !== undefined) out.description = u.description;
  if (u.hasDefault) out.default = u.default;
  if (d.entries) out.values = Object.values(d.entries);
  const num = u.core as unknown as { minValue?: number | null; maxValue?: number | null };
  if (kind === 'number' || kind === 'integer') {
    if (typeof num.minValue === 'number' && Number.isFinite(num.minValue)) out.min = num.minValue;
    if (typeof num.maxValue === 'number' && Number.isFinite(num.maxValue)) out.max = num.maxValue;
  }
  return out;
}

/** The schema of the value at `path` (numbers index lists), or undefined when no such key exists. */
export function schemaAt(path: readonly (string | number)[], root: Schema = configSchema): Schema | undefined {
  let s: Schema | undefined = root;
  for (const seg of path) {
    if (!s) return undefined;
    const d = def(unwrap(s).core);
    if (d.type === 'object' && typeof seg === 'string') s = Object.hasOwn(d.shape!, seg) ? d.shape![seg] : undefined;
    else if (d.type === 'array' && typeof seg === 'number') s = d.element;
    else return undefined;
  }
  return s;
}

/** What the schema says about the key at `path`. */
export function keyInfo(path: readonly (string | number)[]): KeyInfo | undefined {
  const s = schemaAt(path);
  return s ? info(path.map(String), s, true) : undefined;
}

/** Keys a section accepts (for "did you mean"); empty when `path` is not a section. */
export function keysAt(path: readonly (string | number)[]): string[] {
  const s = schemaAt(path);
  if (!s) return [];
  const d = def(unwrap(s).core);
  return d.type === 'object' ? Object.keys(d.shape!) : [];
}

/** Every key, sections first then their keys, depth first (lists of sections are not entered). */
export function allKeys(root: Schema = configSchema): KeyInfo[] {
  const out: KeyInfo[] = [];
  const visit = (path: string[], s: Schema) => {
    const i = info(path, s, true);
    if (path.length > 0) out.push(i);
    if (i.kind !== 'object') return;
    for (const [k, child] of Object.entries(def(unwrap(s).core).shape!)) visit([...path, k], child);
  };
  visit([], root);
  return out;
}
