// The timelapse driver on a real EventBus, with the fake HTTP camera and real ffmpeg: a print's
// layer changes become frames and an mp4, announced by MovieRendering then MovieDone after the
// print's end; close() right after PrintDone still waits for the video; no frames, a failed
// render, a disabled timelapse, time-based frames (not while paused) and the cleanup of old videos.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CameraSettings, OctoslackConfig, TimelapseSettings } from '../../../src/config/types.js';
import { EventBus } from '../../../src/events/bus.js';
import type { EventOf, JobSnapshot, OctoslackEvent } from '../../../src/events/events.js';
import { NO_FRAMES_ERROR, TimelapseDriver } from '../../../src/media/timelapse/driver.js';
import { FakeCamera, makeJpegs, probe } from '../../helpers/fake-camera.js';

let cam: FakeCamera;
let tmp: string;

beforeAll(async () => {
  const frames = await makeJpegs(5, 320, 240);
  cam = await new FakeCamera({ still: frames[0]!, frames, frameIntervalMs: 20 }).start();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'octoslack-tl-driver-'));
});
afterAll(async () => {
  await cam.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function camera(name: string, route = '/snapshot'): CameraSettings {
  return { name, url: cam.url(route), rotate: 0, flipH: false, flipV: false, warmupFrames: 0, tool: 'ffmpeg' };
}

let dirs = 0;
function config(t: Partial<TimelapseSettings> = {}, cameras = [camera('front')]): Pick<OctoslackConfig, 'cameras' | 'snapshots' | 'timelapse'> {
  return {
    cameras,
    snapshots: { layout: 'separate', cameras: [], timeoutMs: 2000 },
    timelapse: { enabled: true, cameras: [], everySeconds: 0, fps: 10, keepDays: 0, upload: true, dir: path.join(tmp, `d${++dirs}`), ...t },
  };
}

const JOB: JobSnapshot = { file: 'benchy 0.2mm.gcode', origin: 'host', elapsedS: 0 };

function setup(t: Partial<TimelapseSettings> = {}, o: { cameras?: CameraSettings[]; now?: () => number; renderTimeoutMs?: number; tickMs?: number } = {}) {
  const bus = new EventBus();
  const seen: OctoslackEvent[] = [];
  bus.subscribe((e) => { seen.push(e); });
  const warnings: string[] = [];
  const driver = new TimelapseDriver({
    bus, config: config(t, o.cameras), stateDir: tmp,
    log: { debug: () => {}, warn: (m) => warnings.push(m) },
    ...(o.now ? { now: o.now } : {}),
    ...(o.renderTimeoutMs ? { renderTimeoutMs: o.renderTimeoutMs } : {}),
    tickMs: o.tickMs ?? 10,
  }).start();
  const emit = (e: OctoslackEvent) => bus.emit(e);
  const at = Date.now();
  return {
    bus, driver, seen, warnings, emit,
    names: () => seen.map((e) => e.event),
    movie: <N extends 'MovieRendering' | 'MovieDone' | 'MovieFailed'>(n: N) => seen.find((e) => e.event === n) as EventOf<N> | undefined,
    started: () => emit({ event: 'PrintStarted', at, job: JOB }),
    layer: (layer: number) => emit({ event: 'Progress', at, job: { ...JOB, layer }, trigger: 'layer' }),
    settle: async () => { await bus.flush(); await driver.current?.settle(); },
  };
}

describe('TimelapseDriver', () => {
  it('layer changes become frames and an mp4; MovieRendering then MovieDone follow PrintDone', async () => {
    const s = setup({ width: 160 });
    s.started();
    for (let layer = 1; layer <= 6; layer++) {
      s.layer(layer);
      s.emit({ event: 'Progress', at: 0, job: JOB, trigger: 'percent' }); // not a frame
      await s.settle();
    }
    expect(s.driver.current!.frameCount).toBe(6);
    const framesDir = s.driver.current!.framesDir;
    s.emit({ event: 'PrintDone', at: 0, job: JOB });
    expect(await s.driver.close(60_000)).toBe(true);
    expect(s.names().filter((n) => !n.startsWith('Progress'))).toEqual(['PrintStarted', 'PrintDone', 'MovieRendering', 'MovieDone']);
    expect(s.movie('MovieRendering')).toMatchObject({ file: JOB.file, frames: 6 });
    const done = s.movie('MovieDone')!;
    expect(done).toMatchObject({ file: JOB.file, frames: 6, video: { durationS: 0.6 } });
    expect(path.dirname(done.video.path)).toBe(s.driver.dir);
    expect(path.basename(done.video.path)).toMatch(/^\d{8}-\d{6}-benchy_0\.2mm\.mp4$/);
    expect(await probe(done.video.path)).toMatchObject({ width: 160, height: 120, frames: 6 });
    expect(existsSync(framesDir)).toBe(false);
  });

  it('close() right after PrintDone (a `print` about to exit) still waits for the video', async () => {
    const s = setup();
    s.started();
    s.layer(1);
    await s.settle();
    s.layer(2);
    await s.settle();
    s.emit({ event: 'PrintDone', at: 0, job: JOB });
    await s.driver.close(60_000); // no flush before: the PrintDone is still on the bus
    expect(s.names().slice(-2)).toEqual(['MovieRendering', 'MovieDone']);
    expect(s.movie('MovieDone')!.frames).toBe(2);
  });

  it('a failed or cancelled print is rendered too; no frames is MovieFailed "no frames" without MovieRendering', async () => {
    const s = setup({}, { cameras: [camera('front', '/status/404')] });
    s.started();
    s.layer(1);
    await s.settle();
    s.emit({ event: 'PrintCancelled', at: 0, job: JOB, reason: 'user' });
    await s.driver.close(10_000);
    expect(s.names().filter((n) => n.startsWith('Movie'))).toEqual(['MovieFailed']);
    expect(s.movie('MovieFailed')).toMatchObject({ file: JOB.file, frames: 0, error: NO_FRAMES_ERROR });
    expect(NO_FRAMES_ERROR).toMatch(/no frames/);
    expect(s.warnings.some((w) => /HTTP 404/.test(w))).toBe(true);
    expect(readdirSync(s.driver.dir).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it('a render that fails is MovieFailed with the reason', async () => {
    const s = setup({}, { renderTimeoutMs: 1 });
    s.started();
    s.layer(1);
    await s.settle();
    s.emit({ event: 'PrintFailed', at: 0, job: JOB, error: 'thermal runaway' });
    await s.driver.close(30_000);
    expect(s.names().filter((n) => n.startsWith('Movie'))).toEqual(['MovieRendering', 'MovieFailed']);
    expect(s.movie('MovieFailed')).toMatchObject({ frames: 1, error: expect.stringMatching(/rendering the timelapse failed/) });
  });

  it('every N seconds on a timer, the first frame at the start, none while paused; layers do not count', async () => {
    let now = 1_000_000;
    const s = setup({ everySeconds: 10 }, { now: () => now, tickMs: 5 });
    s.started();
    await s.settle();
    const wait = async (ms = 50) => { await new Promise((r) => setTimeout(r, ms)); await s.settle(); };
    /** Polls: the timer runs on real time, which a busy machine may delay. */
    const frames = async (n: number) => {
      for (let i = 0; i < 100 && s.driver.current!.frameCount < n; i++) await wait(20);
      await wait(); // and no more than that
      expect(s.driver.current!.frameCount).toBe(n);
    };
    await frames(1);
    s.layer(2);
    now += 5_000;
    await frames(1);
    now += 5_000;
    await frames(2);
    s.emit({ event: 'PrintPaused', at: 0, job: JOB, reason: 'user' });
    await s.settle();
    now += 60_000;
    await frames(2);
    s.emit({ event: 'PrintResumed', at: 0, job: JOB });
    await frames(3);
    s.emit({ event: 'PrintDone', at: 0, job: JOB });
    await s.driver.close(60_000);
    expect(s.movie('MovieDone')!.frames).toBe(3);
  });

  it('an SD print (no layer reports) gets a frame every 30 s instead of none', async () => {
    let now = 1_000_000;
    const s = setup({}, { now: () => now, tickMs: 5 });
    s.emit({ event: 'PrintStarted', at: 0, job: { ...JOB, origin: 'sd' } });
    await s.settle();
    for (let i = 0; i < 100 && s.driver.current!.frameCount < 1; i++) { await new Promise((r) => setTimeout(r, 20)); await s.settle(); }
    expect(s.driver.current!.frameCount).toBe(1);
    now += 31_000;
    for (let i = 0; i < 100 && s.driver.current!.frameCount < 2; i++) { await new Promise((r) => setTimeout(r, 20)); await s.settle(); }
    expect(s.driver.current!.frameCount).toBe(2);
    s.emit({ event: 'PrintDone', at: 0, job: { ...JOB, origin: 'sd' } });
    await s.driver.close(60_000);
    expect(s.movie('MovieDone')!.frames).toBe(2);
  });

  it('disabled, or no cameras: nothing happens (one warning for the missing cameras)', async () => {
    const off = setup({ enabled: false });
    off.started();
    await off.bus.flush();
    expect(off.driver.current).toBeUndefined();
    const none = setup({}, { cameras: [] });
    none.started();
    none.started();
    await none.bus.flush();
    expect(none.driver.current).toBeUndefined();
    expect(none.warnings).toEqual([expect.stringMatching(/no camera/)]);
    none.emit({ event: 'PrintDone', at: 0, job: JOB });
    await none.driver.close(1000);
    await off.driver.close(1000);
    expect(none.names()).toEqual(['PrintStarted', 'PrintStarted', 'PrintDone']);
  });

  it('at a print\'s start, our videos older than keepDays are deleted; other files and newer videos stay', async () => {
    const s = setup({ keepDays: 7 });
    const dir = s.driver.dir;
    mkdirSync(dir, { recursive: true });
    const file = (name: string, ageDays: number) => {
      writeFileSync(path.join(dir, name), 'x');
      const t = new Date(Date.now() - ageDays * 86_400_000);
      utimesSync(path.join(dir, name), t, t);
    };
    file('20250101-120000-old.mp4', 30);
    file('20250101-130000-crashed.mp4.part', 30);
    file('20250601-120000-recent.mp4', 2);
    file('holiday.mp4', 30);
    s.started();
    await s.settle();
    await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(dir).filter((f) => f.includes('.mp4')).sort()).toEqual(['20250601-120000-recent.mp4', 'holiday.mp4']);
    await s.driver.close(1000);
  });

  it('never throws into the bus: a camera that cannot be built is left out with a warning', async () => {
    const s = setup({ cameras: ['ghost'] }, { cameras: [{ ...camera('front'), url: undefined }] });
    s.started();
    await s.settle();
    expect(s.driver.current).toBeUndefined();
    expect(s.warnings.join('\n')).toMatch(/no camera named "ghost"[\s\S]*camera "front" left out/);
    await s.driver.close(1000);
  });
});
