// Outbox delivery rules with in-memory notifiers: per-target order and one in flight, backoff and
// Retry-After (on a virtual clock, exact), supersede, deadlines, permanent errors reported once,
// thread context, drain and stop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../../src/util/clock.js';
import { Outbox, type OutboxOptions } from '../../../src/notify/outbox/index.js';
import type { OutboxProblem } from '../../../src/notify/outbox/index.js';
import { note } from '../targets/sample.js';
import { quietLog, ScriptedNotifier, until } from './scripted-notifier.js';

let dir: string;
const open: Outbox[] = [];
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'outbox-')); });
afterEach(async () => {
  for (const o of open.splice(0)) await o.stop();
  rmSync(dir, { recursive: true, force: true });
});

function outbox(o: Partial<OutboxOptions> & Pick<OutboxOptions, 'notifiers'>): Outbox {
  const box = new Outbox({ dir, log: quietLog(), backoff: { baseMs: 5, maxMs: 20 }, ...o });
  open.push(box);
  return box;
}

describe('Outbox delivery', () => {
  it('delivers per target in order, one at a time; a failing target does not hold up another', async () => {
    const good = new ScriptedNotifier('good');
    const bad = new ScriptedNotifier('bad');
    bad.fallback = { ok: false, retry: true, error: 'down' };
    const box = outbox({ notifiers: [good, bad] });
    box.start();
    const ns = Array.from({ length: 6 }, () => note());
    for (const n of ns) box.enqueue(n);
    await until(() => good.sent.length === 6);
    expect(good.ids()).toEqual(ns.map((n) => n.id));
    expect(good.maxInFlight).toBe(1);
    expect(bad.ids().every((id) => id === ns[0]!.id)).toBe(true); // strict order: the head retries
    expect(box.counts()).toMatchObject({ delivered: 6, pending: 6 });
  });

  it('nothing is sent before start(); enqueue() does no delivery work on the caller\'s stack', async () => {
    const t = new ScriptedNotifier('t');
    const box = outbox({ notifiers: [t] });
    box.enqueue(note());
    await new Promise((r) => setTimeout(r, 20));
    expect(t.sent).toHaveLength(0);
    box.start();
    box.enqueue(note());
    expect(t.sent).toHaveLength(0);
    await until(() => t.sent.length === 2);
  });

  it('backs off exponentially with jitter, capped (virtual clock)', async () => {
    const clock = new VirtualClock();
    const t = new ScriptedNotifier('t', clock);
    for (let i = 0; i < 6; i++) t.script({ ok: false, retry: true, error: 'ECONNREFUSED' });
    const box = outbox({ notifiers: [t], clock, backoff: { baseMs: 1000, maxMs: 8000 }, random: () => 1 });
    box.start();
    box.enqueue(note({ at: clock.wallNow() }));
    await clock.run(() => t.sent.length === 7);
    const gaps = t.sent.slice(1).map((s, i) => s.at - t.sent[i]!.at);
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('waits exactly Retry-After on 429, and drain() does not cut it short', async () => {
    const clock = new VirtualClock();
    const t = new ScriptedNotifier('t', clock).script({ ok: false, retry: true, retryAfterS: 7, error: 'HTTP 429' });
    const box = outbox({ notifiers: [t], clock, random: () => 0.5 });
    box.start();
    box.enqueue(note({ at: clock.wallNow() }));
    await clock.run(() => t.sent.length === 1);
    void box.drain(60_000);
    await clock.run(() => t.sent.length === 2);
    expect(t.sent[1]!.at - t.sent[0]!.at).toBe(7000);
  });

  it('a newer progress update supersedes an undelivered one (not the one in flight, not another print\'s)', async () => {
    const t = new ScriptedNotifier('t').script('hang');
    const box = outbox({ notifiers: [t] });
    box.start();
    const p1 = note({ kind: 'progress' });
    box.enqueue(p1);
    await until(() => t.sent.length === 1);
    const p2 = note({ kind: 'progress' });
    const other = note({ kind: 'progress', printId: 'print-2' });
    const p3 = note({ kind: 'progress' });
    const done = note({ event: 'PrintDone' });
    for (const n of [p2, other, p3, done]) box.enqueue(n);
    await box.stop(); // aborts the hung p1: it stays queued
    box.start();
    await until(() => t.sent.length === 5);
    expect(t.ids()).toEqual([p1.id, p1.id, other.id, p3.id, done.id]);
  });

  it('drops messages past their deadline with a warning (progress 10 min, others 24 h)', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 2));
    const log = quietLog();
    const t = new ScriptedNotifier('t', clock);
    const box = outbox({ notifiers: [t], clock, log });
    const oldProgress = note({ kind: 'progress', at: clock.wallNow() - 11 * 60_000 });
    const oldDone = note({ at: clock.wallNow() - 25 * 3600_000 });
    const fresh = note({ at: clock.wallNow() - 60_000 });
    for (const n of [oldProgress, oldDone, fresh]) box.enqueue(n);
    box.start();
    await clock.run(() => t.sent.length === 1);
    expect(t.ids()).toEqual([fresh.id]);
    expect(log.warnings.filter((w) => w.includes('too old'))).toHaveLength(2);
    expect(box.counts()).toEqual({ delivered: 1, pending: 0, failed: 2 });
  });

  it('a progress update that cannot be delivered within its deadline is dropped, and later messages go on', async () => {
    const clock = new VirtualClock();
    const t = new ScriptedNotifier('t', clock);
    for (let i = 0; i < 50; i++) t.script({ ok: false, retry: true, error: 'timeout' });
    const box = outbox({ notifiers: [t], clock, backoff: { baseMs: 60_000, maxMs: 60_000 } });
    box.start();
    box.enqueue(note({ kind: 'progress', at: clock.wallNow() }));
    box.enqueue(note({ at: clock.wallNow() }));
    await clock.run(() => box.counts().failed === 1);
    expect(clock.now()).toBeGreaterThan(10 * 60_000);
    expect(clock.now()).toBeLessThan(12 * 60_000);
  });

  it('permanent errors: reported once per target and error (log + onProblem), dropped, never retried', async () => {
    const t = new ScriptedNotifier('slack-bot');
    t.fallback = { ok: false, retry: false, error: 'Slack rejected the token (invalid_auth)', hint: 'Set OCTOSLACK_SLACK_TOKEN.' };
    const log = quietLog();
    const problems: OutboxProblem[] = [];
    const box = outbox({ notifiers: [t], log, onProblem: (p) => problems.push(p) });
    for (let i = 0; i < 3; i++) box.enqueue(note());
    expect(await box.drain(2000)).toEqual({ delivered: 0, pending: 0, failed: 3 });
    expect(t.sent).toHaveLength(3);
    expect(log.warnings).toEqual(['slack-bot: Slack rejected the token (invalid_auth). Set OCTOSLACK_SLACK_TOKEN.']);
    expect(problems).toMatchObject([{ target: 'slack-bot', kind: 'rejected', hint: 'Set OCTOSLACK_SLACK_TOKEN.' }]);
  });

  it('notes on an ok delivery (a channel refused, plain-text fallback) are reported once', async () => {
    const t = new ScriptedNotifier('t');
    t.fallback = { ok: true, refs: [], notes: [{ error: 'Slack channel #x not found (channel_not_found)', hint: 'h' }] } as never;
    const log = quietLog();
    const box = outbox({ notifiers: [t], log });
    box.enqueue(note());
    box.enqueue(note());
    expect(await box.drain(2000)).toMatchObject({ delivered: 2, failed: 0 });
    expect(log.warnings).toEqual(['t: Slack channel #x not found (channel_not_found). h']);
  });

  it('retry streaks are announced once, and the recovery too', async () => {
    const t = new ScriptedNotifier('t').script(...Array.from({ length: 3 }, () => ({ ok: false as const, retry: true as const, error: 'No answer from https://slack.com/…' })));
    const log = quietLog();
    const box = outbox({ notifiers: [t], log });
    box.enqueue(note());
    await box.drain(2000);
    expect(log.warnings).toEqual([
      't: cannot deliver yet: No answer from https://slack.com/…. Retrying; messages are kept until delivered.',
      't: delivering again.',
    ]);
  });

  it('gives up after maxAttempts', async () => {
    const t = new ScriptedNotifier('t');
    t.fallback = { ok: false, retry: true, error: 'HTTP 503' };
    const box = outbox({ notifiers: [t], maxAttempts: 3 });
    box.enqueue(note());
    expect(await box.drain(2000)).toEqual({ delivered: 0, pending: 0, failed: 1 });
    expect(t.sent).toHaveLength(3);
  });

  it('a notifier that never settles is aborted after sendTimeoutMs and retried', async () => {
    const t = new ScriptedNotifier('t').script('ignore-abort');
    const box = outbox({ notifiers: [t], sendTimeoutMs: 50 });
    box.enqueue(note());
    expect(await box.drain(2000)).toMatchObject({ delivered: 1, pending: 0 });
    expect(t.sent).toHaveLength(2);
  });

  it('drain() returns what is still pending at its timeout', async () => {
    const t = new ScriptedNotifier('t');
    t.fallback = { ok: false, retry: true, error: 'down' };
    const box = outbox({ notifiers: [t] });
    box.enqueue(note());
    box.enqueue(note());
    const t0 = Date.now();
    expect(await box.drain(100)).toEqual({ delivered: 0, pending: 2, failed: 0 });
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('Outbox thread context', () => {
  it('thread: replies get the start message as parent, progress gets its card', async () => {
    const t = new ScriptedNotifier('t');
    const box = outbox({ notifiers: [t] });
    const start = note({ kind: 'start' });
    const p1 = note({ kind: 'progress' });
    const p2 = note({ kind: 'progress' });
    const done = note();
    const elsewhere = note({ printId: 'print-9' });
    box.start();
    for (const n of [start, p1]) box.enqueue(n);
    await until(() => t.sent.length === 2);
    for (const n of [p2, done, elsewhere]) box.enqueue(n);
    await until(() => t.sent.length === 5);
    const parent = { target: 't', channel: 'C1', id: `ts-${start.id}` };
    const card = { target: 't', channel: 'C1', id: `ts-${p1.id}` };
    expect(t.sent.map((s) => s.ctx)).toEqual([
      {},
      { parent, parents: [parent] },
      { parent, parents: [parent], progressCard: card, progressCards: [card] },
      { parent, parents: [parent] },
      {},
    ]);
  });

  it('edit: only the card; none: nothing', async () => {
    for (const grouping of ['edit', 'none'] as const) {
      const t = new ScriptedNotifier(`t-${grouping}`);
      const box = outbox({ notifiers: [t], grouping });
      box.start();
      box.enqueue(note({ kind: 'start' }));
      box.enqueue(note({ kind: 'progress' }));
      await until(() => t.sent.length === 2);
      box.enqueue(note({ kind: 'progress' }));
      box.enqueue(note());
      await until(() => t.sent.length === 4);
      const ctxs = t.sent.map((s) => Object.keys(s.ctx).sort().join(','));
      expect(ctxs).toEqual(grouping === 'edit' ? ['', '', 'progressCard,progressCards', ''] : ['', '', '', '']);
    }
  });
});
