// Several lines in flight on ADVANCED_OK credits (performance.md §2): faster, and still exact.
import { describe, expect, it } from 'vitest';
import { createSimRig, executedJobCommands, fileCommands, fixture, printOnSim } from '../helpers/session-harness.js';

const cube = fixture('cube-20mm.gcode');

function maxInFlight(rig: ReturnType<typeof createSimRig>): () => number {
  let max = 0;
  const orig = rig.session.pump.bind(rig.session);
  rig.session.pump = () => {
    orig();
    max = Math.max(max, rig.session.sender.inFlightCount);
  };
  return () => max;
}

describe('windowed streaming', () => {
  it('keeps up to the queue size in flight with ADVANCED_OK, overflows nothing, loses nothing', async () => {
    const rig = createSimRig({ speed: 50, advancedOk: true });
    const peak = maxInFlight(rig);
    const outcome = await printOnSim(rig, cube);
    expect(outcome.kind).toBe('done');
    expect(peak()).toBeGreaterThanOrEqual(3);
    expect(rig.printer.stats().rxOverflowBytes).toBe(0);
    expect(executedJobCommands(rig.printer)).toEqual(fileCommands(cube));
  });

  it('stays at one line in flight without ADVANCED_OK, or with --flow pingpong', async () => {
    for (const [sim, flow] of [[{ advancedOk: false }, 'auto'], [{ advancedOk: true }, 'pingpong']] as const) {
      const rig = createSimRig({ speed: 50, ...sim }, { flow });
      const peak = maxInFlight(rig);
      expect((await printOnSim(rig, fixture('tiny-square.gcode'))).kind).toBe('done');
      expect(peak()).toBe(1);
    }
  });

  it('is exact with 1 corrupted byte in 10^4 and duplicate resend requests', async () => {
    const rig = createSimRig({ speed: 50, advancedOk: true, faults: { seed: 9, corruptByte: 1e-4 } });
    const outcome = await printOnSim(rig, cube);
    expect(outcome.kind).toBe('done');
    expect(rig.printer.stats().resendsRequested).toBeGreaterThan(3);
    expect(executedJobCommands(rig.printer)).toEqual(fileCommands(cube));
  });

  it('is exact in a resend storm with the emergency parser and a big buffer (BUFSIZE 16, RX 1024)', async () => {
    const rig = createSimRig({ speed: 50, advancedOk: true, bufsize: 16, rxBufferSize: 1024, emergencyParser: true, faults: { seed: 4, corruptByte: 1 / 2000 } }, { rxBufferBytes: 1024 });
    const peak = maxInFlight(rig);
    const outcome = await printOnSim(rig, cube);
    expect(outcome.kind).toBe('done');
    expect(peak()).toBeGreaterThan(8);
    expect(rig.printer.stats().rxOverflowBytes).toBe(0);
    expect(executedJobCommands(rig.printer)).toEqual(fileCommands(cube));
  });

  it('real slicer files with arcs and long lines stream exactly in a window', async () => {
    const file = fixture('vase-30mm.gcode');
    const rig = createSimRig({ speed: 200, advancedOk: true });
    expect((await printOnSim(rig, file)).kind).toBe('done');
    expect(executedJobCommands(rig.printer)).toEqual(fileCommands(file));
  });
});
