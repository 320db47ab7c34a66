// Transforms and combining with real ffmpeg, checked with ffprobe and decoded pixels: rotation is
// counter-clockwise, flips flip, several pictures land on a black canvas of the planned size, and
// takeSnapshot degrades to the pictures as captured when ffmpeg cannot help.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combineImages } from '../../../src/media/compose/combine.js';
import { transformImage } from '../../../src/media/compose/transform.js';
import { takeSnapshot } from '../../../src/media/compose/take-snapshot.js';
import { createSnapshotSource } from '../../../src/media/capture/sources.js';
import type { Image, Transform } from '../../../src/media/types.js';
import { FakeCamera, greyPixels, makeHalfWhite, makeJpeg, makeJpegs, probe } from '../../helpers/fake-camera.js';

let big: Image;
let small: Image;
let half: Image;
let cam: FakeCamera;

beforeAll(async () => {
  big = { data: await makeJpeg(320, 240), mime: 'image/jpeg', width: 320, height: 240, camera: 'big' };
  small = { data: await makeJpeg(160, 120, 'testsrc2'), mime: 'image/jpeg', width: 160, height: 120, camera: 'small' };
  half = { data: await makeHalfWhite(320, 240), mime: 'image/jpeg', width: 320, height: 240, camera: 'half' };
  cam = await new FakeCamera({ still: big.data }).start();
});
afterAll(async () => { await cam.stop(); });

/** Mean grey level of a rectangle of a decoded picture. */
function mean(px: Buffer, width: number, x0: number, y0: number, w: number, h: number): number {
  let sum = 0;
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) sum += px[y * width + x]!;
  return sum / (w * h);
}

describe('transforms', () => {
  it('returns an untransformed picture as it is (same bytes, no re-encode)', async () => {
    expect(await transformImage(big, undefined)).toBe(big);
    expect(await transformImage(big, { rotate: 0, flipH: false })).toBe(big);
    expect(await combineImages([{ image: big }])).toBe(big);
  });

  it.each<[Transform, number, number]>([
    [{ rotate: 90 }, 240, 320],
    [{ rotate: 180 }, 320, 240],
    [{ rotate: 270 }, 240, 320],
    [{ flipH: true, flipV: true }, 320, 240],
  ])('%j gives %ix%i', async (t, w, h) => {
    const out = await transformImage(big, t);
    expect(out).toMatchObject({ mime: 'image/jpeg', width: w, height: h, camera: 'big' });
    expect(await probe(out.data)).toMatchObject({ width: w, height: h });
  });

  it('rotates counter-clockwise and flips the right way', async () => {
    // White on the left: after 90° counter-clockwise the white is at the bottom.
    const ccw = await transformImage(half, { rotate: 90 });
    const px = await greyPixels(ccw.data);
    expect(mean(px, 240, 20, 200, 200, 100)).toBeGreaterThan(200);
    expect(mean(px, 240, 20, 20, 200, 100)).toBeLessThan(50);
    // 270 (= 90 clockwise): white at the top.
    const cw = await greyPixels((await transformImage(half, { rotate: 270 })).data);
    expect(mean(cw, 240, 20, 20, 200, 100)).toBeGreaterThan(200);
    // flipH: white on the right.
    const h = await greyPixels((await transformImage(half, { flipH: true })).data);
    expect(mean(h, 320, 200, 20, 100, 200)).toBeGreaterThan(200);
    expect(mean(h, 320, 20, 20, 100, 200)).toBeLessThan(50);
  });
});

describe('combining', () => {
  it('two pictures, horizontal and vertical, on a black canvas', async () => {
    const h = await combineImages([{ image: big }, { image: small }], 'horizontal');
    expect(h).toMatchObject({ width: 670, height: 260, camera: 'big+small' });
    expect(await probe(h.data)).toMatchObject({ width: 670, height: 260 });
    const px = await greyPixels(h.data);
    expect(mean(px, 670, 0, 0, 670, 8)).toBeLessThan(20); // top margin
    expect(mean(px, 670, 340, 12, 60, 50)).toBeLessThan(20); // above the small, centred picture
    // Colours keep their full range: white stays white, black stays black.
    const halves = await greyPixels((await combineImages([{ image: half }, { image: half }], 'horizontal')).data);
    expect(mean(halves, 670, 20, 20, 100, 200)).toBeGreaterThan(248);
    expect(mean(halves, 670, 210, 20, 100, 200)).toBeLessThan(6);
    expect(mean(halves, 670, 350, 20, 100, 200)).toBeGreaterThan(248);
    const v = await combineImages([{ image: big }, { image: small }], 'vertical');
    expect(await probe(v.data)).toMatchObject({ width: 340, height: 510 });
  });

  it('five pictures in a grid, transforms applied in the same run', async () => {
    const items = [
      { image: big }, { image: big, transform: { rotate: 90 as const } }, { image: small },
      { image: half, transform: { flipH: true } }, { image: small },
    ];
    // Cells are 320x320 (the rotated picture is 320 high): 3×2.
    const g = await combineImages(items, 'grid');
    expect(await probe(g.data)).toMatchObject({ width: 10 + 3 * 320 + 2 * 10 + 10, height: 10 + 2 * 320 + 10 + 10 });
    const h = await combineImages(items, 'horizontal');
    expect(await probe(h.data)).toMatchObject({ width: 10 + 5 * 320 + 4 * 10 + 10, height: 340 });
  });
});

describe('takeSnapshot', () => {
  it('combines two cameras, one rotated, into one picture', async () => {
    const sources = [
      createSnapshotSource({ name: 'a', url: cam.url('/snapshot') }),
      createSnapshotSource({ name: 'b', url: cam.url('/?action=stream'), rotate: 270 }),
    ];
    const r = await takeSnapshot(sources, { layout: 'horizontal' });
    expect(r.errors).toEqual([]);
    expect(r.images).toHaveLength(1);
    expect(await probe(r.images[0]!.data)).toMatchObject({ width: 10 + 320 + 10 + 320 + 10, height: 340 });
  });

  it('separate: one picture per camera, each transformed; a failed camera is an error entry', async () => {
    const sources = [
      createSnapshotSource({ name: 'a', url: cam.url('/snapshot'), rotate: 90 }),
      createSnapshotSource({ name: 'b', url: cam.url('/snapshot') }),
      createSnapshotSource({ name: 'gone', url: cam.url('/status/503') }),
    ];
    const r = await takeSnapshot(sources, { layout: 'separate' });
    expect(r.images.map((i) => [i.camera, i.width, i.height])).toEqual([['a', 240, 320], ['b', 320, 240]]);
    expect(r.images[1]!.data.equals(big.data)).toBe(true);
    expect(r.errors.map((e) => [e.camera, e.code])).toEqual([['gone', 'CAMERA_HTTP_STATUS']]);
  });

  it('without ffmpeg the pictures go out as captured, with a note', async () => {
    const sources = [
      createSnapshotSource({ name: 'a', url: cam.url('/snapshot'), rotate: 90 }),
      createSnapshotSource({ name: 'b', url: cam.url('/snapshot') }),
    ];
    const r = await takeSnapshot(sources, { ffmpegPath: '/nonexistent/ffmpeg' });
    expect(r.images.map((i) => i.camera)).toEqual(['a', 'b']);
    expect(r.errors).toEqual([{ camera: 'a+b', code: 'CAMERA_TOOL_MISSING', error: expect.stringMatching(/could not combine.*not installed/) }]);
  });

  it('every camera failing gives no picture and every reason', async () => {
    const r = await takeSnapshot([createSnapshotSource({ name: 'x', url: cam.url('/html') })]);
    expect(r.images).toEqual([]);
    expect(r.errors[0]?.code).toBe('CAMERA_NOT_JPEG');
  });

  it('makeJpegs frames differ (the stream test relies on it)', async () => {
    const [a, b] = await makeJpegs(2, 64, 48);
    expect(a!.equals(b!)).toBe(false);
  });
});
