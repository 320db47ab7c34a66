// Pictures and videos for the host tests: bytes that are not valid UTF-8 (a JPEG's FF D8 start),
// so any fake or client that treats a body as text corrupts them and the round trip fails.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Image, Video } from '../../../src/media/types.js';
import type { UploadResult } from '../../../src/media/hosts/types.js';

export function jpeg(size = 2048): Image {
  const data = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(Math.max(0, size - 6)), Buffer.from([0xff, 0xd9])]);
  return { data, mime: 'image/jpeg', width: 640, height: 480, camera: 'front' };
}

export function png(): Image {
  return { data: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(500)]), mime: 'image/png' };
}

/** A fake MP4 on disk (random bytes; nobody decodes it) and the directory to remove afterwards. */
export async function videoFile(bytes = 300_000): Promise<{ video: Video; data: Buffer; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'octoslack-hosts-'));
  const path = join(dir, 'timelapse.mp4');
  const data = randomBytes(bytes);
  await writeFile(path, data);
  return { video: { path, mime: 'video/mp4', bytes, durationS: 12 }, data, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function failed(r: UploadResult): Extract<UploadResult, { ok: false }> {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r)}`);
  return r;
}

export function succeeded(r: UploadResult): Extract<UploadResult, { ok: true }> {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r)}`);
  return r;
}

/** A port nothing listens on (closed right after binding). */
export { freePort } from '../../notify/targets/sample.js';
