// `echo:` lines that are no busy keepalive, SD event or progress report: settings dumps, boot
// messages, M118 output, and the firmware saying it does not know a command.
// Real lines (../shared/serial-transcripts/):
//   echo:Unknown command: "M73 P0 R17 Q0 S17"     TwoTrees stock 2.0.5.3 (Marlin 2.1: "M9999")
//   echo:Unknown command: ""                       Marlin bugfix-2.0.x
//   Unknown M code: $40 M108                       Prusa, no echo: prefix, garbled command
//   Error: Unknown command: "ABC"                  older firmwares (OctoPrint vectors): same meaning
//   echo:  M92 X80.00 Y80.00 Z400.00 E140.00       M503
//   echo:Insert filament and send M108             M600 (the session watches for this text)
//   echo:enqueueing "M600"                         runout sensor injecting M600
// An unknown command is followed by a normal `ok`: it is not an error (marlin-protocol.md §12).
import type { MarlinMessage } from './messages.js';
import { startsWithIgnoreCase } from './scan.js';

type Echo = Extract<MarlinMessage, { kind: 'echo' }>;

/** `Unknown command:` (Marlin) or `Unknown M code:` / `Unknown G code:` (Prusa). */
export function isUnknownCommand(text: string): boolean {
  if (!startsWithIgnoreCase(text, 'Unknown ')) return false;
  return (
    startsWithIgnoreCase(text, 'command', 8) ||
    startsWithIgnoreCase(text, 'M code:', 8) ||
    startsWithIgnoreCase(text, 'G code:', 8)
  );
}

/** An echo message for `text` (the body after `echo:`, trimmed). */
export function echoMessage(text: string, raw: string): Echo {
  return isUnknownCommand(text) ? { kind: 'echo', text, unknownCommand: true, raw } : { kind: 'echo', text, raw };
}
