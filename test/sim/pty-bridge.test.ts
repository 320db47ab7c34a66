// The virtual printer over a real pseudo-terminal made by socat: the host side here is plain
// Node (an fd opened on the link, read through tty.ReadStream). Real time, so kept short.
import { closeSync, constants, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tty from 'node:tty';
import { afterEach, describe, expect, it } from 'vitest';
import { type PtyBridgeHandle, runSimOnPty } from '../../src/sim/pty-bridge.js';

async function waitFor(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Open the pty like a serial host: read lines, write bytes, notice when it dies. */
function openHost(link: string): { lines: string[]; write(s: string): void; close(): void; closed: () => boolean } {
  const fd = openSync(link, constants.O_RDWR | constants.O_NOCTTY);
  const stream = new tty.ReadStream(fd);
  const lines: string[] = [];
  let partial = '';
  let closed = false;
  stream.setEncoding('latin1');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts.map((l) => l.replace(/\r$/, '')));
  });
  stream.on('error', () => (closed = true)); // EIO: the other side is gone
  stream.on('close', () => (closed = true));
  return {
    lines,
    write: (s) => void writeSync(fd, s),
    close: () => {
      stream.destroy(); // libuv reads through its own re-opened fd: close ours as well
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    },
    closed: () => closed,
  };
}

describe('runSimOnPty', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('serves the printer on a pty: banner on open, ok for M110; reconnects; unplug drops the host', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'octoslack-pty-'));
    dirs.push(dir);
    const link = path.join(dir, 'printer');
    const ac = new AbortController();
    let handle: PtyBridgeHandle | undefined;
    const log: string[] = [];
    const bridge = runSimOnPty({
      ptyPath: link,
      sim: { bootMs: 50 },
      signal: ac.signal,
      log: (s) => log.push(s),
      onReady: (h) => (handle = h),
      replugDelayMs: 50,
    });
    try {
      await waitFor(() => existsSync(link) && handle !== undefined, 'the pty link');
      const host = openHost(link);
      await waitFor(() => host.lines.includes('echo:SD card ok'), 'the boot banner');
      expect(host.lines.slice(0, 3)).toEqual(['start', 'PowerUp', 'Marlin 2.1.2.4']);
      host.write('N0 M110 N0*125\n');
      await waitFor(() => host.lines.includes('ok'), 'ok');
      host.close();

      // the next host gets a fresh pty on the same path, and the board resets on open
      await waitFor(() => !handle!.connected && existsSync(link), 'a new socat');
      const again = openHost(link);
      await waitFor(() => again.lines.includes('echo:SD card ok'), 'the second banner');
      expect(again.lines.slice(0, 2)).toEqual(['start', ' External Reset']);

      // pulling the cable: the host's pty dies under it
      await handle!.unplug();
      await waitFor(() => again.closed(), 'EIO on the host side');
      again.close();
      await waitFor(() => existsSync(link), 'the replugged pty');
    } finally {
      ac.abort();
      await bridge;
    }
    expect(existsSync(link)).toBe(false);
    expect(log).toContain(`pty ${link}: host connected`);
  });

  it('rejects with a PortError when socat cannot create the pty', async () => {
    await expect(runSimOnPty({ ptyPath: '/nonexistent-dir/octoslack/printer', sim: {} })).rejects.toThrow(
      /socat could not create the pty at \/nonexistent-dir\/octoslack\/printer/,
    );
  });

  it('rejects with a PortError when socat cannot be run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'octoslack-pty-'));
    dirs.push(dir);
    await expect(runSimOnPty({ ptyPath: path.join(dir, 'p'), sim: {}, socat: path.join(dir, 'no-such-socat') })).rejects.toThrow(
      /cannot run socat/,
    );
  });
});
