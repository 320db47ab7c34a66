// Is the process that wrote a lock file or journal still running? `kill(pid, 0)` alone is not
// enough on a Pi: after a reboot /tmp may survive while pids start over, so an unrelated process
// can hold the old pid. On Linux the boot id and the process's start time tell them apart.
import { readFileSync } from 'node:fs';

/** What identifies a process beyond its pid, recorded when a lock or journal is written. */
export interface ProcessIdentity {
  pid: number;
  /** Start time of the process in clock ticks since boot (/proc/<pid>/stat field 22). */
  procStart?: string;
  /** /proc/sys/kernel/random/boot_id at the time. */
  bootId?: string;
}

let cachedBootId: string | undefined | null = null;

export function bootId(): string | undefined {
  if (cachedBootId === null) cachedBootId = readTrimmed('/proc/sys/kernel/random/boot_id');
  return cachedBootId;
}

/** The start time of `pid` (Linux), or undefined where /proc is not there. */
export function processStartTime(pid: number): string | undefined {
  const stat = readTrimmed(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // Field 2 is the command name in parentheses and may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19]; // field 22 overall; the fields after ")" start at field 3
}

export function currentProcessIdentity(): ProcessIdentity {
  const id: ProcessIdentity = { pid: process.pid };
  const start = processStartTime(process.pid);
  if (start) id.procStart = start;
  const boot = bootId();
  if (boot) id.bootId = boot;
  return id;
}

/** True when the process that recorded `id` is still running. */
export function isProcessAlive(id: ProcessIdentity): boolean {
  // 0 and negative pids address process groups: never signal those, even with signal 0.
  if (!Number.isSafeInteger(id.pid) || id.pid <= 0) return false;
  try {
    process.kill(id.pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else, so it is alive (not ours to take over).
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const boot = bootId();
  if (id.bootId && boot && id.bootId !== boot) return false;
  if (id.procStart) {
    const now = processStartTime(id.pid);
    if (now !== undefined && now !== id.procStart) return false;
  }
  return true;
}

function readTrimmed(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
