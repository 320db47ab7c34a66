// SerialTransport against real pseudo-terminals (socat): framing, decoding, errors at open, and
// an "unplug" (socat killed) turning into onClose(DisconnectedError) within 2 s.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SerialTransport } from '../../src/transport/serial-transport.js';
import { DisconnectedError, PortError } from '../../src/util/errors.js';
import { openPeer, startPtyPair, waitFor, type Peer, type PtyPair } from './pty-pair.js';

let pair: PtyPair;
let peer: Peer | undefined;
let transport: SerialTransport | undefined;
let lines: string[];
let closes: Array<DisconnectedError | undefined>;

beforeEach(async () => {
  pair = await startPtyPair();
  lines = [];
  closes = [];
});

afterEach(async () => {
  await transport?.close();
  await peer?.close();
  transport = undefined;
  peer = undefined;
  await pair.cleanup();
});

async function openBoth(opts: { lowLatency?: boolean } = {}): Promise<SerialTransport> {
  const t = new SerialTransport({ path: pair.a, baudRate: 115200, ...opts });
  t.onLine((l) => lines.push(l));
  t.onClose((e) => closes.push(e));
  await t.open();
  transport = t;
  peer = await openPeer(pair.b);
  return t;
}

const settle = (ms = 60): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('SerialTransport over a pty', () => {
  it('writes lines with \\n and hands the bytes to the OS in order', async () => {
    const t = await openBoth();
    expect(t.description).toBe(`${pair.a} @ 115200`);
    const sent = Array.from({ length: 500 }, (_, i) => `N${i} G1 X${i}.5 Y${i}*${i % 256}`);
    await Promise.all(sent.map((l) => t.writeLine(l)));
    const expected = sent.join('\n') + '\n';
    await waitFor(() => peer!.received().length >= expected.length, 3000, () => 'peer did not receive every line');
    expect(peer!.received().toString()).toBe(expected);
  });

  it('receives lines, strips \\r and NUL, skips lines left empty', async () => {
    await openBoth();
    await peer!.write('ok T:21.5 /0.0\r\n\0\0start\r\n\r\n\0\r\necho:SD card ok\n');
    await waitFor(() => lines.length >= 3, 2000, () => `lines: ${JSON.stringify(lines)}`);
    await settle();
    expect(lines).toEqual(['ok T:21.5 /0.0', 'start', 'echo:SD card ok']);
  });

  it('decodes UTF-8, and Latin-1 when a line is not valid UTF-8', async () => {
    await openBoth();
    await peer!.write(Buffer.concat([Buffer.from('echo:Caf\u00e9 \u2713\n', 'utf8'), Buffer.from([0x54, 0x3a, 0x32, 0x35, 0xb0, 0x43, 0xff, 0x0a])]));
    await waitFor(() => lines.length >= 2, 2000, () => `lines: ${JSON.stringify(lines)}`);
    expect(lines).toEqual(['echo:Caf\u00e9 \u2713', 'T:25\u00b0C\u00ff']);
  });

  it('never emits a partial line: a line split across reads arrives whole', async () => {
    await openBoth();
    await peer!.write('o');
    await settle();
    expect(lines).toEqual([]);
    await peer!.write('k\nech');
    await waitFor(() => lines.length >= 1, 2000, () => 'no line');
    await settle();
    expect(lines).toEqual(['ok']);
    await peer!.write(Buffer.from([0x6f, 0x3a, 0xc3])); // "o:" and half of "é"
    await settle();
    await peer!.write(Buffer.from([0xa9, 0x0a]));
    await waitFor(() => lines.length >= 2, 2000, () => 'no second line');
    expect(lines).toEqual(['ok', 'echo:\u00e9']);
  });

  it('cuts a runaway line at 64 KiB without losing bytes', async () => {
    await openBoth();
    const long = 'x'.repeat(100 * 1024);
    await peer!.write(long + '\nok\n');
    await waitFor(() => lines.includes('ok'), 3000, () => `got ${lines.length} lines`);
    expect(lines.map((l) => l.length)).toEqual([64 * 1024, 36 * 1024, 2]);
    expect(lines.slice(0, 2).join('')).toBe(long);
  });

  it('close() fires onClose without an error, drops a buffered partial line, is idempotent', async () => {
    const t = await openBoth();
    await peer!.write('partial');
    await settle();
    await t.close();
    await t.close();
    await settle();
    expect(closes).toEqual([undefined]);
    expect(lines).toEqual([]);
    expect(t.isOpen).toBe(false);
    await expect(t.writeLine('M105')).rejects.toBeInstanceOf(DisconnectedError);
  });

  it('an unplug (socat killed) becomes onClose(DisconnectedError) within 2 s, partial line dropped', async () => {
    const t = await openBoth();
    await peer!.write('ok\nhalf a li');
    await waitFor(() => lines.length >= 1, 2000, () => 'no line');
    const t0 = performance.now();
    await pair.kill('SIGKILL');
    await waitFor(() => closes.length > 0, 2000, () => 'no onClose within 2 s');
    const ms = performance.now() - t0;
    console.info(`disconnect detected ${ms.toFixed(1)} ms after socat was killed: ${closes[0]?.message}`);
    expect(ms).toBeLessThan(2000);
    expect(closes).toHaveLength(1);
    const err = closes[0];
    expect(err).toBeInstanceOf(DisconnectedError);
    expect(err?.exitCode).toBe(3);
    expect(err?.message).toContain(pair.a);
    await settle(100);
    expect(lines).toEqual(['ok']);
    expect(closes).toHaveLength(1);
    await expect(t.writeLine('M105')).rejects.toBeInstanceOf(DisconnectedError);
    await t.close(); // after a disconnect: resolves, no second onClose
    expect(closes).toHaveLength(1);
  });

  // The backstop for a USB unplug that the binding never reports (reads return 0 forever):
  // udev removes the node. Removing our symlink to the pty does the same while the pty stays up.
  it('the device node disappearing is a disconnect within 2 s, though the port itself still works', async () => {
    await openBoth();
    const t0 = performance.now();
    await rm(pair.a);
    await waitFor(() => closes.length > 0, 2000, () => 'no onClose within 2 s');
    const ms = performance.now() - t0;
    console.info(`node removal detected after ${ms.toFixed(1)} ms (poll every 500 ms)`);
    expect(ms).toBeLessThan(2000);
    expect(closes[0]).toBeInstanceOf(DisconnectedError);
    expect(closes[0]?.message).toContain('disappeared');
  });

  it('the path naming a different device (board re-plugged) is a disconnect', async () => {
    await openBoth();
    const other = join(pair.dir, 'other');
    await symlink(pair.b, other);
    await rename(other, pair.a);
    await waitFor(() => closes.length > 0, 2000, () => 'no onClose within 2 s');
    expect(closes[0]?.message).toContain('now names a different device');
  });

  it('can be opened again after close(); a partial line from before is gone', async () => {
    const t = await openBoth();
    await peer!.write('stale');
    await settle();
    await t.close();
    await t.open();
    await peer!.write('ok\n');
    await waitFor(() => lines.length >= 1, 2000, () => 'no line after reopen');
    expect(lines).toEqual(['ok']);
  });

  it('close() during open() waits for the open, then closes; a second open() meanwhile is refused', async () => {
    const t = new SerialTransport({ path: pair.a, baudRate: 115200 });
    t.onClose((e) => closes.push(e));
    const opening = t.open();
    await expect(t.open()).rejects.toThrow(/already opening/);
    await t.close();
    await opening;
    expect(t.isOpen).toBe(false);
    expect(closes).toEqual([undefined]);
  });

  it('refuses a line with a newline inside (it would break line numbering)', async () => {
    const t = await openBoth();
    await expect(t.writeLine('G28\nM105')).rejects.toThrow(/contains a newline/);
    await settle();
    expect(peer!.received().length).toBe(0);
  });

  it('asks for low latency and reports that a pty refuses it, yet opens', async () => {
    const t = await openBoth({ lowLatency: true });
    expect(t.isOpen).toBe(true);
    expect(t.lowLatencyActive).toBe(false);
    expect(t.lowLatencyError).toMatch(/Inappropriate ioctl/);
  });
});

describe('SerialTransport.open errors', () => {
  async function openError(path: string): Promise<PortError> {
    const t = new SerialTransport({ path, baudRate: 115200 });
    const err = await t.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PortError);
    expect(t.isOpen).toBe(false);
    return err as PortError;
  }

  it('a missing path: no such port, exit 3', async () => {
    const err = await openError(join(pair.dir, 'ttyUSB9'));
    expect(err.exitCode).toBe(3);
    expect(err.code).toBe('PORT_NOT_FOUND');
    expect(err.message).toMatch(/^no such port .*ttyUSB9 \(is the printer plugged in.*octoslack ports/);
  });

  it('a regular file: not a serial port', async () => {
    const file = join(pair.dir, 'notes.txt');
    await writeFile(file, 'hello');
    const err = await openError(file);
    expect(err.code).toBe('PORT_NOT_TTY');
    expect(err.message).toContain('is not a serial port');
  });

  it('a port already open (locked): the second open says it is in use, the first keeps working', async () => {
    const first = await openBoth();
    const err = await openError(pair.a);
    expect(err.code).toBe('PORT_BUSY');
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe(`${pair.a} is in use by another program (OctoPrint, Cura, screen, another octoslack?): close it and try again`);
    await peer!.write('ok\n');
    await waitFor(() => lines.length >= 1, 2000, () => 'first transport stopped receiving');
    expect(first.isOpen).toBe(true);
    expect(closes).toEqual([]);
  });
});
