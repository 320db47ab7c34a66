// Mattermost incoming webhook: post-only. It answers a bare `ok` (no post id), so no edits and no
// threads (chat-platforms.md §2.1). The body comes from the Mattermost builder (attachments,
// `**bold**`), never from Slack JSON. The webhook key is a secret: only scheme://host/… is shown.
import type { MattermostSettings } from '../../config/types.js';
import type { DeliveryResult, Notification, Notifier } from '../notification.js';
import { mattermostError, networkError, parseRetryAfter, redactUrl, scrub } from '../errors.js';
import { buildBody, plainMattermostBody, type BodyBuilder, type MattermostBody } from './body.js';
import { channelsFor } from './channels.js';
import { Fanout, type ChannelOutcome } from './fanout.js';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, httpRequest } from './http.js';

export interface MattermostWebhookOptions {
  settings: Pick<MattermostSettings, 'webhookUrl' | 'channel' | 'username' | 'iconUrl' | 'iconEmoji'>;
  id?: string;
  payload?: BodyBuilder<MattermostBody>;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

/** The webhook's own channel (no `channel` field). */
const DEFAULT_CHANNEL = '';

export class MattermostWebhookTarget implements Notifier {
  readonly id: string;
  readonly canThread = false;
  private readonly payload: BodyBuilder<MattermostBody>;
  private readonly fanout = new Fanout();

  constructor(private readonly o: MattermostWebhookOptions) {
    this.id = o.id ?? 'mattermost-webhook';
    this.payload = o.payload ?? plainMattermostBody;
  }

  async send(n: Notification, _ctx: unknown, signal?: AbortSignal): Promise<DeliveryResult> {
    const url = this.o.settings.webhookUrl;
    if (!url) return { ok: false, retry: false, error: 'No Mattermost webhook URL', hint: 'Set OCTOSLACK_MATTERMOST_WEBHOOK_URL.' };
    const configured = this.o.settings.channel ? [this.o.settings.channel] : [];
    const channels = configured.length ? channelsFor(n.channels, configured) : [DEFAULT_CHANNEL];
    const body = buildBody(this.payload, plainMattermostBody, n);
    return this.fanout.run(n.id, channels, async (ch) => {
      const first = await this.post(url, ch, body, signal);
      if (first.ok || first.error.code !== 'bad_payload') return first;
      // Our formatting was refused: plain text once, and report the bug.
      const second = await this.post(url, ch, plainMattermostBody(n), signal);
      return second.ok ? { ...second, note: { ...first.error, error: `${first.error.error}; sent as plain text instead` } } : second;
    });
  }

  async check(): Promise<{ ok: true; detail: string } | { ok: false; error: string; hint: string }> {
    const url = this.o.settings.webhookUrl;
    if (!url) return { ok: false, error: 'No Mattermost webhook URL', hint: 'Set OCTOSLACK_MATTERMOST_WEBHOOK_URL.' };
    try {
      const u = new URL(url);
      if (!/^https?:$/.test(u.protocol) || !/\/hooks\/[^/]+$/.test(u.pathname)) throw new Error('shape');
    } catch {
      return { ok: false, error: 'The Mattermost webhook URL does not look like https://<server>/hooks/<key>',
        hint: 'Copy it again from Integrations → Incoming Webhooks.' };
    }
    return { ok: true, detail: `webhook at ${redactUrl(url)} (post-only: no edits or threads)` };
  }

  private async post(url: string, channel: string, body: MattermostBody, signal?: AbortSignal): Promise<ChannelOutcome> {
    const s = this.o.settings;
    const payload: Record<string, unknown> = { ...body };
    if (channel) payload.channel = channel.trim().replace(/^[~#]/, '');
    if (s.username && payload.username === undefined) payload.username = s.username;
    if (s.iconUrl && payload.icon_url === undefined) payload.icon_url = s.iconUrl;
    if (s.iconEmoji && payload.icon_emoji === undefined) payload.icon_emoji = s.iconEmoji;
    const timeoutMs = this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const secrets = [url];
    try {
      const res = await httpRequest(url, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload),
        timeoutMs, maxBytes: this.o.maxResponseBytes ?? DEFAULT_MAX_BYTES, signal,
      });
      if (res.status >= 200 && res.status < 300) return { ok: true };
      const e = mattermostError(res.status, res.text, { webhook: true, channel: channel || undefined, retryAfterS: parseRetryAfter(res.headers.get('retry-after')) });
      return { ok: false, error: { ...e, error: scrub(e.error, secrets) } };
    } catch (err) {
      const e = networkError(err, redactUrl(url), timeoutMs);
      return { ok: false, error: { ...e, error: scrub(e.error, secrets) } };
    }
  }
}
