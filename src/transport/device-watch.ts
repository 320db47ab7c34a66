// Backstop for unplug detection. On Linux, serialport emits no `close` when a USB adapter is
// pulled: the tty is hung up and reads return 0 bytes, which the binding retries forever (a busy
// loop, but no error). What does change at once is the device node: udev (or devtmpfs) removes
// /dev/ttyUSB0, and a re-plugged board gets a new node. So we poll the path: gone, or now a
// different device (another inode or device number), means the printer we opened is gone.
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';

export const DEFAULT_POLL_MS = 500;

/** Identity of a device node: what must stay the same while our port is the one at `path`. */
export interface NodeIdentity {
  ino: number;
  rdev: number;
}

export function identityOf(s: Stats): NodeIdentity {
  return { ino: s.ino, rdev: s.rdev };
}

export interface DeviceWatch {
  stop(): void;
}

/**
 * Poll `path` every `intervalMs`; call `onGone(reason)` once when it no longer names the device we
 * opened. Errors other than "missing" (EACCES on a parent directory, say) are not a disconnect.
 * The timer is unref'd: an open port keeps the process alive, the watch must not.
 */
export function watchDevice(
  path: string,
  opened: NodeIdentity,
  onGone: (reason: string) => void,
  intervalMs = DEFAULT_POLL_MS,
): DeviceWatch {
  let stopped = false;
  let busy = false;
  const check = async (): Promise<void> => {
    if (busy || stopped) return;
    busy = true;
    try {
      const now = await stat(path);
      if (!stopped && (now.ino !== opened.ino || now.rdev !== opened.rdev)) {
        stop();
        onGone(`${path} now names a different device`);
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!stopped && (code === 'ENOENT' || code === 'ENODEV' || code === 'ENXIO')) {
        stop();
        onGone(`${path} disappeared`);
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  const stop = (): void => {
    stopped = true;
    clearInterval(timer);
  };
  return { stop };
}
