// The shared bounded HTTP of src/util/http.ts: time limits joined with the caller's signal,
// bounded answers, redirects as the caller chose, the Content-Length rule, no secrets in errors.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anySignal, readBounded, request, requestHeaders, requestText, ResponseTooLargeError } from '../../src/util/http.js';

interface Seen { method?: string; length?: string; chunked: boolean; bytes: number }
const seen: Seen[] = [];
const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/ok': (_req, res) => res.end('héllo'),
  '/big-declared': (_req, res) => { res.setHeader('content-length', '4096'); res.end(Buffer.alloc(4096)); },
  '/big-chunked': (_req, res) => { res.write(Buffer.alloc(3000)); res.end(Buffer.alloc(3000)); },
  '/redirect': (_req, res) => { res.statusCode = 301; res.setHeader('location', 'http://elsewhere.invalid/'); res.end(); },
  '/hang': () => {},
  '/no-content': (_req, res) => { res.statusCode = 204; res.end(); },
};
const server = createServer((req, res) => {
  let bytes = 0;
  req.on('data', (d: Buffer) => { bytes += d.length; });
  req.on('end', () => {
    seen.push({ method: req.method, length: req.headers['content-length'], chunked: /chunked/i.test(req.headers['transfer-encoding'] ?? ''), bytes });
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (route) route(req, res); else { res.statusCode = 404; res.end(); }
  });
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

const opts = { redirect: 'error' as const, timeoutMs: 5000, maxBytes: 1024 };

describe('anySignal', () => {
  it('aborts when any of its signals does, with that reason, and skips undefined', () => {
    const a = new AbortController();
    const b = new AbortController();
    const s = anySignal([a.signal, undefined, b.signal]);
    expect(s.aborted).toBe(false);
    b.abort(new Error('stop'));
    expect(s.aborted).toBe(true);
    expect((s.reason as Error).message).toBe('stop');
  });

  it('is already aborted when one signal is', () => {
    expect(anySignal([AbortSignal.abort('gone')]).aborted).toBe(true);
  });
});

describe('readBounded', () => {
  it('reads a body under the limit', async () => {
    expect(new TextDecoder().decode(await readBounded(new Response('abc'), 3))).toBe('abc');
  });

  it('reads a missing body as empty', async () => {
    expect((await readBounded(new Response(null), 10)).byteLength).toBe(0);
  });

  it('refuses a body whose Content-Length is over the limit before reading it', async () => {
    const res = new Response('x'.repeat(10), { headers: { 'content-length': '5000' } });
    await expect(readBounded(res, 2048)).rejects.toThrow(new ResponseTooLargeError(2048));
  });

  it('stops reading once a body without Content-Length passes the limit', async () => {
    const body = new ReadableStream<Uint8Array>({
      pull(c) { c.enqueue(new Uint8Array(600)); }, // endless
    });
    const err = await readBounded(new Response(body), 1024).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err).toMatchObject({ name: 'ResponseTooLargeError', message: 'more than 1 KB' });
  });
});

describe('requestHeaders (the Content-Length rule)', () => {
  it('drops Content-Length, whatever its case, for a buffer body', () => {
    expect(requestHeaders({ 'Content-Length': '5', 'content-type': 'text/plain' }, false)).toEqual({ 'content-type': 'text/plain' });
    expect(requestHeaders({ 'content-length': '5' }, undefined)).toEqual({});
  });

  it('keeps it for a stream, and leaves no headers alone', () => {
    const h = { 'content-length': '5' };
    expect(requestHeaders(h, true)).toBe(h);
    expect(requestHeaders(undefined, false)).toBeUndefined();
  });
});

describe('request', () => {
  it('answers with status, headers and the bytes, decoded by requestText', async () => {
    const raw = await request(`${base}/ok`, opts);
    expect(raw).toMatchObject({ status: 200, statusText: 'OK' });
    expect(new TextDecoder().decode(raw.bytes)).toBe('héllo');
    const text = await requestText(`${base}/ok`, opts);
    expect(text).toEqual({ status: 200, headers: expect.any(Headers), text: 'héllo' });
  });

  it('resolves with any status, an empty body included', async () => {
    expect((await requestText(`${base}/missing`, opts)).status).toBe(404);
    expect(await requestText(`${base}/no-content`, opts)).toMatchObject({ status: 204, text: '' });
  });

  it('sends a buffer body with fetch\'s own Content-Length, not ours', async () => {
    const res = await request(`${base}/ok`, { ...opts, method: 'POST', headers: { 'content-length': '999' }, body: new Uint8Array(10) });
    expect(res.status).toBe(200);
    expect(seen.at(-1)).toEqual({ method: 'POST', length: '10', chunked: false, bytes: 10 });
  });

  it('streams a body with our Content-Length (not chunked)', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) { c.enqueue(new Uint8Array(700)); c.enqueue(new Uint8Array(300)); c.close(); },
    });
    const res = await request(`${base}/ok`, { ...opts, method: 'PUT', headers: { 'content-length': '1000' }, body, stream: true });
    expect(res.status).toBe(200);
    expect(seen.at(-1)).toEqual({ method: 'PUT', length: '1000', chunked: false, bytes: 1000 });
  });

  it('refuses to follow a redirect with redirect: error, and hands it over with manual', async () => {
    await expect(request(`${base}/redirect`, opts)).rejects.toThrow(TypeError);
    const res = await requestText(`${base}/redirect`, { ...opts, redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('http://elsewhere.invalid/');
  });

  it('fails an answer over maxBytes, declared or not', async () => {
    await expect(request(`${base}/big-declared`, opts)).rejects.toBeInstanceOf(ResponseTooLargeError);
    await expect(request(`${base}/big-chunked`, opts)).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('times out on a hung server with a TimeoutError that does not carry the URL', async () => {
    const err = await request(`${base}/hang?token=s3cret`, { ...opts, timeoutMs: 150 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TimeoutError' });
    expect(String((err as Error).message)).not.toContain('s3cret');
  });

  it('stops when the caller aborts', async () => {
    const c = new AbortController();
    const p = request(`${base}/hang`, { ...opts, signal: c.signal });
    setTimeout(() => c.abort(), 50);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
