// The post-only webhook targets (Slack and Mattermost) against the fakes: exact JSON bodies, the
// bare `ok` answer, and errors that never show the webhook URL's secret part.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackWebhookTarget } from '../../../src/notify/targets/slack-webhook.js';
import { MattermostWebhookTarget } from '../../../src/notify/targets/mattermost-webhook.js';
import { FakeSlack, WEBHOOK_PATH } from '../../helpers/fake-slack.js';
import { FakeMattermost, MM_HOOK_KEY } from '../../helpers/fake-mattermost.js';
import { freePort, note } from './sample.js';

describe('SlackWebhookTarget', () => {
  let slack: FakeSlack;
  beforeEach(async () => { slack = await FakeSlack.start(); });
  afterEach(async () => { await slack.close(); });

  it('posts JSON and takes the bare ok as success (no refs: post-only)', async () => {
    const t = new SlackWebhookTarget({ settings: { webhookUrl: slack.webhookUrl, username: 'Printer', iconUrl: 'https://x.test/i.png' } });
    expect(t.canThread).toBe(false);
    expect(await t.send(note(), {})).toEqual({ ok: true, refs: [] });
    const [req] = slack.calls('webhook');
    expect(req!.method).toBe('POST');
    expect(req!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(req!.raw)).toEqual({
      text: '*A new print has started :rocket:*\n*File* benchy.gcode\nPrinter: Printing, Bed: 60.0°C/60.0°C',
      username: 'Printer', icon_url: 'https://x.test/i.png',
    });
  });

  it('403 invalid_token and 404 no_service: URL revoked or wrong, without the secret', async () => {
    const t = new SlackWebhookTarget({ settings: { webhookUrl: slack.webhookUrl } });
    slack.script('webhook', { status: 403, body: 'invalid_token' });
    const r = await t.send(note(), {});
    expect(r).toMatchObject({ ok: false, retry: false, error: 'The Slack webhook URL was revoked or is wrong (HTTP 403 invalid_token)' });
    expect(!r.ok && !r.retry && r.hint).toContain('OCTOSLACK_SLACK_WEBHOOK_URL');
    const wrong = new SlackWebhookTarget({ settings: { webhookUrl: `${slack.url}/services/T0/B0/wrongkey` } });
    const r404 = await wrong.send(note(), {});
    expect(r404).toMatchObject({ ok: false, retry: false, error: expect.stringContaining('404 no_service') });
    for (const x of [r, r404]) {
      expect(JSON.stringify(x)).not.toContain('s3cr3tWebhookKey');
      expect(JSON.stringify(x)).not.toContain('wrongkey');
    }
  });

  it('429 with Retry-After, 500, a hang and a refused connection are retryable; errors show only scheme://host/…', async () => {
    const t = new SlackWebhookTarget({ settings: { webhookUrl: slack.webhookUrl } });
    const impatient = new SlackWebhookTarget({ settings: { webhookUrl: slack.webhookUrl }, timeoutMs: 150 });
    slack.script('webhook', { status: 429, body: 'rate_limited', headers: { 'retry-after': '4' } }, { status: 500, body: 'rollup_error' }, 'hang');
    expect(await t.send(note(), {})).toMatchObject({ ok: false, retry: true, retryAfterS: 4 });
    expect(await t.send(note(), {})).toMatchObject({ ok: false, retry: true, error: expect.stringContaining('500') });
    const hung = await impatient.send(note(), {});
    expect(hung).toMatchObject({ ok: false, retry: true, error: `No answer from ${slack.url}/…` + ' within 0.2 s' });
    const refused = await new SlackWebhookTarget({ settings: { webhookUrl: `http://127.0.0.1:${await freePort()}${WEBHOOK_PATH}` } }).send(note(), {});
    expect(refused).toMatchObject({ ok: false, retry: true, error: expect.stringContaining('ECONNREFUSED') });
    expect(JSON.stringify(refused)).not.toContain('s3cr3t');
  });
});

describe('MattermostWebhookTarget', () => {
  let mm: FakeMattermost;
  beforeEach(async () => { mm = await FakeMattermost.start(); });
  afterEach(async () => { await mm.close(); });

  it('posts the Mattermost body with channel, username and icon; ok answer', async () => {
    const t = new MattermostWebhookTarget({ settings: { webhookUrl: mm.webhookUrl, channel: '~printer', username: 'Printer', iconEmoji: ':robot:' } });
    expect(await t.send(note(), {})).toEqual({ ok: true, refs: [] });
    expect(JSON.parse(mm.calls('webhook')[0]!.raw)).toEqual({
      text: '**A new print has started :rocket:**\n**File** benchy.gcode\nPrinter: Printing, Bed: 60.0°C/60.0°C',
      channel: 'printer', username: 'Printer', icon_emoji: ':robot:',
    });
  });

  it('without a channel the webhook posts to its own channel', async () => {
    await new MattermostWebhookTarget({ settings: { webhookUrl: mm.webhookUrl } }).send(note(), {});
    expect(JSON.parse(mm.calls('webhook')[0]!.raw).channel).toBeUndefined();
  });

  it('an invalid webhook is permanent and the key never shows; "Unable to parse" falls back to plain text', async () => {
    const bad = await new MattermostWebhookTarget({ settings: { webhookUrl: `${mm.url}/hooks/nothere` } }).send(note(), {});
    expect(bad).toMatchObject({ ok: false, retry: false, error: expect.stringContaining('revoked or is wrong') });
    expect(JSON.stringify(bad)).not.toContain('nothere');
    const t = new MattermostWebhookTarget({ settings: { webhookUrl: mm.webhookUrl }, payload: (n) => ({ text: n.headline, attachments: [{ bad: true }] }) });
    mm.script('webhook', { status: 400, body: { id: 'web.incoming_webhook.parse.app_error', message: 'Unable to parse incoming data.', status_code: 400 } });
    const r = await t.send(note(), {}) as { ok: boolean; notes?: { error: string }[] };
    expect(r.ok).toBe(true);
    expect(r.notes?.[0]!.error).toContain('could not read the message');
    expect(JSON.parse(mm.calls('webhook')[2]!.raw).attachments).toBeUndefined();
    expect(JSON.stringify(r)).not.toContain(MM_HOOK_KEY);
  });

  it('500 and a closed connection retry', async () => {
    const t = new MattermostWebhookTarget({ settings: { webhookUrl: mm.webhookUrl } });
    mm.script('webhook', { status: 503, body: 'down' }, 'close');
    expect(await t.send(note(), {})).toMatchObject({ ok: false, retry: true });
    expect(await t.send(note(), {})).toMatchObject({ ok: false, retry: true });
    expect((await t.send(note(), {})).ok).toBe(true);
  });

  it('check() validates the URL shape without posting', async () => {
    expect(await new MattermostWebhookTarget({ settings: { webhookUrl: mm.webhookUrl } }).check()).toMatchObject({ ok: true, detail: `webhook at ${mm.url}/… (post-only: no edits or threads)` });
    expect(await new MattermostWebhookTarget({ settings: { webhookUrl: 'not a url' } }).check()).toMatchObject({ ok: false });
    expect(mm.requests).toHaveLength(0);
  });
});
