// The timelapse with real ffmpeg: 30 generated frames (some of another size, as when one camera of
// a combined picture missed a frame) render to an mp4 that ffprobe reads with 30 frames at the
// configured size; the video is kept and the frames removed; triggers never wait on a slow camera
// (they are skipped); time-based frames follow tick(); old frame folders — only ours — are removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Timelapse } from '../../../src/media/timelapse/timelapse.js';
import { renderArgs, TimelapseError } from '../../../src/media/timelapse/render.js';
import { FRAMES_MARKER } from '../../../src/media/timelapse/cleanup.js';
import { runTool } from '../../../src/media/capture/run-tool.js';
import type { Image, SnapshotSource } from '../../../src/media/types.js';
import { makeJpegs, probe } from '../../helpers/fake-camera.js';

let tmp: string;
let frames: Buffer[];
let odd: Buffer[];

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'octoslack-timelapse-'));
  [frames, odd] = await Promise.all([makeJpegs(30, 320, 240), makeJpegs(3, 200, 240, 'testsrc2')]);
});
afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

/** A camera that hands out the given pictures in turn, optionally slowly. */
function sequence(pictures: Buffer[], delayMs = 0): SnapshotSource & { calls: number } {
  const src = {
    name: 'seq',
    calls: 0,
    async capture(): Promise<Image> {
      const data = pictures[src.calls++ % pictures.length]!;
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      return { data, mime: 'image/jpeg', camera: 'seq' };
    },
  };
  return src;
}

const quiet = { debug: () => {}, warn: () => {} };

describe('Timelapse', () => {
  it('renders 30 frames taken at layer changes into an mp4 of 30 frames; keeps the video, removes the frames', async () => {
    const pictures = [...frames.slice(0, 10), ...odd, ...frames.slice(13)];
    const tl = new Timelapse({ dir: tmp, sources: [sequence(pictures)], printId: 'benchy 1/2', fps: 10, width: 160, log: quiet });
    expect(tl.printId).toBe('benchy_1_2');
    for (let i = 0; i < 30; i++) {
      tl.onLayerChange();
      await tl.settle();
    }
    expect(tl.frameCount).toBe(30);
    expect(readdirSync(tl.framesDir).filter((f) => f.endsWith('.jpg'))).toHaveLength(30);
    const video = await tl.finish();
    expect(video).toMatchObject({ path: path.join(tmp, 'benchy_1_2.mp4'), mime: 'video/mp4', durationS: 3 });
    expect(video.bytes).toBeGreaterThan(1000);
    expect(await probe(video.path)).toEqual({ width: 160, height: 120, frames: 30, codec: 'h264' });
    expect(existsSync(tl.framesDir)).toBe(false);
    expect(existsSync(video.path)).toBe(true);
    tl.onLayerChange(); // after finish: ignored
    expect(tl.frameCount).toBe(30);
  });

  it('never waits on a slow camera: triggers while a frame is being taken are skipped', async () => {
    const cam = sequence(frames, 150);
    const tl = new Timelapse({ dir: tmp, sources: [cam], printId: 'slow', log: quiet, keepFrames: true });
    const started = Date.now();
    for (let i = 0; i < 5; i++) tl.onLayerChange();
    expect(Date.now() - started).toBeLessThan(100);
    await tl.settle();
    expect([tl.frameCount, tl.skippedCount, cam.calls]).toEqual([1, 4, 1]);
    const video = await tl.finish();
    expect(await probe(video.path)).toMatchObject({ width: 320, height: 240, frames: 1 });
    expect(existsSync(tl.framesDir)).toBe(true); // keepFrames
  });

  it('every N seconds: tick() takes a frame once the time has passed, layer changes do not', async () => {
    let now = 1_000_000;
    const cam = sequence(frames);
    const tl = new Timelapse({ dir: tmp, sources: [cam], printId: 'timed', everySeconds: 10, now: () => now, log: quiet });
    const step = async (ms: number) => { now += ms; tl.tick(); await tl.settle(); };
    await step(0);
    await step(5_000);
    tl.onLayerChange();
    await step(5_000);
    await step(9_999);
    await step(1);
    expect(tl.frameCount).toBe(3);
  });

  it('a camera that fails skips frames with one warning, not one per frame', async () => {
    const warnings: string[] = [];
    const broken: SnapshotSource = { name: 'broken', capture: () => Promise.reject(new Error('lens cap')) };
    const tl = new Timelapse({ dir: tmp, sources: [broken], printId: 'broken', log: { debug: () => {}, warn: (m) => warnings.push(m) } });
    for (let i = 0; i < 3; i++) { tl.onLayerChange(); await tl.settle(); }
    expect(tl.frameCount).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/broken: lens cap/);
    const err = await tl.finish().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimelapseError);
    expect((err as TimelapseError).code).toBe('TIMELAPSE_NO_FRAMES');
  });

  it('renders with mpeg4 where libx264 is missing', async () => {
    const dir = path.join(tmp, 'mpeg4-frames');
    mkdirSync(dir);
    frames.slice(0, 5).forEach((f, i) => writeFileSync(path.join(dir, `${String(i + 1).padStart(6, '0')}.jpg`), f));
    const out = path.join(tmp, 'mpeg4.mp4');
    await runTool('ffmpeg', renderArgs({ framesDir: dir, frameCount: 5, out, fps: 25 }, { width: 320, height: 240 }, 'mpeg4', out), { timeoutMs: 20_000 });
    expect(await probe(out)).toEqual({ width: 320, height: 240, frames: 5, codec: 'mpeg4' });
  });

  it('cleans up old frame folders, only ours, never videos or the current print', async () => {
    const dir = path.join(tmp, 'cleanup');
    mkdirSync(dir);
    const folder = (name: string, ours: boolean, ageDays: number) => {
      const p = path.join(dir, name);
      mkdirSync(p);
      writeFileSync(path.join(p, '000001.jpg'), 'x');
      if (ours) writeFileSync(path.join(p, FRAMES_MARKER), '');
      const t = new Date(Date.now() - ageDays * 86_400_000);
      utimesSync(p, t, t);
    };
    folder('old', true, 10);
    folder('recent', true, 1);
    folder('current', true, 30);
    folder('not-ours', false, 30);
    writeFileSync(path.join(dir, 'old.mp4'), 'video');
    utimesSync(path.join(dir, 'old.mp4'), new Date(0), new Date(0));
    const tl = new Timelapse({ dir, sources: [], printId: 'current', log: quiet });
    const removed = await tl.cleanupOldFrames(7);
    expect(removed).toEqual([path.join(dir, 'old')]);
    expect(readdirSync(dir).sort()).toEqual(['current', 'not-ours', 'old.mp4', 'recent']);
    expect(await tl.cleanupOldFrames(0)).toEqual([path.join(dir, 'recent')]);
  });
});
