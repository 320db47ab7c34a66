// A fake Mattermost with the WebSocket API on 127.0.0.1: the fake REST server (fake-mattermost.ts)
// plus `POST /api/v4/reactions` and `/api/v4/websocket` on the same port, where a `ws` server
// authenticates by the Authorization header or an `authentication_challenge`, says `hello`, and
// sends `posted` events (the post as a JSON string, like the real server). `drop()` cuts the
// connections; `freeze()` makes a connection go silent (no pongs), like a dead NAT mapping.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { FakeMattermost, MM_BOT_ID, MM_TOKEN, mmId } from './fake-mattermost.js';
import type { RecordedRequest } from './fake-slack.js';

export const MM_BOT_USERNAME = 'octobot';
export const MM_DM_CHANNEL = mmId('dmchannel', '');

let counter = 0;

export interface FakeMmOptions {
  /** Accept the token in the upgrade's Authorization header (default true); else only the challenge. */
  headerAuth?: boolean;
}

export class FakeMattermostWs extends FakeMattermost {
  readonly reactions: { user_id: string; post_id: string; emoji_name: string }[] = [];
  readonly sockets: WebSocket[] = [];
  /** Connections that said hello, in total. */
  greeted = 0;
  /** How each connection authenticated. */
  readonly authVia: ('header' | 'challenge')[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private seq = 0;

  constructor(private readonly opts: FakeMmOptions = {}) {
    super();
    this.channels.push({ id: MM_DM_CHANNEL, name: 'dm', team: 'makers', members: [MM_BOT_ID] });
  }

  static async startWs(opts: FakeMmOptions = {}): Promise<FakeMattermostWs> {
    const f = new FakeMattermostWs(opts);
    await f.listen();
    // FakeServerBase keeps its http.Server private; the WebSocket must share its port, as on a
    // real server, so reach it here (test helper only).
    const server = (f as unknown as { server: Server }).server;
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => f.upgrade(req, socket, head));
    return f;
  }

  protected override route(method: string, path: string): string {
    if (path === '/api/v4/reactions' && method === 'POST') return 'reactions';
    return super.route(method, path);
  }

  protected override handle(rec: RecordedRequest, res: ServerResponse): void {
    if (rec.route === 'reactions' && rec.headers.authorization === `Bearer ${MM_TOKEN}`) {
      const b = rec.body as { user_id: string; post_id: string; emoji_name: string };
      this.reactions.push({ user_id: b.user_id, post_id: b.post_id, emoji_name: b.emoji_name });
      return this.json(res, 201, { ...b, create_at: Date.now() });
    }
    super.handle(rec, res);
  }

  /** A post by `userId` arrives; `mention` adds `@octobot` and the mentions list. Returns the post id. */
  post(o: { userId: string; senderName: string; message: string; channelId?: string; direct?: boolean; mention?: boolean; rootId?: string;
    props?: Record<string, unknown>; type?: string }): string {
    const id = mmId('userpost', ++counter);
    const channelId = o.channelId ?? (o.direct ? MM_DM_CHANNEL : this.channels[0]!.id);
    const mention = o.mention ?? !o.direct;
    const message = mention ? `@${MM_BOT_USERNAME} ${o.message}` : o.message;
    const post = { id, create_at: Date.now(), user_id: o.userId, channel_id: channelId, root_id: o.rootId ?? '', message, type: o.type ?? '', props: o.props ?? {} };
    const data: Record<string, unknown> = {
      channel_display_name: o.direct ? `@${o.senderName}` : 'Printer', channel_name: o.direct ? 'dm' : 'printer',
      channel_type: o.direct ? 'D' : 'O', post: JSON.stringify(post), sender_name: `@${o.senderName}`, team_id: this.teams[0]!.id, set_online: true,
    };
    if (mention) data.mentions = JSON.stringify([MM_BOT_ID]);
    this.broadcast({ event: 'posted', data, broadcast: { channel_id: channelId, team_id: '', user_id: '' }, seq: ++this.seq });
    return id;
  }

  /** Replies (REST posts by the bot) in the thread of `rootId`. */
  repliesTo(rootId: string): Record<string, unknown>[] {
    return [...this.posts.values()].filter((p) => p.root_id === rootId);
  }

  async waitReply(rootId: string, count = 1, timeoutMs = 5000): Promise<Record<string, unknown>[]> {
    const until = Date.now() + timeoutMs;
    while (this.repliesTo(rootId).length < count) {
      if (Date.now() > until) throw new Error(`fake mattermost: ${this.repliesTo(rootId).length} replies to ${rootId}, wanted ${count}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.repliesTo(rootId);
  }

  async waitGreeted(count: number, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.greeted < count) {
      if (Date.now() > until) throw new Error(`fake mattermost: ${this.greeted} connections, wanted ${count}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  drop(): void {
    for (const ws of [...this.sockets]) ws.terminate();
  }

  /** Stop reading and answering on every connection (no pongs, no close): a silently dead link. */
  freeze(): void {
    for (const ws of this.sockets) ws.pause();
  }

  override async close(): Promise<void> {
    this.drop();
    this.wss.close();
    await super.close();
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!req.url?.startsWith('/api/v4/websocket')) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sockets.push(ws);
      ws.on('close', () => { const i = this.sockets.indexOf(ws); if (i >= 0) this.sockets.splice(i, 1); });
      const hello = (via: 'header' | 'challenge') => {
        this.greeted++;
        this.authVia.push(via);
        ws.send(JSON.stringify({ event: 'hello', data: { server_version: '10.0.0.fake', connection_id: `conn${this.greeted}` }, broadcast: {}, seq: 0 }));
      };
      if ((this.opts.headerAuth ?? true) && req.headers.authorization === `Bearer ${MM_TOKEN}`) {
        hello('header');
        return;
      }
      ws.on('message', (raw) => {
        let m: { seq?: number; action?: string; data?: { token?: string } };
        try { m = JSON.parse(raw.toString()) as typeof m; } catch { return; }
        if (m.action !== 'authentication_challenge') return;
        if (m.data?.token !== MM_TOKEN) {
          ws.close(4001, 'bad token');
          return;
        }
        ws.send(JSON.stringify({ status: 'OK', seq_reply: m.seq }));
        hello('challenge');
      });
    });
  }

  private broadcast(msg: unknown): void {
    if (this.sockets.length === 0) throw new Error('fake mattermost: no WebSocket connection');
    for (const ws of this.sockets) ws.send(JSON.stringify(msg));
  }
}
