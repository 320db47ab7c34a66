// A thermal failure is reported on two lines (marlin-protocol.md §12, §15.16):
//   Error:Heating failed, system stopped! Heater_ID: bed
//   Error:Printer halted. kill() called!
// or, knutwurst Marlin 2 for the Anycubic Mega S, with an LCD echo in between:
//   Error:Thermal Runaway, system stopped! Heater_ID: E0
//   echo:THERMAL RUNAWAY
//   Error:Printer halted. kill() called!
// and old Marlin 1.0 split one report as `Error:0` + `: Extruder switched off. MAXTEMP triggered !`.
// OctoPrint joins such a line with the next one. These helpers let the session do the same and
// send one notice per failure: hold a pair start, then join it with the line that follows.
import type { MarlinMessage } from './messages.js';

type ErrorMessage = Extract<MarlinMessage, { kind: 'error' }>;

/** OctoPrint's list of texts whose error line continues on the next line. */
const PAIR_START =
  /heating failed|thermal runaway|thermal malfunction|maxtemp triggered|mintemp triggered|invalid extruder number|watchdog barked|kill caused|system stopped/i;

/**
 * Is `msg` the first half of a two-line error report (hold it and join the next line)?
 * A plain boolean, not a type guard: `false` does not mean "not an error".
 */
export function isFatalPairStart(msg: MarlinMessage): boolean {
  if (msg.kind !== 'error') return false;
  return PAIR_START.test(msg.message) || /^\d$/.test(msg.message);
}

function textOf(msg: MarlinMessage): string {
  switch (msg.kind) {
    case 'error':
      return msg.message;
    case 'echo':
    case 'unknown':
      return msg.text;
    default:
      return msg.raw.trim();
  }
}

/**
 * One error from a pair start and the line after it. Fatal when either half is, or when the
 * start names a thermal failure (the printer is stopped either way). The raw text keeps both lines.
 */
export function joinErrorPair(first: ErrorMessage, next: MarlinMessage): ErrorMessage {
  const tail = textOf(next).replace(/^[:\s]+/, '');
  const message = tail === '' ? first.message : `${first.message} ${tail}`;
  const fatal =
    first.fatal || (next.kind === 'error' && next.fatal) || PAIR_START.test(message) || /maxtemp|mintemp/i.test(message);
  return { kind: 'error', message, fatal, raw: `${first.raw}\n${next.raw}` };
}
