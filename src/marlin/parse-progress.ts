// The firmware's own progress report: Marlin M73_REPORT and Prusa's M73 echo (§14).
// Real lines (../shared/serial-transcripts/, Marlin M73.cpp, Prusa-Firmware):
//   echo: M73 Progress: 42%; Time left: 57m; Change: 12m;         Marlin 2.1 (M73_REPORT)
//   echo:  M73 Progress: 10%; Time left: 20.0m; Change: 7m;
//   SILENT MODE: Percent done: 1; print time remaining in mins: 15; Change in mins: -1   Prusa MK3S
//   NORMAL MODE: Percent done: 21; print time remaining in mins: 33
//   echo:  M73 Percent done:   7.0; Print time remaining in mins: 10.0; Change in mins: 3.0;  (M73_REPORT_PRUSA)
// Prusa prints -1 for "unknown": a negative percent is no report, a negative time is left out.
import type { MarlinMessage } from './messages.js';
import { finiteNumber, numberEnd, skipSpaces, startsWithIgnoreCase } from './scan.js';

type Progress = Extract<MarlinMessage, { kind: 'progressReport' }>;

/** The number after `label` (searched in the first 200 characters), or undefined. */
function numberAfter(body: string, label: string): number | undefined {
  const at = body.slice(0, 200).toLowerCase().indexOf(label.toLowerCase());
  if (at < 0) return undefined;
  const v = skipSpaces(body, at + label.length);
  const end = numberEnd(body, v);
  return end < 0 ? undefined : finiteNumber(body, v, end);
}

function report(percent: number | undefined, minutes: number | undefined, raw: string): Progress | undefined {
  if (percent === undefined || percent < 0) return undefined;
  const msg: Progress = { kind: 'progressReport', percent, raw };
  if (minutes !== undefined && minutes >= 0) msg.minutesLeft = minutes;
  return msg;
}

/** Parse a body (after any `echo:`, trimmed); undefined when it is no progress report. */
export function parseProgress(body: string, raw: string): Progress | undefined {
  let i = 0;
  if (startsWithIgnoreCase(body, 'M73 ')) i = skipSpaces(body, 4);
  else if (startsWithIgnoreCase(body, 'NORMAL MODE:') || startsWithIgnoreCase(body, 'SILENT MODE:')) {
    i = skipSpaces(body, 12);
  } else return undefined;
  const rest = body.slice(i);
  if (startsWithIgnoreCase(rest, 'Progress:')) {
    return report(numberAfter(rest, 'Progress:'), numberAfter(rest, 'Time left:'), raw);
  }
  if (startsWithIgnoreCase(rest, 'Percent done:')) {
    return report(numberAfter(rest, 'Percent done:'), numberAfter(rest, 'remaining in mins:'), raw);
  }
  return undefined;
}
