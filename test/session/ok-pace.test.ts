// The empty-line nudge comes in proportion to how fast the printer normally answers.
import { describe, expect, it } from 'vitest';
import { NUDGE_MAX_MS, NUDGE_MIN_MS, OkPace } from '../../src/session/ok-pace.js';

function paced(gapsMs: number[]): OkPace {
  const p = new OkPace();
  let t = 0;
  p.onOk(t);
  for (const g of gapsMs) p.onOk((t += g));
  return p;
}

describe('OkPace', () => {
  it('waits the old full second until it has seen enough oks', () => {
    expect(new OkPace().nudgeAfterMs()).toBe(NUDGE_MAX_MS);
    expect(paced([10, 10, 10]).nudgeAfterMs()).toBe(NUDGE_MAX_MS);
  });

  it('nudges after a fifth of a second on a fast stream of short moves', () => {
    expect(paced(Array(64).fill(10)).nudgeAfterMs()).toBe(NUDGE_MIN_MS);
  });

  it('scales with the slow end of normal, and never beyond a second', () => {
    const gaps = [...Array(57).fill(20), ...Array(7).fill(80)]; // p90 = 80 ms
    expect(paced(gaps).nudgeAfterMs()).toBe(320);
    expect(paced(Array(64).fill(600)).nudgeAfterMs()).toBe(NUDGE_MAX_MS);
  });

  it('does not count our own idle time as the printer being slow', () => {
    const p = paced(Array(64).fill(10));
    p.idle();
    p.onOk(1_000_000); // the first ok after a pause starts a new gap, it is not one
    expect(p.nudgeAfterMs()).toBe(NUDGE_MIN_MS);
  });
});
