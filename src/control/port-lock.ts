// One octoslack per serial port. Opening a port resets most printers (DTR pulse), so a second
// octoslack opening a port another one prints on would kill the print. Before opening, `print`,
// `watch` and a port-opening `status` take this lock; others find the holder here and talk to it
// over its control socket instead.
//
// The lock is a small JSON file created atomically: written in full under a temporary name, then
// hard-linked to its final name (link fails if the name exists), so a reader never sees half a
// lock. A lock whose process is gone (crash, kill -9, reboot) is stale and taken over.
import { randomBytes } from 'node:crypto';
import { linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { PortError } from '../util/errors.js';
import { currentProcessIdentity, isProcessAlive, type ProcessIdentity } from './liveness.js';
import { canonicalPort, ensurePrivateDir, isSimPort, portKey } from './paths.js';

/** What a lock file holds. */
export interface LockInfo extends ProcessIdentity {
  /** The device (symlinks resolved), or the sim:// URL. */
  port: string;
  /** The port as the user wrote it. */
  requestedPort: string;
  /** The command holding it: print, watch, status. */
  command: string;
  /** The file being printed (base name), for `print`. */
  file?: string;
  /** ISO time the holder started. */
  startedAt: string;
  /** Its control socket, when it serves one (`status` opening the port does not). */
  socket?: string;
  /** Tells this process's own lock from one it would take over. */
  token: string;
}

export interface AcquireOptions {
  /** From defaultRuntimeDir(); tests give a temp dir. */
  runtimeDir: string;
  /** print | watch | status (shown to a second octoslack). */
  command: string;
  file?: string;
  /** Serve a control socket next to the lock (default true). */
  serve?: boolean;
}

export class PortLock {
  private released = false;
  private readonly onExit = () => this.release();

  constructor(readonly info: LockInfo, readonly lockFile: string) {
    // process.exit() (the launcher's way out) runs 'exit' listeners synchronously: release there too.
    process.once('exit', this.onExit);
  }

  /** The canonical port (device path or sim:// URL), for the journal and messages. */
  get port(): string {
    return this.info.port;
  }

  /** Where the control socket goes (undefined for a lock that serves none). */
  get socketPath(): string | undefined {
    return this.info.socket;
  }

  /** Idempotent and synchronous, so it is safe from 'exit' and signal paths. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.off('exit', this.onExit);
    // Remove the file only while it is still ours: a stale-lock takeover may have replaced it.
    if (readLockFile(this.lockFile)?.token === this.info.token) removeQuietly(this.lockFile);
  }
}

/**
 * Take the lock for `port` (`/dev/ttyUSB0`; resolve `auto` first, see lockTargetFor). Throws a
 * PortError (exit 3) naming the holder when another live octoslack has it. `sim://` ports are
 * never shared, so their lock only registers the instance (for `status`) and never refuses.
 */
export function acquirePortLock(port: string, opts: AcquireOptions): PortLock {
  ensurePrivateDir(opts.runtimeDir);
  const canonical = canonicalPort(port);
  const sim = isSimPort(canonical);
  const key = sim ? `sim-${process.pid}-${randomBytes(3).toString('hex')}` : portKey(canonical);
  const lockFile = path.join(opts.runtimeDir, `${key}.lock`);
  const info: LockInfo = {
    ...currentProcessIdentity(),
    port: canonical,
    requestedPort: port,
    command: opts.command,
    ...(opts.file !== undefined ? { file: opts.file } : {}),
    startedAt: new Date().toISOString(),
    ...(opts.serve === false ? {} : { socket: path.join(opts.runtimeDir, `${key}.sock`) }),
    token: randomBytes(8).toString('hex'),
  };
  const text = `${JSON.stringify(info)}\n`;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (createExclusive(lockFile, text)) return new PortLock(info, lockFile);
    const holder = readLockFile(lockFile);
    if (holder && isProcessAlive(holder)) throw new PortError('PORT_LOCKED', inUseMessage(port, holder));
    removeStale(lockFile, holder);
  }
  throw new PortError('PORT_LOCKED', `${port} is locked by ${lockFile}, which could not be taken over; remove it if no octoslack is running`);
}

/** Parse a lock file; undefined when missing or not a lock (a stale or foreign file). */
export function readLockFile(file: string): LockInfo | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v !== 'object' || v === null || typeof v.pid !== 'number' || typeof v.port !== 'string' || typeof v.token !== 'string') return undefined;
    return {
      ...(v as LockInfo),
      requestedPort: typeof v.requestedPort === 'string' ? v.requestedPort : v.port,
      command: typeof v.command === 'string' ? v.command : 'octoslack',
      startedAt: typeof v.startedAt === 'string' ? v.startedAt : '',
    };
  } catch {
    return undefined;
  }
}

/**
 * For `--port auto` the device is known only once the transport is built: lock the path it chose.
 * `transportDescription` is the session's portName ("/dev/ttyUSB0 @ 115200").
 */
export function lockTargetFor(requestedPort: string, transportDescription: string): string {
  if (isLockTargetKnown(requestedPort)) return requestedPort;
  return transportDescription.replace(/ @ \d+$/, '');
}

/** False for `auto`: lock only once the transport has picked the device (lockTargetFor). */
export function isLockTargetKnown(requestedPort: string): boolean {
  return requestedPort.trim().toLowerCase() !== 'auto';
}

export function inUseMessage(port: string, holder: LockInfo): string {
  const what = holder.command === 'print' && holder.file ? `\`print ${holder.file}\`` : `\`${holder.command}\``;
  const since = holder.startedAt ? ` since ${formatSince(holder.startedAt)}` : '';
  return (
    `${port} is in use by another octoslack (pid ${holder.pid}, running ${what}${since}); ` +
    'use `octoslack status` / `pause` / `cancel`, which talk to it without resetting the printer'
  );
}

function formatSince(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.toDateString() === now.toDateString() ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/** Create `file` with `text` only if it does not exist. False when it exists. */
function createExclusive(file: string, text: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeNew(tmp, text);
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: O_EXCL alone (a reader may briefly see an empty file).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') return createWithExcl(file, text);
    throw lockError(file, err);
  } finally {
    removeQuietly(tmp);
  }
}

function createWithExcl(file: string, text: string): boolean {
  try {
    writeNew(file, text);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw lockError(file, err);
  }
}

function writeNew(file: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw err;
    throw lockError(file, err);
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * Remove a stale lock without removing a fresh one that a racing octoslack just made: move it
 * aside under a unique name, check it is the stale one we judged, and put it back if not.
 */
function removeStale(lockFile: string, judged: LockInfo | undefined): void {
  const aside = `${lockFile}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    renameSync(lockFile, aside);
  } catch {
    return; // gone already: someone else removed it; try again
  }
  const moved = readLockFile(aside);
  if (moved && moved.token !== judged?.token) {
    try {
      linkSync(aside, lockFile);
    } catch {
      // A third process took the name meanwhile; it holds the lock now.
    }
  }
  removeQuietly(aside);
}

function lockError(file: string, err: unknown): PortError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return new PortError('PORT_LOCK_FAILED', `cannot create the port lock ${file} (${code})`, { cause: err });
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
