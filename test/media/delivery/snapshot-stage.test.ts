// The snapshot stage between the renderer and the outbox, with the fake HTTP camera and real
// ffmpeg: pictures become attachments, messages leave in arrival order, a hung camera costs one
// picture (a note after snapshots.timeoutMs) never the message, enqueue never waits, captures are
// bounded (2 at once, one per camera), and superseded progress messages skip their picture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraSettings, OctoslackConfig, SnapshotSettings } from '../../../src/config/types.js';
import { MemoryAttachmentStore } from '../../../src/media/delivery/attachment-store.js';
import { SnapshotStage } from '../../../src/media/delivery/snapshot-stage.js';
import type { Image, SnapshotSource } from '../../../src/media/types.js';
import type { Attachment, Notification } from '../../../src/notify/notification.js';
import { FakeCamera, makeJpeg, probe } from '../../helpers/fake-camera.js';

let cam: FakeCamera;
let still: Buffer;

beforeAll(async () => {
  still = await makeJpeg(320, 240);
  cam = await new FakeCamera({ still }).start();
});
afterAll(async () => { await cam.stop(); });

function camera(name: string, route = '/snapshot'): CameraSettings {
  return { name, url: cam.url(route), rotate: 0, flipH: false, flipV: false, warmupFrames: 0, tool: 'ffmpeg' };
}

function config(cameras: CameraSettings[], snapshots: Partial<SnapshotSettings> = {}): Pick<OctoslackConfig, 'cameras' | 'snapshots'> {
  return { cameras, snapshots: { layout: 'horizontal', cameras: [], timeoutMs: 2000, ...snapshots } };
}

let seq = 0;
function note(event: Notification['event'], over: Partial<Notification> = {}): Notification {
  return {
    id: `n${++seq}`, event, at: 0, level: 'routine', color: 'good', headline: event, fallback: event, fields: [],
    footer: '', channels: [], kind: 'other', imageUrls: [], silent: false, printId: 'print-1', ...over,
  };
}
const pic = (cameras: string[] = []) => ({ snapshot: { cameras } });

/** The next sink: records what arrives, and when. */
function sink() {
  const got: { n: Notification; at: number }[] = [];
  const t0 = Date.now();
  return {
    got,
    ids: () => got.map((g) => g.n.id),
    enqueue(n: Notification) { got.push({ n, at: Date.now() - t0 }); },
    until: async (count: number, timeoutMs = 10_000) => {
      const end = Date.now() + timeoutMs;
      while (got.length < count) {
        if (Date.now() > end) throw new Error(`only ${got.length} of ${count} messages arrived`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
}

const quiet = { debug: () => {}, warn: () => {} };

describe('SnapshotStage', () => {
  it('a message without a picture passes straight through, synchronously', () => {
    const next = sink();
    const stage = new SnapshotStage({ next, config: config([camera('front')]), store: new MemoryAttachmentStore(), log: quiet });
    const n = note('PrintResumed');
    stage.enqueue(n);
    expect(next.got.map((g) => g.n)).toEqual([n]);
    // No cameras configured: `snapshot` is dropped and the message goes on at once.
    const bare = new SnapshotStage({ next, config: config([]), store: new MemoryAttachmentStore(), log: quiet });
    bare.enqueue(note('PrintDone', pic()));
    expect(next.got).toHaveLength(2);
    expect(next.got[1]!.n).not.toHaveProperty('snapshot');
    expect(next.got[1]!.n).not.toHaveProperty('attachments');
  });

  it('a picture becomes an attachment named after the event; `snapshot` is removed', async () => {
    const next = sink();
    const store = new MemoryAttachmentStore();
    const stage = new SnapshotStage({ next, config: config([camera('front')]), store, log: quiet });
    stage.enqueue(note('PrintDone', pic()));
    expect(next.got).toHaveLength(0);
    await next.until(1);
    const n = next.got[0]!.n;
    expect(n).not.toHaveProperty('snapshot');
    expect(n).not.toHaveProperty('mediaNotes');
    expect(n.attachments).toEqual([{ path: expect.any(String), mime: 'image/jpeg', name: 'PrintDone.jpg', bytes: expect.any(Number) }]);
    expect(await probe(await store.read(n.attachments![0]!))).toMatchObject({ width: 320, height: 240 });
  });

  it('two cameras are combined into one JPEG (snapshots.layout); `separate` gives one per camera', async () => {
    const next = sink();
    const store = new MemoryAttachmentStore();
    const stage = new SnapshotStage({ next, config: config([camera('front'), camera('side', '/?action=stream')]), store, log: quiet });
    stage.enqueue(note('rule:Colour change', pic()));
    await next.until(1);
    const [combined] = next.got[0]!.n.attachments!;
    expect(combined!.name).toBe('rule-Colour_change.jpg');
    // Two 320x240 cells on a black canvas: 10 px margins and a 10 px gutter.
    expect(await probe(await store.read(combined!))).toMatchObject({ width: 670, height: 260 });

    const separate = new SnapshotStage({ next, config: config([camera('front'), camera('side')], { layout: 'separate' }), store, log: quiet });
    separate.enqueue(note('PrintDone', pic()));
    await next.until(2);
    expect(next.got[1]!.n.attachments!.map((a: Attachment) => a.name)).toEqual(['PrintDone-front.jpg', 'PrintDone-side.jpg']);
  });

  it('a hung camera costs the picture, not the message: it goes on with a note after snapshots.timeoutMs', async () => {
    const next = sink();
    const stage = new SnapshotStage({ next, config: config([camera('front', '/hang')], { timeoutMs: 400 }), store: new MemoryAttachmentStore(), log: quiet });
    stage.enqueue(note('PrintFailed', pic()));
    await next.until(1);
    const { n, at } = next.got[0]!;
    expect(at).toBeGreaterThanOrEqual(350);
    expect(at).toBeLessThan(1500);
    expect(n).not.toHaveProperty('attachments');
    expect(n.mediaNotes).toHaveLength(1);
    expect(n.mediaNotes![0]).toMatch(/^Snapshot error\(s\): front: /);
  });

  it('keeps the order: a message without a picture waits behind one whose camera hangs', async () => {
    const next = sink();
    const stage = new SnapshotStage({ next, config: config([camera('front', '/hang')], { timeoutMs: 300 }), store: new MemoryAttachmentStore(), log: quiet });
    const first = note('PrintDone', pic());
    const second = note('MovieRendering');
    stage.enqueue(first);
    stage.enqueue(second);
    await new Promise((r) => setTimeout(r, 100));
    expect(next.got).toHaveLength(0);
    await next.until(2);
    expect(next.ids()).toEqual([first.id, second.id]);
    expect(next.got[0]!.n.mediaNotes![0]).toMatch(/front/);
    expect(next.got[1]!.n).not.toHaveProperty('mediaNotes');
    expect(next.got[1]!.at - next.got[0]!.at).toBeLessThan(50);
  });

  it('enqueue never waits: it returns synchronously in well under a millisecond while cameras hang', async () => {
    const next = sink();
    const stage = new SnapshotStage({ next, config: config([camera('front', '/hang'), camera('side', '/hang-body')], { timeoutMs: 300 }), store: new MemoryAttachmentStore(), log: quiet });
    stage.enqueue(note('PrintStarted', pic())); // warm-up
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const n = note(i % 2 ? 'Progress' : 'PrintPaused', { ...(i % 3 ? pic() : {}), kind: i % 2 ? 'progress' : 'other' });
      const t = performance.now();
      const r: unknown = stage.enqueue(n);
      times.push(performance.now() - t);
      expect(r).toBeUndefined();
    }
    times.sort((a, b) => a - b);
    expect(times[Math.floor(times.length / 2)]).toBeLessThan(1);
    expect(times[times.length - 1]).toBeLessThan(5); // a GC pause at worst
    expect(await stage.drain(5000)).toBe(true);
    expect(next.got).toHaveLength(51);
    expect(next.ids()).toEqual([...next.ids()].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))));
  });

  it('unknown camera names are left out with one warning; the defaults are used instead', async () => {
    const next = sink();
    const warnings: string[] = [];
    const stage = new SnapshotStage({
      next, config: config([camera('front'), camera('side')], { cameras: ['side'] }), store: new MemoryAttachmentStore(),
      log: { debug: () => {}, warn: (m) => warnings.push(m) },
    });
    stage.enqueue(note('PrintDone', pic(['nozzle'])));
    stage.enqueue(note('PrintDone', pic(['nozzle', 'front'])));
    await next.until(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no camera named "nozzle"/);
    const store = (i: number) => next.got[i]!.n.attachments!;
    expect(store(0)).toHaveLength(1);
    expect(store(1)).toHaveLength(1);
  });

  it('a picture that cannot be saved is a note; the message still goes', async () => {
    const next = sink();
    const store = new MemoryAttachmentStore();
    store.saveImage = () => Promise.reject(new Error('ENOSPC: no space left on device'));
    const stage = new SnapshotStage({ next, config: config([camera('front')]), store, log: quiet });
    stage.enqueue(note('PrintDone', pic()));
    await next.until(1);
    expect(next.got[0]!.n.mediaNotes).toEqual(['Snapshot could not be saved: ENOSPC: no space left on device']);
  });
});

/** Sources under the test's control: each capture waits for release(), and concurrency is counted. */
function controlled(names: string[]) {
  let active = 0;
  const perCamera = new Map<string, number>();
  const pending: { name: string; go: () => void }[] = [];
  const stats = { maxActive: 0, maxPerCamera: 0, calls: [] as string[] };
  const create = (c: CameraSettings): SnapshotSource => ({
    name: c.name,
    capture: async (): Promise<Image> => {
      stats.calls.push(c.name);
      active++;
      perCamera.set(c.name, (perCamera.get(c.name) ?? 0) + 1);
      stats.maxActive = Math.max(stats.maxActive, active);
      stats.maxPerCamera = Math.max(stats.maxPerCamera, perCamera.get(c.name)!);
      await new Promise<void>((go) => pending.push({ name: c.name, go }));
      active--;
      perCamera.set(c.name, perCamera.get(c.name)! - 1);
      return { data: still, mime: 'image/jpeg', width: 320, height: 240, camera: c.name };
    },
  });
  const cameras = names.map((n) => camera(n));
  return {
    cameras, create, stats, pending,
    /** Let every capture in progress finish. */
    releaseAll: () => { for (const p of pending.splice(0)) p.go(); },
  };
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

describe('SnapshotStage concurrency', () => {
  it('at most two captures at once, never two from one camera; order kept', async () => {
    const c = controlled(['a', 'b', 'c']);
    const next = sink();
    const stage = new SnapshotStage({ next, config: config(c.cameras, { timeoutMs: 5000 }), store: new MemoryAttachmentStore(), createSource: c.create, log: quiet });
    const ns = [note('PrintStarted', pic(['a'])), note('PrintPaused', pic(['a'])), note('PrintResumed', pic(['b'])), note('Error', pic(['c']))];
    for (const n of ns) stage.enqueue(n);
    await tick();
    expect(c.stats.calls).toEqual(['a', 'b']); // the second 'a' waits for the camera; 'c' for a slot
    for (let i = 0; i < 5 && next.got.length < 4; i++) { c.releaseAll(); await tick(); }
    await next.until(4);
    expect(next.ids()).toEqual(ns.map((n) => n.id));
    expect(c.stats).toMatchObject({ maxActive: 2, maxPerCamera: 1 });
    expect(next.got.every((g) => g.n.attachments?.length === 1)).toBe(true);
  });

  it('a progress message still waiting for its turn skips its picture when a newer one arrives', async () => {
    const c = controlled(['a']);
    const next = sink();
    const stage = new SnapshotStage({ next, config: config(c.cameras, { timeoutMs: 5000 }), store: new MemoryAttachmentStore(), createSource: c.create, log: quiet });
    const started = note('PrintStarted', pic());
    const p1 = note('Progress', { ...pic(), kind: 'progress' });
    const p2 = note('Progress', { ...pic(), kind: 'progress' });
    const other = note('Progress', { ...pic(), kind: 'progress', printId: 'print-2' });
    for (const n of [started, p1, p2, other]) stage.enqueue(n);
    await tick();
    for (let i = 0; i < 5 && next.got.length < 4; i++) { c.releaseAll(); await tick(); }
    await next.until(4);
    expect(next.ids()).toEqual([started.id, p1.id, p2.id, other.id]);
    expect(c.stats.calls).toEqual(['a', 'a', 'a']); // started, p2, other: p1 was superseded
    const [, skipped, newer, otherPrint] = next.got.map((g) => g.n);
    expect(skipped).not.toHaveProperty('attachments');
    expect(skipped).not.toHaveProperty('mediaNotes');
    expect(skipped).not.toHaveProperty('snapshot');
    expect(newer!.attachments).toHaveLength(1);
    expect(otherPrint!.attachments).toHaveLength(1);
  });

  it('every message waits at most snapshots.timeoutMs from its arrival, even behind a busy camera', async () => {
    const c = controlled(['a']);
    const next = sink();
    const stage = new SnapshotStage({ next, config: config(c.cameras, { timeoutMs: 300 }), store: new MemoryAttachmentStore(), createSource: c.create, log: quiet });
    stage.enqueue(note('PrintStarted', pic()));
    stage.enqueue(note('PrintPaused', pic()));
    await next.until(2, 2000);
    expect(next.got[1]!.at).toBeLessThan(700);
    expect(next.got[0]!.n.mediaNotes![0]).toMatch(/^Snapshot error\(s\): a: /);
    expect(next.got[1]!.n.mediaNotes![0]).toMatch(/cameras were busy|no picture/);
    c.releaseAll();
  });

  it('drain gives up on pictures after its timeout, and stop() lets everything through at once', async () => {
    const c = controlled(['a']);
    const next = sink();
    const stage = new SnapshotStage({ next, config: config(c.cameras, { timeoutMs: 60_000 }), store: new MemoryAttachmentStore(), createSource: c.create, log: quiet });
    stage.enqueue(note('PrintDone', pic()));
    stage.enqueue(note('MovieRendering'));
    expect(await stage.drain(100)).toBe(false);
    expect(next.got).toHaveLength(2);
    expect(next.got[0]!.n.mediaNotes![0]).toMatch(/stopping/);
    stage.enqueue(note('PrintDone', pic()));
    expect(stage.pending).toBe(1);
    stage.stop();
    expect(next.got).toHaveLength(3);
    stage.enqueue(note('PrintDone', pic()));
    expect(next.got).toHaveLength(4); // after stop: straight through, without a picture
    expect(next.got[3]!.n).not.toHaveProperty('snapshot');
    c.releaseAll();
  });
});
