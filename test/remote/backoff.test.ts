// Reconnect pacing: doubling from the first delay, capped, jittered within bounds, reset after a
// healthy connection; and the sleep that stop() can cut short.
import { describe, expect, it } from 'vitest';
import { Backoff, boundedWait, cancellableSleep, seconds } from '../../src/remote/backoff.js';

describe('Backoff', () => {
  it('doubles up to the cap and starts over after reset', () => {
    const b = new Backoff({ baseMs: 1000, maxMs: 8000, jitter: 0 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    b.reset();
    expect(b.next()).toBe(1000);
  });

  it('jitters within ±20 % and never past the cap', () => {
    const lo = new Backoff({ baseMs: 1000, maxMs: 60_000, random: () => 0 });
    const hi = new Backoff({ baseMs: 1000, maxMs: 60_000, random: () => 1 });
    expect(lo.next()).toBe(800);
    expect(hi.next()).toBe(1200);
    const capped = new Backoff({ baseMs: 1000, maxMs: 2000, random: () => 1 });
    for (let i = 0; i < 50; i++) expect(capped.next()).toBeLessThanOrEqual(2000);
  });
});

describe('helpers', () => {
  it('cancellableSleep ends early on cancel', async () => {
    const s = cancellableSleep(60_000);
    s.cancel();
    expect(await s.done).toBe(false);
    expect(await cancellableSleep(1).done).toBe(true);
  });

  it('boundedWait gives up on a promise that never settles, and ignores failures', async () => {
    const t = Date.now();
    await boundedWait(new Promise(() => {}), 30);
    await boundedWait(Promise.reject(new Error('x')), 1000);
    expect(Date.now() - t).toBeLessThan(500);
    expect(seconds(250)).toBe('250 ms');
    expect(seconds(4000)).toBe('4 s');
  });
});
