// Slack payload shapes, escaping, urgency and Block Kit limits.
import type { MessageAttachment } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/notify/notification.js';
import { ELLIPSIS, MEDIA_NOTE_LIMITS, SLACK_LIMITS, truncate } from '../../../src/notify/payload/limits.js';
import { escapeSlack, slackPayload, slackUpdatePayload, slackWebhookPayload, type SlackBlock } from '../../../src/notify/payload/slack.js';

const base: Notification = {
  id: 'x', event: 'PrintDone', at: 0, level: 'attention', color: 'good',
  headline: 'Print finished successfully :dancer:',
  fallback: 'Print finished successfully: a&b <c>.gcode, Time: 2 hours 0 minutes',
  fields: [{ label: 'File', value: 'a&b <c>.gcode (1.2MB via local file)' }],
  footer: 'Printer: Operational, Bed: 60.0°C/60.0°C',
  channels: [], kind: 'other', imageUrls: [], silent: false,
};
const sectionTexts = (blocks: SlackBlock[]) => blocks.flatMap((b) => (b.type === 'section' ? [b.text.text] : []));

describe('Slack payloads', () => {
  it('bot: channel, name, icon (emoji beats URL), thread, broadcast; text fallback plus a coloured card', () => {
    const p = slackPayload(base, { channel: 'C1', username: 'Printer', iconEmoji: ':printer:', iconUrl: 'https://x/icon.png', threadTs: '1.2', broadcast: true });
    expect(p).toMatchObject({ channel: 'C1', username: 'Printer', icon_emoji: ':printer:', thread_ts: '1.2', reply_broadcast: true });
    expect(p.icon_url).toBeUndefined();
    expect(p.attachments).toHaveLength(1);
    expect(p.attachments[0]!.color).toBe('#2eb886');
    // The card is what @slack/web-api accepts (block shapes included).
    const attachments: MessageAttachment[] = p.attachments;
    void attachments;
  });

  it('broadcast only makes sense in a thread', () => {
    expect(slackPayload(base, { channel: 'C1', broadcast: true }).reply_broadcast).toBeUndefined();
  });

  it('update: same content, ts, no name or icon', () => {
    const u = slackUpdatePayload(base, { channel: 'C1', ts: '1.2' });
    const { channel, ts, ...content } = u;
    expect([channel, ts]).toEqual(['C1', '1.2']);
    expect(content).toEqual(slackWebhookPayload(base));
    expect(u).not.toHaveProperty('username');
  });

  it('webhook: no channel, name or icon; thread_ts only when given', () => {
    const w = slackWebhookPayload(base);
    expect(Object.keys(w).sort()).toEqual(['attachments', 'text']);
    expect(slackWebhookPayload(base, { threadTs: '1.2' }).thread_ts).toBe('1.2');
  });

  it('escapes &, < and > in everything user-controlled', () => {
    const p = slackPayload(base, { channel: 'C1' });
    expect(p.text).toBe('Print finished successfully: a&amp;b &lt;c&gt;.gcode, Time: 2 hours 0 minutes');
    expect(sectionTexts(p.attachments[0]!.blocks)).toContain('*File* a&amp;b &lt;c&gt;.gcode (1.2MB via local file)');
    const bad = slackPayload({ ...base, fallback: '<!channel> go', headline: '<!here>' }, { channel: 'C1' });
    expect(JSON.stringify(bad)).not.toMatch(/<!/);
    expect(escapeSlack('<@U123> & <#C1>')).toBe('&lt;@U123&gt; &amp; &lt;#C1&gt;');
  });

  it('urgent messages start with <!here>, unless silent', () => {
    expect(slackPayload({ ...base, level: 'urgent' }).text.startsWith('<!here> Print finished')).toBe(true);
    expect(slackPayload({ ...base, level: 'urgent', silent: true }).text.startsWith('<!here>')).toBe(false);
    expect(slackPayload({ ...base, level: 'attention' }).text.startsWith('<!here>')).toBe(false);
  });

  it('images become image blocks with alt text, before the footer', () => {
    const p = slackPayload({ ...base, imageUrls: ['https://img/a.jpg', 'https://img/b.jpg'] });
    const blocks = p.attachments[0]!.blocks;
    expect(blocks.map((b) => b.type)).toEqual(['section', 'section', 'image', 'image', 'context']);
    expect(blocks[2]).toMatchObject({ image_url: 'https://img/a.jpg', alt_text: expect.stringMatching(/^Printer snapshot 1 of 2: /) });
  });

  it('respects Block Kit limits: section text ≤ 3000 with an ellipsis, ≤ 50 blocks, long image URLs skipped', () => {
    const fields = Array.from({ length: 400 }, (_, i) => ({ label: `L${i}`, value: 'x&'.repeat(10) }));
    const imageUrls = [...Array.from({ length: 80 }, (_, i) => `https://img/${i}.jpg`), `https://img/${'y'.repeat(3000)}`];
    const p = slackPayload({ ...base, headline: 'h'.repeat(5000), fields, imageUrls, fallback: 'f'.repeat(50_000) });
    const blocks = p.attachments[0]!.blocks;
    expect(blocks.length).toBe(SLACK_LIMITS.blocks);
    for (const t of sectionTexts(blocks)) {
      expect(t.length).toBeLessThanOrEqual(3000);
      expect(t.endsWith(ELLIPSIS) || t.endsWith(`${ELLIPSIS}*`)).toBe(true);
      expect(t).not.toMatch(/&(a|am|amp)?…/); // never a cut entity
    }
    expect(blocks.at(-1)!.type).toBe('context');
    expect(blocks.some((b) => b.type === 'image' && b.image_url.length > 3000)).toBe(false);
    expect(p.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
  });

  it('media notes: one small context line where the pictures would be, escaped, within the limits', () => {
    const p = slackPayload({ ...base, imageUrls: ['https://img/a.jpg'], mediaNotes: ['Picture not shown: S3 <denied> & gone', 'Timelapse saved on the printer\'s host as a.mp4; Imgur takes no video'] });
    const blocks = p.attachments[0]!.blocks;
    expect(blocks.map((b) => b.type)).toEqual(['section', 'section', 'image', 'context', 'context']);
    expect(blocks[3]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn',
      text: 'Picture not shown: S3 &lt;denied&gt; &amp; gone\nTimelapse saved on the printer\'s host as a.mp4; Imgur takes no video' }] });
    // Bounded: at most MEDIA_NOTE_LIMITS.count lines of MEDIA_NOTE_LIMITS.chars, and never past 50 blocks.
    const many = slackPayload({ ...base, mediaNotes: Array.from({ length: 9 }, (_, i) => `note ${i} ${'x'.repeat(900)}`),
      imageUrls: Array.from({ length: 80 }, (_, i) => `https://img/${i}.jpg`) });
    const mb = many.attachments[0]!.blocks;
    expect(mb.length).toBe(SLACK_LIMITS.blocks);
    const notes = mb.at(-2)!;
    expect(notes.type).toBe('context');
    const lines = (notes as { elements: { text: string }[] }).elements[0]!.text.split('\n');
    expect(lines).toHaveLength(MEDIA_NOTE_LIMITS.count);
    expect(lines.every((l) => l.length <= MEDIA_NOTE_LIMITS.chars)).toBe(true);
    expect(lines.at(-1)).toBe('5 more pictures not shown');
    // No notes, no block.
    expect(slackPayload({ ...base, mediaNotes: [] }).attachments[0]!.blocks.map((b) => b.type)).toEqual(['section', 'section', 'context']);
  });

  it('no empty sections: a message without fields or footer is just its headline', () => {
    const p = slackPayload({ ...base, fields: [], footer: '' });
    expect(p.attachments[0]!.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '*Print finished successfully :dancer:*' } }]);
  });
});

describe('truncate', () => {
  it.each([
    ['abcdef', 6, 'abcdef'],
    ['abcdef', 4, 'abc…'],
    ['a&amp;b', 4, 'a…'],
    ['a&amp;bcdef', 8, 'a&amp;b…'],
    ['ab😀cd', 4, 'ab…'],
    ['abc', 0, ''],
  ])('%j to %d → %j', (text, max, out) => expect(truncate(text, max)).toBe(out));
});
