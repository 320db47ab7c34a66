// Pictures over HTTP: a still (mjpg-streamer `?action=snapshot`, ustreamer `/snapshot`, an IP
// camera's snapshot URL) or, when the answer is `multipart/x-mixed-replace`, the first frame of an
// MJPEG stream, after which we hang up. Basic auth from the fields or from `user:pass@host` in the
// URL (Node's fetch refuses URLs with credentials, which is how the old plugin's auth broke, #8 of
// parity §8). Every answer is bounded in time and size and checked to really be a picture: cameras
// that answer with an HTML login page or a 50 MB error dump cost one picture and say why.
import { anySignal, readBounded, ResponseTooLargeError } from '../../util/http.js';
import type { Image } from '../types.js';
import { CaptureError, formatMs, isAbort, isTimeout } from './errors.js';
import { sniffImage } from './jpeg.js';
import { MjpegFrameReader } from './mjpeg.js';

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

export interface HttpSourceOptions {
  name: string;
  url: string;
  username?: string;
  password?: string;
  timeoutMs: number;
  maxBytes?: number;
}

interface Target {
  url: string;
  /** The URL for messages: no credentials, secret-looking query values hidden. */
  shown: string;
  authorization?: string;
}

/** Split credentials out of the URL; the fields win over the URL's. */
export function httpTarget(o: Pick<HttpSourceOptions, 'name' | 'url' | 'username' | 'password'>): Target {
  let u: URL;
  try {
    u = new URL(o.url);
  } catch {
    throw new CaptureError('CAMERA_CONFIG', o.name, 'the url is not a valid URL (expected e.g. http://octopi.local:8080/?action=snapshot)');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new CaptureError('CAMERA_CONFIG', o.name, `the url must start with http:// or https://, not ${u.protocol}`);
  }
  const user = o.username ?? (u.username ? decodeURIComponent(u.username) : undefined);
  const pass = o.password ?? (u.password ? decodeURIComponent(u.password) : undefined);
  u.username = '';
  u.password = '';
  const authorization = user !== undefined || pass !== undefined
    ? `Basic ${Buffer.from(`${user ?? ''}:${pass ?? ''}`, 'utf8').toString('base64')}`
    : undefined;
  return { url: u.toString(), shown: showUrl(u), ...(authorization ? { authorization } : {}) };
}

function showUrl(u: URL): string {
  const shown = new URL(u.toString());
  for (const [k] of shown.searchParams) {
    if (/pass|pwd|token|key|secret|auth|sig/i.test(k)) shown.searchParams.set(k, '***');
  }
  return shown.toString();
}

export async function captureHttp(o: HttpSourceOptions, signal?: AbortSignal): Promise<Image> {
  const target = httpTarget(o);
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  // Our own controller: hanging up on a stream after its first frame is not an error.
  const hangUp = new AbortController();
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const all = anySignal([timeout, signal, hangUp.signal]);
  const fail = (code: ConstructorParameters<typeof CaptureError>[0], detail: string, cause?: unknown) =>
    new CaptureError(code, o.name, detail, cause === undefined ? undefined : { cause });
  try {
    const res = await fetch(target.url, {
      headers: {
        accept: 'image/jpeg, image/png;q=0.9, multipart/x-mixed-replace;q=0.8, */*;q=0.5',
        ...(target.authorization ? { authorization: target.authorization } : {}),
      },
      // Credentials must not follow a redirect to another host.
      redirect: target.authorization ? 'error' : 'follow',
      signal: all,
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      const digest = res.status === 401 && /^\s*digest/i.test(res.headers.get('www-authenticate') ?? '');
      const hint = digest ? ': the camera asks for Digest authentication, which octoslack does not speak; enable Basic auth or use another snapshot URL' : statusHint(res.status, target.authorization !== undefined);
      throw fail('CAMERA_HTTP_STATUS', `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} from ${target.shown}${hint}`);
    }
    const type = res.headers.get('content-type') ?? '';
    const bytes = /multipart\/x-mixed-replace/i.test(type)
      ? await firstFrame(res, maxBytes, () => fail('CAMERA_TOO_LARGE', `no whole picture in the first ${mb(maxBytes)} of the stream at ${target.shown}`))
      : await readAll(res, maxBytes, () => fail('CAMERA_TOO_LARGE', `the answer from ${target.shown} is larger than ${mb(maxBytes)}: not a snapshot URL?`));
    hangUp.abort();
    const image = sniffImage(bytes);
    if (!image) throw fail('CAMERA_NOT_JPEG', `${target.shown} did not answer with a JPEG picture (${describe(type, bytes)}); is it the snapshot URL, e.g. http://host:8080/?action=snapshot?`);
    return { data: bytes, mime: image.mime, width: image.width, height: image.height, camera: o.name };
  } catch (err) {
    hangUp.abort();
    if (err instanceof CaptureError) throw err;
    if (timeout.aborted || isTimeout(err)) throw fail('CAMERA_TIMEOUT', `no picture from ${target.shown} within ${formatMs(o.timeoutMs)}`, err);
    if (signal?.aborted || isAbort(err)) {
      // captureAll's overall limit aborts with a TimeoutError reason.
      if (isTimeout(signal?.reason)) throw fail('CAMERA_TIMEOUT', `no picture from ${target.shown}: ${(signal?.reason as Error).message}`, err);
      throw fail('CAMERA_ABORTED', 'capture aborted', err);
    }
    throw fail('CAMERA_UNREACHABLE', `cannot reach ${target.shown}: ${networkReason(err)}`, err);
  }
}

/** The whole body, bounded by readBounded (util/http.ts), its own error made a camera one. */
async function readAll(res: Response, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  try {
    const bytes = await readBounded(res, maxBytes);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (err) {
    throw err instanceof ResponseTooLargeError ? tooLarge() : err;
  }
}

async function firstFrame(res: Response, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const frames = new MjpegFrameReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return Buffer.alloc(0); // the stream ended without a whole picture
      const frame = frames.push(value);
      if (frame) return frame;
      if (frames.received > maxBytes) throw tooLarge();
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

function statusHint(status: number, hasAuth: boolean): string {
  if (status === 401) return hasAuth ? ': check the camera\'s username and password' : ': the camera needs a username and password';
  if (status === 403) return ': the camera refused access';
  if (status === 404) return ': check the path (mjpg-streamer: /?action=snapshot, ustreamer: /snapshot)';
  if (status >= 500) return ': the camera\'s server failed';
  return '';
}

function describe(type: string, bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty answer';
  const what = type ? type.split(';')[0]!.trim() : 'no Content-Type';
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  if (/<html|<!doctype/i.test(head)) return `an HTML page, ${what}`;
  return `${bytes.length} bytes of ${what}`;
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  switch (cause?.code) {
    case 'ECONNREFUSED': return 'connection refused (is the camera server running?)';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'unknown host name';
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'host unreachable';
    case 'ECONNRESET': return 'the connection was reset';
    default: return cause?.message ?? (err instanceof Error ? err.message : String(err));
  }
}

function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
