// S3Uploader against the verifying fake S3: real signed PUTs, the object fetched back at the
// returned URL (public prefix, public base URL, presigned), videos streamed from disk, and every
// failure translated without the secret.
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectKey, S3Uploader, type S3Settings } from '../../../src/media/hosts/s3.js';
import { FakeS3, S3_ACCESS_KEY, S3_SECRET, type FakeS3Options } from '../../helpers/fake-s3.js';
import { failed, freePort, jpeg, succeeded, videoFile } from './sample-media.js';

let s3: FakeS3;
const ctx = { printerName: 'Prusa MK4', printId: 'print-42' };

async function start(o: FakeS3Options = {}): Promise<void> {
  s3 = await FakeS3.start({ publicPrefixes: ['snapshots/'], ...o });
}
beforeEach(async () => { await start(); });
afterEach(async () => { await s3.close(); });

function uploader(over: Partial<S3Settings> = {}, extra: Partial<ConstructorParameters<typeof S3Uploader>[0]> = {}): S3Uploader {
  return new S3Uploader({
    settings: { endpoint: s3.url, region: 'us-east-1', bucket: 'octo-pictures', accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET, pathStyle: true, ...over },
    ...extra,
  });
}

async function fetchBytes(url: string): Promise<{ status: number; type: string | null; data: Buffer }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), data: Buffer.from(await res.arrayBuffer()) };
}

function noSecrets(x: unknown): void {
  const s = JSON.stringify(x);
  expect(s).not.toContain(S3_SECRET);
  expect(s).not.toContain('fakeSecret');
}

describe('S3 uploads', () => {
  it('PUTs a signed object under snapshots/<printer>/<print>/ and returns a URL that serves it', async () => {
    const img = jpeg();
    const r = succeeded(await uploader().upload(img, 'snap.jpg', ctx));
    expect(r.url).toMatch(new RegExp(`^${s3.url}/octo-pictures/snapshots/Prusa-MK4/print-42/\\d{8}T\\d{6}Z-[A-Za-z0-9_-]{16}\\.jpg$`));
    const [put] = s3.calls('put');
    expect(put!.headers['content-type']).toBe('image/jpeg');
    expect(put!.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(img.data).digest('hex'));
    expect(put!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAFAKEOCTOSLACK01\/\d{8}\/us-east-1\/s3\/aws4_request,SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date,Signature=/);
    // No ACL (refused by buckets since 2023) and no checksum headers (R2/B2/Ceph refuse them).
    expect(Object.keys(put!.headers).filter((h) => h.includes('acl') || h.includes('checksum'))).toEqual([]);
    const back = await fetchBytes(r.url!);
    expect(back.status).toBe(200);
    expect(back.type).toBe('image/jpeg');
    expect(back.data.equals(img.data)).toBe(true);
  });

  it('answers URLs under the public base URL when one is set', async () => {
    await s3.close();
    await start({ now: () => Date.parse('2026-03-01T10:20:30Z') });
    // The config always carries a presign expiry (its default): the public base URL still wins.
    const r = succeeded(await uploader({ publicBaseUrl: 'https://cdn.example.com/pics/', presignExpirySeconds: 604800 }, { random: () => 'R4nd0m', now: () => new Date('2026-03-01T10:20:30Z') })
      .upload(jpeg(), 'x.jpg', { printerName: 'Voron 2.4 / left' }));
    expect(r.url).toBe('https://cdn.example.com/pics/snapshots/Voron-2.4-left/no-print/20260301T102030Z-R4nd0m.jpg');
    expect(s3.objects.has('octo-pictures/snapshots/Voron-2.4-left/no-print/20260301T102030Z-R4nd0m.jpg')).toBe(true);
  });

  it('answers a presigned GET that works on a private bucket, and only unaltered', async () => {
    await s3.close();
    await start({ publicPrefixes: [] });
    const img = jpeg();
    const r = succeeded(await uploader({ presignExpirySeconds: 3600 }).upload(img, 'x.jpg', ctx));
    const u = new URL(r.url!);
    expect(u.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(u.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    const back = await fetchBytes(r.url!);
    expect(back.status).toBe(200);
    expect(back.data.equals(img.data)).toBe(true);
    expect((await fetchBytes(`${u.origin}${u.pathname}`)).status).toBe(403);
    const other = new URL(r.url!);
    other.pathname = other.pathname.replace(/\.jpg$/, '.png');
    expect((await fetchBytes(other.href)).status).toBe(403);
  });

  it('streams a video from disk with its exact length', async () => {
    const v = await videoFile(400_000);
    try {
      const r = succeeded(await uploader().upload(v.video, 'timelapse.mp4', ctx));
      expect(r.url).toMatch(/\.mp4$/);
      const [put] = s3.calls('put');
      expect(put!.headers['content-length']).toBe('400000');
      expect(put!.headers['content-type']).toBe('video/mp4');
      expect((await fetchBytes(r.url!)).data.equals(v.data)).toBe(true);
    } finally {
      await v.cleanup();
    }
  });

  it('sends and signs the session token of temporary credentials', async () => {
    await s3.close();
    await start({ sessionTokens: { [S3_ACCESS_KEY]: 'FwoGZXIvYXdzEFAKE/token==' } });
    succeeded(await uploader({ sessionToken: 'FwoGZXIvYXdzEFAKE/token==' }).upload(jpeg(), 'x.jpg', ctx));
    const e = failed(await uploader({ sessionToken: 'FwoGZXIvYXdzEFAKE/wrong==' }).upload(jpeg(), 'x.jpg', ctx));
    expect(e.code).toBe('InvalidToken');
    expect(JSON.stringify(e)).not.toContain('FwoGZXIvYXdzEFAKE');
  });
});

describe('S3 failures', () => {
  it('a wrong secret: clear, permanent, and the secret never shown', async () => {
    const e = failed(await uploader({ secretAccessKey: 'not-the-right-secret-key' }).upload(jpeg(), 'x.jpg', ctx));
    expect(e).toMatchObject({ retry: false, code: 'SignatureDoesNotMatch' });
    expect(e.error).toMatch(/secret access key is wrong/);
    expect(e.hint).toContain('OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY');
    expect(JSON.stringify(e)).not.toContain('not-the-right-secret-key');
    noSecrets(e);
    expect(s3.objects.size).toBe(0);
  });

  it('an unknown access key, a missing bucket, the wrong region', async () => {
    expect(failed(await uploader({ accessKeyId: 'AKIANOBODY' }).upload(jpeg(), 'x', ctx))).toMatchObject({ retry: false, code: 'InvalidAccessKeyId' });
    const nb = failed(await uploader({ bucket: 'no-such' }).upload(jpeg(), 'x', ctx));
    expect(nb).toMatchObject({ retry: false, code: 'NoSuchBucket' });
    expect(nb.error).toContain('no-such');
    expect(nb.hint).toContain('pathStyle');
    const reg = failed(await uploader({ region: 'eu-west-1' }).upload(jpeg(), 'x', ctx));
    expect(reg).toMatchObject({ retry: false, code: 'AuthorizationHeaderMalformed' });
    expect(reg.hint).toBe('Set media.s3.region to us-east-1.');
  });

  it('a wrong clock is worth retrying once the clock is fixed', async () => {
    await s3.close();
    await start({ now: () => Date.now() + 3600_000 });
    const e = failed(await uploader().upload(jpeg(), 'x', ctx));
    expect(e).toMatchObject({ retry: true, code: 'RequestTimeTooSkewed' });
    expect(e.hint).toMatch(/NTP/);
  });

  it('translates store answers: 501 checksum NotImplemented, 503 SlowDown, 301 redirect, a non-S3 page', async () => {
    s3.script('put',
      { status: 501, body: '<Error><Code>NotImplemented</Code><Message>Header x-amz-checksum-crc32 not implemented</Message></Error>' },
      { status: 503, body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>', headers: { 'retry-after': '7' } },
      { status: 301, body: '<Error><Code>PermanentRedirect</Code><Message>Use the specified endpoint.</Message><Region>eu-central-1</Region></Error>' },
      { status: 404, body: '<html><body>MinIO Console</body></html>', headers: { 'content-type': 'text/html' } });
    const u = uploader();
    expect(failed(await u.upload(jpeg(), 'x', ctx))).toMatchObject({ retry: false, code: 'NotImplemented' });
    expect(failed(await u.upload(jpeg(), 'x', ctx))).toMatchObject({ retry: true, code: 'SlowDown', retryAfterS: 7 });
    expect(failed(await u.upload(jpeg(), 'x', ctx))).toMatchObject({ retry: false, code: 'PermanentRedirect', hint: 'Set media.s3.region to eu-central-1.' });
    const page = failed(await u.upload(jpeg(), 'x', ctx));
    expect(page).toMatchObject({ retry: false, code: 'http_404' });
    expect(page.error).toContain('not like an S3 store');
  });

  it('a hung store times out; a refused connection, an abort and a vanished video are results, not throws', async () => {
    s3.script('put', 'hang');
    const hung = failed(await uploader({}, { transfer: { baseMs: 300 } }).upload(jpeg(), 'x', ctx));
    expect(hung).toMatchObject({ retry: true, code: 'timeout' });
    const refused = failed(await uploader({ endpoint: `http://127.0.0.1:${await freePort()}` }).upload(jpeg(), 'x', ctx));
    expect(refused).toMatchObject({ retry: true, code: 'ECONNREFUSED' });
    const c = new AbortController();
    c.abort();
    expect(failed(await uploader().upload(jpeg(), 'x', ctx, c.signal)).retry).toBe(true);
    const gone = failed(await uploader().upload({ path: '/nonexistent/t.mp4', mime: 'video/mp4', bytes: 5 }, 't.mp4', ctx));
    expect(gone).toMatchObject({ retry: false, code: 'file_gone' });
  });

  it('refuses a presign expiry over 7 days at construction', () => {
    expect(() => uploader({ presignExpirySeconds: 604_801 })).toThrow(/7 days/);
  });
});

describe('S3 keys and URLs', () => {
  it('keys are safe, sortable by time, and unguessable', () => {
    const t = new Date('2026-01-02T03:04:05.999Z');
    expect(objectKey('snapshots/', { printerName: 'Ender 3 "Pro"/#2', printId: '../../etc' }, 'png', t, 'abc')).toBe('snapshots/Ender-3-Pro-2/etc/20260102T030405Z-abc.png');
    expect(objectKey('/pics', { printerName: 'Café', printId: 'p1' }, 'jpg', t, 'x')).toBe('pics/Cafe/p1/20260102T030405Z-x.jpg');
    expect(objectKey('', { printerName: '' }, 'jpg', t, 'x')).toBe('printer/no-print/20260102T030405Z-x.jpg');
  });

  it('builds AWS, path-style and virtual-host URLs', () => {
    const base = { region: 'eu-west-1', bucket: 'pics', accessKeyId: 'a', secretAccessKey: 'b' };
    expect(new S3Uploader({ settings: { ...base, pathStyle: false } }).objectUrl('snapshots/a b.jpg')).toBe('https://pics.s3.eu-west-1.amazonaws.com/snapshots/a%20b.jpg');
    expect(new S3Uploader({ settings: { ...base, pathStyle: true } }).objectUrl('k')).toBe('https://s3.eu-west-1.amazonaws.com/pics/k');
    expect(new S3Uploader({ settings: { ...base, pathStyle: true, endpoint: 'https://minio.lan:9000/' } }).objectUrl('k')).toBe('https://minio.lan:9000/pics/k');
    expect(new S3Uploader({ settings: { ...base, pathStyle: false, endpoint: 'https://acc.r2.cloudflarestorage.com' } }).objectUrl('k')).toBe('https://pics.acc.r2.cloudflarestorage.com/k');
  });

  it('two pictures in the same millisecond get different keys', async () => {
    await s3.close();
    await start({ now: () => Date.parse('2026-01-01T00:00:00Z') });
    const u = uploader({}, { now: () => new Date('2026-01-01T00:00:00Z') });
    const a = succeeded(await u.upload(jpeg(), 'x', ctx));
    const b = succeeded(await u.upload(jpeg(), 'x', ctx));
    expect(a.url).not.toBe(b.url);
    expect(s3.objects.size).toBe(2);
  });
});

describe('the fake S3 itself', () => {
  // AWS's documented PUT Object example, byte for byte: the checker accepts AWS's own signature
  // (so it is right independently of our signer) and refuses it once anything signed changes.
  async function awsExample(over: Record<string, string> = {}): Promise<number> {
    await s3.close();
    s3 = await FakeS3.start({ buckets: ['examplebucket'], credentials: { AKIAIOSFODNN7EXAMPLE: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      now: () => Date.parse('2013-05-24T00:00:10Z') });
    const headers: Record<string, string> = {
      host: 'examplebucket.s3.amazonaws.com', date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-date': '20130524T000000Z',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY', 'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,'
        + 'SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
      ...over,
    };
    const port = Number(new URL(s3.url).port);
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'PUT', path: '/test%24file.text', headers }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.end('Welcome to Amazon S3.');
    });
  }

  it('accepts the AWS documentation\'s signed PUT and refuses it altered', async () => {
    expect(await awsExample()).toBe(200);
    expect(s3.objects.get('examplebucket/test$file.text')?.data.toString()).toBe('Welcome to Amazon S3.');
    expect(await awsExample({ 'x-amz-storage-class': 'STANDARD' })).toBe(403);
  });
});
