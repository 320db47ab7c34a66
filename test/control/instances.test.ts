// Finding the running octoslack from their lock files: live ones only, matched by any name of
// the device; several without --port is a usage error that lists them.
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findRunningInstances, pickInstance } from '../../src/control/instances.js';
import { acquirePortLock, type PortLock } from '../../src/control/port-lock.js';
import { UsageError } from '../../src/util/errors.js';
import { cleanupTempDirs, deadPid, tempDir } from './helpers.js';

const held: PortLock[] = [];
afterEach(() => {
  for (const l of held.splice(0)) l.release();
  cleanupTempDirs();
});

function lock(port: string, runtimeDir: string, command = 'watch'): PortLock {
  const l = acquirePortLock(port, { runtimeDir, command });
  held.push(l);
  return l;
}

describe('findRunningInstances', () => {
  it('lists live instances with their socket, skips stale and garbage lock files', async () => {
    const runtime = tempDir();
    const a = lock('/dev/ttyUSB0', runtime, 'watch');
    const b = lock('sim://?speed=5', runtime, 'print');
    writeFileSync(path.join(runtime, 'dev-ttyUSB9.lock'), JSON.stringify({ pid: await deadPid(), port: '/dev/ttyUSB9', token: 't' }));
    writeFileSync(path.join(runtime, 'dev-ttyUSB8.lock'), 'not json');
    writeFileSync(path.join(runtime, 'notes.txt'), 'ignored');
    const found = findRunningInstances({ runtimeDir: runtime });
    expect(found.map((i) => i.port).sort()).toEqual(['/dev/ttyUSB0', 'sim://?speed=5']);
    expect(found.find((i) => i.port === '/dev/ttyUSB0')).toMatchObject({ pid: process.pid, command: 'watch', socket: a.socketPath, lockFile: a.lockFile });
    expect(found.find((i) => i.command === 'print')?.socket).toBe(b.socketPath);
  });

  it('no runtime folder: nothing is running', () => {
    expect(findRunningInstances({ runtimeDir: path.join(tempDir(), 'never-made') })).toEqual([]);
  });

  it('filters by port, under any name of the device; auto matches every one', () => {
    const runtime = tempDir();
    const devDir = tempDir();
    const device = path.join(devDir, 'ttyACM0');
    writeFileSync(device, '');
    const byId = path.join(devDir, 'usb-Prusa-if00');
    symlinkSync(device, byId);
    lock(byId, runtime);
    lock('/dev/ttyUSB0', runtime);
    expect(findRunningInstances({ runtimeDir: runtime, port: device }).map((i) => i.requestedPort)).toEqual([byId]);
    expect(findRunningInstances({ runtimeDir: runtime, port: '/dev/ttyUSB0' })).toHaveLength(1);
    expect(findRunningInstances({ runtimeDir: runtime, port: '/dev/ttyUSB3' })).toHaveLength(0);
    expect(findRunningInstances({ runtimeDir: runtime, port: 'auto' })).toHaveLength(2);
  });
});

describe('pickInstance', () => {
  it('the only one, the one on --port, none, or a usage error listing several', () => {
    const runtime = tempDir();
    lock('/dev/ttyUSB0', runtime);
    expect(pickInstance(findRunningInstances({ runtimeDir: runtime }), undefined)?.port).toBe('/dev/ttyUSB0');
    lock('/dev/ttyUSB1', runtime);
    const all = findRunningInstances({ runtimeDir: runtime });
    expect(pickInstance(all, '/dev/ttyUSB1')?.port).toBe('/dev/ttyUSB1');
    expect(pickInstance(all, '/dev/ttyUSB5')).toBeUndefined();
    expect(() => pickInstance(all, undefined)).toThrow(UsageError);
    expect(() => pickInstance(all, undefined)).toThrow(/2 octoslack are running: \/dev\/ttyUSB0 \(pid \d+, watch\), \/dev\/ttyUSB1 .*--port/);
    expect(pickInstance([], undefined)).toBeUndefined();
  });
});
