// Bounded HTTP over the process-wide fetch, shared by the chat targets and the Slack SDK's fetch
// (notify/targets/http.ts) and the uploads (media/hosts/transfer.ts); the HTTP cameras
// (media/capture/http-source.ts) read an MJPEG stream themselves and share `anySignal` and
// `readBounded`. What every request made through `request`/`requestText` gets:
//
// - A time limit: its own timeout joined with the caller's signal (the outbox aborts on stop), so a
//   hung server is an error the caller can retry (DOMException TimeoutError/AbortError), never a
//   stuck queue.
// - A bounded answer: at most `maxBytes` are read, and an answer whose Content-Length already says
//   more is refused unread, so a huge or garbage answer is a ResponseTooLargeError, never a crash.
// - Redirects the caller chose: `redirect` has no default. A token must never follow a redirect
//   to another host ('error'), or the 3xx carries what the caller translates ('manual').
// - One Content-Length rule: a buffer or string body never carries a Content-Length of ours, fetch
//   sets it; the npm undici that @slack/socket-mode installs as the process-wide fetch refuses a
//   second one ("invalid content-length header"). Only a streamed body keeps ours (S3 refuses
//   chunked PUTs) and gets `duplex: 'half'`.
// - No secrets in errors: the errors raised here carry no URL, header or body (ResponseTooLargeError
//   says only the limit); callers word messages with an address they redacted themselves.
export class ResponseTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`more than ${Math.round(maxBytes / 1024)} KB`);
    this.name = 'ResponseTooLargeError';
  }
}

/** AbortSignal.any (Node ≥ 20.3) with a fallback for older 20.x. */
export function anySignal(signals: ReadonlyArray<AbortSignal | undefined>): AbortSignal {
  const list = signals.filter((s): s is AbortSignal => s !== undefined);
  const any = (AbortSignal as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (any) return any(list);
  const c = new AbortController();
  for (const s of list) {
    if (s.aborted) { c.abort(s.reason); break; }
    s.addEventListener('abort', () => c.abort(s.reason), { once: true });
  }
  return c.signal;
}

/** Read a body, failing once it passes `maxBytes` (also when Content-Length says so up front). */
export async function readBounded(res: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new ResponseTooLargeError(maxBytes);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new ResponseTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.byteLength; }
  return out;
}

/**
 * The headers to hand fetch: without any Content-Length unless the body is streamed. A buffer's
 * length is set by fetch itself (and request signatures cover the same value).
 */
export function requestHeaders(headers: Record<string, string> | undefined, stream: boolean | undefined): Record<string, string> | undefined {
  if (stream || !headers) return headers;
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'content-length'));
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: RequestInit['body'];
  /** Streams need `duplex: 'half'` and an explicit Content-Length (S3 refuses chunked PUTs). */
  stream?: boolean;
  /** No default: each caller says what a redirect means to it. */
  redirect: NonNullable<RequestInit['redirect']>;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export interface BoundedAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  bytes: Uint8Array;
}

export interface TextAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * One request; resolves with any HTTP status (the caller translates it, 3xx included with
 * `redirect: 'manual'`), rejects on network errors, timeouts (DOMException TimeoutError), caller
 * aborts, and oversized answers (ResponseTooLargeError).
 */
export async function request(url: string | URL, o: RequestOptions): Promise<BoundedAnswer> {
  const signal = anySignal([AbortSignal.timeout(o.timeoutMs), o.signal]);
  const init: RequestInit & { duplex?: 'half' } = {
    method: o.method ?? 'GET', headers: requestHeaders(o.headers, o.stream), body: o.body, redirect: o.redirect, signal,
  };
  if (o.stream) init.duplex = 'half';
  const res = await fetch(url, init);
  const bytes = await readBounded(res, o.maxBytes);
  return { status: res.status, statusText: res.statusText, headers: res.headers, bytes };
}

/** `request` with the answer decoded as UTF-8. */
export async function requestText(url: string | URL, o: RequestOptions): Promise<TextAnswer> {
  const res = await request(url, o);
  return { status: res.status, headers: res.headers, text: new TextDecoder().decode(res.bytes) };
}
