// The S8 metric (bench/resend-cost.ts) on hand-written transcripts: it counts round trips, so a
// reply held by random latency does not inflate it, and a host that waits an extra round trip —
// or learns of the loss one line late — fails it.
import { describe, expect, it } from 'vitest';
import { ResendCost } from '../../bench/resend-cost.js';

/** `<< text` a received line at time t; `>> text` a write made while handling it; `timer` a write from a timer. */
type Step = [t: number, dir: '<<' | '>>' | 'timer', text: string];

function run(steps: Step[]) {
  const c = new ResendCost();
  let open = false;
  for (const [t, dir, text] of steps) {
    if (dir === '<<') {
      if (open) c.endReceive();
      c.beginReceive(text, t);
      open = true;
    } else {
      if (dir === 'timer' && open) {
        c.endReceive();
        open = false;
      }
      c.write(text, t);
    }
  }
  if (open) c.endReceive();
  return c.episodes;
}

const L = (n: number): string => `N${n} G1 X${n}*0`;
/** Ping-pong streaming of lines a..b, one round trip of `rt` ms each, starting at t. */
function stream(a: number, b: number, t: number, rt = 10): Step[] {
  const out: Step[] = [];
  for (let n = a; n <= b; n++) out.push([t + (n - a) * rt, '<<', `ok N${n - 1} P0 B3`], [t + (n - a) * rt, '>>', L(n)]);
  return out;
}

describe('resend cost in round trips', () => {
  it('a clean resend costs 2: the trip that failed and the replay', () => {
    const [e] = run([...stream(1, 5, 0), [50, '<<', 'Error:checksum mismatch, Last Line: 4'], [50, '<<', 'Resend: 5'], [50, '<<', 'ok'], [50, '>>', L(5)], [60, '<<', 'ok N5 P0 B3'], [60, '>>', L(6)]]);
    expect(e).toMatchObject({ roundTrips: 2, faults: 1, line: 5, collateral: 0, ms: 20 });
  });

  it('a reply held 27 ms by the link still counts 2 round trips (the time ratio would say ~4.6)', () => {
    // The worst S8 ping-pong episode before this metric, as transcribed from the run.
    const [e] = run([...stream(1, 5, 0), [50.5, '<<', 'Error:checksum mismatch, Last Line: 4'], [78, '<<', 'Resend: 5'], [78, '<<', 'ok'], [78, '>>', L(5)], [86.5, '<<', 'ok N5 P3 B3'], [86.5, '>>', L(6)]]);
    expect(e!.roundTrips).toBe(2);
    expect(e!.ms / 10).toBeGreaterThan(3.5);
  });

  it('a host that waits for an extra ok before replaying fails: 3', () => {
    // It asks for an M400 first and replays only on that ok: one more exchange on the path.
    const [e] = run([...stream(1, 5, 0), [50, '<<', 'Error:checksum mismatch, Last Line: 4'], [50, '<<', 'Resend: 5'], [50, '<<', 'ok'], [50, '>>', 'N5 M400*0'],
      [55, '<<', 'Error:Line Number is not Last Line Number+1, Last Line: 4'], [55, '<<', 'Resend: 5'], [55, '<<', 'ok'], [55, '>>', L(5)], [65, '<<', 'ok N5 P0 B3'], [65, '>>', L(6)]]);
    expect(e!.roundTrips).toBeGreaterThan(2);
  });

  it('a host that replays only from a timer fails: 3', () => {
    const [e] = run([...stream(1, 5, 0), [50, '<<', 'Error:checksum mismatch, Last Line: 4'], [50, '<<', 'Resend: 5'], [50, '<<', 'ok'], [550, 'timer', L(5)], [560, '<<', 'ok N5 P0 B3'], [560, '>>', L(6)]]);
    expect(e!.roundTrips).toBe(3);
  });

  it('learning of a junk-run line only from the next line\'s rejection costs 3 (the old host: 4 exchanges, 1 of them the next line\'s own)', () => {
    const [e] = run([...stream(1, 5, 0), [50, '<<', 'echo:Unknown command: "ø5 G1 X5"'], [50, '<<', 'ok P0 B3'], [50, '>>', L(6)],
      [60, '<<', 'Error:Line Number is not Last Line Number+1, Last Line: 4'], [60, '<<', 'Resend: 5'], [60, '<<', 'ok'], [60, '>>', L(5)],
      [70, '<<', 'ok N5 P0 B3'], [70, '>>', L(6)], [80, '<<', 'ok N6 P0 B3'], [80, '>>', L(7)]]);
    expect(e).toMatchObject({ roundTrips: 3, collateral: 1, line: 5 });
  });

  it('the same fault with the replay at once (no Resend: ever comes) is an episode of 2', () => {
    const [e] = run([...stream(1, 5, 0), [50, '<<', 'echo:Unknown command: "ø5 G1 X5"'], [50, '<<', 'ok P0 B3'], [50, '>>', L(5)], [60, '<<', 'ok N5 P0 B3'], [60, '>>', L(6)]]);
    expect(e).toMatchObject({ roundTrips: 2, line: 5, faults: 1 });
  });

  it('window: rejections arrive ahead of the oks of earlier lines; lines behind the bad one are replayed one at a time and not charged', () => {
    const steps: Step[] = [
      [0, '<<', 'ok'], [0, '>>', L(1)], [0, '>>', L(2)], [0, '>>', L(3)],
      [10, '<<', 'ok N1 P0 B1'], [10, '>>', L(4)],
      [20, '<<', 'Error:checksum mismatch, Last Line: 3'], [20, '<<', 'Resend: 4'], [20, '<<', 'ok'],
      [22, '<<', 'ok N2 P0 B2'], [30, '<<', 'ok N3 P0 B3'], [30, '>>', L(4)],
      [35, '<<', 'ok N4 P0 B3'], [35, '>>', L(5)], [35, '>>', L(6)], [35, '>>', L(7)],
    ];
    expect(run(steps)[0]).toMatchObject({ roundTrips: 2, collateral: 0, line: 4 });
    const withCollateral: Step[] = [
      [0, '<<', 'ok'], [0, '>>', L(1)], [0, '>>', L(2)], [0, '>>', L(3)],
      [10, '<<', 'ok N1 P0 B1'], [10, '>>', L(4)],
      [12, '<<', 'Error:checksum mismatch, Last Line: 1'], [12, '<<', 'Resend: 2'], [12, '<<', 'ok'], [12, '>>', L(2)],
      [14, '<<', 'Error:Line Number is not Last Line Number+1, Last Line: 1'], [14, '<<', 'Resend: 2'], [14, '<<', 'ok'],
      [16, '<<', 'Error:Line Number is not Last Line Number+1, Last Line: 1'], [16, '<<', 'Resend: 2'], [16, '<<', 'ok'],
      [20, '<<', 'ok N2 P0 B3'], [20, '>>', L(3)], [25, '<<', 'ok N3 P0 B3'], [25, '>>', L(4)], [30, '<<', 'ok N4 P0 B3'], [30, '>>', L(5)],
    ];
    expect(run(withCollateral)[0]).toMatchObject({ roundTrips: 2, collateral: 2, line: 2, faults: 1 });
  });
});
