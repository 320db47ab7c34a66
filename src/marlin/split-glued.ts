// Some firmwares and touch screens (BTT TFT in the middle of the serial link) lose line breaks and
// glue several messages into one line. Real line (marlin2-btt-tft-m600-runout-concatenated-actions.txt):
//   //action:prompt_end//action:prompt_begin FilamentRunout T0//action:prompt_show//action:paused filament_runout 0 T:215.00 /215.00 B:60.00 /60.00 @:53 B@:20
//   //action:prompt_end//action:prompt_begin Nozzle Parked//action:prompt_button Continue//action:prompt_showecho:busy: paused for user
//   //action:paused T:215.00 /215.00 B:60.00 /60.00 @:56 B@:21
// splitGluedLine cuts only where the boundary is unambiguous: before a later `//action:`; before
// `echo:` glued to a word inside an action; after `prompt_show` / `prompt_end`, which take no
// parameters; and before an auto-report (` T:<n> /<n>`) glued to an action's parameters. A line
// without `action:` is never touched, so temperature lines are never split.
import { actionPrefixEnd } from './parse-action.js';
import { isSpace, skipSpaces } from './scan.js';

/** Actions that never carry parameters: whatever follows them was glued on. */
const NO_PARAMS = ['prompt_show', 'prompt_end'];

/** A temperature auto-report glued to an action: ` T:215.00 /215.00`. */
const TEMPERATURE_TAIL = /\sT:-?\d+(?:\.\d+)?\s?\/\s?-?\d/;

function isActionAt(line: string, i: number): boolean {
  return line.startsWith('//', i) && line.startsWith('action:', skipSpaces(line, i + 2));
}

/** A quote before it means the action is quoted text (`echo:Unknown command: "//action:x"`). */
function isQuoted(line: string, i: number): boolean {
  const c = line.charCodeAt(i - 1);
  return c === 34 || c === 39;
}

/** Cut before every unquoted `//action:` / `// action:` that has text before it. */
function cutAtActions(line: string): string[] {
  const pieces: string[] = [];
  let from = 0;
  for (let i = line.indexOf('//', 1); i >= 0; i = line.indexOf('//', i + 2)) {
    if (!isActionAt(line, i) || isQuoted(line, i) || line.slice(from, i).trim() === '') continue;
    pieces.push(line.slice(from, i));
    from = i;
  }
  pieces.push(line.slice(from));
  return pieces;
}

/** Split one piece that starts with an action; pushes the parts onto `out`. */
function splitAction(piece: string, out: string[]): void {
  const lead = skipSpaces(piece, 0);
  const prefixEnd = actionPrefixEnd(piece.slice(lead));
  if (prefixEnd < 0) { out.push(piece); return; }
  const nameStart = skipSpaces(piece, lead + prefixEnd);
  let nameEnd = nameStart;
  while (nameEnd < piece.length && !isSpace(piece.charCodeAt(nameEnd))) nameEnd++;
  const name = piece.slice(nameStart, nameEnd);
  const cut = cutPoint(piece, name, nameStart, nameEnd);
  if (cut <= nameStart || cut >= piece.length) { out.push(piece); return; }
  out.push(piece.slice(0, cut));
  const rest = piece.slice(cut);
  // The rest may itself be an action-less tail (echo, ok, temperature): never split further.
  out.push(rest);
}

/** Where to cut an action piece, or -1 to keep it whole. */
function cutPoint(piece: string, name: string, nameStart: number, nameEnd: number): number {
  const echo = piece.indexOf('echo:', nameStart + 1);
  if (echo > 0 && !isSpace(piece.charCodeAt(echo - 1))) return echo;
  for (const np of NO_PARAMS) {
    if (name.startsWith(np) && name.length > np.length) return nameStart + np.length;
    if (name === np && piece.slice(nameEnd).trim() !== '') return nameEnd;
  }
  const tail = TEMPERATURE_TAIL.exec(piece.slice(nameEnd));
  return tail ? nameEnd + tail.index : -1;
}

/** Split a received line into the messages glued into it; a normal line gives `[line]`. */
export function splitGluedLine(line: string): string[] {
  if (line.indexOf('action:') < 0) return [line];
  const out: string[] = [];
  for (const piece of cutAtActions(line)) splitAction(piece, out);
  return out;
}
