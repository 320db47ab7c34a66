// A timelapse frame and a message picture asked at the same moment share one capture: a V4L2
// device cannot be opened twice, and an IP camera gains nothing from two requests.
import { describe, expect, it } from 'vitest';
import { coalesced, sharedSnapshotSource } from '../../../src/media/capture/shared-sources.js';
import type { Image, SnapshotSource } from '../../../src/media/types.js';
import { configSchema } from '../../../src/config/schema.js';

function slowCamera(): SnapshotSource & { opened: number; aborted: number; finish(): void } {
  let release: (() => void) | undefined;
  const cam = {
    name: 'top', opened: 0, aborted: 0,
    finish() { release?.(); },
    capture(signal?: AbortSignal): Promise<Image> {
      cam.opened++;
      return new Promise<Image>((resolve, reject) => {
        release = () => resolve({ data: Buffer.from([0xff, 0xd8, cam.opened]), mime: 'image/jpeg' });
        signal?.addEventListener('abort', () => { cam.aborted++; reject(new Error('stopped')); }, { once: true });
      });
    },
  };
  return cam;
}

describe('coalesced camera source', () => {
  it('gives two overlapping requests the same picture from one capture', async () => {
    const cam = slowCamera();
    const src = coalesced(cam);
    const a = src.capture();
    const b = src.capture();
    await Promise.resolve();
    cam.finish();
    const [ia, ib] = await Promise.all([a, b]);
    expect(cam.opened).toBe(1);
    expect(ia.data.equals(ib.data)).toBe(true);
    // The next request after it finished is a new picture.
    const c = src.capture();
    await Promise.resolve();
    cam.finish();
    expect((await c).data[2]).toBe(2);
  });

  it('keeps the capture going while someone still waits, and stops it when the last one gives up', async () => {
    const cam = slowCamera();
    const src = coalesced(cam);
    const first = new AbortController();
    const second = new AbortController();
    const a = src.capture(first.signal);
    const b = src.capture(second.signal);
    first.abort();
    await expect(a).rejects.toThrow(/aborted/);
    expect(cam.aborted).toBe(0);
    second.abort();
    await expect(b).rejects.toThrow(/aborted/);
    await Promise.resolve();
    expect(cam.aborted).toBe(1);
  });

  it('is one source per camera entry for the whole process', () => {
    const config = configSchema.parse({ cameras: [{ name: 'top', url: 'http://127.0.0.1:9/snap' }, { name: 'side', url: 'http://127.0.0.1:9/side' }] });
    const [top, side] = config.cameras;
    expect(sharedSnapshotSource(top!)).toBe(sharedSnapshotSource(top!));
    expect(sharedSnapshotSource(side!)).not.toBe(sharedSnapshotSource(top!));
  });
});
