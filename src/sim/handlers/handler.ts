// The shape of a command handler, shared by the handler tables and the dispatcher.
// A handler returns true when the command is complete (the firmware then sends its ok) or false
// when it will call fw.finish(cmd) itself later (after motion, a dwell, heating, the user).
import type { Cmd } from '../command-queue.js';
import type { Firmware } from '../firmware.js';
import type { Words } from '../gcode-words.js';

export type Handler = (fw: Firmware, cmd: Cmd, w: Words) => boolean;
export type HandlerTable = Record<string, Handler>;

/** For commands that only change settings the simulator does not model: just ok. */
export const accept: Handler = () => true;
