// The watch's host-print slot (HostPrints) and the control around it (withHostPrint), on the
// in-process virtual printer and a virtual clock: a handed-over print starts, runs and ends;
// what cannot start now is refused with a reason (busy, offline, bad-file) and sends nothing;
// status shows the running print, then the ended one for a while; pause/resume/cancel act on the
// host print while it runs and on the SD card otherwise.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostPrints, RECENT_MS, type PrinterNow } from '../../src/app/host-print.js';
import type { ControlResult, PrinterControl } from '../../src/app/printer-control.js';
import { watchControl, withHostPrint } from '../../src/app/watch-control.js';
import type { PrintResult } from '../../src/control/protocol.js';
import { SdMonitor } from '../../src/session/sd-monitor.js';
import { createSimRig, fileCommands, fixture, type SimRig } from '../helpers/session-harness.js';

const tiny = fixture('tiny-square.gcode');
const cube = fixture('cube-20mm.gcode');
const opts = { cancelGcode: [], pauseGcode: [] };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'octoslack-host-print-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Slot {
  rig: SimRig;
  hosts: HostPrints;
  control: PrinterControl;
  /** What the slot is told about the printer; tests change it. */
  now: PrinterNow;
  /** The injectable wall clock of `recent()`. */
  clock: { t: number };
  warnings: string[];
  start(file: string): Promise<PrintResult>;
  /** Run a control command to its answer on the virtual clock. */
  command(c: (by: string) => Promise<ControlResult>): Promise<ControlResult>;
}

function slot(rig: SimRig, sd?: SdMonitor): Slot {
  const clock = { t: 1_000_000 };
  const warnings: string[] = [];
  const hosts = new HostPrints({
    printerName: 'Prusa',
    jobsDir: path.join(dir, 'jobs'),
    log: { debug: () => {}, warn: (m) => warnings.push(m) },
    now: () => clock.t,
  });
  const now: PrinterNow = { session: rig.session, sd, port: 'sim://test', stopping: false };
  const control = withHostPrint(watchControl('Prusa', () => now.session, () => now.sd), () => hosts);
  return {
    rig, hosts, control, now, clock, warnings,
    start: (file) => hosts.start(file, opts, 'ana@pi via shell', () => now),
    async command(c) {
      let answer: ControlResult | undefined;
      void c('ana').then((a) => { answer = a; });
      await rig.runUntil(() => answer !== undefined, 600_000);
      return answer!;
    },
  };
}

/** Run the host print in the slot to its end, journal included. */
async function toTheEnd(s: Slot): Promise<void> {
  const print = s.hosts.active!;
  expect(print).toBeDefined();
  await s.rig.runUntil(() => print.job.isFinished());
  await print.ended;
}

/** Lines the host wrote that carry a command of a G-code file (not polls or the handshake). */
function jobLines(rig: SimRig, from = 0): string[] {
  return rig.tap.written.slice(from).filter((l) => /\b(G0|G1|G28|G90|G91|M104|M109|M140|M190|M106|M107|M82|M83|M84)\b/.test(l));
}

describe('a handed-over print', () => {
  it('starts at once, runs to the end on the watch\'s session, and frees the slot', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    const s = slot(rig);
    const r = await s.start(tiny);
    expect(r).toEqual({ ok: true, message: 'printing tiny-square.gcode (handed over by ana@pi via shell)' });
    const print = s.hosts.active!;
    expect(print.file).toBe('tiny-square.gcode');
    expect(print.job.status).toBe('printing');
    expect(s.hosts.snapshot()).toMatchObject({ file: 'tiny-square.gcode', origin: 'host' });
    await toTheEnd(s);
    expect(await print.ended).toMatchObject({ kind: 'done' });
    await rig.flush();
    expect(rig.of('PrintStarted')).toHaveLength(1);
    expect(rig.of('PrintDone')).toHaveLength(1);
    expect(rig.of('PrintDone')[0]!.job.file).toBe('tiny-square.gcode');
    // Every command of the file reached the printer, in order.
    const executed = rig.printer.executedCommands('numbered').filter((c) => !/^(M110|M115|M155|M105|M27|M114|M876|M400|M108)\b/.test(c));
    expect(executed).toEqual(fileCommands(tiny));
    expect(jobLines(rig).length).toBeGreaterThan(0); // what the refusal tests check is absent
    expect(s.hosts.active).toBeUndefined();
    expect(s.hosts.snapshot()).toBeUndefined();
    expect(rig.session.state.activity).toBe('idle');
    // The journal was removed once the print had ended.
    expect(readdirSync(path.join(dir, 'jobs'))).toEqual([]);
    expect(s.warnings).toEqual([]);
    // The slot is free again: the next print starts.
    expect((await s.start(tiny)).ok).toBe(true);
    await toTheEnd(s);
    await rig.flush();
    expect(rig.of('PrintDone')).toHaveLength(2);
  });

  it('refuses a second print while one runs, and while one is still being scanned', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    const s = slot(rig);
    // Both asked in the same turn: the first is scanning when the second comes.
    const [first, second] = await Promise.all([s.start(cube), s.start(tiny)]);
    expect(first.ok).toBe(true);
    expect(second).toEqual({ ok: false, reason: 'busy', message: 'busy printing cube-20mm.gcode' });
    await rig.runUntil(() => s.hosts.active!.job.snapshot().linesDone! > 50);
    const third = await s.start(tiny);
    expect(third).toEqual({ ok: false, reason: 'busy', message: 'busy printing cube-20mm.gcode' });
    await rig.flush();
    expect(rig.of('PrintStarted').map((e) => e.job.file)).toEqual(['cube-20mm.gcode']);
    expect(s.hosts.active!.file).toBe('cube-20mm.gcode');
    // Clean up: cancel it.
    expect((await s.command((by) => s.control.cancel(by))).ok).toBe(true);
    await s.hosts.active?.ended;
  });

  it('refuses when the printer is not connected, or the watch is stopping', async () => {
    const rig = createSimRig({ speed: 50 });
    const s = slot(rig);
    const offline = { ok: false, reason: 'offline', message: 'the printer is not connected; the watch will print nothing until it is back' };
    // Not connected yet.
    expect(await s.start(tiny)).toEqual(offline);
    // No session at all (between reconnects).
    s.now.session = undefined;
    expect(await s.start(tiny)).toEqual(offline);
    s.now.session = rig.session;
    await rig.connect();
    // Connected but no port locked.
    s.now.port = undefined;
    expect(await s.start(tiny)).toEqual(offline);
    s.now.port = 'sim://test';
    s.now.stopping = true;
    expect(await s.start(tiny)).toEqual({ ok: false, reason: 'offline', message: 'the watch is stopping' });
    await rig.flush();
    expect(rig.of('PrintStarted')).toHaveLength(0);
    expect(jobLines(rig)).toEqual([]);
    expect(s.hosts.active).toBeUndefined();
  });

  it('refuses when the printer goes away while the file is scanned', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    const s = slot(rig);
    let asked = 0;
    const r = await s.hosts.start(tiny, opts, 'ana', () => (++asked === 1 ? s.now : { ...s.now, stopping: true }));
    expect(asked).toBe(2);
    expect(r).toEqual({ ok: false, reason: 'offline', message: 'the watch is stopping' });
    expect(s.hosts.active).toBeUndefined();
    // The scan's own busy guard did not outlive the refusal.
    expect((await s.start(tiny)).ok).toBe(true);
    await toTheEnd(s);
  });

  it('refuses a directory, a binary file and a missing file with the scan\'s words, sending nothing', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    const s = slot(rig);
    const binary = path.join(dir, 'part.gcode');
    writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)));
    const empty = path.join(dir, 'empty.gcode');
    writeFileSync(empty, '');
    const missing = path.join(dir, 'missing.gcode');
    const written = rig.tap.written.length;
    const cases: [string, RegExp][] = [
      [dir, /is a directory, not a G-code file/],
      [binary, /is not a text file \(it contains binary data\)/],
      [missing, /: no such file\./],
      [empty, /is empty \(0 bytes\)/],
    ];
    for (const [file, message] of cases) {
      const r = await s.start(file);
      expect(r).toMatchObject({ ok: false, reason: 'bad-file' });
      expect(r.message).toMatch(message);
      expect(r.message.startsWith(file)).toBe(true); // names the file as the scan does
    }
    // Nothing went to the printer, not even after a while.
    expect(rig.tap.written.length).toBe(written);
    await rig.clock.run(() => false, rig.clock.now() + 10_000).catch(() => undefined); // ends at the limit
    await rig.flush();
    expect(jobLines(rig, written)).toEqual([]);
    expect(rig.of('PrintStarted')).toHaveLength(0);
    expect(s.hosts.active).toBeUndefined();
    expect(s.hosts.recent()).toBeUndefined();
    expect(rig.session.state.activity).toBe('idle');
    // A refused file leaves the slot free.
    expect((await s.start(tiny)).ok).toBe(true);
    await toTheEnd(s);
  });
});

describe('beside an SD print', () => {
  async function sdRig(): Promise<{ rig: SimRig; sd: SdMonitor; s: Slot }> {
    const content = fileCommands(cube).join('\n') + '\n';
    const rig = createSimRig({ speed: 50, sdFiles: { 'CUBE.GCO': content } });
    await rig.connect();
    const sd = new SdMonitor(rig.session);
    return { rig, sd, s: slot(rig, sd) };
  }

  async function startSd(rig: SimRig, sd: SdMonitor): Promise<void> {
    await rig.send('M23 CUBE.GCO');
    await rig.send('M24');
    await rig.runUntil(() => sd.printing, 60_000);
  }

  it('refuses while the printer prints from its card, and control acts on the SD print', async () => {
    const { rig, sd, s } = await sdRig();
    await startSd(rig, sd);
    const written = rig.tap.written.length;
    const r = await s.start(tiny);
    expect(r).toEqual({ ok: false, reason: 'busy', message: 'busy printing CUBE.GCO from the printer\'s SD card' });
    expect(rig.tap.written.length).toBe(written);
    expect(s.hosts.active).toBeUndefined();
    // Status is the SD print's.
    expect(s.control.status()).toMatchObject({ printerName: 'Prusa', activity: 'sd-printing', job: { file: 'CUBE.GCO', origin: 'sd' } });
    // Pause, resume, cancel go to the card: M25, M24, M524.
    expect(await s.command((by) => s.control.pause(by))).toEqual({ ok: true, message: 'SD print paused (by ana)' });
    expect(await s.command((by) => s.control.resume(by))).toEqual({ ok: true, message: 'SD print resumed (by ana)' });
    expect(await s.command((by) => s.control.cancel(by))).toEqual({ ok: true, message: 'SD print cancelled (by ana); heaters off' });
    const sent = rig.tap.written.slice(written).join('\n');
    expect(sent).toMatch(/\bM25\b[\s\S]*\bM24\b[\s\S]*\bM524\b/);
    await rig.runUntil(() => !sd.printing, 120_000);
    await rig.flush();
    expect(rig.of('PrintStarted').map((e) => e.job.origin)).toEqual(['sd']);
    sd.dispose();
  });

  it('an SD print after a host print is what status shows, not the ended host print', async () => {
    const { rig, sd, s } = await sdRig();
    expect((await s.start(tiny)).ok).toBe(true);
    await toTheEnd(s);
    expect(s.control.status()).toMatchObject({ activity: 'done', job: { file: 'tiny-square.gcode' } });
    await startSd(rig, sd);
    expect(s.control.status()).toMatchObject({ activity: 'sd-printing', job: { file: 'CUBE.GCO', origin: 'sd' } });
    expect((await s.start(tiny)).reason).toBe('busy');
    expect(await s.command((by) => s.control.cancel(by))).toMatchObject({ ok: true, message: expect.stringMatching(/^SD print cancelled/) });
    await rig.runUntil(() => !sd.printing, 120_000);
    sd.dispose();
  });
});

describe('status', () => {
  it('shows the running print, then the ended one (done) for five minutes, then the printer alone', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    const s = slot(rig);
    expect(s.control.status()).toMatchObject({ printerName: 'Prusa', connection: 'connected', activity: 'idle' });
    expect(s.control.status().job).toBeUndefined();
    expect((await s.start(tiny)).ok).toBe(true);
    expect(s.control.status()).toMatchObject({ activity: 'printing', job: { file: 'tiny-square.gcode', origin: 'host' } });
    const endedAt = s.clock.t;
    await toTheEnd(s);
    expect(s.hosts.active).toBeUndefined();
    expect(s.hosts.recent()?.endedAt).toBe(endedAt);
    expect(s.control.status()).toMatchObject({ activity: 'done', job: { file: 'tiny-square.gcode', percent: 100 } });
    s.clock.t = endedAt + RECENT_MS - 1;
    expect(s.control.status()).toMatchObject({ activity: 'done', job: { file: 'tiny-square.gcode' } });
    s.clock.t = endedAt + RECENT_MS;
    expect(s.hosts.recent()).toBeUndefined();
    const later = s.control.status();
    expect(later.activity).toBe('idle');
    expect(later.job).toBeUndefined();
  });

  it('a cancelled print shows as cancelled', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    const s = slot(rig);
    expect((await s.start(cube)).ok).toBe(true);
    await rig.runUntil(() => s.hosts.active!.job.snapshot().linesDone! > 100);
    const print = s.hosts.active!;
    expect(await s.command((by) => s.control.cancel(by))).toEqual({ ok: true, message: 'cancelled (by ana); heaters off' });
    await print.ended;
    expect(s.control.status()).toMatchObject({ activity: 'cancelled', job: { file: 'cube-20mm.gcode' } });
    s.clock.t += RECENT_MS;
    expect(s.control.status()).toMatchObject({ activity: 'idle' });
  });

  it('a print the printer killed shows as failed, is logged, and the next one is refused', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    const s = slot(rig);
    expect((await s.start(cube)).ok).toBe(true);
    const print = s.hosts.active!;
    await rig.runUntil(() => print.job.snapshot().linesDone! > 100);
    rig.printer.triggerThermalRunaway(0);
    await rig.runUntil(() => print.job.isFinished());
    expect(await print.ended).toMatchObject({ kind: 'failed' });
    await Promise.resolve(); // the warning comes a turn after the end
    expect(s.warnings.join('\n')).toMatch(/the handed-over print of cube-20mm\.gcode failed: .*Thermal Runaway/);
    const status = s.control.status();
    expect(status).toMatchObject({ activity: 'failed', job: { file: 'cube-20mm.gcode' } });
    const next = await s.start(tiny);
    // The session failed on the fatal error, so the refusal is the "not connected" one.
    expect(rig.session.failed?.message).toMatch(/Thermal Runaway/);
    expect(next).toEqual({ ok: false, reason: 'offline', message: 'the printer is not connected; the watch will print nothing until it is back' });
    await rig.flush();
    expect(rig.of('PrintStarted')).toHaveLength(1);
  });
});

describe('control while a host print runs', () => {
  it('pause, resume and cancel act on the host print; afterwards on the (idle) SD control', async () => {
    const rig = createSimRig({ speed: 50, extruders: 1 });
    await rig.connect();
    const sd = new SdMonitor(rig.session);
    const s = slot(rig, sd);
    expect((await s.start(cube)).ok).toBe(true);
    const print = s.hosts.active!;
    await rig.runUntil(() => print.job.snapshot().linesDone! > 200);
    const written = rig.tap.written.length;

    expect(await s.command((by) => s.control.pause(by))).toEqual({ ok: true, message: 'paused (by ana)' });
    expect(print.job.status).toBe('paused');
    expect(s.control.status()).toMatchObject({ activity: 'paused', job: { file: 'cube-20mm.gcode' } });
    expect(await s.command((by) => s.control.pause(by))).toEqual({ ok: false, message: 'the print is already paused' });
    expect(await s.command((by) => s.control.resume(by))).toEqual({ ok: true, message: 'resumed (by ana)' });
    expect(print.job.status).toBe('printing');
    expect(await s.command((by) => s.control.cancel(by))).toEqual({ ok: true, message: 'cancelled (by ana); heaters off' });
    expect(await print.ended).toMatchObject({ kind: 'cancelled' });
    await rig.flush();
    expect(rig.of('PrintPaused')).toHaveLength(1);
    expect(rig.of('PrintResumed')).toHaveLength(1);
    expect(rig.of('PrintCancelled')[0]!.by).toBe('ana');
    // None of it went through the SD commands.
    expect(rig.tap.written.slice(written).filter((l) => /\bM(25|524)\b/.test(l))).toEqual([]);
    // Heaters off after the cancel.
    const heaters = rig.printer.snapshot().heaters;
    expect(Object.values(heaters).every((h) => h.target === 0)).toBe(true);

    // Ended: commands now reach the SD control, which has nothing to act on.
    const after = rig.tap.written.length;
    expect(await s.command((by) => s.control.pause(by))).toEqual({ ok: false, message: 'nothing is printing, so there is nothing to pause' });
    expect(await s.command((by) => s.control.resume(by))).toEqual({ ok: false, message: 'nothing is printing' });
    expect(await s.command((by) => s.control.cancel(by))).toEqual({ ok: false, message: 'nothing is printing, so there is nothing to cancel' });
    expect(rig.tap.written.slice(after).filter((l) => /\bM(24|25|524)\b/.test(l))).toEqual([]);
    sd.dispose();
  });
});
