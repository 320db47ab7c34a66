// Waiting for the user: M0/M1, M600 filament change (and the runout that injects it), and the
// commands that end such waits. The M600 sequence follows marlin-protocol.md §11:
//   //action:paused + prompt Pause/Dismiss, busy processing (finish moves, park, unload),
//   `echo:Insert filament and send M108` + prompt Nozzle Parked/Continue,
//   busy paused for user until M108 / M876 S<n> / the LCD button,
//   load + purge (prompt Paused/PurgeMore/Continue), //action:resumed + prompt Resuming/Dismiss, ok.
import type { Cmd } from '../command-queue.js';
import type { Firmware } from '../firmware.js';
import { BUSY_PAUSED_FOR_USER, BUSY_PROCESSING } from '../reporters.js';
import type { Handler, HandlerTable } from './handler.js';

/** Retract + park + unload, and load + purge, at speed 1 (ms). */
const PARK_UNLOAD_MS = 8000;
const LOAD_PURGE_MS = 6000;

function waitForUser(fw: Firmware, cmd: Cmd, timeoutMs: number, then: () => boolean): boolean {
  fw.pausedForUser = true;
  fw.keepalive.set(BUSY_PAUSED_FOR_USER);
  return fw.waits.user(cmd, timeoutMs, () => {
    fw.pausedForUser = false;
    fw.keepalive.set(BUSY_PROCESSING);
    return then();
  });
}

/** M0 / M1 [P<ms> | S<s>] [message]: stop until the user continues (or the time passes). */
const stop: Handler = (fw, cmd, w) => {
  const ms = w.has('P') ? w.get('P', 0) : w.has('S') ? w.get('S', 0) * 1000 : 0;
  const text = w.args();
  return fw.waits.sync(cmd, () => {
    if (text && !/^[PS]-?\d/i.test(text)) fw.emit(`echo:${text}`);
    fw.host.prompt(w.code === 1 ? 'M1 Stop' : 'M0 Stop', ['Continue']);
    return waitForUser(fw, cmd, fw.scaled(ms), () => {
      fw.host.promptEnd();
      return true;
    });
  });
};

/** After the user: load and purge (no wait for the PurgeMore/Continue answer), resume, done. */
function loadAndResume(fw: Firmware, cmd: Cmd): boolean {
  fw.host.prompt('Paused', ['PurgeMore', 'Continue']);
  return fw.waits.delay(cmd, fw.scaled(LOAD_PURGE_MS), () => {
    fw.host.promptEnd();
    fw.host.action('resumed');
    fw.host.prompt('Resuming', ['Dismiss']);
    fw.pauseInProgress = false;
    return true;
  });
}

const filamentChange: Handler = (fw, cmd) => {
  fw.pauseInProgress = true;
  // pause_print(): announce first, then let the buffered moves finish, then park and unload.
  fw.host.action('paused');
  fw.host.prompt('Pause', ['Dismiss']);
  const parked = (): boolean => {
    fw.emit(fw.opt.emergencyParser ? 'echo:Insert filament and send M108' : 'echo:Insert filament and press button');
    fw.host.prompt('Nozzle Parked', ['Continue']);
    return waitForUser(fw, cmd, 0, () => loadAndResume(fw, cmd));
  };
  return fw.waits.sync(cmd, () => fw.waits.delay(cmd, fw.scaled(PARK_UNLOAD_MS), parked));
};

/**
 * A filament runout with the default FILAMENT_RUNOUT_SCRIPT "M600": prompt, the
 * `paused filament_runout <tool>` action, then M600 runs ahead of the queue.
 */
export function filamentRunout(fw: Firmware): void {
  if (!fw.alive || fw.pauseInProgress) return;
  fw.host.prompt(`FilamentRunout T${fw.activeTool}`, []);
  fw.host.action(`paused filament_runout ${fw.activeTool}`);
  fw.pauseInProgress = true;
  fw.inject('M600');
}

export const pauseHandlers: HandlerTable = {
  M0: stop,
  M1: stop,
  M108: (fw) => (fw.waits.releaseAll(), true),
  M112: (fw) => (fw.kill(['echo:M112 Shutdown']), false),
  M600: filamentChange,
  M876: (fw, _cmd, w) => {
    if (w.has('S')) fw.waits.releaseUser();
    return true;
  },
};
