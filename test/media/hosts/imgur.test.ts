// ImgurUploader against the fake Imgur: the multipart upload with Client-ID, anonymous albums
// addressed by deletehash, quota headers that pause uploads before a limit runs out, 429s, and
// translated failures without the Client-ID.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImgurUploader, type ImgurSettings, type ImgurUploaderOptions } from '../../../src/media/hosts/imgur.js';
import { FakeImgur, IMGUR_CLIENT_ID } from '../../helpers/fake-imgur.js';
import { failed, jpeg, png, succeeded, videoFile } from './sample-media.js';

let imgur: FakeImgur;
beforeEach(async () => { imgur = await FakeImgur.start(); });
afterEach(async () => { await imgur.close(); });

const ctx = { printerName: 'Prusa MK4', printId: 'print-42', title: 'Print started' };

function uploader(over: Partial<ImgurSettings> = {}, extra: Partial<ImgurUploaderOptions> = {}): ImgurUploader {
  return new ImgurUploader({ settings: { clientId: IMGUR_CLIENT_ID, apiUrl: imgur.apiUrl, ...over }, ...extra });
}

describe('Imgur uploads', () => {
  it('uploads anonymously with Client-ID and answers a link that serves the picture', async () => {
    const img = jpeg();
    const seen: unknown[] = [];
    const r = succeeded(await uploader({}, { onImage: (i) => seen.push(i) }).upload(img, 'snapshot.jpg', ctx));
    const [call] = imgur.calls('3/image');
    expect(call!.headers.authorization).toBe(`Client-ID ${IMGUR_CLIENT_ID}`);
    expect(call!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const stored = [...imgur.images.values()][0]!;
    expect(stored.fields).toEqual({ type: 'file', name: 'snapshot.jpg', title: 'Print started' });
    expect(stored.mime).toBe('image/jpeg');
    expect(r.url).toBe(`${imgur.url}/i/${stored.id}.jpg`);
    expect(r.fileId).toBe(stored.id);
    expect(seen).toEqual([{ id: stored.id, link: r.url, deletehash: stored.deletehash, album: undefined }]);
    const back = Buffer.from(await (await fetch(r.url!)).arrayBuffer());
    expect(back.equals(img.data)).toBe(true);
  });

  it('per-print albums: created once per print, images added by deletehash', async () => {
    const u = uploader({ album: 'per-print' });
    const [a, b] = await Promise.all([u.upload(jpeg(), 'a.jpg', ctx), u.upload(png(), 'b.png', ctx)]);
    const c = succeeded(await u.upload(jpeg(), 'c.jpg', { ...ctx, printId: 'print-43' }));
    expect(imgur.calls('3/album')).toHaveLength(2);
    const [first, second] = [...imgur.albums.values()];
    expect(first!.images).toHaveLength(2);
    expect(first!.title).toBe('Prusa MK4: print-42');
    expect(second!.images).toHaveLength(1);
    expect(succeeded(a).permalink).toBe(`https://imgur.com/a/${first!.id}`);
    expect(succeeded(b).permalink).toBe(`https://imgur.com/a/${first!.id}`);
    expect(c.permalink).toBe(`https://imgur.com/a/${second!.id}`);
    for (const img of imgur.images.values()) expect(img.fields.album).toMatch(/^[0-9a-f]{16}$/);
  });

  it('a shared album given by deletehash is used without creating one', async () => {
    const made = succeeded(await uploader({ album: 'shared' }).upload(jpeg(), 'a.jpg', ctx));
    expect(imgur.calls('3/album')).toHaveLength(1);
    const album = [...imgur.albums.values()][0]!;
    const u = uploader({ album: 'shared', albumDeletehash: album.deletehash });
    succeeded(await u.upload(jpeg(), 'b.jpg', ctx));
    expect(imgur.calls('3/album')).toHaveLength(1);
    expect(album.images).toHaveLength(2);
    expect(made.permalink).toBe(`https://imgur.com/a/${album.id}`);
  });

  it('an album that cannot be created costs the album, not the picture, and is tried again', async () => {
    imgur.script('3/album', { status: 500, body: '{"data":{"error":"Internal"},"success":false,"status":500}' });
    const u = uploader({ album: 'per-print' });
    const r = succeeded(await u.upload(jpeg(), 'a.jpg', ctx));
    expect(r.permalink).toBeUndefined();
    succeeded(await u.upload(jpeg(), 'b.jpg', ctx));
    expect(imgur.calls('3/album')).toHaveLength(2);
    expect([...imgur.albums.values()][0]!.images).toHaveLength(1);
  });

  it('takes no video, without asking Imgur', async () => {
    const v = await videoFile(1000);
    try {
      const e = failed(await uploader().upload(v.video, 'timelapse.mp4', ctx));
      expect(e).toMatchObject({ retry: false, code: 'no_video' });
      expect(e.error).toMatch(/Imgur takes no video/);
      expect(imgur.requests).toHaveLength(0);
    } finally {
      await v.cleanup();
    }
  });
});

describe('Imgur rate limits', () => {
  it('a 429 pauses uploads until the reset, without further requests, and reports the wait', async () => {
    let now = Date.parse('2026-05-01T12:00:00Z');
    imgur.quota.postRemaining = 0;
    imgur.quota.postReset = 1800;
    const u = uploader({}, { now: () => now });
    const first = failed(await u.upload(jpeg(), 'a.jpg', ctx));
    expect(first).toMatchObject({ retry: true, code: 'ratelimited', retryAfterS: 1800 });
    const second = failed(await u.upload(jpeg(), 'b.jpg', ctx));
    expect(second).toMatchObject({ retry: true, code: 'ratelimited', retryAfterS: 1800 });
    expect(second.error).toMatch(/paused for 30 min/);
    expect(imgur.calls('3/image')).toHaveLength(1);
    expect(u.limits.pausedUntil).toBe(now + 1800_000);
    now += 1801_000;
    imgur.quota.postRemaining = 100;
    succeeded(await u.upload(jpeg(), 'c.jpg', ctx));
    expect(u.limits.pausedUntil).toBeUndefined();
    expect(u.limits.postRemaining).toBe(99);
  });

  it('stops before the app\'s daily quota runs out (five hits a month block the app)', async () => {
    let now = Date.parse('2026-05-01T12:00:00Z');
    imgur.quota.clientRemaining = 11;
    const u = uploader({ reserve: 10 }, { now: () => now });
    succeeded(await u.upload(jpeg(), 'a.jpg', ctx));
    expect(u.limits).toMatchObject({ clientRemaining: 10, clientLimit: 12_500, userRemaining: 1999 });
    const e = failed(await u.upload(jpeg(), 'b.jpg', ctx));
    expect(e).toMatchObject({ retry: true, code: 'ratelimited', retryAfterS: 3600 });
    expect(e.error).toMatch(/daily Imgur quota is nearly used up \(10 requests left\)/);
    expect(imgur.calls('3/image')).toHaveLength(1);
    now += 3600_000;
    imgur.quota.clientRemaining = 5000;
    succeeded(await u.upload(jpeg(), 'c.jpg', ctx));
  });

  it('honours the user quota\'s reset time', async () => {
    const now = Date.parse('2026-05-01T12:00:00Z');
    imgur.quota.userRemaining = 3;
    imgur.quota.userReset = now / 1000 + 600;
    const u = uploader({}, { now: () => now });
    succeeded(await u.upload(jpeg(), 'a.jpg', ctx));
    expect(failed(await u.upload(jpeg(), 'b.jpg', ctx))).toMatchObject({ code: 'ratelimited', retryAfterS: 600 });
  });
});

describe('Imgur failures', () => {
  it('a wrong Client-ID: permanent, names the variable, never shows the ID', async () => {
    const e = failed(await uploader({ clientId: 'wrong-client-id-999' }).upload(jpeg(), 'a.jpg', ctx));
    expect(e).toMatchObject({ retry: false, code: 'bad_client_id' });
    expect(e.error).toContain('Invalid client_id');
    expect(e.hint).toContain('OCTOSLACK_MEDIA_IMGUR_CLIENT_ID');
    expect(JSON.stringify(e)).not.toContain('wrong-client-id-999');
  });

  it('checks success, not just the status; translates 5xx, 417, 451 and non-Imgur answers', async () => {
    imgur.script('3/image',
      { status: 200, body: '{"data":{"error":"Upload failed"},"success":false,"status":400}' },
      { status: 503, body: '{"data":{"error":"Over capacity"},"success":false,"status":503}' },
      { status: 417, body: '{"data":{"error":"Expectation Failed"},"success":false,"status":417}' },
      { status: 451, body: '<html>Unavailable For Legal Reasons</html>' },
      { status: 200, body: '<html>captive portal</html>' },
      { status: 200, body: '{"data":{"id":"x"},"success":true,"status":200}' },
      'hang');
    const u = uploader({}, { transfer: { baseMs: 300 } });
    expect(failed(await u.upload(jpeg(), 'a', ctx))).toMatchObject({ retry: false, code: 'bad_request' });
    expect(failed(await u.upload(jpeg(), 'a', ctx))).toMatchObject({ retry: true, code: 'http_503' });
    expect(failed(await u.upload(jpeg(), 'a', ctx))).toMatchObject({ retry: true, code: 'http_417' });
    expect(failed(await u.upload(jpeg(), 'a', ctx))).toMatchObject({ retry: false, code: 'unavailable' });
    expect(failed(await u.upload(jpeg(), 'a', ctx))).toMatchObject({ retry: false, code: 'http_200' });
    expect(failed(await u.upload(jpeg(), 'a', ctx))).toMatchObject({ retry: true, code: 'bad_answer' });
    expect(failed(await u.upload(jpeg(), 'a', ctx))).toMatchObject({ retry: true, code: 'timeout' });
  });

  it('refuses pictures over 20 MB before sending them', async () => {
    const e = failed(await uploader().upload({ data: Buffer.alloc(21 * 1024 * 1024), mime: 'image/jpeg' }, 'big.jpg', ctx));
    expect(e).toMatchObject({ retry: false, code: 'too_large' });
    expect(imgur.requests).toHaveLength(0);
  });
});
