// A fake network camera on 127.0.0.1 (node:http, port 0) with the answers real ones give:
// mjpg-streamer/ustreamer stills and MJPEG streams (with and without per-part Content-Length), a
// camera that hangs, one behind Basic auth, one that answers with an HTML login page, one that
// sends 50 MB, and any HTTP status. Pictures are real JPEGs made by ffmpeg (makeJpegs), so what
// capture returns can be checked byte for byte and fed to real ffmpeg afterwards.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jpegEnd } from '../../src/media/capture/jpeg.js';

export interface FakeCameraOptions {
  /** The still picture; also the first stream frame. */
  still: Buffer;
  /** Stream frames, sent in a loop (default: just the still). */
  frames?: Buffer[];
  /** Credentials for /auth/... routes. */
  username?: string;
  password?: string;
  /** Time between stream frames (default 40 ms, 25 fps). */
  frameIntervalMs?: number;
}

export const BOUNDARY = 'boundarydonotcross';
const HUGE_BYTES = 50 * 1024 * 1024;

export class FakeCamera {
  readonly requests: { path: string; authorization?: string }[] = [];
  /** Streams currently being sent (a client that hangs up after one frame brings this back to 0). */
  openStreams = 0;
  /** Bytes written by /huge before the client hung up. */
  hugeBytesSent = 0;
  private server?: Server;
  private port = 0;

  constructor(private readonly o: FakeCameraOptions) {}

  url(pathAndQuery = '/?action=snapshot'): string {
    return `http://127.0.0.1:${this.port}${pathAndQuery}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => this.onRequest(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ path: u.pathname + u.search, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    let route = u.pathname;
    if (route.startsWith('/auth/')) {
      const expected = `Basic ${Buffer.from(`${this.o.username ?? ''}:${this.o.password ?? ''}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="camera"', 'content-type': 'text/plain' });
        res.end('401 Unauthorized');
        return;
      }
      route = route.slice('/auth'.length);
    }
    const action = u.searchParams.get('action');
    if (route === '/' && action === 'snapshot') route = '/snapshot';
    if (route === '/' && action === 'stream') route = '/stream';
    const status = /^\/status\/(\d{3})$/.exec(route);
    if (status) {
      res.writeHead(Number(status[1]), { 'content-type': 'text/plain' });
      res.end(`status ${status[1]}`);
      return;
    }
    switch (route) {
      case '/snapshot': return this.sendStill(res);
      case '/stream': return this.sendStream(res, true);
      case '/stream-nolength': return this.sendStream(res, false);
      case '/hang': return; // never answers
      case '/hang-body': // headers, then silence
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(this.o.still.length) });
        res.write(this.o.still.subarray(0, 100));
        return;
      case '/html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!DOCTYPE html><html><body><form>Login</form></body></html>');
        return;
      case '/huge': return this.sendHuge(res, false);
      case '/huge-declared': return this.sendHuge(res, true);
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
    }
  }

  private sendStill(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(this.o.still.length) });
    res.end(this.o.still);
  }

  /** multipart/x-mixed-replace, as mjpg-streamer sends it: boundary, part headers, JPEG, repeat. */
  private sendStream(res: ServerResponse, withLength: boolean): void {
    const frames = this.o.frames ?? [this.o.still];
    res.writeHead(200, { 'content-type': `multipart/x-mixed-replace;boundary=${BOUNDARY}`, 'cache-control': 'no-store' });
    this.openStreams++;
    let i = 0;
    const send = () => {
      const frame = frames[i++ % frames.length]!;
      const headers = `--${BOUNDARY}\r\nContent-Type: image/jpeg\r\n${withLength ? `Content-Length: ${frame.length}\r\n` : ''}X-Timestamp: ${Date.now() / 1000}\r\n\r\n`;
      res.write(headers);
      // In two writes, so a frame arrives split across chunks as it does over a real network.
      const half = Math.floor(frame.length / 2);
      res.write(frame.subarray(0, half));
      res.write(Buffer.concat([frame.subarray(half), Buffer.from('\r\n')]));
    };
    send();
    const timer = setInterval(send, this.o.frameIntervalMs ?? 40);
    res.on('close', () => {
      clearInterval(timer);
      this.openStreams--;
    });
  }

  /** 50 MB of a "picture", written as fast as the client reads it; stops when it hangs up. */
  private sendHuge(res: ServerResponse, declare: boolean): void {
    res.writeHead(200, { 'content-type': 'image/jpeg', ...(declare ? { 'content-length': String(HUGE_BYTES) } : {}) });
    const chunk = Buffer.alloc(1024 * 1024, 0x42);
    chunk[0] = 0xff; chunk[1] = 0xd8; chunk[2] = 0xff;
    let closed = false;
    res.on('close', () => { closed = true; });
    const pump = () => {
      while (!closed && this.hugeBytesSent < HUGE_BYTES) {
        this.hugeBytesSent += chunk.length;
        if (!res.write(chunk)) { res.once('drain', pump); return; }
      }
      if (!closed) res.end();
    };
    pump();
  }
}

/** `count` distinct JPEGs (testsrc's frame counter moves) of the given size, made by real ffmpeg. */
export async function makeJpegs(count: number, width: number, height: number, pattern = 'testsrc'): Promise<Buffer[]> {
  const out = await runFfmpeg([
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-f', 'lavfi', '-i', `${pattern}=size=${width}x${height}:rate=25`,
    '-frames:v', String(count), '-q:v', '5', '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1',
  ]);
  const frames: Buffer[] = [];
  for (let at = 0; at < out.length;) {
    const end = jpegEnd(out, at);
    if (end < 0) throw new Error('makeJpegs: ffmpeg output is not a sequence of JPEGs');
    frames.push(out.subarray(at, end));
    at = end;
  }
  if (frames.length !== count) throw new Error(`makeJpegs: wanted ${count} frames, got ${frames.length}`);
  return frames;
}

export async function makeJpeg(width: number, height: number, pattern = 'testsrc'): Promise<Buffer> {
  return (await makeJpegs(1, width, height, pattern))[0]!;
}

/** A JPEG that is white on its left half and black on its right half, to check directions. */
export async function makeHalfWhite(width: number, height: number): Promise<Buffer> {
  const half = width / 2;
  return runFfmpeg([
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-f', 'lavfi', '-i', `color=white:s=${half}x${height}`, '-f', 'lavfi', '-i', `color=black:s=${half}x${height}`,
    '-filter_complex', '[0:v][1:v]hstack', '-frames:v', '1', '-q:v', '2', '-f', 'mjpeg', 'pipe:1',
  ]);
}

/** Decode a picture to 8-bit grey pixels (row by row) with real ffmpeg. */
export async function greyPixels(jpeg: Buffer): Promise<Buffer> {
  return runFfmpeg(['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'image2pipe', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], jpeg);
}

/** width, height (and frame count for videos) as ffprobe reads them. */
export async function probe(fileOrData: string | Buffer): Promise<{ width: number; height: number; frames?: number; codec: string }> {
  const args = ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=width,height,nb_read_frames,codec_name', '-of', 'json'];
  const out = typeof fileOrData === 'string'
    ? await run('ffprobe', [...args, fileOrData])
    : await run('ffprobe', [...args, '-f', 'image2pipe', '-i', 'pipe:0'], fileOrData);
  const s = (JSON.parse(out.toString('utf8')) as { streams: { width: number; height: number; nb_read_frames?: string; codec_name: string }[] }).streams[0]!;
  return { width: s.width, height: s.height, codec: s.codec_name, ...(s.nb_read_frames ? { frames: Number(s.nb_read_frames) } : {}) };
}

function runFfmpeg(args: string[], input?: Buffer): Promise<Buffer> {
  return run('ffmpeg', args, input);
}

function run(cmd: string, args: string[], input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}: ${err}`))));
    if (input) { child.stdin!.on('error', () => {}); child.stdin!.end(input); }
  });
}
