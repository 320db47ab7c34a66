// `ok`: the acknowledgement of one command, with whatever the firmware put after it.
// Real lines (../shared/serial-transcripts/, marlin-protocol.md §4):
//   ok
//   ok P127 B31                                   ADVANCED_OK without a line number
//   ok N123 P15 B3                                ADVANCED_OK: line, free planner blocks, free slots
//   ok N:7395                                     Anycubic i3 Mega stock firmware
//   ok 103256    ok 0                             Repetier: the line number (0 when unnumbered)
//   ok T:198 /200 B:60 /60 @:99 B@:71             M105 reply: the report rides on the ok
//   ok T:0
//   ok X:62.417 Y:64.781 Z:0.2 E:2.72328 Count: A:6241 B:6478 C:20   M114 reply on some firmwares
// ADVANCED_OK fields are the leading words `N<n>`, `P<n>`, `B<n>` (no colon): `B3` is free buffer
// slots, never the bed (`B:` is). Whatever follows them is read as a temperature or position report.
import type { MarlinMessage, Position, TemperatureReport } from './messages.js';
import { looksLikePosition, parsePosition } from './parse-position.js';
import { looksLikeTemperature, parseTemperature } from './parse-temperature.js';
import { digitsEnd, isDigit, isSpace, safeUint, skipSpaces } from './scan.js';

type Ok = Extract<MarlinMessage, { kind: 'ok' }>;

/** Is `s` (trimmed) an ok line: `ok` alone or followed by a space? */
export function isOkLine(s: string): boolean {
  return s.startsWith('ok') && (s.length === 2 || isSpace(s.charCodeAt(2)));
}

interface OkFields {
  lineNo?: number;
  plannerFree?: number;
  bufferFree?: number;
  /** Index where the text after the fields starts. */
  rest: number;
}

/** Read `N12`, `N:12`, `P15`, `B3` and a bare `103256` until the first other word. */
function readOkFields(s: string): OkFields {
  const f: OkFields = { rest: s.length };
  let i = skipSpaces(s, 2);
  while (i < s.length) {
    const c = s.charCodeAt(i);
    let start = i;
    if (c === 78 /* N */ || c === 80 /* P */ || c === 66 /* B */) {
      start = i + 1;
      if (c === 78 && s.charCodeAt(start) === 58 /* : */) start++;
    } else if (!isDigit(c)) break;
    const end = digitsEnd(s, start);
    const value = safeUint(s, start, end);
    const bounded = end === s.length || isSpace(s.charCodeAt(end));
    if (value === undefined || !bounded) break;
    if (c === 80) f.plannerFree ??= value;
    else if (c === 66) f.bufferFree ??= value;
    else f.lineNo ??= value;
    i = skipSpaces(s, end);
  }
  f.rest = i;
  return f;
}

/** Parse a trimmed line for which isOkLine() is true. */
export function parseOk(s: string, raw: string): Ok {
  const f = readOkFields(s);
  const msg: Ok = { kind: 'ok', raw };
  if (f.lineNo !== undefined) msg.lineNo = f.lineNo;
  if (f.plannerFree !== undefined) msg.plannerFree = f.plannerFree;
  if (f.bufferFree !== undefined) msg.bufferFree = f.bufferFree;
  if (f.rest < s.length) {
    const rest = s.slice(f.rest);
    let position: Position | undefined;
    let temperature: TemperatureReport | undefined;
    if (looksLikePosition(rest)) position = parsePosition(rest);
    else if (looksLikeTemperature(rest)) temperature = parseTemperature(rest);
    if (position) msg.position = position;
    if (temperature) msg.temperature = temperature;
  }
  return msg;
}
