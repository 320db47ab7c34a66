// S8 (performance.md §5): a resend costs at most 2 round trips — the trip that failed and the
// replay. Deterministic transcripts through the LineSender, counting the exchanges (replies the
// host handled before it wrote again) from the first write of the lost line to new lines again.
import { describe, expect, it } from 'vitest';
import { LineSender, type OutgoingCommand } from '../../src/session/line-sender.js';
import type { MarlinMessage } from '../../src/marlin/messages.js';

type Ok = Extract<MarlinMessage, { kind: 'ok' }>;
const okN = (n: number): Ok => ({ kind: 'ok', lineNo: n, plannerFree: 0, bufferFree: 3, raw: `ok N${n} P0 B3` });
/** What Marlin with ADVANCED_OK answers to a command that had no line number (noise ate the `N`). */
const okNoN: Ok = { kind: 'ok', plannerFree: 0, bufferFree: 3, raw: 'ok P0 B3' };
const plainOk: Ok = { kind: 'ok', raw: 'ok' };

function pingPong(n: number, window = { maxLines: 1, maxBytes: 127 }) {
  const queue = Array.from({ length: n }, (_, i): OutgoingCommand<string> => ({ command: `G1 X${i + 1}`, long: false, meta: `${i + 1}` }));
  const s = new LineSender<string>({ window, historySize: 256, maxConsecutiveResends: 10, resendOkTimeoutMs: 500 });
  s.setSource(() => queue.shift());
  return s;
}
const lineNo = (framed: string | undefined): number => Number(/^N(\d+)/.exec(framed ?? '')?.[1]);

describe('resend recovery in ping-pong with ADVANCED_OK', () => {
  it('a checksum error: the failed trip and one replay, then new lines (2 exchanges)', () => {
    const s = pingPong(5);
    expect(lineNo(s.fill(0)[0])).toBe(1);
    s.onOk(okN(1));
    expect(lineNo(s.fill(1)[0])).toBe(2); // exchange 1: corrupted on the wire
    s.onOtherLine(true); // Error:checksum mismatch, Last Line: 1
    s.onResend(2, 2);
    expect(s.fill(2)).toEqual([]); // the trailing ok is owed and comes in the same packet
    s.onOk(plainOk);
    expect(lineNo(s.fill(2)[0])).toBe(2); // exchange 2: the replay
    expect(s.onOk(okN(2))?.lineNo).toBe(2);
    expect(lineNo(s.fill(3)[0])).toBe(3); // new lines again
  });

  it('noise destroyed the N: the ok without N is not taken for the line; it is replayed at once (2 exchanges, was 4)', () => {
    const s = pingPong(5);
    s.fill(0);
    s.onOk(okN(1));
    expect(lineNo(s.fill(1)[0])).toBe(2); // exchange 1: arrives as `ø2 G1 X2*…`, runs as junk
    // << echo:Unknown command: "ø2 G1 X2"   << ok P0 B3
    expect(s.onOk(okNoN)).toBeUndefined();
    expect(s.stats.unnumberedOks).toBe(1);
    const replay = s.fill(2);
    expect(replay.map(lineNo)).toEqual([2]); // exchange 2: the replay, not N3 (which would draw a rejection first)
    expect(s.onOk(okN(2))?.lineNo).toBe(2);
    expect(s.fill(3).map(lineNo)).toEqual([3]);
    expect(s.stats.linesReplayed).toBe(1);
  });

  it('after an error, an ok without N may be junk left by a split line: no replay is guessed', () => {
    const s = pingPong(5);
    s.fill(0);
    s.onOk(okN(1));
    s.fill(1); // N2, cut in two by a noisy newline: `N2 G1` (no checksum) and `X2*cs` (junk)
    s.onOtherLine(true); // Error:No Checksum with line number, Last Line: 1
    s.onResend(2, 2);
    s.onOk(plainOk);
    expect(s.fill(2).map(lineNo)).toEqual([2]); // the replay
    // The junk half runs and its ok arrives before the replay's: it must not trigger a second replay.
    s.onOk(okNoN);
    expect(s.stats.unnumberedOks).toBe(0);
    expect(s.fill(3).map(lineNo)).toEqual([3]);
  });

  it('a firmware whose oks never name lines: an ok without N is an ordinary ok', () => {
    const s = pingPong(3);
    s.fill(0);
    expect(s.onOk(okNoN)?.lineNo).toBe(1);
    expect(s.fill(1).map(lineNo)).toEqual([2]);
    expect(s.stats.unnumberedOks).toBe(0);
  });

  it('with a window, an ok without N is not guessed at (junk may be queued ahead of the line)', () => {
    const s = pingPong(6, { maxLines: 3, maxBytes: 127 });
    expect(s.fill(0).map(lineNo)).toEqual([1, 2, 3]);
    s.onOk(okN(1));
    expect(s.fill(1).map(lineNo)).toEqual([4]);
    s.onOk(okNoN);
    expect(s.stats.unnumberedOks).toBe(0);
  });

  it('the first rejection of a line after one run as junk is not counted as a duplicate to come', () => {
    // Without the fix above (window: the junk ok acknowledged N2), N3 draws `Resend: 2`: that is
    // the request itself, not a duplicate — a second fault on the replay must still be served.
    const s = pingPong(6, { maxLines: 3, maxBytes: 127 });
    s.fill(0); // N1 N2 N3
    s.onOk(okN(1));
    s.onOk(okNoN); // junk `ø2 …` taken for N2 (window: not guessed)
    s.onOtherLine(true); // N3: Line Number is not Last Line Number+1, Last Line: 1
    s.onResend(2, 5);
    s.onOk(plainOk);
    expect(s.fill(5).map(lineNo)).toEqual([2]);
    s.onOtherLine(true); // the replay is hit by noise too
    s.onResend(2, 6);
    expect(s.stats.duplicateResends).toBe(0);
    s.onOk(plainOk);
    expect(s.fill(6).map(lineNo)).toEqual([2]);
  });
});
