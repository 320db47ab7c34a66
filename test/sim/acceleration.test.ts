// The optional trapezoid (SimOptions.acceleration, performance.md §6): moves accelerate, cruise
// and brake; junction speeds and the look-ahead over queued blocks decide how fast a chain of
// segments runs. Expected times are worked out by hand here, not with the simulator's own
// functions, so a wrong formula cannot agree with itself.
import { describe, expect, it } from 'vitest';
import { trapezoidS } from '../../src/sim/kinematics.js';
import type { SimOptions } from '../../src/sim/sim-options.js';
import { parseSimUrl } from '../../src/sim/sim-url.js';
import { bench, type Bench, frame } from './sim-harness.js';

/** Send `cmds` one per ok (a host with no latency); returns the time each ok arrived. */
function stream(b: Bench, cmds: string[]): number[] {
  const okAt: number[] = [];
  let next = 0;
  const sendNext = (): void => {
    if (next < cmds.length) b.send(frame(next + 1, cmds[next++]!));
  };
  b.printer.onOutput((l) => {
    if (!l.startsWith('ok')) return;
    okAt.push(b.clock.now());
    b.clock.setTimeout(sendNext, 0);
  });
  sendNext();
  while (okAt.length < cmds.length && b.clock.step()) {
    /* run */
  }
  return okAt;
}

/** Motion time of `cmds` (ms): the ok of a closing M400, minus the 100 ms restart delay. */
function motionMs(options: SimOptions, cmds: string[]): number {
  const b = bench({ parseCostMs: 0, slowdown: false, acceleration: true, ...options });
  return stream(b, [...cmds, 'M400']).at(-1)! - 100;
}

const A1000: SimOptions = { printAccel: 1000, travelAccel: 1000, retractAccel: 1000 };

describe('trapezoidS', () => {
  it('is length/v + v/a for a long move from rest to rest', () => {
    expect(trapezoidS(100, 1000, 100, 0, 0)).toBeCloseTo(1 + 0.1, 12);
  });
  it('is a triangle when the move is too short to reach the cruise speed', () => {
    // peak = sqrt(a·len) when starting and ending at rest
    expect(trapezoidS(1, 1000, 100, 0, 0)).toBeCloseTo((2 * Math.sqrt(1000)) / 1000, 12);
  });
  it('is length/v when entry and exit are already at the cruise speed', () => {
    expect(trapezoidS(10, 1000, 100, 100, 100)).toBeCloseTo(0.1, 12);
  });
});

describe('acceleration in the virtual printer', () => {
  it('is off by default: a move takes length / feedrate', () => {
    const b = bench({ parseCostMs: 0, slowdown: false });
    expect(stream(b, ['G1 X100 F6000', 'M400']).at(-1)).toBeCloseTo(100 + 1000, 6);
  });

  it('a long move at 100 mm/s with a = 1000 takes length/v + v/a', () => {
    expect(motionMs(A1000, ['G1 X100 F6000'])).toBeCloseTo(1000 + 100, 6);
  });

  it("uses Marlin 2.1's stock 3000 mm/s² unless told otherwise", () => {
    expect(motionMs({}, ['G1 X100 F6000'])).toBeCloseTo(1000 + 100 / 3, 6);
  });

  it('M204 P/T and S change the acceleration of print and travel moves', () => {
    expect(motionMs(A1000, ['M204 T500', 'G1 X100 F6000'])).toBeCloseTo(1000 + 200, 6);
    expect(motionMs(A1000, ['M204 T500', 'G1 X100 E5 F6000'])).toBeCloseTo(1000 + 100, 6); // extruding: P
    expect(motionMs(A1000, ['M204 S250', 'G1 X100 E5 F6000'])).toBeCloseTo(1000 + 400, 6);
  });

  it('M201 limits the acceleration per axis, M203 the feedrate per axis', () => {
    expect(motionMs(A1000, ['M201 X200', 'G1 X100 F6000'])).toBeCloseTo(1000 + 500, 6);
    // Z at 5 mm/s stock; M203 Z10 lets it go 10 mm/s (a = 100 mm/s² on Z: 10/100 s extra)
    expect(motionMs(A1000, ['G1 Z10 F600'])).toBeCloseTo(2000 + 50, 6);
    expect(motionMs(A1000, ['M203 Z10', 'G1 Z10 F600'])).toBeCloseTo(1000 + 100, 6);
  });

  it('a short segment on its own is limited by acceleration, not by its feedrate', () => {
    // 1 mm at 100 mm/s would take 10 ms; from rest to rest it peaks at sqrt(a·len) = 31.6 mm/s
    expect(motionMs(A1000, ['G1 X1 F6000'])).toBeCloseTo(2 * Math.sqrt(1000), 6);
  });

  it('a chain of collinear 1 mm segments cruises: the look-ahead spans the queued blocks', () => {
    const segs = Array.from({ length: 200 }, (_, i) => `G1 X${i + 1} F6000`);
    // one ramp up and one ramp down for the whole chain, as for a single 200 mm move
    expect(motionMs(A1000, segs)).toBeCloseTo(2000 + 100, 3);
  });

  it('a fed planner plans ahead, a starved one stops at the end of every block', () => {
    const segs = Array.from({ length: 20 }, (_, i) => `G1 X${(i + 1) * 10} F6000`);
    const fed = motionMs(A1000, segs);
    // M400 after each move: the planner never holds more than one block
    const starved = motionMs(A1000, segs.flatMap((s) => [s, 'M400'])) - 19 * 100; // 19 more restart delays
    expect(fed).toBeCloseTo(2000 + 100, 3);
    expect(starved).toBeCloseTo(20 * (100 + 100), 3);
  });

  it('a 90° corner slows to the junction-deviation speed', () => {
    // JD 0.013 mm, a = 1000: v² = a·jd·sin(θ/2)/(1 − sin(θ/2)) with sin(θ/2) = √½ at 90°
    const s = Math.SQRT1_2;
    const vj = Math.sqrt((1000 * 0.013 * s) / (1 - s)); // 5.60 mm/s
    // 10 mm at 100 mm/s: from rest up to 100 (5 mm), cruise, brake to vj; then up from vj, down to 0
    const brake = (100 - vj) / 1000;
    const brakeMm = (100 ** 2 - vj ** 2) / 2000;
    const leg = 0.1 + brake + (10 - 5 - brakeMm) / 100;
    expect(motionMs(A1000, ['G1 X10 F6000', 'G1 Y10'])).toBeCloseTo(2 * leg * 1000, 6);
  });

  it('a reversal stops completely', () => {
    expect(motionMs(A1000, ['G1 X10 F6000', 'G1 X0'])).toBeCloseTo(2 * (100 + 100), 6);
  });

  it('classic jerk starts from rest at the safe speed (jerk), and M205 X changes it', () => {
    // entry at 10 mm/s (X jerk), exit at 0 (Marlin's MINIMUM_PLANNER_SPEED)
    const t = (vs: number): number => ((100 - vs) / 1000 + 0.1 + (100 - (100 ** 2 - vs ** 2) / 2000 - 5) / 100) * 1000;
    expect(motionMs({ ...A1000, classicJerk: true }, ['G1 X100 F6000'])).toBeCloseTo(t(10), 6);
    expect(motionMs({ ...A1000, classicJerk: true }, ['M205 X20', 'G1 X100 F6000'])).toBeCloseTo(t(20), 6);
  });

  it('arcs run at speed when their segments meet at shallow angles', () => {
    // 10 mm to the start (200 ms), the restart delay after M400, then a full circle of r = 10
    // (62.8 mm in 62 segments) at 100 mm/s: one ramp up and one down
    expect(motionMs(A1000, ['G1 X10 Y0 F6000', 'M400', 'G2 X10 Y0 I-10 J0'])).toBeCloseTo(200 + 100 + (2 * Math.PI * 10 * 10 + 100), 0);
  });

  it('speed scales the trapezoid like any other printer time', () => {
    const b = bench({ ...A1000, parseCostMs: 0, slowdown: false, acceleration: true, speed: 10 });
    expect(stream(b, ['G1 X100 F6000', 'M400']).at(-1)).toBeCloseTo((100 + 1100) / 10, 6);
  });

  it('dilation stays near 1 with a host that keeps the planner fed', () => {
    const b = bench({ ...A1000, parseCostMs: 0, slowdown: false, acceleration: true });
    stream(b, [...Array.from({ length: 300 }, (_, i) => `G1 X${i + 1} F6000`), 'M400']);
    const s = b.printer.stats();
    expect(s.motionMs).toBeCloseTo(3000 + 100, 3);
    // the ideal is a lower bound: every block as fast as its own junctions allow
    expect(s.idealMotionMs).toBeLessThanOrEqual(s.motionMs);
    expect(s.motionMs / s.idealMotionMs).toBeLessThan(1.05);
  });

  it('sim://?accel=1 turns it on', () => {
    expect(parseSimUrl('sim://?accel=1').acceleration).toBe(true);
    expect(parseSimUrl('sim://').acceleration).toBeUndefined();
  });
});
