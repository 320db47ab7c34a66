// Scanner for the `<name>:<value>[ /<target>]` pairs that temperature and position reports are
// made of, e.g. ` T:21.56 /0.00 B:21.30 /0.00 @:0 B@:0 W:?` or `X:10.00 Y:20.00 Z:  0.7 E:1.23`.
// One linear pass, no regular expressions: reports arrive every second and corrupted lines must
// stay cheap. A name starts at the line start or after a space (so `B@:31pS_XYZ:5` yields only
// `B@`), runs over letters, digits, `@` and `_`, and must be followed directly by `:`.
import { finiteNumber, isDigit, isLetter, isSpace, numberEnd, skipSpaces } from './scan.js';

/** `value` is NaN for `?` (as in `W:?`). `target` is the number after `/`, when present. */
export type FieldVisitor = (name: string, value: number, target: number | undefined) => void;

/** Names longer than this are noise, not fields. */
const MAX_NAME = 24;

function isNameChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 64 /* @ */ || c === 95 /* _ */;
}

function isNameStart(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (!isLetter(c) && c !== 64) return false;
  return i === 0 || isSpace(s.charCodeAt(i - 1));
}

/** Call `visit` for every `<name>:<number>` pair in `s`, in order. */
export function scanFields(s: string, visit: FieldVisitor): void {
  let i = 0;
  const n = s.length;
  while (i < n) {
    if (!isNameStart(s, i)) { i++; continue; }
    let j = i + 1;
    while (j < n && isNameChar(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) !== 58 /* : */ || j - i > MAX_NAME) { i = j; continue; }
    i = readValue(s, s.slice(i, j), j + 1, visit);
  }
}

/** Read the value (and `/target`) after `name:` at `at`; returns where scanning continues. */
function readValue(s: string, name: string, at: number, visit: FieldVisitor): number {
  const v = skipSpaces(s, at);
  if (s.charCodeAt(v) === 63 /* ? */) {
    visit(name, Number.NaN, undefined);
    return v + 1;
  }
  const vEnd = numberEnd(s, v);
  if (vEnd < 0) return v;
  const value = finiteNumber(s, v, vEnd);
  if (value === undefined) return vEnd;
  let target: number | undefined;
  let k = vEnd;
  const slash = skipSpaces(s, vEnd);
  if (s.charCodeAt(slash) === 47 /* / */) {
    const t = skipSpaces(s, slash + 1);
    const tEnd = numberEnd(s, t);
    if (tEnd > 0) {
      target = finiteNumber(s, t, tEnd);
      k = tEnd;
    }
  }
  visit(name, value, target);
  return k;
}
