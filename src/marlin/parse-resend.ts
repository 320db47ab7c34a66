// Resend requests: the firmware asks for line n again (marlin-protocol.md §5).
// Real lines (../shared/serial-transcripts/):
//   Resend: 620            Marlin 1.1 / 2.x
//   Resend:3               Marlin 2012, Repetier
//   Resend: N23   Resend: N:23   rs 23   rs N23   rs N:23
//   rs N23 expected checksum 109                              Teacup
// Rule: `resend` or `rs` at the start, any case; then the first integer, skipping `N`, `N:`, `:`.
import type { MarlinMessage } from './messages.js';
import { digitsEnd, isSpace, safeUint, skipSpaces, startsWithIgnoreCase } from './scan.js';

type Resend = Extract<MarlinMessage, { kind: 'resend' }>;

/** Where the text after the keyword starts, or -1 when `s` is not a resend request. */
function afterKeyword(s: string): number {
  if (startsWithIgnoreCase(s, 'resend')) return 6;
  if (startsWithIgnoreCase(s, 'rs')) {
    const c = s.charCodeAt(2);
    if (isSpace(c) || c === 58 /* : */) return 2;
  }
  return -1;
}

/** Parse a trimmed line; undefined when it is not a resend request with a line number. */
export function parseResend(s: string, raw: string): Resend | undefined {
  let i = afterKeyword(s);
  if (i < 0) return undefined;
  while (i < s.length && (isSpace(s.charCodeAt(i)) || s.charCodeAt(i) === 58)) i++;
  const c = s.charCodeAt(i);
  if (c === 78 || c === 110 /* N n */) {
    i = skipSpaces(s, i + 1);
    if (s.charCodeAt(i) === 58) i = skipSpaces(s, i + 1);
  }
  const lineNo = safeUint(s, i, digitsEnd(s, i));
  return lineNo === undefined ? undefined : { kind: 'resend', lineNo, raw };
}
