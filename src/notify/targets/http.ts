// HTTP for the chat targets over Node's built-in fetch: every call has a timeout joined with the
// caller's signal (the outbox aborts on stop), and reads at most `maxBytes` of the answer, so a
// hung server or a huge/garbage answer is an error the outbox can retry, never a stuck queue or a
// crash. The Slack SDK gets the same guarantees through `boundedFetch`.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetchFunction } from '@slack/web-api';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;

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

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  maxBytes?: number;
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * One request; resolves with any HTTP status (the caller translates it), rejects on network
 * errors, timeouts (DOMException TimeoutError), caller aborts, and oversized answers.
 * Redirects are refused: a bearer token must never follow a redirect to another host.
 */
export async function httpRequest(url: string, o: HttpOptions = {}): Promise<HttpAnswer> {
  const signal = anySignal([AbortSignal.timeout(o.timeoutMs ?? DEFAULT_TIMEOUT_MS), o.signal]);
  const res = await fetch(url, { method: o.method ?? 'GET', headers: o.headers, body: o.body, redirect: 'error', signal });
  const bytes = await readBounded(res, o.maxBytes ?? DEFAULT_MAX_BYTES);
  return { status: res.status, headers: res.headers, text: new TextDecoder().decode(bytes) };
}

/** The caller's signal for the Slack SDK call in progress (the SDK has no per-call signal). */
export const callSignal = new AsyncLocalStorage<AbortSignal | undefined>();

/**
 * A fetch for `@slack/web-api`: adds our timeout and the caller's signal (from `callSignal`),
 * reads the answer bounded, and hands the SDK a fully buffered Response.
 */
export function boundedFetch(timeoutMs: number, maxBytes: number): FetchFunction {
  return async (url, init) => {
    const signal = anySignal([AbortSignal.timeout(timeoutMs), init?.signal, callSignal.getStore()]);
    const res = await fetch(url, { ...init, signal });
    const bytes = await readBounded(res, maxBytes);
    const nullBody = res.status === 204 || res.status === 205 || res.status === 304;
    return new Response(nullBody ? null : bytes, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
