// Mattermost commands over the server's WebSocket (chat-platforms.md §2.4): the bot token opens
// `wss://<host>/api/v4/websocket` from inside the home network, so no public URL is needed.
// `posted` events carry the post as a JSON string; a post is a command when it mentions the bot in
// the configured channel, or is a direct message to it. Replies go in the post's thread.
//
// A socket can die silently (a router drops the NAT mapping, a laptop sleeps): we ping, and a
// socket with no sign of life for `deadAfterMs` is closed and reopened. Reconnects back off
// exponentially up to a cap. Only a token the server refuses stops the loop; none of this ever
// touches the print.
import WebSocket from 'ws';
import type { MattermostSettings } from '../config/types.js';
import { scrub } from '../notify/errors.js';
import { DEFAULT_TIMEOUT_MS } from '../notify/targets/http.js';
import { Backoff, boundedWait, cancellableSleep, seconds, STOP_WAIT_MS, type BackoffOptions } from './backoff.js';
import type { IncomingMessage, MessageHandler, RemoteLog } from './handler.js';
import { MattermostWeb, websocketUrl } from './mattermost-web.js';

export interface MattermostWsOptions {
  settings: MattermostSettings & { url: string; token: string };
  handler: MessageHandler;
  log: RemoteLog;
  /** Per REST request and for the WebSocket handshake (default 10 s). */
  timeoutMs?: number;
  backoff?: BackoffOptions;
  /** How often we ping (default 30 s). */
  pingIntervalMs?: number;
  /** No message, ping or pong for this long: the socket is dead (default 75 s). */
  deadAfterMs?: number;
  /** Without `hello` this long after opening, send an authentication challenge (default 3 s). */
  challengeAfterMs?: number;
  /** Without `hello` this long after opening, give up on the socket (default 15 s). */
  helloTimeoutMs?: number;
}

const HEALTHY_MS = 60_000;
const SEEN_MAX = 500;
const MAX_FRAME = 4 * 1024 * 1024;

export class MattermostWsCommands {
  readonly web: MattermostWeb;
  private readonly backoff: Backoff;
  private readonly url: string;
  private stopped = false;
  private sleeping?: { cancel(): void };
  private ws?: WebSocket;
  private loop?: Promise<void>;
  private readonly seen = new Set<string>();
  private isConnected = false;
  private waiters: (() => void)[] = [];
  connections = 0;

  constructor(private readonly o: MattermostWsOptions) {
    this.web = new MattermostWeb(o.settings, o.log, o.timeoutMs);
    this.backoff = new Backoff(o.backoff);
    this.url = websocketUrl(o.settings.url);
  }

  get connected(): boolean {
    return this.isConnected;
  }

  start(): void {
    // The loop never rejects: an unexpected error ends chat commands, never the print.
    this.loop ??= this.run().catch((err: unknown) => {
      this.setConnected(false);
      this.o.log.warn(`mattermost commands stopped after an unexpected error: ${this.clean(String((err as Error)?.message ?? err))}`);
    });
  }

  whenConnected(timeoutMs = 10_000): Promise<void> {
    if (this.isConnected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('mattermost commands: not connected in time')), timeoutMs);
      this.waiters.push(() => { clearTimeout(t); resolve(); });
    });
  }

  /** Ends the connection; waits for the loop at most a few seconds (a REST call may be in flight). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeping?.cancel();
    this.ws?.terminate();
    await boundedWait(this.loop, STOP_WAIT_MS);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (!this.web.botUserId) {
        const who = await this.web.identify();
        if (!who.ok) {
          if (who.fatal) {
            this.o.log.warn(`mattermost commands are off: ${who.error.error}. ${who.error.hint}`);
            break;
          }
          if (!(await this.retryLater(who.error.error))) break;
          continue;
        }
        await this.web.configuredChannel();
      }
      if (this.stopped) break;
      const openedAt = Date.now();
      const result = await this.connectOnce();
      this.setConnected(false);
      if (this.stopped) break;
      if (result.hello && Date.now() - openedAt >= HEALTHY_MS) this.backoff.reset();
      if (!(await this.retryLater(result.reason))) break;
    }
    this.setConnected(false);
  }

  private async retryLater(reason: string): Promise<boolean> {
    const delay = this.backoff.next();
    this.o.log.warn(`mattermost commands: ${this.clean(reason)}; reconnecting in ${seconds(delay)} (printing is not affected)`);
    const s = cancellableSleep(delay);
    this.sleeping = s;
    const slept = await s.done;
    this.sleeping = undefined;
    return slept && !this.stopped;
  }

  /** One socket from open to close; resolves with why it ended. */
  private connectOnce(): Promise<{ hello: boolean; reason: string }> {
    return new Promise((resolve) => {
      const timeoutMs = this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const ws = new WebSocket(this.url, {
        headers: { authorization: `Bearer ${this.o.settings.token}` },
        handshakeTimeout: timeoutMs,
        maxPayload: MAX_FRAME,
        followRedirects: false,
      });
      this.ws = ws;
      let hello = false;
      let reason = 'the connection closed';
      let lastSeen = Date.now();
      const timers: NodeJS.Timeout[] = [];
      const alive = () => { lastSeen = Date.now(); };

      ws.on('open', () => {
        alive();
        // Header authentication answers with `hello` at once; a proxy that drops the header leaves
        // the socket waiting for the challenge instead.
        timers.push(setTimeout(() => {
          if (!hello) ws.send(JSON.stringify({ seq: 1, action: 'authentication_challenge', data: { token: this.o.settings.token } }));
        }, this.o.challengeAfterMs ?? 3000));
        timers.push(setTimeout(() => {
          if (!hello) { reason = 'no hello from the server'; ws.terminate(); }
        }, this.o.helloTimeoutMs ?? 15_000));
        const deadAfter = this.o.deadAfterMs ?? 75_000;
        timers.push(setInterval(() => {
          if (Date.now() - lastSeen > deadAfter) {
            reason = `no sign of life for ${Math.round((Date.now() - lastSeen) / 1000)} s`;
            ws.terminate();
          } else if (ws.readyState === WebSocket.OPEN) ws.ping();
        }, Math.min(this.o.pingIntervalMs ?? 30_000, deadAfter / 2)));
      });
      ws.on('ping', alive);
      ws.on('pong', alive);
      ws.on('message', (data, isBinary) => {
        alive();
        if (isBinary) return;
        const ev = parse(data.toString());
        if (!ev) return;
        if (ev.event === 'hello' && !hello) {
          hello = true;
          this.connections++;
          this.setConnected(true);
          this.o.log.info(`mattermost commands: connected (WebSocket${this.connections > 1 ? `, reconnect ${this.connections - 1}` : ''})`);
        } else if (ev.event === 'posted') {
          void this.onPosted(ev.data).catch((err: unknown) => this.o.log.warn(`mattermost commands: ${this.clean(String((err as Error)?.message ?? err))}`));
        }
      });
      ws.on('error', (err) => {
        const status = /Unexpected server response: (\d+)/.exec(err.message)?.[1];
        reason = status === '401' ? 'the server refused the bot token on the WebSocket (HTTP 401)'
          : status ? `the server answered HTTP ${status} instead of opening the WebSocket` : `WebSocket error: ${err.message}`;
      });
      ws.on('close', () => {
        for (const t of timers) clearTimeout(t);
        if (this.ws === ws) this.ws = undefined;
        resolve({ hello, reason: hello && reason !== 'the connection closed' ? `the connection closed (${reason})` : reason });
      });
    });
  }

  private async onPosted(data: unknown): Promise<void> {
    if (!isObject(data) || typeof data.post !== 'string') return;
    const post = parse(data.post);
    if (!post) return;
    const id = str(post.id);
    const user = str(post.user_id);
    const channel = str(post.channel_id);
    const text = typeof post.message === 'string' ? post.message : undefined;
    // System posts (joins, header changes) have a type; webhooks and bots mark themselves in props.
    if (!id || !user || !channel || text === undefined || str(post.type)) return;
    const props = isObject(post.props) ? post.props : {};
    if (props.from_bot === 'true' || props.from_webhook === 'true' || user === this.web.botUserId) return;
    const direct = data.channel_type === 'D';
    if (!direct) {
      if (channel !== (await this.web.configuredChannel())) return;
      if (!this.mentionsBot(text, data.mentions)) return;
    }
    if (this.once(id)) return;
    const senderName = str(data.sender_name);
    const msg: IncomingMessage = {
      sender: { platform: 'mattermost', userId: user },
      senderName: async () => (senderName ? (senderName.startsWith('@') ? senderName : `@${senderName}`) : undefined),
      mention: `@${user}`,
      channelId: channel,
      where: direct ? 'dm' : 'channel',
      text,
    };
    const rootId = str(post.root_id) ?? id;
    const reply = await this.o.handler.handle(msg, () => void this.web.react(id, 'received'));
    if (!reply) return;
    await this.web.reply(channel, rootId, reply);
    await this.web.react(id, reply.outcome);
  }

  private mentionsBot(text: string, mentions: unknown): boolean {
    const ids = typeof mentions === 'string' ? parseArray(mentions) : [];
    if (this.web.botUserId && ids.includes(this.web.botUserId)) return true;
    const name = this.web.botUsername;
    if (!name) return false;
    const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^\\w.-])@${esc}(?![\\w-]|\\.[\\w])`, 'i').test(text);
  }

  private setConnected(v: boolean): void {
    this.isConnected = v;
    if (v) for (const w of this.waiters.splice(0)) w();
  }

  private once(id: string): boolean {
    if (this.seen.has(id)) return true;
    this.seen.add(id);
    if (this.seen.size > SEEN_MAX) this.seen.delete(this.seen.values().next().value as string);
    return false;
  }

  private clean(s: string): string {
    return scrub(s, [this.o.settings.token]);
  }
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function parseArray(text: string): string[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
