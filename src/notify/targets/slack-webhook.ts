// Slack incoming webhook: post-only "lite mode". App webhooks are bound to one channel and answer a
// bare `ok` with no `ts`, so nothing can be edited or threaded (chat-platforms.md §1.1); failures
// come as an HTTP status plus a plain-text code. The URL is the secret: never shown, only its host.
import type { SlackSettings } from '../../config/types.js';
import type { DeliveryResult, Notification, Notifier } from '../notification.js';
import { networkError, parseRetryAfter, redactUrl, scrub, slackWebhookError, toDeliveryResult } from '../errors.js';
import { buildBody, plainSlackBody, type BodyBuilder, type SlackBody } from './body.js';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, httpRequest } from './http.js';

export interface SlackWebhookOptions {
  settings: Pick<SlackSettings, 'webhookUrl' | 'username' | 'iconEmoji' | 'iconUrl'>;
  id?: string;
  payload?: BodyBuilder<SlackBody>;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

export class SlackWebhookTarget implements Notifier {
  readonly id: string;
  readonly canThread = false;
  private readonly payload: BodyBuilder<SlackBody>;

  constructor(private readonly o: SlackWebhookOptions) {
    this.id = o.id ?? 'slack-webhook';
    this.payload = o.payload ?? plainSlackBody;
  }

  async send(n: Notification, _ctx: unknown, signal?: AbortSignal): Promise<DeliveryResult> {
    const url = this.o.settings.webhookUrl;
    if (!url) return { ok: false, retry: false, error: 'No Slack webhook URL', hint: 'Set OCTOSLACK_SLACK_WEBHOOK_URL.' };
    const body: Record<string, unknown> = { ...buildBody(this.payload, plainSlackBody, n) };
    // Legacy webhooks honour these; app webhooks ignore them (harmless).
    const s = this.o.settings;
    if (s.username && body.username === undefined) body.username = s.username;
    if (body.icon_emoji === undefined && body.icon_url === undefined) {
      if (s.iconEmoji) body.icon_emoji = s.iconEmoji;
      else if (s.iconUrl) body.icon_url = s.iconUrl;
    }
    return this.postJson(url, body, signal);
  }

  /** `notify test` cannot probe a webhook without posting, so it only checks the URL's shape. */
  async check(): Promise<{ ok: true; detail: string } | { ok: false; error: string; hint: string }> {
    const url = this.o.settings.webhookUrl;
    if (!url) return { ok: false, error: 'No Slack webhook URL', hint: 'Set OCTOSLACK_SLACK_WEBHOOK_URL.' };
    try {
      const u = new URL(url);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    } catch {
      return { ok: false, error: 'The Slack webhook URL is not a valid URL', hint: 'Copy it again from the Slack app\'s "Incoming Webhooks" page.' };
    }
    return { ok: true, detail: `webhook at ${redactUrl(url)} (post-only: no edits or threads)` };
  }

  private async postJson(url: string, body: unknown, signal?: AbortSignal): Promise<DeliveryResult> {
    const timeoutMs = this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const secrets = [url];
    try {
      const res = await httpRequest(url, {
        method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body),
        timeoutMs, maxBytes: this.o.maxResponseBytes ?? DEFAULT_MAX_BYTES, signal,
      });
      if (res.status === 200 && res.text.trim() === 'ok') return { ok: true, refs: [] };
      if (res.status === 200) {
        // Some proxies answer 200 with a page of their own: the message may not have arrived.
        return { ok: false, retry: true, error: `Unexpected answer from the Slack webhook at ${redactUrl(url)}` };
      }
      const e = slackWebhookError(res.status, res.text, parseRetryAfter(res.headers.get('retry-after')));
      return toDeliveryResult({ ...e, error: scrub(e.error, secrets) });
    } catch (err) {
      const e = networkError(err, redactUrl(url), timeoutMs);
      return toDeliveryResult({ ...e, error: scrub(e.error, secrets) });
    }
  }
}
