// Busy keepalives (HOST_KEEPALIVE_FEATURE, every 2 s while a command blocks; §6).
// Real lines (../shared/serial-transcripts/):
//   echo:busy: processing
//   echo:busy: paused for user
//   busy:processing                     MarlinKimbra (no echo: prefix)
//   echo:busy paused for user           (older spelling, marlin-protocol.md §6)
// Rule: /^(echo:)?\s*busy[:\s]\s*(.*)$/i; the reason is the rest, e.g. `processing`.
import type { MarlinMessage } from './messages.js';
import { isSpace, skipSpaces, startsWithIgnoreCase } from './scan.js';

type Busy = Extract<MarlinMessage, { kind: 'busy' }>;

/** Parse a trimmed line; undefined when it is not a busy keepalive. */
export function parseBusy(s: string, raw: string): Busy | undefined {
  let i = startsWithIgnoreCase(s, 'echo:') ? skipSpaces(s, 5) : 0;
  if (!startsWithIgnoreCase(s, 'busy', i)) return undefined;
  i += 4;
  const c = s.charCodeAt(i);
  if (c !== 58 /* : */ && !isSpace(c)) return undefined;
  return { kind: 'busy', reason: s.slice(i + 1).trim(), raw };
}
