// A fake Slack for Socket Mode on 127.0.0.1: the fake Web API (fake-slack.ts) plus
// `apps.connections.open` with an app-level token, `reactions.add`, `users.info`, a slash command
// response_url, and a `ws` server that greets each connection with `hello`, sends event envelopes
// and records the acknowledgements. `drop()` cuts the connections, to test reconnects.
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FakeSlack, type FakeSlackOptions, type RecordedRequest } from './fake-slack.js';

export const SLACK_APP_TOKEN = 'xapp-1-A0APP-123-testapptoken';
export const DM_CHANNEL = 'D0DIRECT01';

export interface Ack {
  envelope_id: string;
  payload?: unknown;
}

let counter = 0;

export class FakeSocketModeSlack extends FakeSlack {
  readonly appToken = SLACK_APP_TOKEN;
  readonly acks: Ack[] = [];
  /** users.info answers by user ID; a missing user answers user_not_found. */
  readonly users = new Map<string, { name: string; display_name: string }>();
  /** Open Socket Mode connections, newest last. */
  readonly sockets: WebSocket[] = [];
  /** How many sockets were ever opened. */
  opened = 0;
  private wss?: WebSocketServer;
  private wsPort = 0;

  static async startSocketMode(o: FakeSlackOptions = {}): Promise<FakeSocketModeSlack> {
    const f = new FakeSocketModeSlack({
      ...o,
      scopes: o.scopes ?? ['chat:write', 'channels:read', 'groups:read', 'reactions:write', 'users:read', 'app_mentions:read', 'im:history'],
      channels: o.channels ?? [
        { id: 'C0PRINTER1', name: 'printer', is_member: true },
        { id: 'C0RANDOM01', name: 'random', is_member: true },
        { id: DM_CHANNEL, name: 'dm', is_member: true },
      ],
    });
    await f.listen();
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    f.wss = wss;
    f.wsPort = (wss.address() as AddressInfo).port;
    wss.on('connection', (ws) => {
      f.opened++;
      f.sockets.push(ws);
      ws.on('message', (data) => {
        try { f.acks.push(JSON.parse(data.toString()) as Ack); } catch { /* not JSON: ignore */ }
      });
      ws.on('close', () => { const i = f.sockets.indexOf(ws); if (i >= 0) f.sockets.splice(i, 1); });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A0APP' } }));
    });
    return f;
  }

  protected override route(method: string, path: string): string {
    if (path.startsWith('/respond/')) return 'response_url';
    return super.route(method, path);
  }

  protected override handle(rec: RecordedRequest, res: ServerResponse): void {
    if (rec.route === 'response_url') return this.json(res, 200, { ok: true });
    const auth = rec.headers.authorization ?? '';
    if (rec.route === 'apps.connections.open') {
      if (auth !== `Bearer ${this.appToken}`) return this.json(res, 200, { ok: false, error: auth.startsWith('Bearer xoxb-') ? 'not_allowed_token_type' : 'invalid_auth' });
      return this.json(res, 200, { ok: true, url: `ws://127.0.0.1:${this.wsPort}/link/?ticket=${++counter}` });
    }
    if (auth === `Bearer ${this.token}`) {
      if (rec.route === 'reactions.add') {
        if (!this.scopes.includes('reactions:write')) return this.json(res, 200, { ok: false, error: 'missing_scope', needed: 'reactions:write' });
        return this.json(res, 200, { ok: true });
      }
      if (rec.route === 'users.info') {
        if (!this.scopes.includes('users:read')) return this.json(res, 200, { ok: false, error: 'missing_scope', needed: 'users:read' });
        const u = this.users.get(String(rec.body.user));
        return u ? this.json(res, 200, { ok: true, user: { id: rec.body.user, name: u.name, profile: { display_name: u.display_name } } })
          : this.json(res, 200, { ok: false, error: 'user_not_found' });
      }
    }
    super.handle(rec, res);
  }

  /** A slash command's response_url on this server. */
  responseUrl(): string {
    return `${this.url}/respond/${++counter}`;
  }

  /** Send an Events API envelope to the newest connection; returns its envelope id. */
  sendEvent(event: Record<string, unknown>, opts: { eventId?: string; teamId?: string } = {}): string {
    const envelope_id = `env-${++counter}`;
    this.send({
      envelope_id, type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '',
      payload: {
        team_id: opts.teamId ?? 'T0TEST', api_app_id: 'A0APP', type: 'event_callback',
        event_id: opts.eventId ?? `Ev${counter}`, event_time: Math.floor(Date.now() / 1000), event,
      },
    });
    return envelope_id;
  }

  /** `@bot <text>` in a channel, from `user`; returns the message ts and envelope id. */
  mention(user: string, text: string, channel = 'C0PRINTER1', extra: Record<string, unknown> = {}): { ts: string; envelope: string } {
    const ts = `1767225700.${String(++counter).padStart(6, '0')}`;
    const envelope = this.sendEvent({ type: 'app_mention', user, text: `<@U0BOT> ${text}`, ts, channel, team: 'T0TEST', event_ts: ts, ...extra });
    return { ts, envelope };
  }

  /** A direct message to the bot. */
  direct(user: string, text: string, extra: Record<string, unknown> = {}): { ts: string; envelope: string } {
    const ts = `1767225800.${String(++counter).padStart(6, '0')}`;
    const envelope = this.sendEvent({ type: 'message', channel_type: 'im', user, text, ts, channel: DM_CHANNEL, team: 'T0TEST', event_ts: ts, ...extra });
    return { ts, envelope };
  }

  /** `/octoslack <text>`; returns the response_url path to look for. */
  slash(user: string, text: string, channel = 'C0PRINTER1'): { envelope: string; responsePath: string } {
    const envelope_id = `env-${++counter}`;
    const responseUrl = this.responseUrl();
    this.send({
      envelope_id, type: 'slash_commands', accepts_response_payload: true,
      payload: { command: '/octoslack', text, user_id: user, team_id: 'T0TEST', channel_id: channel, channel_name: 'printer', response_url: responseUrl },
    });
    return { envelope: envelope_id, responsePath: new URL(responseUrl).pathname };
  }

  async waitAck(envelopeId: string, timeoutMs = 5000): Promise<Ack> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const a = this.acks.find((x) => x.envelope_id === envelopeId);
      if (a) return a;
      if (Date.now() > until) throw new Error(`fake socket mode: no ack for ${envelopeId}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Resolves once `count` sockets have been opened in total. */
  async waitOpened(count: number, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.opened < count || this.sockets.length === 0) {
      if (Date.now() > until) throw new Error(`fake socket mode: ${this.opened} connections, wanted ${count}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Cut every connection without a close handshake (a network drop). */
  drop(): void {
    for (const ws of [...this.sockets]) ws.terminate();
  }

  /** Slack's polite variant: "please reconnect" before the server recycles. */
  askReconnect(): void {
    this.send({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'fake' } });
  }

  override async close(): Promise<void> {
    this.drop();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    await super.close();
  }

  private send(msg: unknown): void {
    const ws = this.sockets.at(-1);
    if (!ws) throw new Error('fake socket mode: no connection');
    ws.send(JSON.stringify(msg));
  }
}
