// Position reports: the M114 reply and M154 auto-reports (also after `ok` on some firmwares).
// Real lines (../shared/serial-transcripts/):
//   X:1.529 Y:-5.440 Z:0.00 E:0.00 Count X:0 Y:0 Z:0                Marlin 1.1
//   X:150.0000 Y:10.0000 Z:20.0000 E:25.4821 Count A:12800 B:11200 Z:8000   CoreXY: A/B are steps
//   ok X:62.417 Y:64.781 Z:0.2 E:2.72328 Count: A:6241 B:6478 C:20  ok sharing the line
//   X:96.99 Y:88.31 Z:0.30 E0:0.0 E1:0.0 E2:0.0 E3:0.0 E4:0.0 E5:0.0 RepRapFirmware
//   X:150.0 Y:150.0 Z:  0.7 E:  0.0                                  AlfaWise U20
// Everything from `Count` on is stepper counts (deltas print `Count A: B: C:`, which must not be
// mistaken for ambient or bed temperatures), so it is cut off before scanning.
import type { Position } from './messages.js';
import { scanFields } from './fields.js';
import { isDigit, skipSpaces } from './scan.js';

/** Prefixes some firmwares put before the axes (Smoothieware `C: X:…`). */
const PREFIXES = ['C:', 'MCS:', 'WCS:'];

/** Does `s` (left-trimmed) start like a position report: `X:<number>` (after an optional prefix)? */
export function looksLikePosition(s: string): boolean {
  let i = 0;
  for (const p of PREFIXES) {
    if (s.startsWith(p)) { i = skipSpaces(s, p.length); break; }
  }
  if (s.charCodeAt(i) !== 88 /* X */ || s.charCodeAt(i + 1) !== 58) return false;
  const v = skipSpaces(s, i + 2);
  const c = s.charCodeAt(v);
  return isDigit(c) || c === 45 || c === 43 || c === 46;
}

/** Parse the axes before `Count`; undefined unless X, Y and Z are all present. */
export function parsePosition(s: string): Position | undefined {
  const count = s.indexOf('Count');
  const head = count >= 0 ? s.slice(0, count) : s;
  const pos: Position = {};
  let e0: number | undefined;
  scanFields(head, (name, value) => {
    if (Number.isNaN(value)) return;
    if (name === 'X') pos.x ??= value;
    else if (name === 'Y') pos.y ??= value;
    else if (name === 'Z') pos.z ??= value;
    else if (name === 'E') pos.e ??= value;
    else if (name === 'E0') e0 ??= value;
  });
  if (pos.x === undefined || pos.y === undefined || pos.z === undefined) return undefined;
  if (pos.e === undefined && e0 !== undefined) pos.e = e0;
  return pos;
}
