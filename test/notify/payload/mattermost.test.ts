// Mattermost webhook / REST / patch shapes, priority and silence, footer folding, size limit.
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/notify/notification.js';
import { MATTERMOST_LIMITS, MEDIA_NOTE_LIMITS } from '../../../src/notify/payload/limits.js';
import { mattermostPatchPayload, mattermostPostPayload, mattermostWebhookPayload } from '../../../src/notify/payload/mattermost.js';

const base: Notification = {
  id: 'x', event: 'PrintFailed', at: 0, level: 'urgent', color: 'danger',
  headline: 'Print failed :bomb:',
  fallback: 'Print failed: benchy.gcode',
  fields: [{ label: 'File', value: 'benchy.gcode (1.2MB via local file)' }, { label: 'Error', value: 'Thermal Runaway' }],
  footer: 'Printer: Error: Thermal Runaway, Bed: 60.0°C/60.0°C, Nozzle: 180.2°C/215.0°C',
  channels: [], kind: 'other', imageUrls: [], silent: false,
};

describe('Mattermost payloads', () => {
  it('webhook: heading, **bold** labels in the attachment, footer in the footer, urgent priority', () => {
    const w = mattermostWebhookPayload(base, { channel: 'printer', username: 'Printer', iconUrl: 'https://x/i.png' });
    expect(w).toEqual({
      text: '#### Print failed :bomb:',
      channel: 'printer',
      username: 'Printer',
      icon_url: 'https://x/i.png',
      priority: { priority: 'urgent' },
      attachments: [{
        fallback: 'Print failed: benchy.gcode',
        color: '#a30200',
        text: '**File** benchy.gcode (1.2MB via local file)\n**Error** Thermal Runaway',
        footer: base.footer,
      }],
    });
    expect(JSON.stringify(w)).not.toContain('blocks');
  });

  it('silent routine messages are silent; urgent ones never are', () => {
    expect(mattermostWebhookPayload({ ...base, level: 'routine', silent: true }).silent).toBe(true);
    expect(mattermostWebhookPayload({ ...base, level: 'routine' }).silent).toBeUndefined();
    expect(mattermostWebhookPayload({ ...base, silent: true })).toMatchObject({ priority: { priority: 'urgent' } });
    expect(mattermostWebhookPayload({ ...base, silent: true }).silent).toBeUndefined();
  });

  it('REST post: channel_id, message, root_id, props.attachments, metadata.priority, overrides', () => {
    const p = mattermostPostPayload(base, { channelId: 'ch1', rootId: 'root1', username: 'Printer', iconEmoji: 'printer' });
    expect(p).toMatchObject({
      channel_id: 'ch1', message: '#### Print failed :bomb:', root_id: 'root1',
      props: { override_username: 'Printer', override_icon_emoji: 'printer', attachments: [{ color: '#a30200' }] },
      metadata: { priority: { priority: 'urgent' } },
    });
    expect(mattermostPostPayload({ ...base, level: 'attention' }, { channelId: 'c' })).not.toHaveProperty('metadata');
    expect(mattermostPatchPayload(base)).toEqual({ message: p.message, props: { attachments: p.props.attachments } });
  });

  it('images: first as image_url, every one as a link', () => {
    const w = mattermostWebhookPayload({ ...base, imageUrls: ['https://img/a.jpg', 'https://img/b.jpg'] });
    expect(w.text).toBe('#### Print failed :bomb:\n[Snapshot 1](https://img/a.jpg)\n[Snapshot 2](https://img/b.jpg)');
    expect(w.attachments[0]!.image_url).toBe('https://img/a.jpg');
  });

  it('media notes: a line each in the text, after the image links; on the REST post too', () => {
    const n = { ...base, imageUrls: ['https://img/a.jpg'], mediaNotes: ['Picture not shown: camera back timed out'] };
    expect(mattermostWebhookPayload(n).text).toBe('#### Print failed :bomb:\n[Snapshot](https://img/a.jpg)\nPicture not shown: camera back timed out');
    expect(mattermostPostPayload(n, { channelId: 'c' }).message).toBe(mattermostWebhookPayload(n).text);
    // A note alone (a reply in the thread) is the whole message.
    expect(mattermostWebhookPayload({ ...base, headline: '', imageUrls: [], mediaNotes: ['Picture not shown: x'] }).text).toBe('Picture not shown: x');
    const long = mattermostWebhookPayload({ ...base, mediaNotes: ['y'.repeat(5000)] });
    expect(long.text.split('\n')[1]!.length).toBe(MEDIA_NOTE_LIMITS.chars);
  });

  it('a footer over 300 characters folds into the text as inline code', () => {
    const footer = `Printer: Printing, ${'Nozzle: 210.0°C/210.0°C, '.repeat(14)}`;
    const att = mattermostWebhookPayload({ ...base, footer }).attachments[0]!;
    expect(att.footer).toBeUndefined();
    expect(att.text.endsWith(`\`${footer}\``)).toBe(true);
  });

  it('message and card stay within 16,383 characters', () => {
    const fields = Array.from({ length: 2000 }, (_, i) => ({ label: `L${i}`, value: 'v'.repeat(20) }));
    const w = mattermostWebhookPayload({ ...base, headline: 'h'.repeat(20_000), fields });
    expect(w.text.length).toBeLessThanOrEqual(MATTERMOST_LIMITS.message);
    expect(w.text.length + w.attachments[0]!.text.length).toBeLessThanOrEqual(MATTERMOST_LIMITS.message);
    const small = mattermostWebhookPayload({ ...base, fields });
    expect(small.text.length + small.attachments[0]!.text.length).toBeLessThanOrEqual(MATTERMOST_LIMITS.message);
    expect(small.attachments[0]!.text.endsWith('…')).toBe(true);
  });
});
