// The per-port lock: one octoslack per serial port, since opening a port resets most printers.
// A second process is refused with the holder's pid and command; a lock whose process is gone
// (kill -9, crash, reboot) is taken over; locks and folders are private to the user.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquirePortLock, lockTargetFor, readLockFile, type PortLock } from '../../src/control/port-lock.js';
import { defaultRuntimeDir, portKey } from '../../src/control/paths.js';
import { processStartTime } from '../../src/control/liveness.js';
import { PortError, UsageError } from '../../src/util/errors.js';
import { cleanupTempDirs, deadPid, spawnLockHolder, tempDir, type LockHolder } from './helpers.js';

const held: PortLock[] = [];
const children: LockHolder[] = [];
afterEach(async () => {
  for (const l of held.splice(0)) l.release();
  for (const c of children.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await c.exited;
  }
  cleanupTempDirs();
});

function lock(port: string, runtimeDir: string, command = 'print'): PortLock {
  const l = acquirePortLock(port, { runtimeDir, command, file: 'cube.gcode' });
  held.push(l);
  return l;
}

const mode = (p: string) => statSync(p).mode & 0o777;

describe('acquiring and releasing', () => {
  it('creates <runtime>/<port>.lock (0600, folder 0700) with pid, port, start time and socket', () => {
    const runtime = path.join(tempDir(), 'octoslack');
    const l = lock('/dev/ttyUSB0', runtime);
    expect(l.lockFile).toBe(path.join(runtime, 'dev-ttyUSB0.lock'));
    expect(mode(runtime)).toBe(0o700);
    expect(mode(l.lockFile)).toBe(0o600);
    const info = JSON.parse(readFileSync(l.lockFile, 'utf8'));
    expect(info).toMatchObject({ pid: process.pid, port: '/dev/ttyUSB0', requestedPort: '/dev/ttyUSB0', command: 'print', file: 'cube.gcode', socket: path.join(runtime, 'dev-ttyUSB0.sock') });
    expect(Date.parse(info.startedAt)).toBeGreaterThan(Date.now() - 60_000);
    // Written in full under a temporary name and linked: nothing else is left in the folder.
    expect(readdirSync(runtime)).toEqual(['dev-ttyUSB0.lock']);
  });

  it('release removes the file, is idempotent, and the port can be locked again', () => {
    const runtime = tempDir();
    const l = lock('/dev/ttyUSB0', runtime);
    l.release();
    l.release();
    expect(existsSync(l.lockFile)).toBe(false);
    expect(lock('/dev/ttyUSB0', runtime).lockFile).toBe(l.lockFile);
  });

  it('release leaves alone a lock that is no longer its own', () => {
    const runtime = tempDir();
    const l = lock('/dev/ttyUSB0', runtime);
    const other = { ...l.info, token: 'someone-else' };
    writeFileSync(l.lockFile, JSON.stringify(other));
    l.release();
    expect(readLockFile(l.lockFile)?.token).toBe('someone-else');
  });

  it('tightens a runtime folder that others can read, and refuses one that is a symlink', () => {
    const base = tempDir();
    const loose = path.join(base, 'loose');
    mkdirSync(loose, { mode: 0o755 });
    chmodSync(loose, 0o755);
    lock('/dev/ttyUSB0', loose);
    expect(mode(loose)).toBe(0o700);
    const link = path.join(base, 'link');
    symlinkSync(loose, link);
    expect(() => acquirePortLock('/dev/ttyUSB1', { runtimeDir: link, command: 'print' })).toThrow(UsageError);
  });
});

describe('a port held by another octoslack', () => {
  it('is refused with exit 3, naming the holder and pointing at status/pause/cancel', async () => {
    const runtime = tempDir();
    const holder = await spawnLockHolder(runtime, '/dev/ttyUSB0', 'watch');
    children.push(holder);
    expect(holder.output()).toBe('locked\n');
    let err: unknown;
    try {
      lock('/dev/ttyUSB0', runtime);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PortError);
    expect(err).toMatchObject({ code: 'PORT_LOCKED', exitCode: 3 });
    const msg = (err as Error).message;
    expect(msg).toMatch(new RegExp(`^/dev/ttyUSB0 is in use by another octoslack \\(pid ${holder.pid}, running \`watch\` since \\d\\d:\\d\\d\\)`));
    expect(msg).toContain('use `octoslack status` / `pause` / `cancel`, which talk to it without resetting the printer');
  });

  it('is refused under another name of the same device (a by-id symlink)', async () => {
    const runtime = tempDir();
    const devDir = tempDir();
    const device = path.join(devDir, 'ttyUSB7');
    writeFileSync(device, '');
    const byId = path.join(devDir, 'usb-1a86_USB_Serial-if00-port0');
    symlinkSync(device, byId);
    const holder = await spawnLockHolder(runtime, byId);
    children.push(holder);
    expect(holder.output()).toBe('locked\n');
    expect(() => lock(device, runtime)).toThrow(/in use by another octoslack/);
  });

  it('is released when the holder exits normally (SIGTERM handled, process.exit)', async () => {
    const runtime = tempDir();
    const holder = await spawnLockHolder(runtime, '/dev/ttyUSB0');
    children.push(holder);
    holder.child.kill('SIGTERM');
    expect(await holder.exited).toBe(0);
    expect(readdirSync(runtime)).toEqual([]);
  });

  it('is taken over when the holder was killed (kill -9 leaves a stale lock)', async () => {
    const runtime = tempDir();
    const holder = await spawnLockHolder(runtime, '/dev/ttyUSB0');
    children.push(holder);
    holder.child.kill('SIGKILL');
    await holder.exited;
    const file = path.join(runtime, 'dev-ttyUSB0.lock');
    expect(readLockFile(file)?.pid).toBe(holder.pid);
    const l = lock('/dev/ttyUSB0', runtime);
    expect(readLockFile(file)).toMatchObject({ pid: process.pid, token: l.info.token });
  });

  it('a second process is refused while this one holds it', async () => {
    const runtime = tempDir();
    lock('/dev/ttyUSB0', runtime);
    const second = await spawnLockHolder(runtime, '/dev/ttyUSB0');
    children.push(second);
    expect(await second.exited).toBe(3);
    expect(second.output()).toMatch(new RegExp(`refused: /dev/ttyUSB0 is in use by another octoslack \\(pid ${process.pid}, running \`print cube.gcode\``));
  });
});

describe('stale locks', () => {
  it('takes over a lock whose pid is gone', async () => {
    const runtime = tempDir();
    const file = path.join(runtime, 'dev-ttyUSB0.lock');
    writeFileSync(file, JSON.stringify({ pid: await deadPid(), port: '/dev/ttyUSB0', requestedPort: '/dev/ttyUSB0', command: 'watch', startedAt: new Date().toISOString(), token: 'old' }));
    lock('/dev/ttyUSB0', runtime);
    expect(readLockFile(file)?.pid).toBe(process.pid);
  });

  it.runIf(processStartTime(process.pid) !== undefined)('takes over a lock whose pid now belongs to another process (pid reused after a reboot)', () => {
    const runtime = tempDir();
    const file = path.join(runtime, 'dev-ttyUSB0.lock');
    // Our own pid, alive, but with a start time that is not ours: the writer was another process.
    writeFileSync(file, JSON.stringify({ pid: process.pid, procStart: '1', port: '/dev/ttyUSB0', requestedPort: '/dev/ttyUSB0', command: 'watch', startedAt: '2020-01-01T00:00:00Z', token: 'old' }));
    lock('/dev/ttyUSB0', runtime);
    expect(readLockFile(file)?.token).not.toBe('old');
  });

  it('takes over a lock file that is not a lock (garbage, empty)', () => {
    const runtime = tempDir();
    const file = path.join(runtime, 'dev-ttyUSB0.lock');
    writeFileSync(file, '');
    lock('/dev/ttyUSB0', runtime);
    expect(readLockFile(file)?.pid).toBe(process.pid);
  });
});

describe('sim:// ports', () => {
  it('never refuse: each virtual printer is its own, the lock only registers the instance', () => {
    const runtime = tempDir();
    const a = lock('sim://?speed=5', runtime);
    const b = lock('sim://?speed=5', runtime);
    expect(a.lockFile).not.toBe(b.lockFile);
    expect(a.port).toBe('sim://?speed=5');
    expect(path.basename(a.lockFile)).toMatch(/^sim-\d+-[0-9a-f]+\.lock$/);
  });
});

describe('names', () => {
  it('port keys are readable, and hashed where the mapping could confuse two ports', () => {
    expect(portKey('/dev/ttyUSB0')).toBe('dev-ttyUSB0');
    expect(portKey('/dev/ttyACM1')).toBe('dev-ttyACM1');
    expect(portKey('/dev/a-b')).not.toBe(portKey('/dev/a/b'));
    expect(portKey('/dev/serial/by-id/usb-Prusa_Research__prusa3d.com__Original_Prusa_i3_MK3_CZPX-if00')).toMatch(/^.{1,40}-[0-9a-f]{8}$/);
  });

  it('--port auto locks the device the transport picked', () => {
    expect(lockTargetFor('auto', '/dev/ttyACM0 @ 115200')).toBe('/dev/ttyACM0');
    expect(lockTargetFor('/dev/ttyUSB0', '/dev/ttyUSB0 @ 250000')).toBe('/dev/ttyUSB0');
  });

  it('runtime folder: $XDG_RUNTIME_DIR/octoslack, else $TMPDIR/octoslack-<uid>', () => {
    expect(defaultRuntimeDir({ XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/octoslack');
    const uid = process.getuid?.();
    expect(defaultRuntimeDir({ TMPDIR: '/var/tmp' })).toBe(`/var/tmp/octoslack-${uid}`);
    expect(defaultRuntimeDir({ XDG_RUNTIME_DIR: 'relative', TMPDIR: '/var/tmp' })).toBe(`/var/tmp/octoslack-${uid}`);
  });
});
