// SlackFilesUploader with the real @slack/web-api client against FakeSlackFiles: each step of the
// external upload flow asserted (payload, encoding, headers, bytes), and the failures people meet
// (missing files:write, bot not in channel, unknown channel, upload server trouble) translated.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackSettings } from '../../../src/config/types.js';
import { SlackFilesUploader } from '../../../src/media/hosts/slack-files.js';
import { SLACK_TOKEN } from '../../helpers/fake-slack.js';
import { FakeSlackFiles } from '../../helpers/fake-slack-files.js';
import { failed, jpeg, succeeded, videoFile } from './sample-media.js';

let slack: FakeSlackFiles;
beforeEach(async () => { slack = await FakeSlackFiles.start(); });
afterEach(async () => { await slack.close(); });

function uploader(over: Partial<SlackSettings> = {}, transferBaseMs?: number): SlackFilesUploader {
  return new SlackFilesUploader({
    settings: { token: SLACK_TOKEN, apiUrl: slack.apiUrl, channels: ['#printer'], ...over }, timeoutMs: 2000,
    ...(transferBaseMs ? { transfer: { baseMs: transferBaseMs } } : {}),
  });
}

const ctx = { printerName: 'Prusa MK4', printId: 'p1', threadTs: '1767225600.000001', title: 'Print started', comment: 'Benchy, first layer' };

describe('Slack external upload flow', () => {
  it('getUploadURLExternal → bytes to upload_url → completeUploadExternal into the thread', async () => {
    const img = jpeg(3000);
    const r = succeeded(await uploader().upload(img, 'snapshot.jpg', ctx));
    expect(r).toEqual({ ok: true, fileId: 'F0FILE0001', permalink: 'https://octo-test.slack.com/files/U0BOT/F0FILE0001/snapshot.jpg' });

    expect(slack.calls('conversations.list')).toHaveLength(1);
    const [get] = slack.calls('files.getUploadURLExternal');
    expect(get!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(get!.headers.authorization).toBe(`Bearer ${SLACK_TOKEN}`);
    expect(get!.body).toEqual({ filename: 'snapshot.jpg', length: '3000', alt_txt: 'Print started' });

    const [put] = slack.uploads.calls('upload');
    expect(put!.method).toBe('POST');
    expect(put!.headers.authorization).toBeUndefined();
    expect(put!.headers['content-type']).toBe('application/octet-stream');
    expect(put!.body.equals(img.data)).toBe(true);

    const [done] = slack.calls('files.completeUploadExternal');
    expect(done!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(done!.body).toEqual({
      files: [{ id: 'F0FILE0001', title: 'Print started' }], channel_id: 'C0PRINTER1',
      thread_ts: '1767225600.000001', initial_comment: 'Benchy, first layer',
    });
    expect(slack.files.get('F0FILE0001')!.shared).toEqual({ channel: 'C0PRINTER1', threadTs: '1767225600.000001', title: 'Print started', initialComment: 'Benchy, first layer' });
    // Steps in order.
    const order = slack.requests.map((q) => q.route).filter((x) => x.startsWith('files.'));
    expect(order).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
    expect(put!.at).toBeGreaterThanOrEqual(get!.at);
    expect(done!.at).toBeGreaterThanOrEqual(put!.at);
  });

  it('a channel ID needs no lookup; the name is resolved once for many uploads', async () => {
    const byId = uploader({ channels: ['C0ALERTS01'] });
    succeeded(await byId.upload(jpeg(), 'a.jpg', { printerName: 'p' }));
    expect(slack.calls('conversations.list')).toHaveLength(0);
    expect(slack.calls('files.completeUploadExternal')[0]!.body).toEqual({ files: [{ id: 'F0FILE0001', title: 'a.jpg' }], channel_id: 'C0ALERTS01' });
    const byName = uploader();
    succeeded(await byName.upload(jpeg(), 'b.jpg', { printerName: 'p', channel: '#alerts' }));
    succeeded(await byName.upload(jpeg(), 'c.jpg', { printerName: 'p', channel: '#alerts' }));
    expect(slack.calls('conversations.list')).toHaveLength(1);
  });

  it('streams a timelapse video with its exact length', async () => {
    const v = await videoFile(250_000);
    try {
      succeeded(await uploader().upload(v.video, 'timelapse.mp4', ctx));
      expect(slack.calls('files.getUploadURLExternal')[0]!.body.length).toBe('250000');
      expect(slack.uploads.calls('upload')[0]!.body.equals(v.data)).toBe(true);
    } finally {
      await v.cleanup();
    }
  });
});

describe('Slack upload failures', () => {
  function noToken(x: unknown): void {
    expect(JSON.stringify(x)).not.toContain(SLACK_TOKEN);
  }

  it('without files:write: add the scope and reinstall', async () => {
    slack.scopes = slack.scopes.filter((s) => s !== 'files:write');
    const e = failed(await uploader().upload(jpeg(), 'a.jpg', ctx));
    expect(e).toMatchObject({ retry: false, code: 'missing_scope' });
    expect(e.error).toContain('files:write');
    expect(e.hint).toMatch(/files:write.*reinstall/);
    noToken(e);
    expect(slack.uploads.requests).toHaveLength(0);
  });

  it('the bot outside the channel, an unknown channel, names without channels:read', async () => {
    expect(failed(await uploader({ channels: ['#outside'] }).upload(jpeg(), 'a.jpg', ctx))).toMatchObject({ retry: false, code: 'not_in_channel' });
    const unknown = failed(await uploader({ channels: ['#nowhere'] }).upload(jpeg(), 'a.jpg', ctx));
    expect(unknown).toMatchObject({ retry: false, code: 'channel_not_found' });
    expect(unknown.hint).toMatch(/channel ID/);
    slack.script('conversations.list', { error: 'missing_scope', extra: { needed: 'channels:read,groups:read' } });
    const noList = failed(await uploader().upload(jpeg(), 'a.jpg', ctx));
    expect(noList.error).toMatch(/#printer was not found.*missing_scope/);
    expect(slack.calls('files.getUploadURLExternal')).toHaveLength(1);
  });

  it('upload server trouble and rate limits are retryable; the upload URL never shows', async () => {
    slack.uploads.script('upload', { status: 500, body: 'oops' }, 'hang');
    const u = uploader({}, 300);
    const e500 = failed(await u.upload(jpeg(), 'a.jpg', ctx));
    expect(e500).toMatchObject({ retry: true, code: 'upload_http_500' });
    const hung = failed(await u.upload(jpeg(), 'a.jpg', ctx));
    expect(hung).toMatchObject({ retry: true, code: 'timeout' });
    expect(hung.error).not.toMatch(/upload\/v1\/[0-9a-f]/);
    slack.script('files.getUploadURLExternal', { retryAfter: 12 });
    expect(failed(await u.upload(jpeg(), 'a.jpg', ctx))).toMatchObject({ retry: true, code: 'ratelimited', retryAfterS: 12 });
    slack.script('files.completeUploadExternal', { error: 'file_not_found' });
    expect(failed(await u.upload(jpeg(), 'a.jpg', ctx))).toMatchObject({ retry: true, code: 'file_not_found' });
    slack.script('files.completeUploadExternal', { error: 'file_uploads_disabled' });
    expect(failed(await u.upload(jpeg(), 'a.jpg', ctx))).toMatchObject({ retry: false, code: 'file_uploads_disabled' });
  });

  it('no token, no channel, a wrong token', async () => {
    expect(failed(await uploader({ token: undefined }).upload(jpeg(), 'a.jpg', ctx))).toMatchObject({ retry: false, code: 'no_token' });
    expect(failed(await uploader({ channels: [] }).upload(jpeg(), 'a.jpg', ctx))).toMatchObject({ retry: false, code: 'no_channel' });
    const bad = failed(await uploader({ token: 'xoxb-wrong-0000', channels: ['C0PRINTER1'] }).upload(jpeg(), 'a.jpg', ctx));
    expect(bad).toMatchObject({ retry: false, code: 'invalid_auth' });
    expect(JSON.stringify(bad)).not.toContain('xoxb-wrong-0000');
  });
});
