// parseLine: every line received from the printer becomes exactly one MarlinMessage.
// It runs on every received line, so it dispatches on cheap prefix checks to one small parser per
// message kind (parse-*.ts, each opening with real example lines), and it never throws: a line
// that fits no parser is `unknown`. The order matters where kinds overlap: `ok T:…` is an ok
// carrying a report; `echo:busy:` is busy, not echo; a position (`X: … Count A: B:`) is checked
// before a temperature report so delta step counts are never read as ambient/bed temperatures.
import type { MarlinMessage } from './messages.js';
import { parseAction } from './parse-action.js';
import { parseBusy } from './parse-busy.js';
import { parseCapability } from './parse-capability.js';
import { echoMessage, isUnknownCommand } from './parse-echo.js';
import { errorText, parseErrorText } from './parse-error.js';
import { parseFirmware } from './parse-firmware.js';
import { isOkLine, parseOk } from './parse-ok.js';
import { looksLikePosition, parsePosition } from './parse-position.js';
import { parseProgress } from './parse-progress.js';
import { parseResend } from './parse-resend.js';
import { parseSd } from './parse-sd.js';
import { looksLikeTemperature, parseTemperature } from './parse-temperature.js';
import { echoBody } from './scan.js';
import { splitGluedLine } from './split-glued.js';

function unknown(text: string, raw: string): MarlinMessage {
  return { kind: 'unknown', text, raw };
}

/** Drop NULs and carriage returns (the transport should have; a test or replay may not have). */
function clean(line: string): string {
  return line.indexOf('\0') >= 0 || line.indexOf('\r') >= 0 ? line.replace(/[\0\r]/g, '') : line;
}

/** Lines that start with a keyword: ok, wait, start, actions, busy, resend, echo, Cap, errors. */
function parsePrefixed(s: string, raw: string): MarlinMessage | undefined {
  if (isOkLine(s)) return parseOk(s, raw);
  if (s === 'wait') return { kind: 'wait', raw };
  if (s === 'start' || s === 'echo:start') return { kind: 'start', raw };
  if (s.startsWith('//')) return parseAction(s, raw) ?? unknown(s, raw);
  const busy = parseBusy(s, raw);
  if (busy) return busy;
  const resend = parseResend(s, raw);
  if (resend) return resend;
  const body = echoBody(s);
  if (body !== undefined) return parseSd(body, raw) ?? parseProgress(body, raw) ?? echoMessage(body, raw);
  if (s.startsWith('Cap:')) return parseCapability(s, raw) ?? unknown(s, raw);
  const err = errorText(s);
  if (err) {
    // OctoPrint ignores `Error:Unknown command`; it means what Marlin's echo means (an ok follows).
    if (isUnknownCommand(err.text)) return { kind: 'echo', text: err.text, unknownCommand: true, raw };
    return parseSd(err.text, raw) ?? parseErrorText(err.text, err.repetierFatal, raw);
  }
  return undefined;
}

/** Lines recognised by their content: M115, SD status, progress, position, temperature. */
function parseContent(s: string, raw: string): MarlinMessage | undefined {
  const fw = parseFirmware(s, raw);
  if (fw) return fw;
  const sd = parseSd(s, raw) ?? parseProgress(s, raw);
  if (sd) return sd;
  if (looksLikePosition(s)) {
    const position = parsePosition(s);
    if (position) return { kind: 'position', position, raw };
  }
  if (looksLikeTemperature(s)) {
    const report = parseTemperature(s);
    if (report) return { kind: 'temperature', report, raw };
  }
  if (isUnknownCommand(s)) return { kind: 'echo', text: s, unknownCommand: true, raw };
  return undefined;
}

/** parseLine without the safety net; exported for the fuzz test, which must see real throws. */
export function parseLineUnguarded(line: string): MarlinMessage {
  const s = clean(line).trim();
  if (s === '') return unknown('', line);
  return parsePrefixed(s, line) ?? parseContent(s, line) ?? unknown(s, line);
}

/** The typed form of one received line. Never throws: anything unrecognised is `unknown`. */
export function parseLine(line: string): MarlinMessage {
  try {
    return parseLineUnguarded(line);
  } catch {
    const text = String(line);
    return unknown(text, text);
  }
}

/**
 * Parse one received line that may hold several glued messages (a TFT in the middle loses line
 * breaks): split-glued.ts splits it conservatively, each part is parsed. A normal line gives one.
 */
export function parseLines(line: string): MarlinMessage[] {
  try {
    return splitGluedLine(line).map(parseLine);
  } catch {
    return [parseLine(line)];
  }
}
