// Host action commands (HOST_ACTION_COMMANDS, PROMPT_SUPPORT; marlin-protocol.md §10, §11).
// Real lines (../shared/serial-transcripts/):
//   //action:notification Artillery Sidewinder X1 Ready.
//   //action:prompt_end
//   //action:prompt_begin Pause
//   //action:prompt_button Dismiss
//   //action:paused filament_runout 0
//   //action:poweroff
//   // action:cancel                 (accepted with a space, as OctoPrint does)
// The name is the word after `action:`; the parameters are the rest, trimmed. Lines glued
// together by a TFT (`//action:prompt_show//action:paused …`) are split first by split-glued.ts.
import type { MarlinMessage } from './messages.js';
import { isSpace, skipSpaces } from './scan.js';

type Action = Extract<MarlinMessage, { kind: 'action' }>;

/** Index after `//action:` / `// action:` at the start of `s`, or -1. */
export function actionPrefixEnd(s: string): number {
  if (!s.startsWith('//')) return -1;
  const i = skipSpaces(s, 2);
  return s.startsWith('action:', i) ? i + 7 : -1;
}

/** Parse a trimmed line; undefined when it is not an action (or names no action). */
export function parseAction(s: string, raw: string): Action | undefined {
  const start = actionPrefixEnd(s);
  if (start < 0) return undefined;
  const nameStart = skipSpaces(s, start);
  let end = nameStart;
  while (end < s.length && !isSpace(s.charCodeAt(end))) end++;
  if (end === nameStart) return undefined;
  return { kind: 'action', name: s.slice(nameStart, end), params: s.slice(end).trim(), raw };
}
