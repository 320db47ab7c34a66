// What the printer can do to a print, and what octoslack must do about it: report it, stop
// sending, and never leave a heater on while it can still talk to the printer.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS } from '../../src/session/session-options.js';
import { PortError } from '../../src/util/errors.js';
import { createSimRig, executedJobCommands, fileCommands, fixture, startPrint, type SimRig } from '../helpers/session-harness.js';

const cube = fixture('cube-20mm.gcode');

async function printUntil(rig: SimRig, lines: number, opts = {}) {
  await rig.connect();
  const run = await startPrint(rig, cube, opts);
  await rig.runUntil(() => (run.job.snapshot().linesDone ?? 0) >= lines);
  return run;
}

function heaterTargets(rig: SimRig): number[] {
  return Object.values(rig.printer.snapshot().heaters).map((h) => h.target);
}

describe('print failures', () => {
  it('a board reset mid-print (start) fails the print and says so', async () => {
    const rig = createSimRig({ speed: 50 });
    const run = await printUntil(rig, 800);
    rig.printer.reset();
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('failed');
    const failed = rig.of('PrintFailed')[0]!;
    expect(failed.error).toMatch(/reset/);
    expect(failed.lastAckedFileLine).toBeGreaterThan(800);
    expect(rig.of('Error').some((e) => e.fatal)).toBe(true);
  });

  it('thermal runaway: one urgent error with the firmware words, the print fails', async () => {
    const rig = createSimRig({ speed: 50 });
    const run = await printUntil(rig, 800);
    rig.printer.triggerThermalRunaway(0);
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('failed');
    const errors = rig.of('Error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.fatal).toBe(true);
    expect(errors[0]!.error).toMatch(/Thermal Runaway/);
    expect(rig.of('PrintFailed')[0]!.error).toMatch(/Thermal Runaway/);
  });

  it('a pulled cable fails the print with the last acknowledged line and Z', async () => {
    const rig = createSimRig({ speed: 50 });
    const run = await printUntil(rig, 1500);
    rig.transport.simulateUnplug();
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('failed');
    expect(rig.of('Disconnected')).toHaveLength(1);
    const failed = rig.of('PrintFailed')[0]!;
    expect(failed.lastAckedFileLine).toBeGreaterThan(1500);
    expect(failed.job.z).toBeGreaterThan(0);
    expect(failed.job.layer).toBeGreaterThan(1);
  });

  it('a printer that goes silent: one poke, then a clear error (no endless hang)', async () => {
    const rig = createSimRig({ speed: 50 }, { timeouts: { ...DEFAULT_TIMEOUTS, okMs: 5000, lineMs: 10_000, pokeMs: 5000 } });
    const run = await printUntil(rig, 500);
    rig.printer.stallOutput(3600_000);
    const stalledAt = rig.clock.now();
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('failed');
    expect(rig.of('PrintFailed')[0]!.error).toMatch(/stopped answering/);
    expect(rig.clock.now() - stalledAt).toBeLessThan(12_000);
    // It still tried to switch the heaters off, with plain lines the firmware takes unchecked.
    expect(rig.tap.written.slice(-2)).toEqual(['M104 S0', 'M140 S0']);
  });

  it('a line whose newline was lost costs about a second, not the ok timeout', async () => {
    const rig = createSimRig({ speed: 50 }, { timeouts: { ...DEFAULT_TIMEOUTS, okMs: 15_000 } });
    const run = await printUntil(rig, 600);
    rig.tap.loseNewlines(1);
    const t0 = rig.clock.now();
    const done = run.job.snapshot().linesDone!;
    // The empty line completes the cut line (or ends garbage with a resend): printing goes on.
    await rig.runUntil(() => run.job.snapshot().linesDone! > done + 2);
    expect(rig.clock.now() - t0).toBeLessThan(2500);
    expect(rig.tap.written).toContain('');
    expect(rig.warnings.filter((w) => /missing ok|alive/.test(w))).toHaveLength(0);
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('done');
    expect(executedJobCommands(rig.printer)).toEqual(fileCommands(cube));
  });

  it('no false timeout while the printer heats for minutes and says busy', async () => {
    // Heating at speed 1 takes minutes; the ok timeout is 3 s: busy and temperature lines keep it alive.
    const rig = createSimRig({ speed: 1, ambientC: 20 }, { timeouts: { ...DEFAULT_TIMEOUTS, okMs: 3000, lineMs: 5000 } });
    await rig.connect();
    await rig.send('M109 S200');
    expect(rig.clock.now()).toBeGreaterThan(30_000);
    expect(rig.session.failed).toBeUndefined();
  });
});

describe('cancel, pause, resume', () => {
  it('cancel stops streaming and switches every heater, the fan and the motors off', async () => {
    const rig = createSimRig({ speed: 50, extruders: 2 });
    const run = await printUntil(rig, 800, { cancelGcode: ['G91', 'G1 Z10', 'G90'] });
    expect(Math.max(...heaterTargets(rig))).toBeGreaterThan(0);
    void run.job.cancel('test', 'tester');
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('cancelled');
    expect(heaterTargets(rig).every((t) => t === 0)).toBe(true);
    const tail = rig.printer.executedCommands('serial').slice(-8);
    expect(tail).toEqual(['G91', 'G1 Z10', 'G90', 'M104 T0 S0', 'M104 T1 S0', 'M140 S0', 'M106 S0', 'M84']);
    const names = rig.events.map((e) => e.event);
    expect(names.indexOf('PrintCancelling')).toBeLessThan(names.indexOf('PrintCancelled'));
    expect(rig.of('PrintCancelled')[0]!.by).toBe('tester');
  });

  it('cancel during a heat-up breaks the wait with M108 when the firmware parses it at once', async () => {
    const rig = createSimRig({ speed: 1, emergencyParser: true });
    await rig.connect();
    const run = await startPrint(rig, cube);
    await rig.runUntil(() => rig.printer.snapshot().heaters['B']!.target > 0);
    await rig.runUntil(() => /^M1[09]9/.test(rig.session.sender.longLineInFlight?.cmd.command ?? ''));
    const t0 = rig.clock.now();
    void run.job.cancel('test');
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('cancelled');
    expect(rig.clock.now() - t0).toBeLessThan(5000);
    expect(heaterTargets(rig).every((t) => t === 0)).toBe(true);
  });

  it('pause waits for the printer, resume continues, and nothing is lost', async () => {
    const rig = createSimRig({ speed: 50 });
    const run = await printUntil(rig, 1000);
    let paused = false;
    void run.job.pause('test', 'tester').then((r) => { paused = r; });
    await rig.runUntil(() => paused);
    expect(rig.of('PrintPaused')).toHaveLength(1);
    const executedAtPause = rig.printer.executedCommands('serial').length;
    await rig.clock.run(() => false, rig.clock.now() + 60_000).catch(() => undefined);
    expect(rig.printer.executedCommands('serial').length - executedAtPause).toBeLessThanOrEqual(3); // only polls
    void run.job.resume('tester');
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('done');
    expect(rig.of('PrintResumed')).toHaveLength(1);
    expect(executedJobCommands(rig.printer, cube)).toEqual(fileCommands(cube));
  });

  it('the printer\'s own pause, resume and cancel buttons (host actions) drive the print', async () => {
    const rig = createSimRig({ speed: 50 });
    const run = await printUntil(rig, 600);
    rig.printer.sendAction('pause');
    await rig.runUntil(() => rig.of('PrintPaused').length === 1);
    expect(run.job.status).toBe('paused');
    rig.printer.sendAction('resume');
    await rig.runUntil(() => rig.of('PrintResumed').length === 1);
    rig.printer.sendAction('cancel');
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('cancelled');
    expect(heaterTargets(rig).every((t) => t === 0)).toBe(true);
  });

  it('filament runout (M600): runout and waiting-for-user reported, print continues after the button', async () => {
    const rig = createSimRig({ speed: 50 });
    const run = await printUntil(rig, 1200);
    rig.printer.triggerRunout();
    await rig.runUntil(() => rig.of('PausedForUser').length > 0);
    expect(rig.of('FilamentRunout')).toHaveLength(1);
    expect(rig.of('PrintPaused')).toHaveLength(1);
    await rig.clock.run(() => false, rig.clock.now() + 120_000).catch(() => undefined);
    expect(rig.session.failed).toBeUndefined(); // busy: paused for user keeps the link alive
    rig.printer.pressButton();
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('done');
    expect(rig.of('PrintResumed')).toHaveLength(1);
    expect(executedJobCommands(rig.printer, cube)).toEqual(fileCommands(cube));
  });
});

describe('resuming a pause the printer made', () => {
  it('resume after a runout sends M108 (emergency parser) and the print continues exactly', async () => {
    const rig = createSimRig({ speed: 50, emergencyParser: true });
    const run = await printUntil(rig, 1200);
    rig.printer.triggerRunout();
    await rig.runUntil(() => rig.of('PausedForUser').length > 0);
    expect(run.job.status).toBe('paused');
    let resumed: boolean | undefined;
    void run.job.resume('tester').then((r) => { resumed = r; });
    await rig.runUntil(() => resumed !== undefined);
    expect(resumed).toBe(true);
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('done');
    expect(rig.of('PrintResumed')).toHaveLength(1);
    expect(executedJobCommands(rig.printer)).toEqual(fileCommands(cube));
  });
});

describe('connecting', () => {
  it('reads firmware name and capabilities, and uses M155 auto-report when advertised', async () => {
    const rig = createSimRig();
    await rig.connect();
    const c = rig.of('Connected')[0]!;
    expect(c.firmware).toMatch(/^Marlin 2\.1/);
    expect(c.capabilities).toContain('AUTOREPORT_TEMP');
    await rig.clock.run(() => false, rig.clock.now() + 5000).catch(() => undefined);
    expect(rig.printer.executedCommands('serial')).toContain('M155 S2');
    expect(rig.printer.executedCommands('serial')).not.toContain('M105');
  });

  it('connects to a native-USB board that prints no banner', async () => {
    const rig = createSimRig({ resetOnOpen: false });
    await rig.connect();
    expect(rig.of('Connected')).toHaveLength(1);
  });

  it('reports the ADVANCED_OK form of ok', async () => {
    const rig = createSimRig({ advancedOk: true });
    await rig.connect();
    expect(rig.of('Connected')[0]!.advancedOk).toBe(true);
  });

  it('a printer that never answers: exit-3 error naming the baud rate', async () => {
    const rig = createSimRig();
    rig.printer.stallOutput(3600_000);
    await expect(rig.connect()).rejects.toSatisfy((e: unknown) => e instanceof PortError && e.exitCode === 3 && /baud/.test(e.message));
  });
});

describe('SD prints started on the printer', () => {
  it('are reported from start to done', async () => {
    const { SdMonitor } = await import('../../src/session/sd-monitor.js');
    const content = fileCommands(fixture('tiny-square.gcode')).join('\n') + '\n';
    const rig = createSimRig({ speed: 20, sdFiles: { 'TINY.GCO': content } });
    await rig.connect();
    const sd = new SdMonitor(rig.session);
    await rig.send('M23 TINY.GCO');
    await rig.send('M24');
    await rig.runUntil(() => rig.of('PrintDone').length > 0, 3600_000);
    const started = rig.of('PrintStarted')[0]!;
    expect(started.job.origin).toBe('sd');
    expect(rig.of('PrintDone')[0]!.job.origin).toBe('sd');
    sd.dispose();
  });
});
