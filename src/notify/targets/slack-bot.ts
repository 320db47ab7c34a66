// Slack with a bot token, through the official @slack/web-api client: posts to each channel, replies
// in a print's thread, edits the progress card in place (chat.update, falling back to a new post when
// Slack will not edit it). The SDK's own retries are off: the outbox owns retries, deadlines and
// Retry-After (chat-platforms.md §1.4), so one call here is one HTTP request with a timeout.
import type { WebClient } from '@slack/web-api';
import type { SlackSettings } from '../../config/types.js';
import type { DeliveryResult, Notification, Notifier, ThreadContext } from '../notification.js';
import { scrub, slackApiError, type PeopleError } from '../errors.js';
import { buildBody, plainSlackBody, type BodyBuilder, type SlackBody } from './body.js';
import { channelsFor } from './channels.js';
import { Fanout, type ChannelOutcome } from './fanout.js';
import { callSignal, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from './http.js';
import { slackWebClient } from './slack-client.js';
import { SlackChannelResolver, type SlackChannel } from './slack-channels.js';
import { cardIn, parentIn } from './thread-refs.js';
import { checkSlackBot, type CheckResult } from './slack-check.js';

export interface SlackBotOptions {
  settings: SlackSettings;
  /** Notifier id (outbox journal name); default "slack-bot". */
  id?: string;
  /** Builds the message body; default: plain text. The composition root passes the Block Kit builder. */
  payload?: BodyBuilder<SlackBody>;
  /** Per HTTP request; default 10 s. */
  timeoutMs?: number;
  /** Largest answer read; default 1 MiB. */
  maxResponseBytes?: number;
  /** Where the SDK's own log lines go (debug only: our errors are translated and reported instead). */
  log?: { debug?(s: string): void };
}

/** Slack will not edit this message: post a new card instead (chat-platforms.md §1.8). */
const EDIT_GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);
/** Our formatting was refused: send plain text once, and report the bug. */
const FORMAT = new Set(['msg_too_long', 'msg_blocks_too_long', 'invalid_blocks', 'invalid_blocks_format', 'invalid_attachments', 'too_many_attachments']);

export class SlackBotTarget implements Notifier {
  readonly id: string;
  readonly canThread = true;
  private readonly client: WebClient;
  /** Channel names → IDs, listed once; the file uploader shares it (media/hosts/slack-files.ts). */
  readonly resolver: SlackChannelResolver;
  private readonly fanout = new Fanout();
  private readonly payload: BodyBuilder<SlackBody>;
  private readonly timeoutMs: number;
  /** The bot's user name, once auth.test told us (for "/invite @name" hints). */
  botName?: string;

  constructor(private readonly o: SlackBotOptions) {
    this.id = o.id ?? 'slack-bot';
    this.payload = o.payload ?? plainSlackBody;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.client = slackWebClient(o.settings, { timeoutMs: this.timeoutMs, maxResponseBytes: o.maxResponseBytes ?? DEFAULT_MAX_BYTES, ...(o.log?.debug ? { debug: o.log.debug } : {}) });
    this.resolver = new SlackChannelResolver((m, a) => this.call(m, a));
  }

  /** One Web API call; the caller's AbortSignal reaches fetch through `callSignal`. */
  async call(method: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    return (await this.client.apiCall(method, args)) as unknown as Record<string, unknown>;
  }

  async send(n: Notification, ctx: ThreadContext, signal?: AbortSignal): Promise<DeliveryResult> {
    if (!this.o.settings.token) {
      return { ok: false, retry: false, error: 'No Slack bot token', hint: 'Set OCTOSLACK_SLACK_TOKEN to the app\'s Bot User OAuth Token (xoxb-…).' };
    }
    const channels = channelsFor(n.channels, this.o.settings.channels);
    if (channels.length === 0) {
      return { ok: false, retry: false, error: 'No Slack channel configured', hint: 'Set slack.channels, e.g. ["#printer"].' };
    }
    const body = buildBody(this.payload, plainSlackBody, n);
    return callSignal.run(signal, () => this.fanout.run(n.id, channels, (ch) => this.sendTo(ch, n, body, ctx)));
  }

  check(signal?: AbortSignal): Promise<CheckResult> {
    return callSignal.run(signal, () => checkSlackBot(this, this.resolver, this.o.settings));
  }

  /** Translate an SDK error for people, without the token. */
  translate(err: unknown, channel?: string): PeopleError {
    const e = slackApiError(err, { channel, botName: this.botName, apiUrl: this.o.settings.apiUrl, timeoutMs: this.timeoutMs });
    const secrets = [this.o.settings.token];
    return { ...e, error: scrub(e.error, secrets), hint: scrub(e.hint, secrets) };
  }

  private async sendTo(ch: string, n: Notification, body: SlackBody, ctx: ThreadContext): Promise<ChannelOutcome> {
    let target: SlackChannel;
    try {
      target = await this.resolver.resolve(ch);
    } catch (err) {
      return { ok: false, error: this.translate(err, ch) };
    }
    const card = n.kind === 'progress' ? cardIn(ctx, target.id) : undefined;
    if (card) {
      const edited = await this.withPlainFallback(n, body, (b) => this.update(card.channel, card.id, b, ch), true);
      if (edited.ok || !EDIT_GONE.has(edited.error.code)) return edited;
      // The card is gone or too old to edit: post a new one (it becomes the card).
    }
    return this.withPlainFallback(n, body, (b) => this.post(ch, target, n, b, ctx), false);
  }

  private async post(ch: string, target: SlackChannel, n: Notification, body: SlackBody, ctx: ThreadContext): Promise<ChannelOutcome> {
    const parent = n.kind === 'start' ? undefined : parentIn(ctx, target.id);
    const args: Record<string, unknown> = { ...body, channel: target.id };
    if (parent) {
      args.thread_ts = parent.id;
      // Thread replies notify nobody in the channel: results and alarms are broadcast (§1.3).
      if (n.kind === 'other' && n.level !== 'routine') args.reply_broadcast = true;
    }
    const s = this.o.settings;
    if (s.username && args.username === undefined) args.username = s.username;
    if (args.icon_emoji === undefined && args.icon_url === undefined) {
      if (s.iconEmoji) args.icon_emoji = s.iconEmoji; // icon_emoji beats icon_url, so send one
      else if (s.iconUrl) args.icon_url = s.iconUrl;
    }
    try {
      const res = await this.call('chat.postMessage', args);
      const channel = typeof res.channel === 'string' ? res.channel : target.id;
      this.resolver.learn(ch, channel);
      return typeof res.ts === 'string' ? { ok: true, ref: { target: this.id, channel, id: res.ts } } : { ok: true };
    } catch (err) {
      return { ok: false, error: this.translate(err, ch) };
    }
  }

  private async update(channel: string, ts: string, body: SlackBody, ch: string): Promise<ChannelOutcome> {
    // chat.update takes no username/icon; omitted blocks would be kept, so the body is sent whole.
    const { username: _u, icon_emoji: _e, icon_url: _i, ...rest } = body;
    try {
      const res = await this.call('chat.update', { ...rest, channel, ts });
      return { ok: true, ref: { target: this.id, channel, id: typeof res.ts === 'string' ? res.ts : ts } };
    } catch (err) {
      return { ok: false, error: this.translate(err, ch) };
    }
  }

  /** On a formatting error send the plain text once; if that works, note our bug for the report. */
  private async withPlainFallback(n: Notification, body: SlackBody, send: (b: SlackBody) => Promise<ChannelOutcome>,
    clearFormatting: boolean): Promise<ChannelOutcome> {
    const first = await send(body);
    if (first.ok || !FORMAT.has(first.error.code)) return first;
    const plain: SlackBody = clearFormatting ? { ...plainSlackBody(n), blocks: [], attachments: [] } : plainSlackBody(n);
    const second = await send(plain);
    if (!second.ok) return second;
    return { ...second, note: { ...first.error, error: `${first.error.error}; sent as plain text instead` } };
  }
}
