// Which octoslack are running, found from their lock files: `status`, `pause`, `resume` and
// `cancel` talk to one of them instead of opening the port (which would reset the printer).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../util/errors.js';
import { isProcessAlive } from './liveness.js';
import { canonicalPort, isSimPort } from './paths.js';
import { readLockFile, type LockInfo } from './port-lock.js';

export interface RunningInstance extends LockInfo {
  lockFile: string;
}

/**
 * Live instances, oldest first. With `port`, only the one on that port (any name of the device;
 * `auto` matches every instance). Stale lock files are skipped, not removed: taking them over is
 * the lock's job.
 */
export function findRunningInstances(opts: { runtimeDir: string; port?: string }): RunningInstance[] {
  let names: string[];
  try {
    names = readdirSync(opts.runtimeDir);
  } catch {
    return []; // no folder: nothing ever ran
  }
  const found: RunningInstance[] = [];
  for (const name of names) {
    if (!name.endsWith('.lock')) continue;
    const lockFile = path.join(opts.runtimeDir, name);
    const info = readLockFile(lockFile);
    if (!info || !isProcessAlive(info)) continue;
    if (opts.port !== undefined && !portMatches(info, opts.port)) continue;
    found.push({ ...info, lockFile });
  }
  return found.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

export function portMatches(info: LockInfo, port: string): boolean {
  const p = port.trim();
  if (p.toLowerCase() === 'auto') return true;
  if (isSimPort(p)) return info.port === p || info.requestedPort.trim() === p;
  return info.port === canonicalPort(p) || info.requestedPort === p;
}

/**
 * The one instance a command means: the one on `port`, or the only one running. Several and no
 * `--port`: a UsageError (exit 2) that lists them. None: undefined.
 */
export function pickInstance(instances: RunningInstance[], port: string | undefined): RunningInstance | undefined {
  const candidates = port === undefined ? instances : instances.filter((i) => portMatches(i, port));
  if (candidates.length <= 1) return candidates[0];
  const list = candidates.map((i) => `${i.requestedPort} (pid ${i.pid}, ${i.command})`).join(', ');
  throw new UsageError(`${candidates.length} octoslack are running: ${list}; say which with --port`, 'SEVERAL_INSTANCES');
}
