// HTTP cameras against the fake camera on 127.0.0.1: stills, Basic auth (fields and URL), the first
// frame of an MJPEG stream (and hanging up after it), and every way a camera fails — each a
// CaptureError with its code, within its time and size bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { captureHttp, httpTarget } from '../../../src/media/capture/http-source.js';
import { CaptureError } from '../../../src/media/capture/errors.js';
import { FakeCamera, makeJpegs } from '../../helpers/fake-camera.js';

let cam: FakeCamera;
let frames: Buffer[];

beforeAll(async () => {
  frames = await makeJpegs(3, 320, 240);
  cam = await new FakeCamera({ still: frames[0]!, frames: frames.slice(1), username: 'octo', password: 'p@ss:word' }).start();
});
afterAll(async () => { await cam.stop(); });

const grab = (url: string, extra: { username?: string; password?: string; timeoutMs?: number; maxBytes?: number } = {}) =>
  captureHttp({ name: 'front', url, timeoutMs: extra.timeoutMs ?? 3000, ...extra });

async function failure(p: Promise<unknown>): Promise<CaptureError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(CaptureError);
  return err as CaptureError;
}

describe('HTTP stills', () => {
  it('takes a still from mjpg-streamer and ustreamer style URLs', async () => {
    for (const path of ['/?action=snapshot', '/snapshot']) {
      const img = await grab(cam.url(path));
      expect(img.data.equals(frames[0]!)).toBe(true);
      expect(img).toMatchObject({ mime: 'image/jpeg', width: 320, height: 240, camera: 'front' });
    }
  });

  it('sends Basic auth from the fields or from user:pass@ in the URL (never in the request URL)', async () => {
    const fromFields = await grab(cam.url('/auth/snapshot'), { username: 'octo', password: 'p@ss:word' });
    expect(fromFields.data.equals(frames[0]!)).toBe(true);
    const u = new URL(cam.url('/auth/snapshot'));
    u.username = 'octo';
    u.password = encodeURIComponent('p@ss:word');
    const fromUrl = await grab(u.toString());
    expect(fromUrl.data.equals(frames[0]!)).toBe(true);
    expect(cam.requests.filter((r) => r.path === '/auth/snapshot').every((r) => r.authorization?.startsWith('Basic '))).toBe(true);
  });

  it('says 401 with a hint about the credentials, and shows no password', async () => {
    const u = new URL(cam.url('/auth/snapshot'));
    u.username = 'octo';
    u.password = 'wrong-secret';
    const err = await failure(grab(u.toString()));
    expect(err.code).toBe('CAMERA_HTTP_STATUS');
    expect(err.message).toMatch(/HTTP 401.*username and password/);
    expect(err.message).not.toContain('wrong-secret');
    expect(httpTarget({ name: 'x', url: 'http://cam/snap?user=a&pwd=hunter2' }).shown).not.toContain('hunter2');
  });

  it('refuses an HTML page as a picture', async () => {
    const err = await failure(grab(cam.url('/html')));
    expect(err.code).toBe('CAMERA_NOT_JPEG');
    expect(err.message).toMatch(/HTML page/);
  });

  it('reports 404 with the usual snapshot paths', async () => {
    const err = await failure(grab(cam.url('/status/404')));
    expect(err.code).toBe('CAMERA_HTTP_STATUS');
    expect(err.message).toMatch(/HTTP 404.*action=snapshot/);
  });

  it('stops reading at the size bound (50 MB sent, 20 MB accepted)', async () => {
    const started = Date.now();
    const err = await failure(grab(cam.url('/huge'), { timeoutMs: 10_000 }));
    expect(err.code).toBe('CAMERA_TOO_LARGE');
    expect(cam.hugeBytesSent).toBeLessThan(50 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(8000);
    const declared = await failure(grab(cam.url('/huge-declared'), { maxBytes: 1024 * 1024 }));
    expect(declared.code).toBe('CAMERA_TOO_LARGE');
  });

  it('gives up on a camera that hangs after its timeout, before or after the headers', async () => {
    for (const path of ['/hang', '/hang-body']) {
      const started = Date.now();
      const err = await failure(grab(cam.url(path), { timeoutMs: 300 }));
      const took = Date.now() - started;
      expect(err.code).toBe('CAMERA_TIMEOUT');
      expect(err.message).toMatch(/within 300 ms/);
      expect(took).toBeGreaterThanOrEqual(280);
      expect(took).toBeLessThan(2000);
    }
  });

  it('says the connection was refused when nothing listens', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const err = await failure(grab(`http://127.0.0.1:${port}/snapshot`));
    expect(err.code).toBe('CAMERA_UNREACHABLE');
    expect(err.message).toMatch(/connection refused/);
  });

  it('rejects a URL that is not http(s) as a config error', async () => {
    expect((await failure(grab('rtsp://cam/stream'))).code).toBe('CAMERA_CONFIG');
  });
});

describe('MJPEG streams', () => {
  for (const path of ['/?action=stream', '/stream-nolength']) {
    it(`grabs the first frame of ${path} and hangs up`, async () => {
      const img = await grab(cam.url(path));
      expect(img.data.equals(frames[1]!)).toBe(true);
      expect(img).toMatchObject({ width: 320, height: 240 });
      const until = Date.now() + 2000;
      while (cam.openStreams > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(cam.openStreams).toBe(0);
    });
  }

  it('stream behind Basic auth', async () => {
    const img = await grab(cam.url('/auth/stream'), { username: 'octo', password: 'p@ss:word' });
    expect(img.data.equals(frames[1]!)).toBe(true);
  });
});
