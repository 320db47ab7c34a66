// What the Slack command adapter does with the bot token (xoxb-): learn its own user ID
// (auth.test) to ignore itself, tell whether a channel is one of slack.channels, look up display
// names for "paused by @ana", reply in the thread, add reactions, answer slash commands through
// their response_url. Calls go through SlackBotTarget's client: retries off, timeouts, bounded
// answers, errors translated without the token. Nothing here may throw into the socket loop.
import type { SlackSettings } from '../config/types.js';
import { scrub } from '../notify/errors.js';
import { escapeSlack, slackContent } from '../notify/payload/slack.js';
import { httpRequest } from '../notify/targets/http.js';
import { SlackBotTarget } from '../notify/targets/slack-bot.js';
import { looksLikeSlackId, SlackChannelResolver } from '../notify/targets/slack-channels.js';
import type { CommandReply, Outcome, RemoteLog } from './handler.js';

/** Reactions like the old plugin's: seen, done, refused (not allowed), failed (not now), unknown. */
export const SLACK_REACTIONS: Record<Outcome | 'received', string | undefined> = {
  received: 'eyes', done: 'white_check_mark', refused: 'lock', failed: 'no_entry', unknown: 'grey_question', asked: undefined,
};

const NAME_TTL_MS = 10 * 60_000;
const NAME_LOOKUP_MS = 3000;

export class SlackWeb {
  readonly bot: SlackBotTarget;
  botUserId?: string;
  private readonly resolver: SlackChannelResolver;
  private readonly channelIds = new Set<string>();
  private readonly names = new Map<string, { name: string | undefined; at: number }>();
  private namesOff = false;
  private reactionsOff = false;
  private listingWarned = false;

  constructor(private readonly settings: SlackSettings, private readonly log: RemoteLog, timeoutMs?: number) {
    this.bot = new SlackBotTarget({ settings, timeoutMs, log: { debug: (s) => log.debug?.(s) } });
    this.resolver = new SlackChannelResolver((m, a) => this.bot.call(m, a));
    for (const ch of settings.channels) if (looksLikeSlackId(ch)) this.channelIds.add(ch.trim());
  }

  /** auth.test: our user ID. Returns a translated error when the bot token itself is wrong. */
  async identify(): Promise<{ ok: true } | { ok: false; retry: boolean; error: string; hint: string }> {
    try {
      const res = await this.bot.call('auth.test', {});
      if (typeof res.user_id === 'string') this.botUserId = res.user_id;
      if (typeof res.user === 'string') this.bot.botName = res.user;
      return { ok: true };
    } catch (err) {
      const e = this.bot.translate(err);
      return { ok: false, retry: e.retry, error: e.error, hint: e.hint };
    }
  }

  /** Is `id` one of slack.channels? Names are resolved on demand (and cached by the resolver). */
  async isConfiguredChannel(id: string): Promise<boolean> {
    if (this.channelIds.has(id)) return true;
    for (const ch of this.settings.channels) {
      if (looksLikeSlackId(ch)) continue;
      try {
        const r = await this.resolver.resolve(ch);
        if (r.found) this.channelIds.add(r.id);
      } catch (err) {
        this.log.debug?.(`slack commands: cannot resolve ${ch} now: ${this.bot.translate(err).error}`);
      }
    }
    if (this.resolver.listingProblem && !this.listingWarned) {
      this.listingWarned = true;
      this.log.warn(`slack commands: cannot tell which channel ${this.settings.channels.filter((c) => !looksLikeSlackId(c)).join(', ')} is `
        + `(${this.resolver.listingProblem.error}); mentions there are ignored. Use channel IDs in slack.channels, or add channels:read and groups:read.`);
    }
    return this.channelIds.has(id);
  }

  /** "@display name" (users.info, needs users:read); undefined when unknown. Cached; gives up on missing_scope. */
  async nameOf(userId: string): Promise<string | undefined> {
    const hit = this.names.get(userId);
    if (hit && Date.now() - hit.at < NAME_TTL_MS) return hit.name;
    if (this.namesOff) return undefined;
    const lookup = this.bot.call('users.info', { user: userId }).then((res) => {
      const u = res.user as { name?: unknown; real_name?: unknown; profile?: { display_name?: unknown; real_name?: unknown } } | undefined;
      const display = str(u?.profile?.display_name);
      const real = str(u?.profile?.real_name) ?? str(u?.real_name);
      const handle = str(u?.name);
      const name = display ? `@${display}` : real ?? (handle ? `@${handle}` : undefined);
      this.names.set(userId, { name, at: Date.now() });
      return name;
    }, (err: unknown) => {
      const e = this.bot.translate(err);
      if (e.code === 'missing_scope') {
        this.namesOff = true;
        this.log.info('slack commands: messages name people by ID; add the users:read scope to show their names');
      }
      return undefined;
    });
    // A slow lookup must not hold up a pause: the mention will do, and the name is cached for next time.
    return Promise.race([lookup, new Promise<undefined>((r) => setTimeout(() => r(undefined), NAME_LOOKUP_MS).unref())]);
  }

  /** The reply, in the message's thread when there is one. */
  async reply(channel: string, threadTs: string | undefined, reply: CommandReply): Promise<void> {
    const body: Record<string, unknown> = reply.notification ? { ...slackContent(reply.notification) } : { text: slackText(reply.text) };
    const args: Record<string, unknown> = { ...body, channel, ...(threadTs ? { thread_ts: threadTs } : {}) };
    if (this.settings.username) args.username = this.settings.username;
    if (this.settings.iconEmoji) args.icon_emoji = this.settings.iconEmoji;
    else if (this.settings.iconUrl) args.icon_url = this.settings.iconUrl;
    try {
      await this.bot.call('chat.postMessage', args);
    } catch (err) {
      const e = this.bot.translate(err, channel);
      this.log.warn(`slack commands: could not reply in ${channel}: ${e.error}. ${e.hint}`);
    }
  }

  async react(channel: string, ts: string, outcome: Outcome | 'received'): Promise<void> {
    const name = SLACK_REACTIONS[outcome];
    if (!name || this.reactionsOff) return;
    try {
      await this.bot.call('reactions.add', { channel, timestamp: ts, name });
    } catch (err) {
      const e = this.bot.translate(err, channel);
      if (e.code === 'already_reacted') return;
      if (e.code === 'missing_scope') {
        this.reactionsOff = true;
        this.log.warn('slack commands: no reactions (the app lacks reactions:write; add it and reinstall the app)');
        return;
      }
      this.log.debug?.(`slack commands: reaction ${name} failed: ${e.error}`);
    }
  }

  /** A slash command's answer: public in the channel for what others should see, else just for the sender. */
  async respond(responseUrl: string, reply: CommandReply): Promise<void> {
    const body = {
      response_type: reply.public ? 'in_channel' : 'ephemeral',
      ...(reply.notification ? slackContent(reply.notification) : { text: slackText(reply.text) }),
    };
    try {
      const res = await httpRequest(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status >= 300) this.log.warn(`slack commands: the slash command answer was refused (HTTP ${res.status})`);
    } catch (err) {
      this.log.warn(`slack commands: could not answer the slash command: ${scrub((err as Error).message, [this.settings.token])}`);
    }
  }
}

/** Our reply text for mrkdwn: escaped, but a `<@U123>` we wrote stays a mention. */
export function slackText(text: string): string {
  return escapeSlack(text).replace(/&lt;@([UW][A-Z0-9]+)&gt;/g, '<@$1>');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
