// Uploads must work whatever fetch the process ends up with. Loading @slack/socket-mode (chat
// commands) installs the npm undici as the process-wide fetch, which refuses a Content-Length
// header next to a buffer body ("invalid content-length header"): every picture upload failed in
// the CLI while unit tests, which never load it, passed. The rule lives in src/util/http.ts, so
// chat targets (httpRequest, the Slack SDK's boundedFetch) get it too.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../../../src/media/hosts/transfer.js';
import { boundedFetch, httpRequest } from '../../../src/notify/targets/http.js';

const received: { length?: string; bytes: number }[] = [];
const server = createServer((req, res) => {
  let bytes = 0;
  req.on('data', (d: Buffer) => { bytes += d.length; });
  req.on('end', () => {
    received.push({ ...(req.headers['content-length'] ? { length: req.headers['content-length'] } : {}), bytes });
    res.end('ok');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  await import('@slack/socket-mode'); // as the CLI does when chat commands are on
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const url = (path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;

describe('send() after the Socket Mode client is loaded', () => {
  it('uploads a buffer with the Content-Length the signer put in the headers', async () => {
    const body = new Uint8Array(5000).fill(7);
    const res = await send(url('/object'), { method: 'PUT', headers: { 'content-length': '5000', 'content-type': 'image/jpeg' }, body, timeoutMs: 5000, maxBytes: 1024 });
    expect(res.status).toBe(200);
    expect(received.at(-1)).toEqual({ length: '5000', bytes: 5000 });
  });
});

describe('chat targets after the Socket Mode client is loaded', () => {
  it('httpRequest POSTs a JSON body with an explicit Content-Length', async () => {
    const body = JSON.stringify({ text: 'Print done ✓' });
    const length = String(Buffer.byteLength(body));
    const res = await httpRequest(url('/hooks/x'), { method: 'POST', headers: { 'content-type': 'application/json', 'Content-Length': length }, body, timeoutMs: 5000 });
    expect(res).toMatchObject({ status: 200, text: 'ok' });
    expect(received.at(-1)).toEqual({ length, bytes: Number(length) });
  });

  it('boundedFetch (the Slack SDK\'s fetch) POSTs a form with an explicit Content-Length', async () => {
    const body = 'channel=C123&text=hello';
    const res = await boundedFetch(5000, 1024)(url('/api/chat.postMessage'), {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) }, body, redirect: 'error',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect(received.at(-1)).toEqual({ length: String(body.length), bytes: body.length });
  });
});
