// Size limits and colours shared by the Slack and Mattermost payloads. Exceeding a platform limit
// makes the whole post fail (msg_too_long, invalid_blocks), so text is cut with an ellipsis instead.
import type { Color } from '../../config/types.js';

/** The old plugin's good/warning/danger as the hex Slack itself uses, so Mattermost matches. */
export const COLOR_HEX: Record<Color, string> = { good: '#2eb886', warning: '#daa038', danger: '#a30200' };

export const SLACK_LIMITS = {
  /** section `text`, context mrkdwn element. */
  sectionText: 3000,
  blocks: 50,
  /** Top-level `text`: Slack cuts at 40,000; this keeps the fallback well inside every limit. */
  text: 3900,
  imageUrl: 3000,
  altText: 2000,
} as const;

export const MATTERMOST_LIMITS = {
  /** Post message, server ≥ 5.0 (counted in runes; UTF-16 length is never smaller). */
  message: 16_383,
  /** Attachment footer is cut here by the server. */
  footer: 300,
} as const;

/** Notes shown in place of a picture or video that could not be taken or uploaded (both platforms). */
export const MEDIA_NOTE_LIMITS = {
  /** At most this many notes per message; the rest are summed up in one line. */
  count: 5,
  /** Characters per note. */
  chars: 300,
} as const;

/** The notes to show: each cut to size, at most MEDIA_NOTE_LIMITS.count lines. */
export function mediaNoteLines(notes: readonly string[] | undefined): string[] {
  const clean = (notes ?? []).map((s) => s.replace(/\s+/g, ' ').trim()).filter((s) => s !== '');
  const max = MEDIA_NOTE_LIMITS.count;
  const shown = clean.length > max ? clean.slice(0, max - 1) : clean;
  const lines = shown.map((s) => truncate(s, MEDIA_NOTE_LIMITS.chars));
  if (clean.length > max) lines.push(`${clean.length - shown.length} more pictures not shown`);
  return lines;
}

export const ELLIPSIS = '…';

/**
 * `text` cut to at most `max` UTF-16 units with an ellipsis, never inside a surrogate pair or an
 * HTML entity (`&amp;`) of an escaped Slack string.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = max - ELLIPSIS.length;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp !== -1 && cut - amp < 6 && !text.slice(amp, cut).includes(';')) cut = amp;
  return `${text.slice(0, Math.max(0, cut))}${ELLIPSIS}`;
}
