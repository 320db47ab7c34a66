// Error lines and whether they are fatal (marlin-protocol.md §5, §12).
// Real lines (../shared/serial-transcripts/):
//   Error:Heating failed, system stopped! Heater_ID: bed           fatal (then the kill line)
//   Error:Thermal Runaway, system stopped! Heater_ID: E0           fatal
//   Error:Printer halted. kill() called!                           fatal
//   Error:Printer stopped due to errors. Fix the error and use M999 to restart. (…)   fatal
//   Printer stopped due to errors. Fix the error and use M999 …   Repetier repeats it unprefixed
//   Error:Temperature heated bed switched off. MAXTEMP triggered !!   Repetier, fatal
//   Error:Line Number is not Last Line Number+1, Last Line: 619    lineError, lastLine 619
//   Error:checksum mismatch, Last Line:2    Error:No Checksum with line number, Last Line: 451090
//   Error:expected line 103257 got 103256                          Repetier: lastLine 103256
//   Error:EEPROM datasize error.    Error:Probing Failed           not fatal
//   !! Printer is not ready                                        Klipper, not fatal
//   fatal: …                                                       Repetier, always fatal
//   ZProbe triggered before move, aborting command.                Smoothieware G29, not fatal
// SD-card errors (`Error:volume.init failed`, `Error:open failed, File: x.`) are SD events and
// are handled by parse-sd.ts before this parser runs.
import type { MarlinMessage } from './messages.js';
import { digitsEnd, safeUint, skipSpaces, startsWithIgnoreCase } from './scan.js';

type ErrorMessage = Extract<MarlinMessage, { kind: 'error' }>;

/** Thermal protection, kill(), halts and stops: the printer is dead until reset or M999. */
const FATAL =
  /heating failed|thermal runaway|thermal malfunction|maxtemp|mintemp|system stopped|kill\(\) called|kill caused|printer halted|printer stopped|watchdog barked|emergency stop|shutdown/i;

/** Transmission errors: the firmware rejected a line and (usually) asks for it again. */
const LINE_ERROR = /line ?number|checksum|format error|expected line|missing linenumber/i;

/** Unprefixed lines that are nonetheless errors (Repetier repeats the stop message bare). */
const BARE_ERRORS = ['Printer stopped due to errors', 'Printer halted', 'ZProbe triggered before move'];

/** The error text after its prefix, or undefined when `s` is not an error line. */
export function errorText(s: string): { text: string; repetierFatal: boolean } | undefined {
  if (startsWithIgnoreCase(s, 'error:')) return { text: s.slice(6).trim(), repetierFatal: false };
  if (startsWithIgnoreCase(s, 'fatal:')) return { text: s.slice(6).trim(), repetierFatal: true };
  if (s.startsWith('!!')) return { text: s.slice(2).trim(), repetierFatal: false };
  for (const p of BARE_ERRORS) if (s.startsWith(p)) return { text: s, repetierFatal: false };
  return undefined;
}

/** `Last Line: 451090` → 451090; Repetier `expected line 103257 got …` → 103256. */
function lastLineOf(text: string): number | undefined {
  const ll = /last line:/i.exec(text);
  if (ll) {
    const at = skipSpaces(text, ll.index + ll[0].length);
    return safeUint(text, at, digitsEnd(text, at));
  }
  const ex = /expected line /i.exec(text);
  if (ex) {
    const at = ex.index + ex[0].length;
    const expected = safeUint(text, at, digitsEnd(text, at));
    return expected !== undefined && expected > 0 ? expected - 1 : undefined;
  }
  return undefined;
}

/** Build the error message for the text after the prefix. */
export function parseErrorText(text: string, repetierFatal: boolean, raw: string): ErrorMessage {
  if (LINE_ERROR.test(text)) {
    const msg: ErrorMessage = { kind: 'error', message: text, fatal: repetierFatal, lineError: true, raw };
    const lastLine = lastLineOf(text);
    if (lastLine !== undefined) msg.lastLine = lastLine;
    return msg;
  }
  return { kind: 'error', message: text, fatal: repetierFatal || FATAL.test(text), raw };
}

/** Parse a trimmed line; undefined when it is not an error line. */
export function parseError(s: string, raw: string): ErrorMessage | undefined {
  const e = errorText(s);
  return e && parseErrorText(e.text, e.repetierFatal, raw);
}
