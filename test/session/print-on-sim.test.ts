// Whole prints through the session and the virtual printer on a virtual clock: the printer must
// execute exactly the file's commands, in order, none lost or doubled — with and without faults.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS } from '../../src/session/session-options.js';
import { createSimRig, executedJobCommands, fileCommands, fixture, printOnSim, corpus, startPrint } from '../helpers/session-harness.js';

describe('printing through the virtual printer', () => {
  it('prints a small sliced part exactly, reporting start, progress, layers and done', async () => {
    const file = fixture('cube-20mm.gcode');
    const rig = createSimRig({ speed: 20 });
    const outcome = await printOnSim(rig, file);
    expect(outcome.kind).toBe('done');
    expect(executedJobCommands(rig.printer, file)).toEqual(fileCommands(file));
    const names = rig.events.map((e) => e.event);
    expect(names.indexOf('Connected')).toBeLessThan(names.indexOf('PrintStarted'));
    expect(names.at(-1)).toBe('PrintDone');
    const pct = rig.of('Progress').filter((p) => p.trigger === 'percent').map((p) => Math.floor(p.job.percent!));
    expect(pct).toEqual([...pct].sort((a, b) => a - b));
    expect(pct.length).toBeGreaterThanOrEqual(90);
    const layers = rig.of('Progress').filter((p) => p.trigger === 'layer');
    expect(layers.length).toBeGreaterThanOrEqual(95);
    const done = rig.of('PrintDone')[0]!;
    expect(done.job.percent).toBe(100);
    expect(done.job.elapsedS).toBeGreaterThan(60 / 20 * 10); // a real 18-minute print, at speed 20
  });

  it('shows a remaining time from the slicer data, and it shrinks', async () => {
    const rig = createSimRig({ speed: 20 });
    await printOnSim(rig, fixture('coaster-50mm.gcode'));
    const rem = rig.of('Progress').map((p) => p.job.remainingS).filter((r): r is number => r !== undefined);
    expect(rem.length).toBeGreaterThan(50);
    expect(rem.at(-1)!).toBeLessThan(rem[5]!);
    expect(rig.of('Progress').every((p) => p.job.remainingSource !== undefined || p.job.remainingS === undefined)).toBe(true);
  });

  it('loses and doubles nothing with 1 corrupted byte in 10^4 (resends)', async () => {
    const file = fixture('cube-20mm.gcode');
    const rig = createSimRig({ speed: 50, faults: { seed: 7, corruptByte: 1e-4 } });
    const outcome = await printOnSim(rig, file);
    expect(outcome.kind).toBe('done');
    expect(rig.printer.stats().resendsRequested).toBeGreaterThan(5);
    expect(executedJobCommands(rig.printer, file)).toEqual(fileCommands(file));
  });

  it('survives a resend storm (1 bad byte in 300) and dropped bytes', async () => {
    const file = fixture('tiny-square.gcode');
    const rig = createSimRig({ speed: 50, faults: { seed: 3, corruptByte: 1 / 300, dropByte: 1 / 3000 } });
    const outcome = await printOnSim(rig, file);
    expect(outcome.kind).toBe('done');
    expect(rig.printer.stats().resendsRequested).toBeGreaterThan(3);
    expect(executedJobCommands(rig.printer, file)).toEqual(fileCommands(file));
  });

  it('copes with a firmware that sends no ok after Resend (Marlin 2.0.x, Prusa)', async () => {
    const file = fixture('tiny-square.gcode');
    const rig = createSimRig({ speed: 50, okAfterResend: false, faults: { seed: 11, corruptByte: 1 / 500 } });
    const outcome = await printOnSim(rig, file);
    expect(outcome.kind).toBe('done');
    expect(rig.printer.stats().resendsRequested).toBeGreaterThan(0);
    expect(executedJobCommands(rig.printer, file)).toEqual(fileCommands(file));
  });

  it('recovers from a lost ok with one poke instead of hanging', async () => {
    const file = fixture('cube-20mm.gcode');
    // No temperature auto-report, so the next line the printer sends is an ok.
    const rig = createSimRig({ speed: 50 }, { temperatureIntervalS: 0, timeouts: { ...DEFAULT_TIMEOUTS, okMs: 3000 } });
    await rig.connect();
    const run = await startPrint(rig, file);
    await rig.runUntil(() => (run.job.snapshot().linesDone ?? 0) > 500);
    rig.printer.dropOutputLines(1);
    const stalledAt = rig.clock.now();
    await rig.runUntil(() => rig.warnings.some((w) => /missing ok/.test(w)));
    // Detected after the ok timeout, not before, and not much later.
    expect(rig.clock.now() - stalledAt).toBeGreaterThanOrEqual(3000);
    expect(rig.clock.now() - stalledAt).toBeLessThan(5000);
    await rig.runUntil(() => run.outcome() !== undefined);
    expect(run.outcome()!.kind).toBe('done');
    expect(rig.of('Notice').some((n) => /no ok for/.test(n.text))).toBe(true);
    expect(executedJobCommands(rig.printer, file)).toEqual(fileCommands(file));
  });

  it('streams G2/G3 arcs, CRLF files and thumbnails from real slicers', async () => {
    for (const name of ['superslicer-2.3.56-arcwelder-thumbnails-crlf.gcode']) {
      const file = corpus(name);
      const rig = createSimRig({ speed: 200 });
      const outcome = await printOnSim(rig, file);
      expect(outcome.kind, name).toBe('done');
      expect(executedJobCommands(rig.printer, file)).toEqual(fileCommands(file));
    }
  });
});
