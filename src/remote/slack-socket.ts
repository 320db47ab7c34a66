// Slack commands over Socket Mode (chat-platforms.md §1.6): an outbound WebSocket opened with the
// app-level token, so a printer behind a home router needs no public URL. `@octoslack pause` in a
// configured channel arrives as `app_mention`, a direct message as `message` with
// channel_type `im`, `/octoslack …` as a slash command. Every envelope is acknowledged at once.
//
// The SDK's own reconnect is switched off and replaced by the loop below, because (checked in
// @slack/socket-mode 3.1) it waits clientPingTimeout × failures with no cap, and a failed reconnect
// (revoked token, unreachable Slack) rejects a promise nobody handles — in Node 20 that ends the
// process, print included. Here every failure is caught, logged, and retried with capped backoff;
// only a token Slack rejects for good stops the loop. A dropped connection never touches the print.
import { LogLevel, SocketModeClient, type Logger } from '@slack/socket-mode';
import type { SlackSettings } from '../config/types.js';
import { scrub, slackApiError, type PeopleError } from '../notify/errors.js';
import { boundedFetch, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from '../notify/targets/http.js';
import { Backoff, boundedWait, cancellableSleep, seconds, STOP_WAIT_MS, type BackoffOptions } from './backoff.js';
import type { IncomingMessage, MessageHandler, RemoteLog } from './handler.js';
import { SlackWeb } from './slack-web.js';

export interface SlackSocketOptions {
  settings: SlackSettings;
  appToken: string;
  handler: MessageHandler;
  log: RemoteLog;
  /** Per Web API request (default 10 s). */
  timeoutMs?: number;
  backoff?: BackoffOptions;
  /** Ping/pong: a silent socket is dropped after this (default 5 s, the SDK's). */
  clientPingTimeoutMs?: number;
  /** Slack pings every ~10 s; none for this long means the socket is dead (default 30 s). */
  serverPingTimeoutMs?: number;
  /** From opening the socket to Slack's `hello` (default 30 s). */
  helloTimeoutMs?: number;
}

/** The parts of an envelope we read (Slack sends much more). */
interface Envelope {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  type: string;
  body?: Record<string, unknown>;
}

/** A connection that lasted this long was healthy: the next reconnect starts from the first delay. */
const HEALTHY_MS = 60_000;
const SEEN_MAX = 500;
const APP_TOKEN_CODES = new Set(['invalid_auth', 'not_authed', 'not_allowed_token_type', 'token_revoked', 'token_expired',
  'account_inactive', 'missing_scope']);

export class SlackSocketCommands {
  private readonly client: SocketModeClient;
  private readonly web: SlackWeb;
  private readonly backoff: Backoff;
  private stopped = false;
  private sleeping?: { cancel(): void };
  private loop?: Promise<void>;
  private readonly seen = new Set<string>();
  private isConnected = false;
  private waiters: (() => void)[] = [];
  /** How many times the socket opened (tests watch reconnects). */
  connections = 0;

  constructor(private readonly o: SlackSocketOptions) {
    const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.web = new SlackWeb(o.settings, o.log, timeoutMs);
    this.backoff = new Backoff(o.backoff);
    this.client = new SocketModeClient({
      appToken: o.appToken,
      autoReconnectEnabled: false,
      clientPingTimeout: o.clientPingTimeoutMs ?? 5000,
      serverPingTimeout: o.serverPingTimeoutMs ?? 30_000,
      logger: sdkLogger(o.log, [o.appToken, o.settings.token]),
      clientOptions: {
        slackApiUrl: o.settings.apiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: timeoutMs,
        fetch: boundedFetch(timeoutMs, DEFAULT_MAX_BYTES),
      },
    });
    this.client.on('slack_event', (e: Envelope) => {
      void this.onEnvelope(e).catch((err: unknown) => o.log.warn(`slack commands: ${this.clean((err as Error)?.message ?? String(err))}`));
    });
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Starts connecting in the background; resolves at once. */
  start(): void {
    // The loop never rejects: an unexpected error ends chat commands, never the print.
    this.loop ??= this.run().catch((err: unknown) => {
      this.setConnected(false);
      this.o.log.warn(`slack commands stopped after an unexpected error: ${this.clean(String((err as Error)?.message ?? err))}`);
    });
  }

  /** Resolves once connected (for tests and `doctor`); rejects after `timeoutMs`. */
  whenConnected(timeoutMs = 10_000): Promise<void> {
    if (this.isConnected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('slack commands: not connected in time')), timeoutMs);
      this.waiters.push(() => { clearTimeout(t); resolve(); });
    });
  }

  /** Ends the connection; waits for the loop at most a few seconds (a connect may be in flight). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeping?.cancel();
    await this.disconnect();
    await boundedWait(this.loop, STOP_WAIT_MS);
  }

  private async run(): Promise<void> {
    const who = await this.web.identify();
    if (!who.ok && !who.retry) {
      this.o.log.warn(`slack commands are off: ${who.error}. ${who.hint}`);
      return;
    }
    if (this.o.settings.channels.length === 0) this.o.log.info('slack commands: no slack.channels, so only direct messages are answered');
    while (!this.stopped) {
      let openedAt = 0;
      try {
        await this.connectOnce();
        if (this.stopped) {
          // stop() came while connecting: the new socket must not outlive it.
          await this.disconnect();
          break;
        }
        openedAt = Date.now();
        this.connections++;
        this.setConnected(true);
        this.o.log.info(`slack commands: connected (Socket Mode${this.connections > 1 ? `, reconnect ${this.connections - 1}` : ''})`);
        await new Promise<void>((resolve) => this.client.once('disconnected', () => resolve()));
        this.setConnected(false);
        if (this.stopped) break;
        if (Date.now() - openedAt >= HEALTHY_MS) this.backoff.reset();
        this.o.log.warn('slack commands: the Socket Mode connection closed; reconnecting (printing is not affected)');
      } catch (err) {
        this.setConnected(false);
        if (this.stopped) break;
        const e = this.translate(err);
        if (!e.retry) {
          this.o.log.warn(`slack commands are off: ${e.error}. ${e.hint}`);
          break;
        }
        const delay = this.backoff.next();
        this.o.log.warn(`slack commands: cannot connect (${e.error}); trying again in ${seconds(delay)} (printing is not affected)`);
        if (!(await this.sleep(delay))) break;
        continue;
      }
      if (!(await this.sleep(this.backoff.next()))) break;
    }
    this.setConnected(false);
  }

  /** `apps.connections.open`, the socket, Slack's `hello`; rejects on any failure or a stall. */
  private async connectOnce(): Promise<void> {
    const helloMs = this.o.helloTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const stall = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void this.disconnect();
        reject(new Error(`no hello from Slack within ${Math.round(helloMs / 1000)} s`));
      }, helloMs);
    });
    try {
      await Promise.race([this.client.start().then(() => undefined, (err: unknown) => {
        throw err ?? new Error('the Socket Mode connection failed');
      }), stall]);
    } finally {
      clearTimeout(timer);
      stall.catch(() => {});
    }
  }

  private async disconnect(): Promise<void> {
    // The SDK waits up to 30 s for the close handshake; stopping octoslack must not.
    await boundedWait(this.client.disconnect(), 2000);
  }

  private async sleep(ms: number): Promise<boolean> {
    const s = cancellableSleep(ms);
    this.sleeping = s;
    const slept = await s.done;
    this.sleeping = undefined;
    return slept && !this.stopped;
  }

  private setConnected(v: boolean): void {
    this.isConnected = v;
    if (v) for (const w of this.waiters.splice(0)) w();
  }

  private translate(err: unknown): PeopleError {
    const e = slackApiError(err, { apiUrl: this.o.settings.apiUrl });
    // apps.connections.open failures are about the app-level token, not the bot token the shared
    // translation talks about.
    if (APP_TOKEN_CODES.has(e.code)) {
      return { retry: false, code: e.code, error: `Slack rejected the app-level token (${e.code})`,
        hint: 'Set OCTOSLACK_SLACK_APP_TOKEN to an app-level token (xapp-…: app settings → Basic Information → App-Level Tokens, '
          + 'scope connections:write) and turn on Socket Mode in the app settings.' };
    }
    return { ...e, error: this.clean(e.error), hint: this.clean(e.hint) };
  }

  private clean(s: string): string {
    return scrub(s, [this.o.appToken, this.o.settings.token]);
  }

  private async onEnvelope(e: Envelope): Promise<void> {
    // Acknowledge first: Slack resends an envelope not acknowledged within 3 s.
    await e.ack().catch((err: unknown) => this.o.log.debug?.(`slack commands: ack failed: ${(err as Error)?.message}`));
    const body = e.body ?? {};
    if (e.type === 'events_api') return this.onEvent(body);
    if (e.type === 'slash_commands') return this.onSlash(body);
  }

  private async onEvent(body: Record<string, unknown>): Promise<void> {
    const ev = body.event as Record<string, unknown> | undefined;
    if (!ev || typeof ev !== 'object') return;
    const user = str(ev.user);
    const channel = str(ev.channel);
    const text = typeof ev.text === 'string' ? ev.text : undefined;
    const ts = str(ev.ts);
    let where: 'channel' | 'dm';
    if (ev.type === 'app_mention') where = 'channel';
    else if (ev.type === 'message' && ev.channel_type === 'im') where = 'dm';
    else return;
    // Our own replies, other bots, edits and joins are not commands.
    if (ev.bot_id !== undefined || ev.subtype !== undefined || !user || !channel || text === undefined || !ts) return;
    if (this.web.botUserId === undefined) await this.web.identify();
    if (user === this.web.botUserId) return;
    if (this.once(str(body.event_id) ?? `${channel}/${ts}`)) return;
    if (where === 'channel' && !(await this.web.isConfiguredChannel(channel))) {
      this.o.log.debug?.(`slack commands: ignoring a mention in ${channel} (not in slack.channels)`);
      return;
    }
    const msg: IncomingMessage = {
      sender: { platform: 'slack', userId: user, teamId: str(ev.user_team) ?? str(ev.team) ?? str(body.team_id) },
      senderName: () => this.web.nameOf(user),
      mention: `<@${user}>`,
      channelId: channel,
      where,
      text,
    };
    // In a channel the answer goes in the message's thread; a direct message is answered plainly.
    const threadTs = str(ev.thread_ts) ?? (where === 'channel' ? ts : undefined);
    const reply = await this.o.handler.handle(msg, () => void this.web.react(channel, ts, 'received'));
    if (!reply) return;
    await this.web.reply(channel, threadTs, reply);
    await this.web.react(channel, ts, reply.outcome);
  }

  /** `/octoslack pause`: in a configured channel like a mention; elsewhere like a direct message. */
  private async onSlash(body: Record<string, unknown>): Promise<void> {
    const user = str(body.user_id);
    const channel = str(body.channel_id);
    const responseUrl = str(body.response_url);
    if (!user || !channel || !responseUrl) return;
    const where = (await this.web.isConfiguredChannel(channel)) ? 'channel' : 'dm';
    const msg: IncomingMessage = {
      sender: { platform: 'slack', userId: user, teamId: str(body.team_id) },
      senderName: () => this.web.nameOf(user),
      mention: `<@${user}>`,
      channelId: channel,
      where,
      text: typeof body.text === 'string' ? body.text : '',
    };
    const reply = await this.o.handler.handle(msg);
    if (reply) await this.web.respond(responseUrl, reply);
  }

  /** true if seen before (Slack may deliver an event twice around a reconnect). */
  private once(id: string): boolean {
    if (this.seen.has(id)) return true;
    this.seen.add(id);
    if (this.seen.size > SEEN_MAX) this.seen.delete(this.seen.values().next().value as string);
    return false;
  }
}

/** The SDK's log lines go to debug, scrubbed: its warnings are about connections we report ourselves. */
function sdkLogger(log: RemoteLog, secrets: (string | undefined)[]): Logger {
  const out = (...msg: unknown[]) => log.debug?.(scrub(`slack socket: ${msg.map(String).join(' ')}`, secrets));
  return {
    debug: () => {}, info: () => {}, warn: out, error: out,
    setLevel: () => {}, getLevel: () => LogLevel.WARN, setName: () => {},
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
