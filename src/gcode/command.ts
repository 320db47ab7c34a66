// Minimal G-code line handling shared by the job reader, the session and the virtual printer.
// A G-code line: optional `N<n>`, a command word (`G1`, `M104`, `T0`), parameter words, and an
// optional `;` comment (and, for Marlin's PAREN_COMMENTS, `( … )` comments are left alone).
// These run for every line streamed to the printer, so they scan characters instead of running
// regular expressions: a few allocations per line, not dozens (performance.md C1, C3).

/** Remove a `;` comment and surrounding whitespace. Returns '' for comment-only or blank lines. */
export function stripComment(line: string): string {
  const semi = line.indexOf(';');
  const body = semi >= 0 ? line.slice(0, semi) : line;
  return body.trim();
}

export interface GcodeCommand {
  /** Upper-case command word: `G1`, `M104`, `T0`, `M73`; '' when the line has none. */
  code: string;
  /** Parameter letters (upper-case) to their numeric value; NaN when the word has no number. */
  params: Record<string, number>;
  /** The text after the command word (string arguments: M117, M23 file names, M118). */
  argText: string;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSpace = (c: number) => c <= 32;
/** `-`, `+`, `.` or a digit: the characters of a parameter's number. */
const isNumberChar = (c: number) => isDigit(c) || c === 45 || c === 43 || c === 46;

interface Span {
  start: number;
  end: number;
}

/** The command without surrounding blanks, a leading `N<n>` and a trailing `*<checksum>`. */
function commandSpan(text: string): Span {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  const star = text.lastIndexOf('*', end - 1);
  if (star >= start && star < end - 1) {
    let k = star + 1;
    while (k < end && isDigit(text.charCodeAt(k))) k++;
    if (k === end) {
      end = star;
      while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    }
  }
  const n = text.charCodeAt(start);
  if (n === 78 || n === 110) {
    let k = start + 1;
    if (text.charCodeAt(k) === 45) k++;
    const digits = k;
    while (k < end && isDigit(text.charCodeAt(k))) k++;
    if (k > digits) {
      while (k < end && isSpace(text.charCodeAt(k))) k++;
      start = k;
    }
  }
  return { start, end };
}

/** End of the command word's number (`1`, `104`, `1.5`) starting at `i`, or -1 when there is none. */
function codeNumberEnd(text: string, i: number, end: number): number {
  let k = i;
  while (k < end && isDigit(text.charCodeAt(k))) k++;
  if (k === i) return -1;
  if (text.charCodeAt(k) === 46 && k + 1 < end && isDigit(text.charCodeAt(k + 1))) {
    k += 2;
    while (k < end && isDigit(text.charCodeAt(k))) k++;
  }
  return k;
}

/** `G01` is `G1`; `G0`, `T01` and `G0.5` stay as they are. */
function normalizeCode(letter: string, num: string): string {
  if (letter !== 'G' && letter !== 'M') return letter + num;
  let z = 0;
  while (z < num.length - 1 && num.charCodeAt(z) === 48 && isDigit(num.charCodeAt(z + 1))) z++;
  return letter + (z > 0 ? num.slice(z) : num);
}

/**
 * Parse a comment-free command. Tolerates `G1X10Y5` (no spaces), lower case, a leading `N<n>`
 * and a trailing `*<checksum>`.
 */
export function parseCommand(text: string): GcodeCommand {
  const { start, end } = commandSpan(text);
  const first = text.charCodeAt(start);
  const numEnd = start < end && isLetter(first) ? codeNumberEnd(text, start + 1, end) : -1;
  if (numEnd < 0) return { code: '', params: {}, argText: text.slice(start, end) };
  const code = normalizeCode(text[start]!.toUpperCase(), text.slice(start + 1, numEnd));
  let a = numEnd;
  while (a < end && isSpace(text.charCodeAt(a))) a++;
  const argText = text.slice(a, end);
  const params: Record<string, number> = {};
  // M117/M118/M23 etc. take free text; still parse words for the others.
  let i = 0;
  while (i < argText.length) {
    if (!isLetter(argText.charCodeAt(i))) {
      i++;
      continue;
    }
    const key = argText[i]!.toUpperCase();
    let j = i + 1;
    while (j < argText.length && isNumberChar(argText.charCodeAt(j))) j++;
    if (!(key in params)) params[key] = j === i + 1 ? Number.NaN : Number(argText.slice(i + 1, j));
    i = j > i + 1 ? j : i + 1;
  }
  return { code, params, argText };
}

/** The command word alone, fast path for hot loops: `G1`, `M109`, '' for none. */
export function commandCode(text: string): string {
  const { start, end } = commandSpan(text);
  const code = codeAt(text, start, end);
  if (code !== '' || start === 0) return code;
  // `N12` with no command after it: then `N12` is the word itself (as the old regex read it).
  let s = 0;
  while (s < end && isSpace(text.charCodeAt(s))) s++;
  return codeAt(text, s, end);
}

function codeAt(text: string, start: number, end: number): string {
  if (start >= end || !isLetter(text.charCodeAt(start))) return '';
  const numEnd = codeNumberEnd(text, start + 1, end);
  if (numEnd < 0) return '';
  // Unlike parseCommand, leading zeros go for every letter (`T01` is `T1`), as before.
  let z = start + 1;
  while (z < numEnd - 1 && text.charCodeAt(z) === 48 && isDigit(text.charCodeAt(z + 1))) z++;
  return text[start]!.toUpperCase() + text.slice(z, numEnd);
}
