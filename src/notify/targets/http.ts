// HTTP for the chat targets, on the shared bounded requests of util/http.ts (timeout joined with
// the caller's signal, answers read at most to `maxBytes`, the Content-Length rule): a hung server
// or a huge/garbage answer is an error the outbox can retry, never a stuck queue or a crash. What
// is ours here: the chat defaults, refusing redirects, and the Slack SDK's fetch (`boundedFetch`).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetchFunction } from '@slack/web-api';
import { anySignal, request, requestText, type TextAnswer } from '../../util/http.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  maxBytes?: number;
  signal?: AbortSignal;
}

export type HttpAnswer = TextAnswer;

/**
 * One request; resolves with any HTTP status (the caller translates it), rejects on network
 * errors, timeouts (DOMException TimeoutError), caller aborts, and oversized answers.
 * Redirects are refused: a bearer token must never follow a redirect to another host.
 */
export async function httpRequest(url: string, o: HttpOptions = {}): Promise<HttpAnswer> {
  return requestText(url, {
    method: o.method ?? 'GET', headers: o.headers, body: o.body, redirect: 'error',
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxBytes: o.maxBytes ?? DEFAULT_MAX_BYTES, signal: o.signal,
  });
}

/** The caller's signal for the Slack SDK call in progress (the SDK has no per-call signal). */
export const callSignal = new AsyncLocalStorage<AbortSignal | undefined>();

/**
 * A fetch for `@slack/web-api`: adds our timeout and the caller's signal (from `callSignal`),
 * reads the answer bounded, and hands the SDK a fully buffered Response.
 */
export function boundedFetch(timeoutMs: number, maxBytes: number): FetchFunction {
  return async (url, init) => {
    const res = await request(url, {
      method: init?.method, headers: init?.headers, body: init?.body,
      redirect: init?.redirect ?? 'follow', // fetch's own default; the SDK asks for 'error'
      timeoutMs, maxBytes, signal: anySignal([init?.signal, callSignal.getStore()]),
    });
    const nullBody = res.status === 204 || res.status === 205 || res.status === 304;
    return new Response(nullBody ? null : res.bytes, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
