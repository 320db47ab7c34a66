// How Marlin 2.1 (gcode/queue.cpp, get_serial_commands) judges one received line before it
// enters the command queue: line number, then checksum, then "no checksum" — in that order, so
// noise in the digits of N looks like a line-number error. `M110` lines take their number from
// the M110's own N (`N5 M110 N0` counts as line 0). Un-numbered lines are not checked.
// Pure and allocation-free on the hot path: one pass over the characters of the line.

export const LINE_OK = 0;
export const ERR_LINE_NUMBER = 1;
export const ERR_CHECKSUM = 2;
export const ERR_NO_CHECKSUM = 3;

/** The text Marlin prints for each error code, before `, Last Line: <n>`. */
export const LINE_ERROR_TEXT: readonly string[] = [
  '',
  'Line Number is not Last Line Number+1',
  'checksum mismatch',
  'No Checksum with line number',
];

/** Filled by checkLine for accepted lines. */
export interface LineInfo {
  /** The line started with `N`. */
  numbered: boolean;
  /** The line number that now counts as the last one (M110's own N for M110 lines). */
  n: number;
}

const SPACE = 32;
const N_UPPER = 78;

/** Index of the first non-space character. */
export function commandStart(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === SPACE) i++;
  return i;
}

/** C `strtol(s + i, …, 10)`: skips blanks, optional sign, digits; 0 when there are none. */
export function strtol(s: string, i: number): number {
  const len = s.length;
  while (i < len && (s.charCodeAt(i) === SPACE || s.charCodeAt(i) === 9)) i++;
  let sign = 1;
  const c = s.charCodeAt(i);
  if (c === 45 /* - */) { sign = -1; i++; } else if (c === 43 /* + */) i++;
  let v = 0;
  for (; i < len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  return sign * v;
}

/**
 * Check a complete line (comment already removed, no line end) against the last line number.
 * Returns LINE_OK or an ERR_* code; on LINE_OK `info` says whether and how the line was numbered.
 */
export function checkLine(line: string, lastN: number, info: LineInfo): number {
  const s = commandStart(line);
  info.numbered = false;
  info.n = lastN;
  if (line.charCodeAt(s) !== N_UPPER) return LINE_OK;
  let npos = s;
  const isM110 = line.indexOf('M110', s) >= 0;
  if (isM110) {
    const n2 = line.indexOf('N', Math.min(s + 4, line.length));
    if (n2 >= 0) npos = n2;
  }
  const n = strtol(line, npos + 1);
  if (n !== lastN + 1 && !isM110) return ERR_LINE_NUMBER;
  const star = line.lastIndexOf('*');
  if (star < s) return ERR_NO_CHECKSUM;
  let cs = 0;
  for (let i = s; i < star; i++) cs ^= line.charCodeAt(i);
  if (strtol(line, star + 1) !== (cs & 0xff)) return ERR_CHECKSUM;
  info.numbered = true;
  info.n = n;
  return LINE_OK;
}

/**
 * The command as Marlin's parser sees it: leading blanks, a leading `N<n>` and everything from
 * the first `*` dropped, trailing blanks trimmed. `N12 G1 X5*99` -> `G1 X5`.
 */
export function normalizeCommand(line: string): string {
  let i = commandStart(line);
  const c = line.charCodeAt(i);
  if ((c === N_UPPER || c === 110) && isSignedDigit(line.charCodeAt(i + 1))) {
    i += 2;
    while (isDigit(line.charCodeAt(i))) i++;
    while (line.charCodeAt(i) === SPACE) i++;
  }
  let end = line.indexOf('*', i);
  if (end < 0) end = line.length;
  while (end > i && (line.charCodeAt(end - 1) === SPACE || line.charCodeAt(end - 1) === 9)) end--;
  return i === 0 && end === line.length ? line : line.slice(i, end);
}

/** The literal digits of a leading `N<n>` (what ADVANCED_OK echoes), or null. */
export function leadingLineNumberText(line: string): string | null {
  if (line.charCodeAt(0) !== N_UPPER) return null;
  let j = 1;
  if (isSignedDigit(line.charCodeAt(j))) j++;
  while (isDigit(line.charCodeAt(j))) j++;
  return line.slice(1, j);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSignedDigit(c: number): boolean {
  return isDigit(c) || c === 45 || c === 43;
}
