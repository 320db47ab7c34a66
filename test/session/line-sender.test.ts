import { describe, expect, it } from 'vitest';
import { LineSender, ProtocolError, type OutgoingCommand } from '../../src/session/line-sender.js';
import type { MarlinMessage } from '../../src/marlin/messages.js';

type Ok = Extract<MarlinMessage, { kind: 'ok' }>;
const ok: Ok = { kind: 'ok', raw: 'ok' };

function senderWith(commands: string[], window = { maxLines: 1, maxBytes: 127 }, historySize = 256) {
  const queue = commands.map((c): OutgoingCommand<string> => ({ command: c, long: /^(G28|M109|M190|M400)\b/.test(c), meta: c }));
  const s = new LineSender<string>({ window, historySize, maxConsecutiveResends: 10, resendOkTimeoutMs: 500 });
  s.setSource(() => queue.shift());
  return s;
}

describe('LineSender: ping-pong', () => {
  it('frames lines with numbers and checksums and keeps one in flight', () => {
    const s = senderWith(['M115', 'G28', 'G1 X10']);
    expect(s.fill(0)).toEqual(['N1 M115*39']);
    expect(s.fill(0)).toEqual([]);
    expect(s.onOk(ok)?.cmd.command).toBe('M115');
    expect(s.fill(1)).toEqual([expect.stringMatching(/^N2 G28\*\d+$/)]);
    expect(s.onOk(ok)?.lineNo).toBe(2);
    expect(s.fill(2)).toEqual([expect.stringMatching(/^N3 G1 X10\*\d+$/)]);
  });

  it('ignores a stray ok: it never adds credit', () => {
    const s = senderWith(['G1 X1', 'G1 X2', 'G1 X3']);
    expect(s.onOk(ok)).toBeUndefined();
    expect(s.stats.strayOks).toBe(1);
    expect(s.fill(0)).toHaveLength(1);
    expect(s.fill(0)).toHaveLength(0);
  });

  it('replays the requested line after Error/Resend/ok (Marlin 2.1)', () => {
    const s = senderWith(['G1 X1', 'G1 X2', 'G1 X3']);
    const l1 = s.fill(0)[0];
    s.onOk(ok);
    const l2 = s.fill(0)[0]!;
    s.onOtherLine(true); // Error:checksum mismatch, Last Line: 1
    s.onResend(2, 10);
    expect(s.fill(10)).toEqual([]); // waits for the ok that belongs to the resend request
    expect(s.onOk(ok)).toBeUndefined();
    expect(s.fill(11)).toEqual([l2]);
    expect(s.onOk(ok)?.lineNo).toBe(2);
    expect(s.fill(12)).toEqual([expect.stringMatching(/^N3 G1 X3\*/)]);
    expect(l1).toMatch(/^N1 /);
  });

  it('replays without the ok when the firmware omits it (Prusa), after the timeout', () => {
    const s = senderWith(['G1 X1', 'G1 X2']);
    s.fill(0);
    s.onResend(1, 100);
    expect(s.fill(300)).toEqual([]);
    s.tick(599);
    expect(s.fill(599)).toEqual([]);
    s.tick(600);
    expect(s.fill(600)).toEqual([expect.stringMatching(/^N1 G1 X1\*/)]);
    expect(s.onOk(ok)?.lineNo).toBe(1);
  });

  it('a second Error while the ok is owed means the ok is not coming', () => {
    const s = senderWith(['G1 X1']);
    s.fill(0);
    s.onResend(1, 0);
    s.onOtherLine(true);
    expect(s.fill(1)).toHaveLength(1);
  });

  it('copes with an ok that comes before the resend request (Repetier)', () => {
    const s = senderWith(['G1 X1', 'G1 X2', 'G1 X3']);
    s.fill(0);
    expect(s.onOk(ok)?.lineNo).toBe(1); // ok arrives first...
    s.onResend(1, 5); // ...then the request for the same line
    s.tick(505);
    expect(s.fill(505)).toEqual([expect.stringMatching(/^N1 G1 X1\*/)]);
    expect(s.onOk(ok)?.lineNo).toBe(1);
    expect(s.fill(506)).toEqual([expect.stringMatching(/^N2 G1 X2\*/)]);
  });

  it('fails when the requested line is no longer in the history', () => {
    const s = senderWith(Array.from({ length: 20 }, (_, i) => `G1 X${i}`), { maxLines: 1, maxBytes: 127 }, 8);
    for (let i = 0; i < 15; i++) { s.fill(i); s.onOk(ok); }
    expect(() => s.onResend(2, 20)).toThrowError(ProtocolError);
  });

  it('gives up after 10 resend requests in a row without progress', () => {
    const s = senderWith(['G1 X1']);
    s.fill(0);
    for (let i = 0; i < 10; i++) {
      s.onResend(1, i * 1000);
      s.onOk(ok);
      expect(s.fill(i * 1000 + 1)).toHaveLength(1);
    }
    expect(() => s.onResend(1, 20_000)).toThrowError(/resends in a row/);
  });

  it('ignores an ADVANCED_OK ok for a line already acknowledged (a duplicate)', () => {
    const s = senderWith(['G1 X1', 'G1 X2', 'G1 X3']);
    s.fill(0);
    expect(s.onOk({ kind: 'ok', lineNo: 1, plannerFree: 10, bufferFree: 3, raw: 'ok N1 P10 B3' })?.lineNo).toBe(1);
    s.fill(1);
    expect(s.onOk({ kind: 'ok', lineNo: 1, plannerFree: 10, bufferFree: 3, raw: 'ok N1 P10 B3' })).toBeUndefined();
    expect(s.onOk({ kind: 'ok', lineNo: 2, plannerFree: 10, bufferFree: 3, raw: 'ok N2 P10 B3' })?.lineNo).toBe(2);
  });

  it('ignores a request for a line that was never sent', () => {
    const s = senderWith(['G1 X1']);
    s.fill(0);
    s.onResend(7, 0);
    expect(s.onOk(ok)).toBeUndefined(); // the ok belongs to the bogus request
    expect(s.onOk(ok)?.lineNo).toBe(1);
  });
});

describe('LineSender: several lines in flight', () => {
  const window = { maxLines: 3, maxBytes: 120 };

  it('ignores the duplicate requests that lines rejected after the bad one draw', () => {
    const s = senderWith(['G1 X1', 'G1 X2', 'G1 X3', 'G1 X4', 'G1 X5'], window);
    const sent = s.fill(0);
    expect(sent).toHaveLength(3);
    // Line 1 corrupted: each line in flight draws Error/Resend: 1/ok.
    s.onResend(1, 1);
    s.onOk(ok);
    expect(s.fill(2)).toEqual([sent[0]]);
    s.onResend(1, 3); // duplicate from line 2
    s.onOk(ok);
    s.onResend(1, 4); // duplicate from line 3
    s.onOk(ok);
    expect(s.stats.duplicateResends).toBe(2);
    expect(s.fill(5)).toEqual([]); // replay is one line at a time
    expect(s.onOk(ok)?.lineNo).toBe(1);
    expect(s.fill(6)).toEqual([sent[1]]);
    expect(s.onOk(ok)?.lineNo).toBe(2);
    expect(s.fill(7)).toEqual([sent[2]]);
    expect(s.onOk(ok)?.lineNo).toBe(3);
    expect(s.fill(8)).toHaveLength(2); // lines 4 and 5, new
  });

  it('sends a long command alone: after the lines before it are acknowledged, nothing until its ok', () => {
    const s = senderWith(['G1 X1', 'M109 S200', 'G1 X2', 'G1 X3'], window);
    expect(s.fill(0).map((l) => l.split(' ')[1])).toEqual(['G1']);
    s.onOk(ok);
    expect(s.fill(1).map((l) => l.split(' ')[1])).toEqual(['M109']);
    expect(s.fill(2)).toEqual([]);
    expect(s.onOk(ok)?.cmd.command).toBe('M109 S200');
    expect(s.fill(3)).toHaveLength(2);
  });

  it('keeps framed bytes in flight within the byte budget', () => {
    const long = 'G1 X100.123 Y100.456 Z0.3 E12.34567 F1800';
    const s = senderWith([long, long, long, long], { maxLines: 10, maxBytes: 100 });
    const out = s.fill(0);
    expect(out.length).toBeLessThan(4);
    expect(out.reduce((n, l) => n + l.length + 1, 0)).toBeLessThanOrEqual(100);
  });

  it('acknowledgeAll clears everything in flight (a poke was answered)', () => {
    const s = senderWith(['G1 X1', 'G1 X2'], window);
    s.fill(0);
    expect(s.acknowledgeAll().map((l) => l.lineNo)).toEqual([1, 2]);
    expect(s.inFlightCount).toBe(0);
  });
});
