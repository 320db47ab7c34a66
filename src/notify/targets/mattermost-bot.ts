// Mattermost with a bot token (REST v4): posts to the channel, replies in the print's thread
// (`root_id`), and edits the progress card in place (`PUT /posts/{id}/patch`, falling back to a new
// post when the card is gone or may no longer be edited). Channel names are resolved once per
// team (`GET /teams/name/{team}/channels/name/{channel}`); an ID is used as given.
import type { MattermostSettings } from '../../config/types.js';
import type { DeliveryResult, Notification, Notifier, ThreadContext } from '../notification.js';
import type { PeopleError } from '../errors.js';
import { buildBody, plainMattermostBody, type BodyBuilder, type MattermostBody } from './body.js';
import { channelsFor } from './channels.js';
import { Fanout, type ChannelOutcome } from './fanout.js';
import { looksLikeMattermostId, MattermostApi } from './mattermost-api.js';
import { checkMattermostBot, resolveMattermostChannel } from './mattermost-check.js';
import { cardIn, parentIn } from './thread-refs.js';

export interface MattermostBotOptions {
  settings: MattermostSettings;
  id?: string;
  payload?: BodyBuilder<MattermostBody>;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

const NO_SETUP = (what: string, hint: string): DeliveryResult => ({ ok: false, retry: false, error: what, hint });

export class MattermostBotTarget implements Notifier {
  readonly id: string;
  readonly canThread = true;
  readonly api?: MattermostApi;
  private readonly payload: BodyBuilder<MattermostBody>;
  private readonly fanout = new Fanout();
  /** channel name (as configured) → channel ID */
  readonly channelIds = new Map<string, string>();

  constructor(private readonly o: MattermostBotOptions) {
    this.id = o.id ?? 'mattermost-bot';
    this.payload = o.payload ?? plainMattermostBody;
    if (o.settings.url && o.settings.token) {
      this.api = new MattermostApi({ url: o.settings.url, token: o.settings.token, timeoutMs: o.timeoutMs, maxResponseBytes: o.maxResponseBytes });
    }
  }

  async send(n: Notification, ctx: ThreadContext, signal?: AbortSignal): Promise<DeliveryResult> {
    const api = this.api;
    if (!api) return NO_SETUP('Mattermost bot is not set up', 'Set mattermost.url and OCTOSLACK_MATTERMOST_TOKEN.');
    const configured = this.o.settings.channel ? [this.o.settings.channel] : [];
    if (configured.length === 0) return NO_SETUP('No Mattermost channel configured', 'Set mattermost.channel (and mattermost.team).');
    const body = buildBody(this.payload, plainMattermostBody, n);
    return this.fanout.run(n.id, channelsFor(n.channels, configured), async (ch) => {
      const resolved = await this.channelId(api, ch, signal);
      if (!resolved.ok) return resolved;
      const first = await this.sendTo(api, resolved.id, ch, n, body, ctx, signal);
      if (first.ok || first.error.code !== 'bad_payload') return first;
      const second = await this.sendTo(api, resolved.id, ch, n, plainMattermostBody(n), ctx, signal);
      return second.ok ? { ...second, note: { ...first.error, error: `${first.error.error}; sent as plain text instead` } } : second;
    });
  }

  check(signal?: AbortSignal): Promise<{ ok: true; detail: string } | { ok: false; error: string; hint: string }> {
    if (!this.api) return Promise.resolve({ ok: false, error: 'Mattermost bot is not set up', hint: 'Set mattermost.url and OCTOSLACK_MATTERMOST_TOKEN.' });
    return checkMattermostBot(this.api, this.o.settings, this.channelIds, signal);
  }

  private async channelId(api: MattermostApi, ch: string, signal?: AbortSignal): Promise<{ ok: true; id: string } | { ok: false; error: PeopleError }> {
    if (looksLikeMattermostId(ch)) return { ok: true, id: ch.trim() };
    const known = this.channelIds.get(ch);
    if (known) return { ok: true, id: known };
    const r = await resolveMattermostChannel(api, ch, this.o.settings.team, signal);
    if (r.ok) this.channelIds.set(ch, r.id);
    return r;
  }

  private async sendTo(api: MattermostApi, channelId: string, ch: string, n: Notification, body: MattermostBody,
    ctx: ThreadContext, signal?: AbortSignal): Promise<ChannelOutcome> {
    const post = restPost(body, this.o.settings);
    const card = n.kind === 'progress' ? cardIn(ctx, channelId) : undefined;
    if (card) {
      const { message, props } = post;
      const res = await api.request('PUT', `/posts/${encodeURIComponent(card.id)}/patch`, { message, props }, signal, { channel: ch });
      if (res.ok) return { ok: true, ref: { target: this.id, channel: channelId, id: card.id } };
      // 404: the card was deleted; 403: edits no longer allowed (edit time limit): post a new card.
      if (res.status !== 404 && res.status !== 403) return { ok: false, error: res.error };
    }
    const parent = n.kind === 'start' ? undefined : parentIn(ctx, channelId);
    const res = await api.request('POST', '/posts', { channel_id: channelId, ...post, ...(parent ? { root_id: parent.id } : {}) }, signal, { channel: ch, team: this.o.settings.team });
    if (!res.ok) return { ok: false, error: res.error };
    return typeof res.json.id === 'string' ? { ok: true, ref: { target: this.id, channel: channelId, id: res.json.id } } : { ok: true };
  }
}

/**
 * A webhook-shaped body as a REST post: `text` → `message`, attachments into `props`, the name and
 * icon as `override_*` props (shown only where the server allows overrides), priority into metadata.
 */
export function restPost(b: MattermostBody, s: Pick<MattermostSettings, 'username' | 'iconUrl' | 'iconEmoji'>): {
  message: string; props: Record<string, unknown>; metadata?: { priority: object };
} {
  const props: Record<string, unknown> = { ...(b.props ?? {}) };
  if (b.attachments) props.attachments = b.attachments;
  const username = typeof b.username === 'string' ? b.username : s.username;
  const iconUrl = typeof b.icon_url === 'string' ? b.icon_url : s.iconUrl;
  const iconEmoji = typeof b.icon_emoji === 'string' ? b.icon_emoji : s.iconEmoji;
  if (username) props.override_username = username;
  if (iconUrl) props.override_icon_url = iconUrl;
  if (iconEmoji) props.override_icon_emoji = iconEmoji;
  const message = typeof b.message === 'string' ? b.message : b.text;
  return b.priority ? { message, props, metadata: { priority: b.priority } } : { message, props };
}
