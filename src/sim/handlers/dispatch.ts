// Command word -> handler (see handler.ts). Anything without a handler gets Marlin's
// `echo:Unknown command: "<text>"` and an ok, like a stock build without that feature.
import type { Cmd } from '../command-queue.js';
import type { Firmware } from '../firmware.js';
import type { Words } from '../gcode-words.js';
import type { Handler } from './handler.js';
import { infoHandlers } from './info-handlers.js';
import { motionHandlers } from './motion-handlers.js';
import { pauseHandlers } from './pause-handlers.js';
import { sdHandlers } from './sd-handlers.js';
import { temperatureHandlers, toolChange } from './temperature-handlers.js';

const G: Array<Handler | undefined> = [];
const M: Array<Handler | undefined> = [];

for (const table of [motionHandlers, temperatureHandlers, sdHandlers, pauseHandlers, infoHandlers]) {
  for (const [word, h] of Object.entries(table)) {
    const n = Number(word.slice(1));
    if (word[0] === 'G') G[n] = h;
    else if (word[0] === 'M') M[n] = h;
    else throw new Error(`bad handler word ${word}`);
  }
}

export function dispatch(fw: Firmware, cmd: Cmd, w: Words): boolean {
  let h: Handler | undefined;
  if (w.sub < 0) {
    if (w.letter === 71 /* G */) h = G[w.code];
    else if (w.letter === 77 /* M */) h = M[w.code];
    else if (w.letter === 84 /* T */) h = toolChange;
  }
  if (h) return h(fw, cmd, w);
  fw.emit(`echo:Unknown command: "${cmd.text}"`);
  return true;
}
