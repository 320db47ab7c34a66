// Tiny character scanners shared by the message parsers.
// They exist so the parsers walk each received line once, left to right, without regular
// expressions that could backtrack: parseLine runs on every line the printer sends, and a
// corrupted 10 KB line must cost microseconds, not milliseconds.

/** Space or tab (the only separators Marlin prints inside a line). */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

export function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Index of the first non-space character at or after `i`. */
export function skipSpaces(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

/**
 * End index of a decimal number starting at `i` (`-12`, `21.56`, `+3.`, `.5`), or -1 when there is
 * none. No exponent: firmware never prints one, and `1e5` in a report is noise.
 */
export function numberEnd(s: string, i: number): number {
  let j = i;
  const sign = s.charCodeAt(j);
  if (sign === 45 || sign === 43) j++;
  let digits = 0;
  while (j < s.length && isDigit(s.charCodeAt(j))) { j++; digits++; }
  if (s.charCodeAt(j) === 46) {
    j++;
    while (j < s.length && isDigit(s.charCodeAt(j))) { j++; digits++; }
  }
  return digits > 0 ? j : -1;
}

/** The finite number in s[i, end) or undefined (a 400-digit run is Infinity: not a reading). */
export function finiteNumber(s: string, i: number, end: number): number | undefined {
  const v = Number(s.slice(i, end));
  return Number.isFinite(v) ? v : undefined;
}

/** End index of a run of ASCII digits starting at `i` (i itself when there is none). */
export function digitsEnd(s: string, i: number): number {
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/** A non-negative safe integer from s[i, end), else undefined (line numbers, sizes, bytes). */
export function safeUint(s: string, i: number, end: number): number | undefined {
  if (end <= i || end - i > 16) return undefined;
  const v = Number(s.slice(i, end));
  return Number.isSafeInteger(v) ? v : undefined;
}

/** Does `s` start with `prefix` ignoring ASCII case? (No lower-casing of a possibly huge line.) */
export function startsWithIgnoreCase(s: string, prefix: string, at = 0): boolean {
  if (s.length - at < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) {
    let a = s.charCodeAt(at + k);
    let b = prefix.charCodeAt(k);
    if (a >= 65 && a <= 90) a += 32;
    if (b >= 65 && b <= 90) b += 32;
    if (a !== b) return false;
  }
  return true;
}

/** Text after an optional `echo:` prefix, trimmed; undefined when the line has no such prefix. */
export function echoBody(s: string): string | undefined {
  return startsWithIgnoreCase(s, 'echo:') ? s.slice(5).trim() : undefined;
}
