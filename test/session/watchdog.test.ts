// The timeout watchdog on its own, on a virtual clock: a fake sender holds the lines in flight,
// and the host's actions (nudge, poke, fail) are recorded. Checks run every 100 ms, as the
// session runs them.
import { beforeEach, describe, expect, it } from 'vitest';
import type { InFlightLine } from '../../src/session/line-sender.js';
import { NUDGE_MAX_MS } from '../../src/session/ok-pace.js';
import { DEFAULT_TIMEOUTS, type SessionTimeouts } from '../../src/session/session-options.js';
import { Watchdog } from '../../src/session/watchdog.js';
import { VirtualClock } from '../../src/util/clock.js';
import type { OctoslackError } from '../../src/util/errors.js';

const timeouts: SessionTimeouts = { ...DEFAULT_TIMEOUTS, okMs: 15_000, lineMs: 30_000, longCommandMs: 600_000, pokeMs: 10_000 };

let clock: VirtualClock;
let inFlight: InFlightLine[];
let actions: string[];
let failure: OctoslackError | undefined;
let wd: Watchdog;
let nextLineNo: number;

beforeEach(() => {
  clock = new VirtualClock(0);
  inFlight = [];
  actions = [];
  failure = undefined;
  nextLineNo = 1;
  wd = new Watchdog({
    clock,
    timeouts,
    portName: 'sim://test',
    sender: {
      get oldestInFlight() { return inFlight[0]; },
      get longInFlight() { return inFlight.some((l) => l.cmd.long); },
      get longLineInFlight() { return inFlight.find((l) => l.cmd.long); },
    },
    nudge: () => actions.push(`nudge@${clock.now()}`),
    poke: (reason) => actions.push(`poke@${clock.now()}: ${reason}`),
    fail: (err) => { failure = err; actions.push(`fail@${clock.now()}`); },
  });
});

/** A line goes out now. */
function send(command: string, long = false): InFlightLine {
  const line: InFlightLine = { lineNo: nextLineNo++, framedBytes: command.length + 8, cmd: { command, long }, sentAt: clock.now() };
  inFlight.push(line);
  return line;
}

/** Its ok arrives now (a received line, then the ok, then the sender drops the line). */
function ok(): void {
  wd.lineArrived();
  wd.okArrived();
  inFlight.shift();
}

/** Move time on to `t`, checking every 100 ms like the session's timer. Stops at a failure. */
function runTo(t: number): void {
  while (clock.now() + 100 <= t && !failure) {
    clock.advanceTo(clock.now() + 100);
    wd.check(clock.now());
  }
}

describe('Watchdog', () => {
  it('does nothing while nothing is in flight', () => {
    runTo(120_000);
    expect(actions).toEqual([]);
  });

  it('nudges once per line after the pace threshold (a second until the pace is known)', () => {
    send('G1 X1');
    runTo(NUDGE_MAX_MS);
    expect(actions).toEqual([]); // not beyond the threshold yet
    runTo(NUDGE_MAX_MS + 100);
    expect(actions).toEqual([`nudge@${NUDGE_MAX_MS + 100}`]);
    runTo(5000);
    expect(actions).toHaveLength(1); // once for this line
    ok();
    send('G1 X2');
    runTo(clock.now() + NUDGE_MAX_MS + 100);
    expect(actions).toHaveLength(2); // and once for the next one
  });

  it('nudges sooner once fast oks set the pace', () => {
    for (let i = 0; i < 64; i++) {
      send(`G1 X${i}`);
      runTo(clock.now() + 100);
      ok();
    }
    expect(actions).toEqual([]);
    const start = clock.now();
    send('G1 X100');
    runTo(start + 400); // 4 × the 100 ms pace = 400 ms: not beyond it yet
    expect(actions).toEqual([]);
    runTo(start + 500);
    expect(actions).toEqual([`nudge@${start + 500}`]);
  });

  it('pokes after okMs without an ok, and recovers when the poke is answered', () => {
    send('G1 X1');
    runTo(timeouts.okMs);
    expect(actions.filter((a) => a.startsWith('poke'))).toEqual([]);
    runTo(timeouts.okMs + 100);
    expect(actions.at(-1)).toBe(`poke@${timeouts.okMs + 100}: no ok for 15 s`);
    expect(wd.poking).toBe(true);
    wd.lineArrived();
    wd.okArrived();
    wd.pokeAnswered();
    inFlight.length = 0;
    expect(wd.poking).toBe(false);
    runTo(clock.now() + timeouts.pokeMs + 1000);
    expect(failure).toBeUndefined();
  });

  it('pokes when nothing at all was received for lineMs, even for a line just sent', () => {
    runTo(40_000); // idle, and silent (no temperature reports)
    send('G1 X1');
    runTo(40_100);
    expect(actions).toEqual(['poke@40100: nothing received for 40 s']);
  });

  it('fails after pokeMs without an answer to the poke, and sends no second poke meanwhile', () => {
    send('G1 X1');
    runTo(timeouts.okMs + 100);
    const pokedAt = clock.now();
    runTo(pokedAt + timeouts.pokeMs);
    expect(failure).toBeUndefined();
    runTo(pokedAt + timeouts.pokeMs + 100);
    expect(actions.filter((a) => a.startsWith('poke'))).toHaveLength(1);
    expect(actions.at(-1)).toBe(`fail@${pokedAt + timeouts.pokeMs + 100}`);
    expect(failure?.code).toBe('PRINTER_SILENT');
    expect(failure?.message).toBe('the printer stopped answering on sim://test (no reply to a poke after 25 s of silence)');
  });

  it('a poke replaced by another awaited M105 is forgotten: the ok timeout applies again', () => {
    send('G1 X1');
    runTo(timeouts.okMs + 100);
    wd.pokeReplaced();
    expect(wd.poking).toBe(false);
    runTo(timeouts.okMs + 200); // still no ok: poked again at the next check
    expect(actions.filter((a) => a.startsWith('poke'))).toEqual([`poke@${timeouts.okMs + 100}: no ok for 15 s`, `poke@${timeouts.okMs + 200}: no ok for 15 s`]);
    expect(wd.poking).toBe(true);
  });

  it.each<[string, number]>([
    ['G28', 0],
    ['M109 S210', 0],
    ['G4 P5000', 5000],
    ['G4 S90', 90_000],
  ])('gives a long command (%s) longCommandMs + its dwell, with no nudge and no ok timeout', (command, dwell) => {
    send(command, true);
    const limit = timeouts.longCommandMs + dwell;
    runTo(limit);
    expect(actions).toEqual([]);
    runTo(limit + 100);
    const code = command.split(' ')[0];
    expect(actions).toEqual([`poke@${limit + 100}: nothing received for ${Math.round((limit + 100) / 1000)} s during ${code}`]);
  });

  it('times a long command behind a short one by the long one', () => {
    send('G1 X1');
    send('G4 P60000', true);
    runTo(timeouts.longCommandMs + 60_000 + 100);
    expect(actions).toEqual([`poke@${timeouts.longCommandMs + 60_100}: nothing received for 660 s during G4`]);
  });

  it('busy resets the ok timer', () => {
    send('G1 X1');
    runTo(10_000);
    wd.lineArrived();
    wd.busyArrived();
    runTo(10_000 + timeouts.okMs);
    expect(actions.filter((a) => a.startsWith('poke'))).toEqual([]); // 25 s without an ok, busy at 10 s
    runTo(10_000 + timeouts.okMs + 100);
    expect(actions.at(-1)).toBe(`poke@${10_000 + timeouts.okMs + 100}: no ok for 15 s`);
  });

  it('busy holds off the long-command timeout even when no other line comes', () => {
    send('M109 S210', true);
    runTo(500_000);
    wd.busyArrived(); // told of busy only: the line clock still says 500 s of silence
    runTo(timeouts.longCommandMs + 100_000);
    expect(actions).toEqual([]);
    runTo(500_000 + timeouts.longCommandMs + 100);
    expect(actions).toEqual([`poke@${500_000 + timeouts.longCommandMs + 100}: nothing received for 1100 s during M109`]);
  });

  it('busy delays the nudge too', () => {
    send('G1 X1');
    runTo(800);
    wd.busyArrived();
    runTo(800 + NUDGE_MAX_MS);
    expect(actions).toEqual([]);
    runTo(800 + NUDGE_MAX_MS + 100);
    expect(actions).toEqual([`nudge@${800 + NUDGE_MAX_MS + 100}`]);
  });

  it('measures quiet time from the last line received', () => {
    runTo(3000);
    wd.lineArrived();
    runTo(4500);
    expect(wd.quietMs).toBe(1500);
  });
});
