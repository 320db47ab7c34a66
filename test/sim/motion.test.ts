// Planner, moves and positions: the ok of a move is what paces a stream, so timing matters here.
import { describe, expect, it } from 'vitest';
import type { SimOptions } from '../../src/sim/sim-options.js';
import { bench, type Bench, frame } from './sim-harness.js';

/** Send `cmds` one per ok (ping-pong); returns the time each ok arrived. */
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

const opts: SimOptions = { parseCostMs: 0, slowdown: false };

describe('planner flow control', () => {
  it('accepts 15 moves at once, then one per finished block (100 ms restart delay first)', () => {
    const b = bench(opts);
    const moves = Array.from({ length: 20 }, (_, i) => `G1 X${(i + 1) * 10} F600`); // 10 mm at 10 mm/s: 1 s each
    const okAt = stream(b, moves);
    expect(okAt.slice(0, 15).every((t) => t === 0)).toBe(true);
    // block k (1-based) ends at 100 + 1000 k; the 16th move gets the first free block
    expect(okAt.slice(15)).toEqual([1100, 2100, 3100, 4100, 5100]);
    expect(b.printer.stats()).toMatchObject({ plannerBlocks: 20, plannerUnderruns: 0 });
    expect(b.printer.stats().idealMotionMs).toBeCloseTo(20_000, 6);
  });

  it('speed scales motion time', () => {
    const b = bench({ ...opts, speed: 10 });
    const okAt = stream(b, Array.from({ length: 16 }, (_, i) => `G1 X${(i + 1) * 10} F600`));
    expect(okAt[15]).toBeCloseTo(10 + 100, 6); // restart delay 10 ms, block 100 ms
  });

  it('a move waiting for a full planner keeps the host informed with busy lines', () => {
    const b = bench(opts);
    stream(b, Array.from({ length: 16 }, (_, i) => `G1 X${(i + 1) * 30} F600`)); // 3 s per block
    const busy = b.timed.filter((x) => x.line === 'echo:busy: processing').map((x) => x.t);
    expect(busy).toEqual([2000]); // the 16th move waited 3.1 s
  });

  it('M400 and G4 wait for the moves to finish first', () => {
    const b = bench(opts);
    const okAt = stream(b, ['G1 X10 F600', 'M400', 'G1 X20 F600', 'G4 P500', 'M105']);
    expect(okAt).toEqual([0, 1100, 1100, 1100 + 1100 + 500, 2700]);
    expect(b.printer.stats().plannerUnderruns).toBe(0); // stops that were asked for are not underruns
  });

  it('counts an underrun when the planner runs dry and motion resumes later', () => {
    const b = bench(opts);
    b.send('G1 X10 F600');
    b.advance(3000);
    b.send('G1 X20 F600');
    b.advance(3000);
    expect(b.printer.stats()).toMatchObject({ plannerUnderruns: 1, plannerEmptyMsMax: 3000 - 1100 + 100 });
  });

  it('SLOWDOWN stretches short segments while the planner is under half full', () => {
    const b = bench({ parseCostMs: 0 });
    stream(b, Array.from({ length: 10 }, (_, i) => `G1 X${(i + 1) * 0.5} F6000`)); // 5 ms segments
    const s = b.printer.stats();
    expect(s.slowdownBlocks).toBe(6); // queued 2..7 when added
    // a 5 ms block added with q blocks queued becomes 5 + 2 * (20 - 5) / q ms
    const stretch = [2, 3, 4, 5, 6, 7].reduce((sum, q) => sum + (2 * (20 - 5)) / q, 0);
    expect(s.motionMs - s.idealMotionMs).toBeCloseTo(stretch, 6);
  });
});

describe('positions and modes', () => {
  it('tracks absolute/relative moves, E modes, G92 and reports them with M114', () => {
    const b = bench(opts);
    const cmds = ['G28', 'G1 X10 Y20 Z0.3 E1 F1200', 'G91', 'G1 X5 E1', 'G90', 'M83', 'G1 Y5 E2', 'G92 E0', 'G1 Z1', 'M114'];
    stream(b, cmds);
    const pos = b.out.filter((l) => l.startsWith('X:'));
    expect(pos.at(-1)).toBe('X:15.00 Y:5.00 Z:1.00 E:0.00 Count X:1200 Y:400 Z:400');
    expect(b.printer.snapshot().position).toEqual({ x: 15, y: 5, z: 1, e: 0 });
    expect(b.printer.snapshot().feedrate).toBe(1200);
  });

  it('splits G2/G3 arcs into ~1 mm segments (I/J and R forms)', () => {
    const b = bench(opts);
    // a half circle of r = 10 (31.4 mm) there, and back the other way in R form
    stream(b, ['G1 X0 Y0 F600', 'G2 X20 Y0 I10 J0', 'G3 X0 Y0 R10']);
    expect(b.printer.stats().plannerBlocks).toBe(62);
    expect(b.printer.stats().idealMotionMs).toBeCloseTo(2 * Math.PI * 10 * 100, 3);
    expect(b.printer.snapshot().position).toMatchObject({ x: 0, y: 0 });
  });

  it('G28 takes the homing time, reports the position and zeroes the axes', () => {
    const b = bench({ ...opts, homingMs: 3000 });
    const okAt = stream(b, ['G1 X50 Y50 F6000', 'G28 X']);
    expect(okAt[1]).toBeCloseTo(100 + (Math.hypot(50, 50) / 100) * 1000 + 1000, 3);
    expect(b.printer.snapshot().position).toMatchObject({ x: 0, y: 50 });
  });
});
