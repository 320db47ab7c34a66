// What the Mattermost command adapter does over REST v4 with the bot token: learn who the bot is
// (`GET /users/me`: its ID to ignore its own posts, its name to spot mentions), find the
// configured channel's ID, reply in the thread (`root_id`) and add reactions. Calls go through
// MattermostApi: timeouts, bounded answers, errors translated without the token.
import type { MattermostSettings } from '../config/types.js';
import type { PeopleError } from '../notify/errors.js';
import { mattermostPostPayload } from '../notify/payload/mattermost.js';
import { looksLikeMattermostId, MattermostApi } from '../notify/targets/mattermost-api.js';
import { resolveMattermostChannel } from '../notify/targets/mattermost-check.js';
import type { CommandReply, Outcome, RemoteLog } from './handler.js';

export const MATTERMOST_REACTIONS: Record<Outcome | 'received', string | undefined> = {
  received: 'eyes', done: 'white_check_mark', refused: 'lock', failed: 'no_entry', unknown: 'grey_question', asked: undefined,
};

export type Identified = { ok: true } | { ok: false; fatal: boolean; error: PeopleError };

export class MattermostWeb {
  readonly api: MattermostApi;
  botUserId?: string;
  botUsername?: string;
  /** The configured channel's ID, once known. */
  channelId?: string;
  private channelProblem = false;
  private reactionsOff = false;

  constructor(private readonly settings: MattermostSettings & { url: string; token: string }, private readonly log: RemoteLog, timeoutMs?: number) {
    this.api = new MattermostApi({ url: settings.url, token: settings.token, timeoutMs });
    if (settings.channel && looksLikeMattermostId(settings.channel)) this.channelId = settings.channel.trim();
  }

  /** `GET /users/me`; fatal when the server refuses the token (401/403), which retrying cannot fix. */
  async identify(): Promise<Identified> {
    const me = await this.api.request('GET', '/users/me', undefined, undefined);
    if (!me.ok) return { ok: false, fatal: me.status === 401 || me.status === 403, error: me.error };
    if (typeof me.json.id === 'string') this.botUserId = me.json.id;
    if (typeof me.json.username === 'string') this.botUsername = me.json.username;
    return this.botUserId ? { ok: true } : { ok: false, fatal: false, error: { retry: true, code: 'bad_answer', error: 'Mattermost did not say who the bot is', hint: 'octoslack retries.' } };
  }

  /** The configured channel's ID; undefined while unknown (only direct messages are answered then). */
  async configuredChannel(): Promise<string | undefined> {
    if (this.channelId || !this.settings.channel) return this.channelId;
    const r = await resolveMattermostChannel(this.api, this.settings.channel, this.settings.team);
    if (r.ok) {
      this.channelId = r.id;
      return r.id;
    }
    if (!this.channelProblem) {
      this.channelProblem = true;
      this.log.warn(`mattermost commands: cannot find the channel ${this.settings.channel} (${r.error.error}); only direct messages are answered until it is found. ${r.error.hint}`);
    }
    return undefined;
  }

  async reply(channelId: string, rootId: string, reply: CommandReply): Promise<void> {
    const s = this.settings;
    const body: Record<string, unknown> = reply.notification
      ? { ...mattermostPostPayload(reply.notification, { channelId, rootId, username: s.username, iconUrl: s.iconUrl, iconEmoji: s.iconEmoji }) }
      : { channel_id: channelId, root_id: rootId, message: reply.text, props: overrides(s) };
    const res = await this.api.request('POST', '/posts', body, undefined, { channel: s.channel, team: s.team });
    if (!res.ok) this.log.warn(`mattermost commands: could not reply: ${res.error.error}. ${res.error.hint}`);
  }

  async react(postId: string, outcome: Outcome | 'received'): Promise<void> {
    const emoji = MATTERMOST_REACTIONS[outcome];
    if (!emoji || this.reactionsOff || !this.botUserId) return;
    const res = await this.api.request('POST', '/reactions', { user_id: this.botUserId, post_id: postId, emoji_name: emoji, create_at: 0 }, undefined);
    if (res.ok) return;
    if (res.status === 403) {
      this.reactionsOff = true;
      this.log.warn('mattermost commands: no reactions (the bot may not add them here)');
    } else this.log.debug?.(`mattermost commands: reaction ${emoji} failed: ${res.error.error}`);
  }
}

function overrides(s: MattermostSettings): Record<string, string> {
  const p: Record<string, string> = {};
  if (s.username) p.override_username = s.username;
  if (s.iconUrl) p.override_icon_url = s.iconUrl;
  if (s.iconEmoji) p.override_icon_emoji = s.iconEmoji;
  return p;
}

/** `https://chat.example.com/sub` → `wss://chat.example.com/sub/api/v4/websocket`. */
export function websocketUrl(serverUrl: string): string {
  const u = new URL(serverUrl.trim());
  if (u.protocol === 'https:') u.protocol = 'wss:';
  else if (u.protocol === 'http:') u.protocol = 'ws:';
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/api/v4/websocket`;
  u.search = '';
  u.hash = '';
  return u.toString();
}
