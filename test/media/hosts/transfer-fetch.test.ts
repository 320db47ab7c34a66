// Uploads must work whatever fetch the process ends up with. Loading @slack/socket-mode (chat
// commands) installs the npm undici as the process-wide fetch, which refuses a Content-Length
// header next to a buffer body ("invalid content-length header"): every picture upload failed in
// the CLI while unit tests, which never load it, passed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../../../src/media/hosts/transfer.js';

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

describe('send() after the Socket Mode client is loaded', () => {
  it('uploads a buffer with the Content-Length the signer put in the headers', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/object`;
    const body = new Uint8Array(5000).fill(7);
    const res = await send(url, { method: 'PUT', headers: { 'content-length': '5000', 'content-type': 'image/jpeg' }, body, timeoutMs: 5000, maxBytes: 1024 });
    expect(res.status).toBe(200);
    expect(received.at(-1)).toEqual({ length: '5000', bytes: 5000 });
  });
});
