// A small Mattermost REST v4 client over fetch (a bot token as `Authorization: Bearer`). Only what
// the bot target needs: who am I, channel by team/name, post, patch, membership. Answers are parsed
// defensively: a non-JSON or oversized answer is an error, never a crash.
import { mattermostError, networkError, parseRetryAfter, redactUrl, scrub, type PeopleError } from '../errors.js';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, httpRequest } from './http.js';

export type ApiAnswer = { ok: true; status: number; json: Record<string, unknown> } | { ok: false; status: number; error: PeopleError };

export interface MattermostApiOptions {
  url: string;
  token: string;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

/** Mattermost IDs: 26 lower-case letters and digits. */
export function looksLikeMattermostId(s: string): boolean {
  return /^[a-z0-9]{26}$/.test(s.trim());
}

export class MattermostApi {
  readonly base: string;
  readonly timeoutMs: number;

  constructor(private readonly o: MattermostApiOptions) {
    this.base = o.url.replace(/\/+$/, '');
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** `ctx` names the channel/team in error messages. */
  async request(method: string, path: string, body: unknown, signal: AbortSignal | undefined,
    ctx: { channel?: string; team?: string } = {}): Promise<ApiAnswer> {
    const where = redactUrl(this.base);
    const secrets = [this.o.token];
    let res;
    try {
      res = await httpRequest(`${this.base}/api/v4${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.o.token}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        timeoutMs: this.timeoutMs,
        maxBytes: this.o.maxResponseBytes ?? DEFAULT_MAX_BYTES,
        signal,
      });
    } catch (err) {
      return { ok: false, status: 0, error: clean(networkError(err, where, this.timeoutMs), secrets) };
    }
    if (res.status < 200 || res.status > 299) {
      const e = mattermostError(res.status, res.text, { webhook: false, ...ctx, retryAfterS: parseRetryAfter(res.headers.get('retry-after')) });
      return { ok: false, status: res.status, error: clean(e, secrets) };
    }
    try {
      const json = JSON.parse(res.text) as unknown;
      if (json && typeof json === 'object' && !Array.isArray(json)) return { ok: true, status: res.status, json: json as Record<string, unknown> };
      if (Array.isArray(json)) return { ok: true, status: res.status, json: { items: json } };
    } catch { /* below */ }
    return {
      ok: false, status: res.status,
      error: { retry: false, code: 'bad_answer', error: `The server at ${where} did not answer like Mattermost`, hint: 'Check mattermost.url: it must be the server\'s address, e.g. https://chat.example.com.' },
    };
  }
}

function clean(e: PeopleError, secrets: string[]): PeopleError {
  return { ...e, error: scrub(e.error, secrets), hint: scrub(e.hint, secrets) };
}
