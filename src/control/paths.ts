// Where a running octoslack leaves its lock file and control socket, and the file-name key of a
// port. Two names of one device (/dev/serial/by-id/usb-… and /dev/ttyUSB0) must give one key, or
// two octoslack could open the same printer; and the folder must be private to the user, because
// whoever can reach the control socket can pause or cancel the print.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, chmodSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../util/errors.js';

/** Unix socket paths longer than this are silently truncated by the kernel (sun_path is 108 bytes). */
export const MAX_SOCKET_PATH_BYTES = 104;

/** `$XDG_RUNTIME_DIR/octoslack`, else `$TMPDIR/octoslack-<uid>` (per user, since /tmp is shared). */
export function defaultRuntimeDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env['XDG_RUNTIME_DIR'];
  // The XDG spec says a relative path is invalid and must be ignored.
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'octoslack');
  const tmp = env['TMPDIR'] && path.isAbsolute(env['TMPDIR']) ? env['TMPDIR'] : os.tmpdir();
  return path.join(tmp, `octoslack-${currentUid() ?? os.userInfo().username}`);
}

export function isSimPort(port: string): boolean {
  return port.trim().startsWith('sim://');
}

/**
 * The device a port string names: symlinks resolved (udev's by-id links), relative paths made
 * absolute. A port that does not exist (yet) is kept as written, made absolute.
 */
export function canonicalPort(port: string): string {
  const p = port.trim();
  if (isSimPort(p) || !p.includes('/')) return p;
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * File-name key of a canonical port: `/dev/ttyUSB0` -> `dev-ttyUSB0`. When that mapping could
 * confuse two ports (a `-` or an odd character in the name) or is long, a short hash is added.
 */
export function portKey(canonical: string): string {
  const readable = canonical.replace(/^\/+/, '').replace(/\//g, '-').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  const lossy = /[^A-Za-z0-9._/]/.test(canonical.replace(/^\/+/, '')) || readable.length > 40;
  if (!lossy && readable.length > 0) return readable;
  const hash = createHash('sha256').update(canonical).digest('hex').slice(0, 8);
  return `${readable.slice(0, 40)}-${hash}`;
}

/**
 * Create `dir` (mode 0700) or check an existing one: a real directory, ours, private. A folder in
 * a shared /tmp that someone else made could let them read or replace our sockets: refuse it.
 */
export function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`cannot create ${dir} for the port lock and control socket (${code}); set XDG_RUNTIME_DIR to a folder of yours`, 'RUNTIME_DIR', { cause: err });
  }
  const st = lstatSync(dir);
  if (!st.isDirectory()) {
    throw new UsageError(`${dir} is not a directory (a symlink or a file); octoslack keeps its port locks and control sockets there: remove it`, 'RUNTIME_DIR_UNSAFE');
  }
  const uid = currentUid();
  if (uid !== undefined && st.uid !== uid) {
    throw new UsageError(`${dir} belongs to another user (uid ${st.uid}); octoslack will not keep its control socket there: remove it, or set XDG_RUNTIME_DIR`, 'RUNTIME_DIR_UNSAFE');
  }
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

export function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}
