// A fake Slack Web API + incoming webhook on 127.0.0.1 (node:http, port 0), so the real
// @slack/web-api client can be pointed at it with `slackApiUrl`. It records every request (method,
// path, headers, body: form-encoded or JSON, JSON-looking form values decoded) and answers like
// Slack by default; `script()` queues special answers per method (errors, 429, 500, hang, close).
// FakeServerBase is shared with fake-mattermost.ts.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  /** Route name: a Slack method ("chat.postMessage"), "webhook", or a Mattermost route. */
  route: string;
  headers: IncomingHttpHeaders;
  raw: string;
  /** JSON body, or form fields (values that look like JSON arrays/objects decoded). */
  body: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
}

export type FakeAnswer =
  /** 200 `{ ok: true, ...fields }` */
  | { ok: Record<string, unknown> }
  /** 200 `{ ok: false, error, ...extra }` (Slack Web API errors) */
  | { error: string; extra?: Record<string, unknown> }
  | { status: number; body?: string | object; headers?: Record<string, string> }
  /** HTTP 429 with Retry-After (seconds) */
  | { retryAfter: number }
  /** hang: never answer; close: drop the connection; huge: 2 MB of JSON; garbage: an HTML page */
  | 'hang' | 'close' | 'huge' | 'garbage' | 'default';

export abstract class FakeServerBase {
  readonly requests: RecordedRequest[] = [];
  private readonly scripts = new Map<string, FakeAnswer[]>();
  private server?: Server;
  protected port = 0;

  get url(): string { return `http://127.0.0.1:${this.port}`; }

  /** Queue answers for the next calls of `route`; afterwards it answers normally again. */
  script(route: string, ...answers: FakeAnswer[]): this {
    this.scripts.set(route, [...(this.scripts.get(route) ?? []), ...answers]);
    return this;
  }

  calls(route: string): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  /** Resolves once `route` was called `count` times. */
  async waitFor(route: string, count = 1, timeoutMs = 5000): Promise<RecordedRequest[]> {
    const until = Date.now() + timeoutMs;
    while (this.calls(route).length < count) {
      if (Date.now() > until) throw new Error(`fake: ${route} called ${this.calls(route).length} times, wanted ${count}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.calls(route);
  }

  /** Port 0: any free port; a given port to come back where a test's target expects it. */
  async listen(port = 0): Promise<void> {
    const server = createServer((req, res) => { void this.onRequest(req, res); });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    this.server = server;
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  protected abstract route(method: string, path: string): string;
  protected abstract handle(rec: RecordedRequest, res: ServerResponse): void;

  protected json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET', path: url.pathname, route: this.route(req.method ?? 'GET', url.pathname),
      headers: req.headers, raw, body: parseBody(raw, req.headers['content-type']), at: Date.now(),
    };
    this.requests.push(rec);
    const answer = this.scripts.get(rec.route)?.shift() ?? 'default';
    if (!this.scripted(answer, req, res)) this.handle(rec, res);
  }

  /** Apply a scripted answer; false for 'default'. */
  private scripted(a: FakeAnswer, req: IncomingMessage, res: ServerResponse): boolean {
    if (a === 'default') return false;
    if (a === 'hang') return true;
    if (a === 'close') { req.socket.destroy(); return true; }
    if (a === 'huge') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"ok":true,"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`);
      return true;
    }
    if (a === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Welcome to the captive portal</body></html>');
      return true;
    }
    if ('retryAfter' in a) { this.json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(a.retryAfter) }); return true; }
    if ('ok' in a) { this.json(res, 200, { ok: true, ...a.ok }); return true; }
    if ('error' in a) { this.json(res, 200, { ok: false, error: a.error, ...a.extra }); return true; }
    const body = a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
    res.writeHead(a.status, { 'content-type': typeof a.body === 'object' ? 'application/json' : 'text/plain', ...a.headers });
    res.end(body);
    return true;
  }
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) {
    try { return JSON.parse(raw) as Record<string, unknown>; } catch { return { unparsable: raw }; }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (/^[[{]/.test(v)) {
      try { out[k] = JSON.parse(v); continue; } catch { /* keep the string */ }
    }
    out[k] = v;
  }
  return out;
}

export interface FakeSlackChannel {
  id: string;
  name: string;
  is_member: boolean;
  is_private?: boolean;
  is_archived?: boolean;
}

export interface FakeSlackOptions {
  token?: string;
  scopes?: string[];
  channels?: FakeSlackChannel[];
  /** Force small conversations.list pages to exercise pagination. */
  pageSize?: number;
}

export const SLACK_TOKEN = 'xoxb-test-token-1234';
export const WEBHOOK_PATH = '/services/T0TEST/B0HOOK/s3cr3tWebhookKey';

export class FakeSlack extends FakeServerBase {
  readonly token: string;
  scopes: string[];
  readonly channels: FakeSlackChannel[];
  /** Posted messages, by `${channel}/${ts}`. */
  readonly messages = new Map<string, { channel: string; ts: string; text: unknown; thread_ts?: unknown }>();
  private tsCounter = 0;

  constructor(private readonly o: FakeSlackOptions = {}) {
    super();
    this.token = o.token ?? SLACK_TOKEN;
    this.scopes = o.scopes ?? ['chat:write', 'chat:write.customize', 'channels:read', 'groups:read'];
    this.channels = o.channels ?? [
      { id: 'C0PRINTER1', name: 'printer', is_member: true },
      { id: 'C0ALERTS01', name: 'alerts', is_member: true },
      { id: 'C0OUTSIDE1', name: 'outside', is_member: false },
      { id: 'C0OLDSTUFF', name: 'old-stuff', is_member: true, is_archived: true },
      { id: 'G0PRIVATE1', name: 'secret', is_member: true, is_private: true },
    ];
  }

  static async start(o: FakeSlackOptions = {}): Promise<FakeSlack> {
    const f = new FakeSlack(o);
    await f.listen();
    return f;
  }

  /** The Web API base URL, ending in `/`, for `slackApiUrl`. */
  get apiUrl(): string { return `${this.url}/api/`; }
  get webhookUrl(): string { return `${this.url}${WEBHOOK_PATH}`; }

  protected route(_method: string, path: string): string {
    if (path === WEBHOOK_PATH || path.startsWith('/services/')) return 'webhook';
    return path.startsWith('/api/') ? path.slice('/api/'.length) : path;
  }

  protected handle(rec: RecordedRequest, res: ServerResponse): void {
    if (rec.route === 'webhook') {
      if (rec.path !== WEBHOOK_PATH) { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('no_service'); return; }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('ok');
      return;
    }
    const auth = rec.headers.authorization ?? (rec.body.token ? `Bearer ${String(rec.body.token)}` : '');
    if (auth !== `Bearer ${this.token}`) return this.json(res, 200, { ok: false, error: auth ? 'invalid_auth' : 'not_authed' });
    const b = rec.body;
    const headers = { 'x-oauth-scopes': this.scopes.join(',') };
    switch (rec.route) {
      case 'auth.test':
        return this.json(res, 200, { ok: true, url: 'https://octo-test.slack.com/', team: 'Octo Test', user: 'octobot',
          team_id: 'T0TEST', user_id: 'U0BOT', bot_id: 'B0BOT' }, headers);
      case 'conversations.list': {
        const all = this.channels.filter((c) => !(b.exclude_archived === 'true' && c.is_archived));
        const start = typeof b.cursor === 'string' ? Number(b.cursor.replace('offset:', '')) : 0;
        const size = Math.min(Number(b.limit ?? 100), this.o.pageSize ?? 1000);
        const page = all.slice(start, start + size);
        const next = start + size < all.length ? `offset:${start + size}` : '';
        return this.json(res, 200, { ok: true, channels: page, response_metadata: { next_cursor: next } }, headers);
      }
      case 'conversations.info': {
        const c = this.channels.find((x) => x.id === b.channel);
        return this.json(res, 200, c ? { ok: true, channel: c } : { ok: false, error: 'channel_not_found' });
      }
      case 'chat.postMessage':
        return this.post(b, res);
      case 'chat.update': {
        const m = this.messages.get(`${String(b.channel)}/${String(b.ts)}`);
        if (!m) return this.json(res, 200, { ok: false, error: 'message_not_found' });
        m.text = b.text;
        return this.json(res, 200, { ok: true, channel: m.channel, ts: m.ts, text: b.text });
      }
      default:
        return this.json(res, 200, { ok: false, error: 'unknown_method' });
    }
  }

  private post(b: Record<string, unknown>, res: ServerResponse): void {
    if (!this.scopes.includes('chat:write')) {
      return this.json(res, 200, { ok: false, error: 'missing_scope', needed: 'chat:write', provided: this.scopes.join(',') });
    }
    const want = String(b.channel ?? '').replace(/^#/, '');
    const c = this.channels.find((x) => x.id === want || x.name === want);
    if (!c || (c.is_private && !c.is_member)) return this.json(res, 200, { ok: false, error: 'channel_not_found' });
    if (c.is_archived) return this.json(res, 200, { ok: false, error: 'is_archived' });
    if (!c.is_member && !this.scopes.includes('chat:write.public')) return this.json(res, 200, { ok: false, error: 'not_in_channel' });
    const ts = `1767225600.${String(++this.tsCounter).padStart(6, '0')}`;
    this.messages.set(`${c.id}/${ts}`, { channel: c.id, ts, text: b.text, thread_ts: b.thread_ts });
    const message: Record<string, unknown> = { type: 'message', text: b.text, ts, bot_id: 'B0BOT' };
    if (b.thread_ts) message.thread_ts = b.thread_ts;
    this.json(res, 200, { ok: true, channel: c.id, ts, message });
  }
}
