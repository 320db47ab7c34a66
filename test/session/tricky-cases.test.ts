// Every case of the "tricky cases" list in marlin-protocol.md §15, each with a test here (some
// point at the lower-level test that covers it in depth).
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../src/marlin/parse-line.js';
import { DEFAULT_TIMEOUTS } from '../../src/session/session-options.js';
import { createSimRig, executedJobCommands, fileCommands, fixture, printOnSim, startPrint } from '../helpers/session-harness.js';

const tiny = fixture('tiny-square.gcode');
const cube = fixture('cube-20mm.gcode');

describe('marlin-protocol.md §15 tricky cases', () => {
  it('1: reset on open, banner late, earlier bytes lost', async () => {
    const rig = createSimRig({ bootMs: 1800, speed: 50 });
    expect((await printOnSim(rig, tiny)).kind).toBe('done');
    expect(rig.tap.written[0]).toBe('N0 M110 N0*125'); // nothing sent into the bootloader's void
    const firstWrite = rig.tap.received.indexOf('start');
    expect(firstWrite).toBeGreaterThanOrEqual(0);
  });

  it('2: stale lines at open, old oks included, do not count as answers', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.session.transport.open();
    const connecting = rig.connect();
    rig.tap.inject('ok');
    rig.tap.inject('ok T:200.00 /200.00 B:60.00 /60.00 @:0 B@:0');
    rig.tap.inject(' T:200.00 /200.00 B:60.00 /60.00 @:0 B@:0');
    await connecting;
    const run = await startPrint(rig, tiny);
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('done');
    expect(executedJobCommands(rig.printer, tiny)).toEqual(fileCommands(tiny));
  });

  it('3: non-UTF-8 bytes and NULs neither crash nor confuse the session', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    const run = await startPrint(rig, tiny);
    rig.tap.inject('\u0000\u0000\ufffd\ufffdok\u0000 garbage \u00ff\u00fe');
    rig.tap.inject('x'.repeat(10_000));
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('done');
  });

  it('4: a stray ok does not add credit (nothing lost, nothing doubled)', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    const run = await startPrint(rig, cube);
    await rig.runUntil(() => (run.job.snapshot().linesDone ?? 0) > 300);
    rig.tap.inject('ok');
    rig.tap.inject('ok');
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('done');
    expect(executedJobCommands(rig.printer, cube)).toEqual(fileCommands(cube));
    expect(rig.session.sender.stats.strayOks).toBeGreaterThanOrEqual(1);
  });

  it('5: Resend with and without ok; rs and N: forms', async () => {
    expect(parseLine('Resend: 12')).toMatchObject({ kind: 'resend', lineNo: 12 });
    expect(parseLine('Resend:12')).toMatchObject({ kind: 'resend', lineNo: 12 });
    expect(parseLine('Resend: N:12')).toMatchObject({ kind: 'resend', lineNo: 12 });
    expect(parseLine('rs N12')).toMatchObject({ kind: 'resend', lineNo: 12 });
    expect(parseLine('rs 12')).toMatchObject({ kind: 'resend', lineNo: 12 });
    const rig = createSimRig({ speed: 50, okAfterResend: false, faults: { seed: 2, corruptByte: 1 / 400 } });
    expect((await printOnSim(rig, tiny)).kind).toBe('done');
    expect(rig.printer.stats().resendsRequested).toBeGreaterThan(0);
    expect(executedJobCommands(rig.printer, tiny)).toEqual(fileCommands(tiny));
  });

  it('6: duplicate requests for one line after an RX flush are ignored', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    const run = await startPrint(rig, cube);
    await rig.runUntil(() => (run.job.snapshot().linesDone ?? 0) > 200);
    const inFlight = rig.session.sender.oldestInFlight!.lineNo;
    // The firmware asks twice for the same line (a duplicate from a flushed line).
    rig.tap.inject(`Error:Line Number is not Last Line Number+1, Last Line: ${inFlight - 1}`);
    rig.tap.inject(`Resend: ${inFlight}`);
    rig.tap.inject('ok');
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('done');
    expect(executedJobCommands(rig.printer, cube)).toEqual(fileCommands(cube));
  });

  it('7: a resend beyond the history fails the print clearly; endless loops stop after 10', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    const run = await startPrint(rig, cube);
    await rig.runUntil(() => (run.job.snapshot().linesDone ?? 0) > 1000);
    rig.tap.inject('Resend: 3');
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('failed');
    expect(rig.of('PrintFailed')[0]!.error).toMatch(/no longer in the history/);

    const loop = createSimRig({ speed: 50 });
    await loop.connect();
    const looping = await startPrint(loop, cube);
    await loop.runUntil(() => (looping.job.snapshot().linesDone ?? 0) > 100);
    const n = loop.session.sender.oldestInFlight!.lineNo;
    for (let i = 0; i < 11; i++) {
      loop.tap.inject(`Error:checksum mismatch, Last Line: ${n - 1}`);
      loop.tap.inject(`Resend: ${n}`);
      loop.tap.inject('ok');
    }
    await loop.runUntil(() => looping.outcome() !== undefined);
    expect(looping.outcome()!.kind).toBe('failed');
    expect(loop.of('PrintFailed')[0]!.error).toMatch(/resends in a row.*USB cable/);
  });

  it('8: the handshake uses a numbered M110 and waits for its ok', async () => {
    const rig = createSimRig();
    await rig.connect();
    expect(rig.tap.written[0]).toBe('N0 M110 N0*125');
    expect(rig.tap.written[1]).toMatch(/^N1 M115\*/);
  });

  it('9: ok leads an M105 reply and follows M114: temperatures and position are read', async () => {
    expect(parseLine('ok T:21.56 /0.00 B:21.30 /0.00 @:0 B@:0')).toMatchObject({ kind: 'ok', temperature: { heaters: { T0: { actual: 21.56 } } } });
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    await rig.send('G1 X12 Y34 F6000');
    await rig.send('M400');
    await rig.send('M114');
    expect(rig.session.state.position).toMatchObject({ x: 12, y: 34 });
    await rig.send('M105');
    expect(rig.session.state.heaters['B']).toBeDefined();
  });

  it('10: temperature variants; B3 in ADVANCED_OK and Count B: are not the bed', () => {
    expect(parseLine('ok N12 P15 B3')).toMatchObject({ kind: 'ok', lineNo: 12, plannerFree: 15, bufferFree: 3 });
    expect(parseLine('ok N12 P15 B3').kind === 'ok' && (parseLine('ok N12 P15 B3') as { temperature?: unknown }).temperature).toBeFalsy();
    expect(parseLine('X:0.00 Y:0.00 Z:0.00 E:0.00 Count A:0 B:0 C:0').kind).toBe('position');
    expect(parseLine('T:25.3 E:0 W:?')).toMatchObject({ kind: 'temperature', report: { waitRemaining: 'unknown' } });
  });

  it('11: autoreports mask a lost ok — the separate ok timer catches it', async () => {
    const rig = createSimRig({ speed: 50 }, { timeouts: { ...DEFAULT_TIMEOUTS, okMs: 3000 } });
    await rig.connect();
    const run = await startPrint(rig, cube);
    await rig.runUntil(() => (run.job.snapshot().linesDone ?? 0) > 500);
    rig.tap.drop(/^ok$/);
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('done');
    expect(rig.warnings.some((w) => /missing ok/.test(w))).toBe(true);
    expect(executedJobCommands(rig.printer, cube)).toEqual(fileCommands(cube));
  });

  it('12: long commands without keepalive: no false timeout while the printer works', async () => {
    const rig = createSimRig({ speed: 1, keepaliveIntervalS: 0, homingMs: 20_000 }, { temperatureIntervalS: 0, timeouts: { ...DEFAULT_TIMEOUTS, okMs: 3000, lineMs: 5000 } });
    await rig.connect();
    await rig.send('G28');
    expect(rig.session.failed).toBeUndefined();
    expect(rig.of('Notice')).toHaveLength(0);
  });

  it('13: three busy spellings', () => {
    for (const l of ['echo:busy: processing', 'busy:processing', 'echo:busy paused for user']) expect(parseLine(l).kind).toBe('busy');
  });

  it('14: emergency commands get a later ok, counted in flight', async () => {
    const rig = createSimRig({ speed: 50, emergencyParser: true });
    await rig.connect();
    rig.session.sendEmergency('M108');
    await rig.send('M105');
    expect(rig.session.sender.inFlightCount).toBe(0);
    expect(rig.session.sender.stats.strayOks).toBe(0);
  });

  it('15: M112 kills the printer: fatal error, then silence', async () => {
    const rig = createSimRig({ speed: 50, emergencyParser: true });
    await rig.connect();
    const run = await startPrint(rig, cube);
    await rig.runUntil(() => (run.job.snapshot().linesDone ?? 0) > 300);
    rig.session.sendEmergency('M112');
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('failed');
    expect(rig.of('Error').filter((e) => e.fatal)).toHaveLength(1);
  });

  it('16: thermal errors span two Error lines: reported once', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    rig.printer.triggerThermalError('Heating failed', 'bed');
    await rig.runUntil(() => rig.session.failed !== undefined);
    expect(rig.of('Error')).toHaveLength(1);
    expect(rig.of('Error')[0]!.error).toMatch(/Heating failed/);
  });

  it('17: echo:Unknown command then ok is not fatal', async () => {
    const rig = createSimRig();
    await rig.connect();
    await rig.send('M9999');
    expect(rig.session.failed).toBeUndefined();
    expect(rig.of('Error')).toHaveLength(0);
    expect(rig.tap.received.some((l) => /Unknown command/.test(l))).toBe(true);
  });

  it('18: every form of "no SD card"', () => {
    for (const l of ['echo:No SD card', 'echo:SD init fail', 'echo:No media']) expect(parseLine(l)).toMatchObject({ kind: 'sd', event: 'noCard' });
  });

  it('19: //action: and // action:, with parameters', () => {
    expect(parseLine('//action:paused filament_runout 0')).toMatchObject({ kind: 'action', name: 'paused', params: 'filament_runout 0' });
    expect(parseLine('// action:cancel')).toMatchObject({ kind: 'action', name: 'cancel' });
  });

  it('20: prompts (prompt_end before prompt_begin) become one question; M876 P1 announced', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    const run = await startPrint(rig, cube);
    await rig.runUntil(() => (run.job.snapshot().linesDone ?? 0) > 300);
    rig.printer.triggerRunout();
    await rig.runUntil(() => rig.of('PausedForUser').length > 0);
    expect(rig.of('Prompt').map((p) => p.text)).toEqual(['FilamentRunout T0', 'Pause', 'Nozzle Parked']);
    expect(rig.of('Prompt')[2]!.buttons).toEqual(['Continue']);
    expect(rig.tap.written.some((l) => /^N\d+ M876 P1\*/.test(l))).toBe(true);
    rig.printer.pressButton();
    await rig.runUntil(() => run.outcome() !== undefined);
  });

  it('21: start mid-print is a reset: the print is aborted and reported', async () => {
    const rig = createSimRig({ speed: 50 });
    await rig.connect();
    const run = await startPrint(rig, cube);
    await rig.runUntil(() => (run.job.snapshot().linesDone ?? 0) > 300);
    rig.tap.inject('start');
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(rig.of('PrintFailed')[0]!.error).toMatch(/reset/);
  });

  it('22: Z-hops and G91 do not count as layers (layers from Z on a file without markers)', async () => {
    const rig = createSimRig({ speed: 400 });
    const file = fixture('tiny-square.gcode');
    await printOnSim(rig, file);
    const layers = rig.of('Progress').map((p) => p.job.layer).filter((l): l is number => l !== undefined);
    expect(Math.max(...layers)).toBe(3);
  });

  it('23: a command too long for the firmware is refused before anything is sent', async () => {
    const { scanGcodeFile } = await import('../../src/job/scan.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const path = (await import('node:path')).default;
    const dir = mkdtempSync(path.join((await import('node:os')).tmpdir(), 'octoslack-'));
    const file = path.join(dir, 'long.gcode');
    writeFileSync(file, `G28\nM117 ${'x'.repeat(100)}\nG1 X1\n`);
    await expect(scanGcodeFile(file, { maxCommandLength: 80 })).rejects.toThrow(/line 2/);
  });

  it('24: DTR/low latency on a pseudo-terminal is tolerated (see test/transport/serial-transport.test.ts)', async () => {
    const { readFileSync } = await import('node:fs');
    const src = readFileSync(new URL('../transport/serial-transport.test.ts', import.meta.url), 'utf8');
    expect(src).toMatch(/Inappropriate ioctl/);
  });
});
