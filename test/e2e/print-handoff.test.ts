// `octoslack print` while `octoslack watch` holds the port: the file is handed to the watch (the
// port is never opened a second time, which would reset the printer), the watch prints and
// reports it, and the print command follows it to the end. Built CLI over a real pty: sim://
// ports never refuse a lock, so only a real device path exercises the hand-off.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendControlRequest } from '../../src/control/client.js';
import { findRunningInstances } from '../../src/control/instances.js';
import { defaultRuntimeDir } from '../../src/control/paths.js';
import { isolatedEnv, jsonEvents, runCli, startCli, startSimPty, type RunningCli, type SimPty } from '../helpers/cli.js';

let sim: SimPty;
let watch: RunningCli;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'octoslack-handoff-'));
  sim = await startSimPty('sim://?speed=100');
  watch = startCli(['watch', '--port', sim.path, '--json']);
  await watch.waitFor('"event":"Connected"');
}, 30_000);

afterAll(async () => {
  watch.child.kill('SIGTERM');
  await watch.done;
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The watch's events since `from` characters of its stdout. */
const eventsSince = (from: number) => jsonEvents(watch.stdout().slice(from));

/** The watch as `status` finds it: its lock file names the control socket. */
function watchSocket(): string {
  const found = findRunningInstances({ runtimeDir: defaultRuntimeDir(isolatedEnv()) }).find((i) => i.command === 'watch');
  expect(found?.socket).toBeDefined();
  return found!.socket!;
}

describe('print hands the file to the running watch', () => {
  it('prints through the watch and exits 0 when it is done', async () => {
    const from = watch.stdout().length;
    const r = await runCli(['print', 'gcode-fixtures/tiny-square.gcode', '--port', sim.path]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^handed to the running octoslack watch \(pid \d+\); following it — Ctrl-C stops following, not the print\n/);
    expect(r.stdout).toMatch(/tiny-square\.gcode: done · 100 %/);
    await watch.waitFor(/"event":"PrintDone"[^\n]*tiny-square/);
    const names = eventsSince(from).map((e) => e.event);
    // The watch's session stays: no reconnect, just the print.
    expect(names).not.toContain('Connecting');
    expect(names.indexOf('PrintStarted')).toBeGreaterThanOrEqual(0);
    expect(names.indexOf('PrintDone')).toBeGreaterThan(names.indexOf('PrintStarted'));
    expect(names).toContain('Progress');
  }, 30_000);

  it('refuses a second hand-off while one runs, and `cancel` stops the handed-off print', async () => {
    const from = watch.stdout().length;
    const first = startCli(['print', 'gcode-fixtures/cube-20mm.gcode', '--port', sim.path, '--json']);
    await watch.waitFor(/"event":"PrintStarted"[^\n]*cube-20mm/);
    await first.waitFor('"activity":"printing"');

    const second = await runCli(['print', 'gcode-fixtures/tiny-square.gcode', '--port', sim.path]);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/did not take tiny-square\.gcode: busy printing cube-20mm\.gcode/);

    const cancel = await runCli(['cancel', '--port', sim.path]);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toMatch(/cancelled \(by .+\); heaters off/);
    await watch.waitFor(/"event":"PrintCancelled"[^\n]*cube-20mm/);
    const r = await first.done;
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/cube-20mm\.gcode was cancelled/);
    // --json: the watch's status, one line per change, ending cancelled.
    const statuses = jsonEvents(r.stdout) as unknown as { activity: string; job?: { file: string } }[];
    expect(statuses.at(-1)).toMatchObject({ activity: 'cancelled', job: { file: 'cube-20mm.gcode' } });

    const names = eventsSince(from).map((e) => e.event);
    expect(names.filter((e) => e === 'PrintStarted')).toHaveLength(1); // the refused one never started
    expect(names).toContain('PrintCancelling');
    // The cancel sequence switched the heaters off (seen in the next temperature report).
    await expect.poll(async () => {
      const status = await runCli(['status', '--port', sim.path, '--json']);
      const heaters = (JSON.parse(status.stdout) as { heaters: Record<string, { target?: number }> }).heaters;
      return Object.values(heaters).map((h) => h.target ?? 0);
    }, { timeout: 10_000, interval: 500 }).toEqual([0, 0]);
    // And the watch goes on watching: the next hand-off prints.
    expect((await runCli(['print', 'gcode-fixtures/tiny-square.gcode', '--port', sim.path])).code).toBe(0);
  }, 60_000);

  it('a file that cannot be printed is refused with the scan\'s message; nothing is sent', async () => {
    const from = watch.stdout().length;
    const asDir = await runCli(['print', 'gcode-fixtures', '--port', sim.path]);
    expect(asDir.code).toBe(2);
    expect(asDir.stderr).toMatch(/is a directory/);
    const binary = path.join(dir, 'part.gcode');
    writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)));
    const bin = await runCli(['print', binary, '--port', sim.path]);
    expect(bin.code).toBe(2);
    expect(bin.stderr).toMatch(/binary/i);
    // The watch checks for itself too: asked over the socket directly, it answers with the scan's words.
    const socket = watchSocket();
    for (const file of [path.resolve('gcode-fixtures'), binary, path.join(dir, 'missing.gcode')]) {
      const answer = await sendControlRequest(socket, { op: 'print', by: 'test', file, cancelGcode: [], pauseGcode: [] });
      expect(answer).toMatchObject({ kind: 'result', op: 'print', ok: false, reason: 'bad-file' });
    }
    const relative = await sendControlRequest(socket, { op: 'print', by: 'test', file: 'gcode-fixtures/tiny-square.gcode', cancelGcode: [], pauseGcode: [] });
    expect(relative).toMatchObject({ kind: 'error', code: 'bad-request', message: expect.stringMatching(/absolute/) });
    expect(asDir.stdout + bin.stdout).not.toMatch(/handed to/);
    expect(eventsSince(from).map((e) => e.event)).not.toContain('PrintStarted');
  }, 30_000);
});

describe('a port held by `print`, not a watch', () => {
  it('keeps the refusal: another print is not handed over', async () => {
    const other = await startSimPty('sim://?speed=20');
    try {
      const printing = startCli(['print', 'gcode-fixtures/cube-20mm.gcode', '--port', other.path, '--json']);
      await printing.waitFor('"event":"PrintStarted"');
      const r = await runCli(['print', 'gcode-fixtures/tiny-square.gcode', '--port', other.path]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/in use by another octoslack \(pid \d+, running `print cube-20mm\.gcode`/);
      expect(r.stdout).not.toMatch(/handed to/);
      expect((await runCli(['cancel', '--port', other.path])).code).toBe(0);
      expect((await printing.done).code).toBe(4);
    } finally {
      await other.stop();
    }
  }, 60_000);
});
