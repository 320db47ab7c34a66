// What a target sends is built from the neutral Notification by a pluggable function: the real
// Block Kit / Mattermost-attachment builders live in ../payload/ and are passed in by the
// composition root. The minimal plain-text builders here keep the targets usable (and testable)
// without them, and are the "plain text" fallback when a platform rejects a formatted message.
import type { Notification } from '../notification.js';

// No index signatures: the payload builders' interfaces (e.g. `SlackContent`) must be assignable.

/** chat.postMessage content (no channel/thread_ts: the target adds them); `text` is the notification. */
export interface SlackBody {
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  username?: string;
  icon_emoji?: string;
  icon_url?: string;
}

/**
 * A Mattermost incoming-webhook body (e.g. `mattermostWebhookPayload(n)`); the bot target maps it
 * to a REST post (text → message, attachments → props.attachments, priority → metadata.priority).
 */
export interface MattermostBody {
  text: string;
  message?: string;
  attachments?: unknown[];
  props?: Record<string, unknown>;
  priority?: object;
  silent?: boolean;
  channel?: string;
  username?: string;
  icon_url?: string;
  icon_emoji?: string;
}

/** Turn a Notification into a platform body. Must be pure and must not throw. */
export type BodyBuilder<B> = (n: Notification) => B;

/** Headline, fields and footer as lines; `bold` is `*` for Slack, `**` for Mattermost. */
export function plainText(n: Notification, bold: '*' | '**', maxChars: number): string {
  const lines = [n.headline ? `${bold}${n.headline}${bold}` : n.fallback];
  for (const f of n.fields) lines.push(`${bold}${f.label}${bold} ${f.value}`);
  if (n.footer) lines.push(n.footer);
  const text = lines.join('\n');
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

// Slack truncates `text` past 40,000 characters; 3,900 keeps a fallback well inside every limit.
export const plainSlackBody: BodyBuilder<SlackBody> = (n) => ({ text: plainText(n, '*', 3900) });

// Mattermost posts hold 16,383 characters.
export const plainMattermostBody: BodyBuilder<MattermostBody> = (n) => ({ text: plainText(n, '**', 16_000) });

/** Run a builder, falling back to plain text if it throws (a template bug must not lose the message). */
export function buildBody<B>(build: BodyBuilder<B>, fallback: BodyBuilder<B>, n: Notification): B {
  try {
    return build(n);
  } catch {
    return fallback(n);
  }
}
