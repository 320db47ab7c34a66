// M115 capability lines (marlin-protocol.md §2), one per line after FIRMWARE_NAME.
// Real lines (../shared/serial-transcripts/):
//   Cap:AUTOREPORT_TEMP:1
//   Cap:EMERGENCY_PARSER:0
//   Cap:PRUSA_MMU2:1                       Prusa-Firmware 3.10
// The value is 0 or 1 on every firmware we know; anything else but 0 counts as enabled.
import type { MarlinMessage } from './messages.js';
import { digitsEnd, isDigit, isLetter, skipSpaces } from './scan.js';

type Capability = Extract<MarlinMessage, { kind: 'capability' }>;

/** Parse a trimmed line; undefined when it is not a well-formed `Cap:NAME:<n>` line. */
export function parseCapability(s: string, raw: string): Capability | undefined {
  if (!s.startsWith('Cap:')) return undefined;
  let i = 4;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (!isLetter(c) && !isDigit(c) && c !== 95) break;
    i++;
  }
  if (i === 4 || s.charCodeAt(i) !== 58) return undefined;
  const name = s.slice(4, i);
  const v = skipSpaces(s, i + 1);
  const vEnd = digitsEnd(s, v);
  if (vEnd === v || skipSpaces(s, vEnd) !== s.length) return undefined;
  return { kind: 'capability', name, enabled: Number(s.slice(v, vEnd)) !== 0, raw };
}
