// Reads the config file's YAML and remembers where each key sits, so a problem found later by the
// schema can say "config.yaml line 12". Syntax errors are reported with line and column, in our
// own words: the YAML library's pretty errors quote the source line, which may hold a token.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError, type ConfigProblem } from './problems.js';
import { isPlainObject } from './merge.js';

export interface YamlSource {
  /** The file's content as plain data; empty keys (`events:` with nothing below) removed. */
  value: unknown;
  /** "line 4, column 3" of the key at `path`, or of its closest ancestor in the file. */
  locate(path: readonly PropertyKey[]): string | undefined;
  warnings: string[];
}

const FIX_SYNTAX = 'fix the YAML at that place: indent with spaces (not tabs), quote text containing ": " or "#", and close every quote and bracket';

export function parseYaml(text: string, label: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'silent' });
  const pos = (offset: number) => {
    const p = lines.linePos(offset);
    return `line ${p.line}, column ${p.col}`;
  };
  if (doc.errors.length > 0) {
    const problems: ConfigProblem[] = doc.errors.map((e) => ({
      path: '',
      message: `malformed YAML: ${syntaxMessage(e.code, e.message)}`,
      fix: FIX_SYNTAX,
      where: `${label} ${pos(e.pos[0])}`,
    }));
    throw new ConfigError(problems, label);
  }
  const badKey = findComplexKey(doc.contents);
  if (badKey !== undefined) {
    throw new ConfigError([{ path: '', message: 'a key is a list or a section, not a name', fix: 'write keys as plain names, e.g. channels:', where: `${label} ${pos(badKey)}` }], label);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const reason = err instanceof ReferenceError ? 'an alias (*name) refers to no anchor (&name) before it, or aliases repeat too often' : 'the YAML cannot be read as data';
    throw new ConfigError([{ path: '', message: `malformed YAML: ${reason}`, fix: 'define each &anchor before its *alias, or write the values out', where: label }], label);
  }
  let data: unknown;
  try {
    data = dropEmpty(value, new Set());
  } catch (err) {
    if (!(err instanceof CycleError)) throw err;
    throw new ConfigError([{ path: '', message: 'malformed YAML: a value contains itself (an *alias inside its own &anchor)', fix: 'write the values out instead of the alias', where: label }], label);
  }
  return {
    value: data,
    locate: (path) => locateIn(doc, path, pos),
    warnings: doc.warnings.map((w) => `${label} ${pos(w.pos[0])}: ${w.message}`),
  };
}

// The library's messages for the usual mistakes, kept; anything else keeps its code so it can be
// looked up. None of these quote the source text.
function syntaxMessage(code: string, message: string): string {
  return /^[\w\s,.'"()-]+$/.test(message) && message.length < 120 ? message : code.toLowerCase().replace(/_/g, ' ');
}

function findComplexKey(node: unknown): number | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isPair(pair) && pair.key !== null && !isScalar(pair.key) && !isAlias(pair.key)) return (pair.key as Node).range?.[0] ?? 0;
      const inner = findComplexKey(pair.value);
      if (inner !== undefined) return inner;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const inner = findComplexKey(item);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

class CycleError extends Error {}

/** `slack:` with everything below commented out reads as null: treat it as not written. */
function dropEmpty(v: unknown, ancestors: Set<unknown>): unknown {
  if (v === null || typeof v !== 'object') return v;
  // An alias inside its own anchor makes a cycle; validation would never end.
  if (ancestors.has(v)) throw new CycleError();
  ancestors.add(v);
  let out: unknown = v;
  if (Array.isArray(v)) out = v.map((item) => dropEmpty(item, ancestors));
  else if (isPlainObject(v)) {
    const o: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) {
      if (child === null || child === undefined) continue;
      Object.defineProperty(o, k, { value: dropEmpty(child, ancestors), enumerable: true, writable: true, configurable: true });
    }
    out = o;
  }
  ancestors.delete(v);
  return out;
}

function locateIn(doc: Document, path: readonly PropertyKey[], pos: (offset: number) => string): string | undefined {
  let node: unknown = doc.contents;
  let found: number | undefined;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      found = (pair.key as Node).range?.[0] ?? found;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      found = item.range?.[0] ?? found;
      node = item;
    } else break;
  }
  return found === undefined ? undefined : pos(found);
}
