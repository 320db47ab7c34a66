// Minimum intervals, a failure after a cancel, once-per-episode alarms, quiet hours.
import { describe, expect, it } from 'vitest';
import type { QuietHours } from '../../../src/config/types.js';
import { inQuietHours, parseClockTime } from '../../../src/notify/rules/quiet-hours.js';
import { allEnabled } from '../render/fixtures.js';
import { events, Harness, MIN } from './harness.js';

const H = 60 * MIN;

describe('per-event minimum interval', () => {
  it('drops repeats within N minutes; resets when a print ends', () => {
    const c = allEnabled({ heartbeatMinutes: 0 });
    c.progress.everyPercent = 5;
    c.events.Progress.minIntervalMinutes = 10;
    const h = new Harness(c);
    h.start();
    const sent: number[] = [];
    for (let p = 5; p <= 60; p += 5) {
      if (h.advance(2 * MIN).progress({ percent: p }).length) sent.push(p);
    }
    // 2 min per step: one message per 10 minutes = every fifth step.
    expect(sent).toEqual([5, 30, 55]);
    h.emit({ event: 'PrintDone', at: h.t, job: h.job });
    h.job = { ...h.job, percent: 0 };
    h.start();
    expect(events(h.advance(MIN).progress({ percent: 5 }))).toEqual(['Progress']);
  });

  it('each event has its own interval', () => {
    const c = allEnabled({ heartbeatMinutes: 0 });
    c.events.Error.minIntervalMinutes = 5;
    const h = new Harness(c);
    const err = () => h.emit({ event: 'Error', at: h.t, error: 'MINTEMP', fatal: false });
    expect(events(err())).toEqual(['Error']);
    expect(events(h.advance(4 * MIN).emit({ event: 'Disconnected', at: h.t, port: '/dev/ttyACM0' }))).toEqual(['Disconnected']);
    expect(events(err())).toEqual([]);
    expect(events(h.advance(MIN).emit({ event: 'Error', at: h.t, error: 'MINTEMP', fatal: false }))).toEqual(['Error']);
  });
});

describe('PrintFailed right after PrintCancelled (ignoreFailAfterCancel)', () => {
  const cancelThenFail = (afterMs: number, ignore = true) => {
    const h = new Harness(allEnabled({ ignoreFailAfterCancel: ignore, heartbeatMinutes: 0 }));
    h.start();
    const id = h.rules.currentPrintId;
    h.emit({ event: 'PrintCancelled', at: h.t, job: h.job, reason: 'cancelled from the CLI' });
    return { id, failed: h.advance(afterMs).emit({ event: 'PrintFailed', at: h.t, job: h.job, error: 'port closed' }), h };
  };

  it.each([
    [10_000, true, []],
    [30_000, true, []],
    [30_001, true, ['PrintFailed']],
    [10_000, false, ['PrintFailed']],
  ])('%d ms after, ignore %s → %j', (ms, ignore, expected) => {
    expect(events(cancelThenFail(ms, ignore).failed)).toEqual(expected);
  });

  it('kept (option off), the failure stays in the cancelled print\'s thread', () => {
    const { id, failed } = cancelThenFail(5_000, false);
    expect(failed[0]!.printId).toBe(id);
  });

  it('a new print that fails quickly after a cancel is reported', () => {
    const { h } = cancelThenFail(1_000);
    h.start();
    expect(events(h.advance(5_000).emit({ event: 'PrintFailed', at: h.t, job: h.job, error: 'MAXTEMP' }))).toEqual(['PrintFailed']);
  });
});

describe('once per episode', () => {
  it('FilamentRunout: repeats dropped until the print resumes', () => {
    const h = new Harness(allEnabled({ heartbeatMinutes: 0 }));
    h.start();
    const runout = () => h.emit({ event: 'FilamentRunout', at: h.t, job: h.job, tool: 0, text: 'filament ran out' });
    const [first] = runout();
    expect(first).toMatchObject({ event: 'FilamentRunout', reason: 'filament ran out on T0' });
    expect(events(h.advance(5 * MIN).emit({ event: 'FilamentRunout', at: h.t, text: 'filament ran out (filament_runout T0)' }))).toEqual([]);
    h.emit({ event: 'PrintResumed', at: h.t, job: h.job });
    expect(events(runout())).toEqual(['FilamentRunout']);
  });

  it('PausedForUser: once, ended by the printer\'s ok, escalated to urgent once when nobody comes', () => {
    const h = new Harness(allEnabled({ heartbeatMinutes: 0 }));
    h.start();
    const wait = () => h.emit({ event: 'PausedForUser', at: h.t, job: h.job, text: 'the printer is waiting for you (paused for user)' });
    expect(events(wait())).toEqual(['PausedForUser']);
    expect(events(h.advance(2000).line('received', 'echo:busy: paused for user'))).toEqual([]);
    expect(events(wait())).toEqual([]);
    expect(events(h.advance(10 * MIN).tick())).toEqual([]);
    const [esc] = h.advance(5 * MIN).tick();
    expect(esc).toMatchObject({ event: 'PausedForUser', level: 'urgent', reason: 'still waiting after 15 minutes' });
    expect(events(h.advance(30 * MIN).tick())).toEqual([]);
    h.line('received', 'ok');
    expect(events(wait())).toEqual(['PausedForUser']);
  });

  it('an answered wait is not escalated', () => {
    const h = new Harness(allEnabled({ heartbeatMinutes: 0 }));
    h.emit({ event: 'PausedForUser', at: h.t, text: 'waiting' });
    h.advance(MIN).line('received', 'echo:busy: processing');
    expect(events(h.advance(30 * MIN).tick())).toEqual([]);
  });
});

describe('quiet hours', () => {
  const night: QuietHours = { start: '22:00', end: '07:00', mode: 'silent' };
  // Harness time starts 18:30 Berlin; 5 h later is 23:30.
  const quietHarness = (q: QuietHours, timezone = 'Europe/Berlin') => {
    const c = allEnabled({ heartbeatMinutes: 0, quietHours: q });
    c.format.timezone = timezone;
    c.progress.everyPercent = 10;
    return new Harness(c);
  };

  it('silent mode: routine messages go out silently, others normally', () => {
    const h = quietHarness(night);
    h.start();
    expect(h.progress({ percent: 10 })[0]!.silent).toBe(false);
    h.advance(5 * H);
    expect(h.progress({ percent: 20 })[0]!.silent).toBe(true);
    expect(h.emit({ event: 'PrintPaused', at: h.t, job: h.job, reason: 'x' })[0]!.silent).toBe(false); // attention
    expect(h.emit({ event: 'FilamentRunout', at: h.t, job: h.job, text: 'runout' })[0]!.silent).toBe(false);
    expect(h.emit({ event: 'Error', at: h.t, error: 'MINTEMP', fatal: true })[0]!.silent).toBe(false);
    expect(h.emit({ event: 'PrintFailed', at: h.t, job: h.job, error: 'MINTEMP' })[0]!.silent).toBe(false);
  });

  it('failures break through even when configured as routine', () => {
    const h = quietHarness({ ...night, mode: 'hold' });
    h.config.events.PrintFailed.level = 'routine';
    h.start();
    h.advance(5 * H);
    expect(h.emit({ event: 'PrintFailed', at: h.t, job: h.job, error: 'MINTEMP' })[0]).toMatchObject({ event: 'PrintFailed', silent: false });
  });

  it('hold mode: routine messages wait until the window ends, only the newest progress', () => {
    const h = quietHarness({ ...night, mode: 'hold' });
    h.start();
    h.advance(5 * H);
    expect(h.progress({ percent: 10 })).toEqual([]);
    expect(h.advance(H).progress({ percent: 20 })).toEqual([]);
    expect(events(h.emit({ event: 'FilamentRunout', at: h.t, job: h.job, text: 'runout' }))).toEqual(['FilamentRunout']);
    expect(h.emit({ event: 'PrintResumed', at: h.t, job: h.job })).toEqual([]);
    // 07:00 Berlin is 7.5 h after 23:30 — one minute before, still held.
    expect(h.advance(6.5 * H - MIN).tick()).toEqual([]);
    const released = h.advance(MIN).tick();
    expect(released.map((i) => [i.event, i.job?.percent, i.silent])).toEqual([['Progress', 20, false], ['PrintResumed', 20, false]]);
    expect(h.tick()).toEqual([]);
  });

  it('held messages also come out ahead of the next event after the window', () => {
    const h = quietHarness({ ...night, mode: 'hold' });
    h.advance(5 * H);
    h.start();
    expect(events(h.advance(9 * H).emit({ event: 'Error', at: h.t, error: 'x', fatal: false }))).toEqual(['PrintStarted', 'Error']);
  });

  it('the window is read in the configured time zone', () => {
    // 18:30 Berlin = 12:30 New York; +10 h = 22:30 New York (04:30 Berlin).
    const ny = quietHarness(night, 'America/New_York');
    ny.start();
    expect(ny.progress({ percent: 10 })[0]!.silent).toBe(false);
    expect(ny.advance(10 * H).progress({ percent: 20 })[0]!.silent).toBe(true);
    const berlin = quietHarness({ start: '03:00', end: '04:00', mode: 'silent' });
    berlin.start();
    expect(berlin.advance(10 * H).progress({ percent: 10 })[0]!.silent).toBe(false);
  });

  const at = (hh: number, mm: number) => Date.UTC(2026, 10, 2, hh, mm);
  it.each([
    ['22:00', '07:00', 21, 59, false],
    ['22:00', '07:00', 22, 0, true],
    ['22:00', '07:00', 0, 30, true],
    ['22:00', '07:00', 6, 59, true],
    ['22:00', '07:00', 7, 0, false],
    ['13:00', '14:00', 13, 30, true],
    ['13:00', '14:00', 14, 30, false],
    ['08:00', '08:00', 8, 0, false],
    ['25:00', '07:00', 1, 0, false],
  ])('%s–%s at %d:%d UTC → %s', (start, end, hh, mm, inside) => {
    expect(inQuietHours({ start, end, mode: 'silent' }, at(hh, mm), 'UTC')).toBe(inside);
  });

  it('parses clock times', () => {
    expect([parseClockTime('7:05'), parseClockTime(' 23:59 '), parseClockTime('24:00'), parseClockTime('7pm')]).toEqual([425, 1439, undefined, undefined]);
  });
});

describe('enabled flags and event mapping', () => {
  it('disabled events produce nothing; bus-only events are ignored', () => {
    const c = allEnabled({ heartbeatMinutes: 0 });
    c.events.Connected.enabled = false;
    const h = new Harness(c);
    expect(h.emit({ event: 'Connected', at: h.t, port: 'p', capabilities: [], advancedOk: true })).toEqual([]);
    expect(h.emit({ event: 'Temperature', at: h.t, heaters: {} })).toEqual([]);
    expect(h.emit({ event: 'Notice', at: h.t, text: 'hi', level: 'info' })).toEqual([]);
  });

  it('chat users come from `by`, host-side causes do not', () => {
    const h = new Harness(allEnabled({ heartbeatMinutes: 0 }));
    h.start();
    expect(h.emit({ event: 'PrintPaused', at: h.t, job: h.job, reason: 'from chat', by: 'ada' })[0]).toMatchObject({ chatUser: 'ada', reason: 'from chat' });
    expect(h.emit({ event: 'PrintResumed', at: h.t, job: h.job, by: 'printer' })[0]!.chatUser).toBeUndefined();
  });

  it('status: a Progress now, even with Progress off, never throttled', () => {
    const h = new Harness(allEnabled({ heartbeatMinutes: 0 }));
    h.config.events.Progress.enabled = false;
    h.start();
    const s = h.rules.status({ ...h.printer, job: h.job }, 'grace');
    expect(s).toMatchObject({ event: 'Progress', kind: 'other', chatUser: 'grace', printId: h.rules.currentPrintId, settings: { enabled: true } });
  });
});
