// SD-card status and file events (M20-M30, M27; marlin-protocol.md §8, §9).
// Real lines (../shared/serial-transcripts/, marlin-protocol.md):
//   SD printing byte 534/193158            M27 (or M27 S<n> auto-report)
//   Not SD printing
//   Done printing file                     end of an SD print (M1001)
//   File opened:box1.gco Size:193158       M23; 2.x prints `File opened: TEST.GCO Size: 73`
//   File selected
//   open failed, File: f.                  (OctoPrint vector: `Error: open failed, File: foo.gco`)
//   echo:SD card ok   echo:No SD card   echo:SD init fail   echo:No media
//   Error:volume.init failed   Error:openRoot failed           no usable card
//   echo:SD card released                  M22
//   Begin file list / End file list        M20 (the entries between are context: see the session)
//   Current file: TEST~1.GCO test file.gcode   /   Current file: (no file)      M27 C
// Called with the text after any `echo:` or `Error:` prefix, trimmed.
import type { MarlinMessage } from './messages.js';
import { digitsEnd, safeUint, skipSpaces, startsWithIgnoreCase } from './scan.js';

type Sd = Extract<MarlinMessage, { kind: 'sd' }>;
type SdProgress = Extract<MarlinMessage, { kind: 'sdProgress' }>;
type SdEvent = Sd['event'];

/** Fixed texts, matched at the start of the body, ignoring case. */
const FIXED: ReadonlyArray<readonly [string, SdEvent]> = [
  ['Not SD printing', 'notPrinting'],
  ['Done printing file', 'donePrinting'],
  ['File selected', 'fileSelected'],
  ['SD card ok', 'cardOk'],
  ['No SD card', 'noCard'],
  ['SD init fail', 'noCard'],
  ['No media', 'noCard'],
  ['volume.init failed', 'noCard'],
  ['openRoot failed', 'noCard'],
  ['SD card released', 'cardReleased'],
  ['SD Card unmounted', 'cardReleased'],
  ['Begin file list', 'fileListBegin'],
  ['End file list', 'fileListEnd'],
];

/** `SD printing byte 534/193158` → done 534, total 193158. */
function parseProgress(body: string, raw: string): SdProgress | undefined {
  const prefix = 'SD printing byte';
  if (!startsWithIgnoreCase(body, prefix)) return undefined;
  const d = skipSpaces(body, prefix.length);
  const dEnd = digitsEnd(body, d);
  const slash = skipSpaces(body, dEnd);
  if (body.charCodeAt(slash) !== 47) return undefined;
  const t = skipSpaces(body, slash + 1);
  const done = safeUint(body, d, dEnd);
  const total = safeUint(body, t, digitsEnd(body, t));
  if (done === undefined || total === undefined) return undefined;
  return { kind: 'sdProgress', done, total, raw };
}

/** `File opened:box1.gco Size:193158` → file box1.gco, size 193158. */
function parseOpened(body: string, raw: string): Sd | undefined {
  const prefix = 'File opened:';
  if (!startsWithIgnoreCase(body, prefix)) return undefined;
  const sizeAt = body.lastIndexOf('Size:');
  const msg: Sd = { kind: 'sd', event: 'fileOpened', raw };
  const file = body.slice(prefix.length, sizeAt > 0 ? sizeAt : body.length).trim();
  if (file) msg.file = file;
  if (sizeAt > 0) {
    const s = skipSpaces(body, sizeAt + 5);
    const size = safeUint(body, s, digitsEnd(body, s));
    if (size !== undefined) msg.size = size;
  }
  return msg;
}

/** `open failed, File: f.` → file f (Marlin ends the sentence with a period). */
function parseOpenFailed(body: string, raw: string): Sd | undefined {
  if (!startsWithIgnoreCase(body, 'open failed')) return undefined;
  const msg: Sd = { kind: 'sd', event: 'openFailed', raw };
  const at = body.indexOf('File:');
  if (at >= 0) {
    let file = body.slice(at + 5).trim();
    if (file.endsWith('.')) file = file.slice(0, -1);
    if (file) msg.file = file;
  }
  return msg;
}

/** `Current file: TEST~1.GCO test file.gcode` → TEST~1.GCO (the name M23 takes); `(no file)` → none. */
function parseCurrentFile(body: string, raw: string): Sd | undefined {
  const prefix = 'Current file:';
  if (!startsWithIgnoreCase(body, prefix)) return undefined;
  const msg: Sd = { kind: 'sd', event: 'currentFile', raw };
  const rest = body.slice(prefix.length).trim();
  const first = rest.split(/\s/, 1)[0] ?? '';
  if (first && !rest.startsWith('(no file)')) msg.file = first;
  return msg;
}

/** Parse the body of a line (prefix removed, trimmed); undefined when it is no SD message. */
export function parseSd(body: string, raw: string): Sd | SdProgress | undefined {
  const c = body.charCodeAt(0) | 32; // lower-case first letter: a cheap pre-filter
  if (c !== 115 && c !== 110 && c !== 100 && c !== 102 && c !== 118 && c !== 111 && c !== 98 && c !== 101 && c !== 99) {
    return undefined; // s n d f v o b e c
  }
  for (const [text, event] of FIXED) {
    if (startsWithIgnoreCase(body, text)) return { kind: 'sd', event, raw };
  }
  return (
    parseProgress(body, raw) ??
    parseOpened(body, raw) ??
    parseOpenFailed(body, raw) ??
    parseCurrentFile(body, raw)
  );
}
