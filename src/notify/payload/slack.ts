// Notification → Slack: `chat.postMessage` / `chat.update` arguments and the incoming-webhook body
// (chat-platforms.md §1.2–1.3). Block Kit inside one legacy attachment gives the colour bar; the
// top-level `text` is the real notification and screen-reader text. Templates are plain text with
// emoji codes, so everything is escaped for mrkdwn here: a file named `<!channel>.gcode` must not
// ping a channel. Only `<!here>` for urgent messages is ours.
import type { Notification } from '../notification.js';
import { COLOR_HEX, mediaNoteLines, SLACK_LIMITS, truncate } from './limits.js';

export interface SlackTextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}
export type SlackBlock =
  | { type: 'section'; text: SlackTextObject }
  | { type: 'image'; image_url: string; alt_text: string }
  | { type: 'context'; elements: SlackTextObject[] };

export interface SlackAttachment {
  color: string;
  fallback: string;
  blocks: SlackBlock[];
}

/** What every Slack surface shares: the notification text and the coloured card. */
export interface SlackContent {
  text: string;
  attachments: SlackAttachment[];
}

export interface SlackPostOptions {
  channel?: string;
  username?: string;
  iconEmoji?: string;
  iconUrl?: string;
  threadTs?: string;
  /** Show a thread reply in the channel too (results and alarms, §1.3). */
  broadcast?: boolean;
}

export interface SlackPostMessage extends SlackContent {
  channel?: string;
  username?: string;
  icon_emoji?: string;
  icon_url?: string;
  thread_ts?: string;
  reply_broadcast?: boolean;
}

export interface SlackUpdate extends SlackContent {
  channel: string;
  ts: string;
}

export interface SlackWebhookBody extends SlackContent {
  thread_ts?: string;
}

/** mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const mrkdwn = (text: string): SlackTextObject => ({ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) });

/** `*bold*` needs the asterisks against non-space characters. */
function bold(text: string): string {
  const t = text.trim();
  return t === '' ? '' : `*${t}*`;
}

export function slackBlocks(n: Notification): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  const headline = escapeSlack(n.headline).trim();
  if (headline) blocks.push({ type: 'section', text: mrkdwn(bold(truncate(headline, SLACK_LIMITS.sectionText - 2))) });
  if (n.fields.length > 0) {
    const lines = n.fields.map((f) => `${bold(escapeSlack(f.label))} ${escapeSlack(f.value)}`);
    blocks.push({ type: 'section', text: mrkdwn(lines.join('\n')) });
  }
  const footer: SlackBlock[] = n.footer ? [{ type: 'context', elements: [mrkdwn(escapeSlack(n.footer))] }] : [];
  // Pictures that could not be taken or uploaded: a small line where they would have been.
  const notes = mediaNoteLines(n.mediaNotes);
  const noted: SlackBlock[] = notes.length > 0 ? [{ type: 'context', elements: [mrkdwn(notes.map(escapeSlack).join('\n'))] }] : [];
  // Images fill what the 50-block limit leaves; URLs Slack would reject are skipped, not fatal.
  const room = SLACK_LIMITS.blocks - blocks.length - noted.length - footer.length;
  const urls = n.imageUrls.filter((u) => u.length <= SLACK_LIMITS.imageUrl).slice(0, Math.max(0, room));
  urls.forEach((url, i) => {
    const alt = urls.length > 1 ? `Printer snapshot ${i + 1} of ${urls.length}` : 'Printer snapshot';
    blocks.push({ type: 'image', image_url: url, alt_text: truncate(`${alt}: ${n.fallback}`, SLACK_LIMITS.altText) });
  });
  return [...blocks, ...noted, ...footer];
}

/** The notification text: the fallback, with `<!here>` for urgent messages that are not silent. */
export function slackText(n: Notification): string {
  const here = n.level === 'urgent' && !n.silent ? '<!here> ' : '';
  return here + truncate(escapeSlack(n.fallback || n.headline), SLACK_LIMITS.text - here.length);
}

/** Text and coloured card; usable as the targets' body builder (they add channel and thread). */
export function slackContent(n: Notification): SlackContent {
  return {
    text: slackText(n),
    attachments: [{ color: COLOR_HEX[n.color], fallback: truncate(escapeSlack(n.fallback || n.headline), SLACK_LIMITS.text), blocks: slackBlocks(n) }],
  };
}

/**
 * `chat.postMessage` arguments. Slack has no per-message "silent": a silent message simply
 * leaves out `<!here>`. `icon_emoji` beats `icon_url`, so only one is sent.
 */
export function slackPayload(n: Notification, opts: SlackPostOptions = {}): SlackPostMessage {
  const body: SlackPostMessage = opts.channel !== undefined ? { channel: opts.channel, ...slackContent(n) } : slackContent(n);
  if (opts.username) body.username = opts.username;
  if (opts.iconEmoji) body.icon_emoji = opts.iconEmoji;
  else if (opts.iconUrl) body.icon_url = opts.iconUrl;
  if (opts.threadTs) {
    body.thread_ts = opts.threadTs;
    if (opts.broadcast) body.reply_broadcast = true;
  }
  return body;
}

/** `chat.update` arguments: same content, the message's `ts`, no name or icon (Slack keeps them). */
export function slackUpdatePayload(n: Notification, ref: { channel: string; ts: string }): SlackUpdate {
  return { channel: ref.channel, ts: ref.ts, ...slackContent(n) };
}

/** Incoming-webhook body: the webhook owns channel, name and icon; a known thread may be given. */
export function slackWebhookPayload(n: Notification, opts: { threadTs?: string } = {}): SlackWebhookBody {
  const body: SlackWebhookBody = slackContent(n);
  if (opts.threadTs) body.thread_ts = opts.threadTs;
  return body;
}
