// Progress triggers (%, Z, layers, first layer, minutes), heartbeat and print identity.
import { describe, expect, it } from 'vitest';
import type { ProgressSettings } from '../../../src/config/types.js';
import { allEnabled, defaultConfig } from '../render/fixtures.js';
import { events, Harness, MIN } from './harness.js';

const progressOnly = (p: Partial<ProgressSettings>) => {
  const c = allEnabled({ heartbeatMinutes: 0 });
  c.progress = { everyPercent: 0, everyMinutes: 0, everyMm: 0, everyLayers: 0, firstLayerDone: false, ...p };
  return new Harness(c);
};

/** Percents at which a Progress message came out. */
function percentsFired(h: Harness, percents: number[]): number[] {
  const fired: number[] = [];
  for (const p of percents) for (const i of h.progress({ percent: p })) if (i.event === 'Progress') fired.push(Math.floor(i.job!.percent!));
  return fired;
}
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('Progress every N %', () => {
  it.each([
    [25, [25, 50, 75]],
    [10, [10, 20, 30, 40, 50, 60, 70, 80, 90]],
    [30, [30, 60, 90]],
    [33, [33, 66, 99]],
    [50, [50]],
    [100, []],
    [0, []],
  ])('step %d → %j (never 0 or 100)', (step, expected) => {
    const h = progressOnly({ everyPercent: step });
    h.start();
    expect(percentsFired(h, [0, ...oneTo(100)])).toEqual(expected);
  });

  it('each step at most once: repeated or fractional percents, a jump over steps gives one message', () => {
    const h = progressOnly({ everyPercent: 25 });
    h.start();
    expect(percentsFired(h, [24.9, 25, 25.4, 25, 26, 52, 49, 74.99, 80, 99.9, 100])).toEqual([25, 52, 80]);
  });

  it('starts over with the next print', () => {
    const h = progressOnly({ everyPercent: 50 });
    h.start();
    expect(percentsFired(h, [50, 60])).toEqual([50]);
    h.emit({ event: 'PrintDone', at: h.t, job: h.job });
    h.job = { ...h.job, percent: 0 };
    h.start();
    expect(percentsFired(h, [50])).toEqual([50]);
  });

  it('nothing while Progress is disabled (the default)', () => {
    const h = new Harness(defaultConfig());
    h.start();
    expect(events(oneTo(99).flatMap((p) => h.progress({ percent: p })))).toEqual([]);
  });
});

describe('Progress every N mm of Z', () => {
  const zs = (h: Harness, list: number[]) => list.flatMap((z) => h.progress({ z }, 'layer').map((i) => i.job!.z));

  it('fires when Z reaches the next step; never moving down', () => {
    const h = progressOnly({ everyMm: 5 });
    h.start();
    expect(zs(h, [0.2, 2, 4.8, 5.0, 5.2, 4.0, 9.99, 10.0, 3, 9.5, 14.9, 15.3, 15.7, 30])).toEqual([5.0, 10.0, 15.3, 30]);
  });

  it('float noise from summed layer heights does not miss a step', () => {
    const h = progressOnly({ everyMm: 1 });
    h.start();
    const heights: number[] = [];
    let z = 0;
    for (let i = 0; i < 25; i++) heights.push((z += 0.2));
    expect(zs(h, heights)).toHaveLength(5);
  });

  it('resets at the start of the next print', () => {
    const h = progressOnly({ everyMm: 5 });
    h.start();
    expect(zs(h, [5, 7])).toEqual([5]);
    h.emit({ event: 'PrintCancelled', at: h.t, job: h.job, reason: 'test' });
    h.job = { ...h.job, z: 0.2 };
    h.start();
    expect(zs(h, [0.2, 5.1])).toEqual([5.1]);
  });
});

describe('Progress every N layers and FirstLayerDone', () => {
  const layers = (h: Harness, list: number[]) =>
    list.flatMap((layer) => h.progress({ layer }, 'layer').map((i) => `${i.event}@${i.job!.layer}`));

  it('every 10 layers: when layer 11, 21, 31 start (layer is 1-based)', () => {
    const h = progressOnly({ everyLayers: 10 });
    h.start();
    expect(layers(h, oneTo(35))).toEqual(['Progress@11', 'Progress@21', 'Progress@31']);
  });

  it('a jump over several steps gives one message', () => {
    const h = progressOnly({ everyLayers: 10 });
    h.start();
    expect(layers(h, [9, 25, 26, 31])).toEqual(['Progress@25', 'Progress@31']);
  });

  it('first layer done when layer 2 starts, once', () => {
    const h = progressOnly({ firstLayerDone: true });
    h.start();
    expect(layers(h, [1, 1, 2, 3, 2, 4])).toEqual(['FirstLayerDone@2']);
  });

  it('or at the first layer change after layer 1 when layers are skipped', () => {
    const h = progressOnly({ firstLayerDone: true });
    h.start();
    expect(layers(h, [1, 4, 5])).toEqual(['FirstLayerDone@4']);
  });

  it('needs both progress.firstLayerDone and the FirstLayerDone event', () => {
    const off = progressOnly({ firstLayerDone: false });
    off.start();
    expect(layers(off, [1, 2])).toEqual([]);
    const disabled = progressOnly({ firstLayerDone: true });
    disabled.config.events.FirstLayerDone.enabled = false;
    disabled.start();
    expect(layers(disabled, [1, 2])).toEqual([]);
  });

  it('triggers combine into one Progress message per event; FirstLayerDone comes first', () => {
    const h = progressOnly({ everyPercent: 1, everyLayers: 1, everyMm: 0.2, firstLayerDone: true });
    h.start();
    expect(events(h.progress({ percent: 1, layer: 2, z: 0.4 }, 'layer'))).toEqual(['FirstLayerDone', 'Progress']);
  });
});

describe('Progress every N minutes', () => {
  it('first one interval after the start; ticks while paused; stops at the end', () => {
    const h = progressOnly({ everyMinutes: 15 });
    h.start();
    expect(events(h.advance(15 * MIN - 1).tick())).toEqual([]);
    expect(events(h.advance(1).tick())).toEqual(['Progress']);
    expect(events(h.advance(10 * MIN).tick())).toEqual([]);
    h.emit({ event: 'PrintPaused', at: h.t, job: h.job, reason: 'test' });
    expect(events(h.advance(5 * MIN).tick())).toEqual(['Progress']);
    h.emit({ event: 'PrintDone', at: h.t, job: h.job });
    expect(events(h.advance(60 * MIN).tick())).toEqual([]);
  });

  it('missed intervals (a stalled caller) give one message, then the schedule continues', () => {
    const h = progressOnly({ everyMinutes: 10 });
    h.start();
    expect(events(h.advance(35 * MIN).tick())).toEqual(['Progress']);
    expect(events(h.advance(4 * MIN).tick())).toEqual([]);
    expect(events(h.advance(1 * MIN).tick())).toEqual(['Progress']);
  });

  it('time progress is a progress-kind message with the live job', () => {
    const h = progressOnly({ everyMinutes: 1 });
    h.start();
    const [p] = h.advance(MIN).tick();
    expect(p).toMatchObject({ event: 'Progress', kind: 'progress', job: { elapsedS: 60 } });
  });
});

describe('Heartbeat', () => {
  it('every N minutes from construction, printing or not', () => {
    const c = allEnabled({ heartbeatMinutes: 60 });
    const h = new Harness(c);
    expect(events(h.advance(59 * MIN).tick())).toEqual([]);
    expect(events(h.advance(MIN).tick())).toEqual(['Heartbeat']);
    h.start();
    expect(h.advance(60 * MIN).tick().filter((i) => i.event === 'Heartbeat')).toHaveLength(1);
  });

  it('off when disabled or every 0 minutes', () => {
    const off = new Harness(defaultConfig({ heartbeatMinutes: 60 }));
    expect(events(off.advance(120 * MIN).tick())).toEqual([]);
    const zero = new Harness(allEnabled({ heartbeatMinutes: 0 }));
    expect(events(zero.advance(120 * MIN).tick())).toEqual([]);
  });
});

describe('print identity', () => {
  it('a printId on every message from PrintStarted to its end, none after', () => {
    const h = progressOnly({ everyPercent: 50 });
    const [started] = h.start();
    const id = `${h.t}-${h.job.file}`;
    expect(started).toMatchObject({ event: 'PrintStarted', kind: 'start', printId: id });
    expect(h.progress({ percent: 50 })[0]).toMatchObject({ kind: 'progress', printId: id });
    expect(h.emit({ event: 'Error', at: h.t, error: 'MINTEMP', fatal: false })[0]!.printId).toBe(id);
    expect(h.emit({ event: 'PrintDone', at: h.t, job: h.job })[0]).toMatchObject({ kind: 'other', printId: id });
    expect(h.emit({ event: 'Error', at: h.t, error: 'later', fatal: false })[0]!.printId).toBeUndefined();
  });

  it('joins a print already under way without replaying passed steps', () => {
    const h = progressOnly({ everyPercent: 25, firstLayerDone: true });
    h.advance(30 * MIN);
    expect(events(h.progress({ percent: 37, layer: 20 }))).toEqual([]);
    const [p] = h.progress({ percent: 50 });
    expect(p!.printId).toBe(`${h.t - 30 * MIN}-${h.job.file}`);
  });

  it('a progress straggling after the end does not start a phantom print', () => {
    const h = progressOnly({ everyPercent: 10 });
    h.start();
    h.emit({ event: 'PrintDone', at: h.t, job: h.job });
    expect(h.advance(1000).progress({ percent: 99 })).toEqual([]);
    expect(h.rules.currentPrintId).toBeUndefined();
  });

  it('keeps the first known estimate for section O (old bug 12)', () => {
    const h = progressOnly({ everyPercent: 50 });
    h.start();
    h.progress({ percent: 50, elapsedS: 4000, remainingS: 1000 });
    expect(h.emit({ event: 'PrintDone', at: h.t, job: { ...h.job, remainingS: 0 } })[0]!.estimatedS).toBe(6720);
  });
});
