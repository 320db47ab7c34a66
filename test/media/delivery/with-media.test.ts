// withMedia against the fake servers, step by step: native uploads into the thread after the message
// (Slack external upload, Mattermost /files + post), public uploads before it (S3 signed PUT, Imgur),
// URL reuse across retries and targets, and every failure turned into a short note, never an exception.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryAttachmentStore } from '../../../src/media/delivery/attachment-store.js';
import { withMedia, type MediaDeliveryOptions } from '../../../src/media/delivery/with-media.js';
import { buildUploaders, type UploaderConfig } from '../../../src/media/hosts/index.js';
import type { Uploader } from '../../../src/media/hosts/types.js';
import type { Attachment, Notification, Notifier } from '../../../src/notify/notification.js';
import { mattermostWebhookPayload, slackContent } from '../../../src/notify/payload/index.js';
import { MattermostBotTarget, MattermostWebhookTarget, SlackBotTarget, SlackWebhookTarget } from '../../../src/notify/targets/index.js';
import type { MultiThreadContext } from '../../../src/notify/targets/thread-refs.js';
import { FakeImgur, IMGUR_CLIENT_ID } from '../../helpers/fake-imgur.js';
import { FakeMattermostFiles } from '../../helpers/fake-mattermost-files.js';
import { MM_TOKEN, mmId } from '../../helpers/fake-mattermost.js';
import { FakeS3, S3_ACCESS_KEY, S3_SECRET } from '../../helpers/fake-s3.js';
import { FakeSlackFiles } from '../../helpers/fake-slack-files.js';
import { SLACK_TOKEN } from '../../helpers/fake-slack.js';
import { jpeg, videoFile } from '../hosts/sample-media.js';
import { note } from '../../notify/targets/sample.js';

let slack: FakeSlackFiles;
let mm: FakeMattermostFiles;
let s3: FakeS3;
let imgur: FakeImgur;
let store: MemoryAttachmentStore;
let warnings: string[];
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  [slack, mm, s3, imgur] = await Promise.all([FakeSlackFiles.start(), FakeMattermostFiles.start(), FakeS3.start(), FakeImgur.start()]);
  store = new MemoryAttachmentStore();
  warnings = [];
});
afterEach(async () => {
  await Promise.all([slack.close(), mm.close(), s3.close(), imgur.close(), ...cleanups.splice(0).map((c) => c())]);
});

const MM_PRINTER = mmId('chprinter', '');

/** Config for buildUploaders with the named hosts pointing at the fakes (media.host is the decorator's option). */
function config(hosts: ('s3' | 'imgur' | 'slack' | 'mattermost')[]): UploaderConfig {
  const c: UploaderConfig = { media: { host: 'none' } };
  if (hosts.includes('s3')) c.media!.s3 = { endpoint: s3.url, region: 'us-east-1', bucket: 'octo-pictures', accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET, pathStyle: true };
  if (hosts.includes('imgur')) c.media!.imgur = { clientId: IMGUR_CLIENT_ID, apiUrl: imgur.apiUrl };
  if (hosts.includes('slack')) c.slack = { token: SLACK_TOKEN, apiUrl: slack.apiUrl, channels: ['#printer'] };
  if (hosts.includes('mattermost')) c.mattermost = { url: mm.url, token: MM_TOKEN, team: 'makers', channel: 'printer' };
  return c;
}

function opts(hosts: ('s3' | 'imgur' | 'slack' | 'mattermost')[], over: Partial<MediaDeliveryOptions> = {}): MediaDeliveryOptions {
  return {
    uploaders: buildUploaders(config(hosts), { timeoutMs: 2000 }), host: 'auto', printerName: 'Prusa MK4', store,
    log: { warn: (s) => warnings.push(s) }, sleep: async () => {}, ...over,
  };
}

const slackBot = () => new SlackBotTarget({ settings: { token: SLACK_TOKEN, apiUrl: slack.apiUrl, channels: ['#printer'] }, payload: slackContent, timeoutMs: 2000 });
const slackHook = () => new SlackWebhookTarget({ settings: { webhookUrl: slack.webhookUrl }, payload: slackContent, timeoutMs: 2000 });
const mmBot = () => new MattermostBotTarget({ settings: { url: mm.url, token: MM_TOKEN, channel: 'printer', team: 'makers' }, payload: mattermostWebhookPayload, timeoutMs: 2000 });
const mmHook = () => new MattermostWebhookTarget({ settings: { webhookUrl: mm.webhookUrl }, payload: mattermostWebhookPayload, timeoutMs: 2000 });

async function picture(name = 'PrintDone.jpg'): Promise<{ att: Attachment; data: Buffer }> {
  const img = jpeg(3000);
  return { att: await store.saveImage(img, name), data: img.data };
}

async function video(name = 'benchy.mp4'): Promise<Attachment> {
  const v = await videoFile(50_000);
  cleanups.push(v.cleanup);
  return { path: v.video.path, mime: 'video/mp4', name, bytes: v.video.bytes };
}

function done(over: Partial<Notification>): Notification {
  return note({ event: 'PrintDone', headline: 'Print done', fallback: 'Print done: benchy.gcode', ...over });
}

/** Slack blocks of a recorded webhook / chat.postMessage body. */
function blocksOf(body: Record<string, unknown>): { type: string; image_url?: string; elements?: { text: string }[] }[] {
  return ((body.attachments as { blocks: never[] }[])[0]!.blocks);
}

describe('ordinary messages', () => {
  it('pass through untouched: the same object, no uploads', async () => {
    const seen: Notification[] = [];
    const inner: Notifier = { id: 'slack-webhook', canThread: false, send: async (n) => { seen.push(n); return { ok: true, refs: [] }; } };
    const n = note();
    const r = await withMedia(inner, opts(['s3'])).send(n, {});
    expect(r).toEqual({ ok: true, refs: [] });
    expect(seen[0]).toBe(n);
    const withNotes = note({ mediaNotes: ['Picture not shown: camera front timed out'] });
    await withMedia(inner, opts(['s3'])).send(withNotes, {});
    expect(seen[1]).toBe(withNotes);
    expect(s3.requests).toHaveLength(0);
  });
});

describe('native uploads (bots)', () => {
  it('Slack bot: message, then getUploadURLExternal → bytes → completeUploadExternal in the message\'s thread', async () => {
    const { att, data } = await picture();
    const t = withMedia(slackBot(), opts(['slack']));
    const r = await t.send(done({ kind: 'start', attachments: [att] }), {});
    expect(r).toEqual({ ok: true, refs: [{ target: 'slack-bot', channel: 'C0PRINTER1', id: '1767225600.000001' }] });
    expect(slack.requests.map((q) => q.route).filter((x) => x !== 'conversations.list'))
      .toEqual(['chat.postMessage', 'files.getUploadURLExternal', 'files.completeUploadExternal']);
    const [get] = slack.calls('files.getUploadURLExternal');
    expect(get!.body).toMatchObject({ filename: 'PrintDone.jpg', length: String(data.length) });
    expect(slack.uploads.requests).toHaveLength(1);
    expect(slack.uploads.requests[0]!.body.equals(data)).toBe(true);
    const [complete] = slack.calls('files.completeUploadExternal');
    expect(complete!.body).toMatchObject({ channel_id: 'C0PRINTER1', thread_ts: '1767225600.000001' });
    // The message itself carries no image block: the file is in its thread.
    expect(blocksOf(slack.calls('chat.postMessage')[0]!.body).some((b) => b.type === 'image')).toBe(false);
    expect([...slack.files.values()][0]!.shared).toMatchObject({ channel: 'C0PRINTER1', threadTs: '1767225600.000001', title: 'PrintDone.jpg' });
  });

  it('Slack bot: a reply goes into the print\'s thread (the parent), not under the reply', async () => {
    const { att } = await picture();
    const parent = { target: 'slack-bot', channel: 'C0PRINTER1', id: '1767000000.000100' };
    const ctx: MultiThreadContext = { parent, parents: [parent] };
    const r = await withMedia(slackBot(), opts(['slack'])).send(done({ attachments: [att] }), ctx);
    expect(r.ok).toBe(true);
    expect(slack.calls('chat.postMessage')[0]!.body.thread_ts).toBe(parent.id);
    expect(slack.calls('files.completeUploadExternal')[0]!.body).toMatchObject({ channel_id: 'C0PRINTER1', thread_ts: parent.id });
  });

  it('Slack bot: a retryable upload failure is retried within the send (Retry-After honoured), the message is posted once', async () => {
    const { att } = await picture();
    slack.script('files.getUploadURLExternal', { retryAfter: 2 });
    const waits: number[] = [];
    const t = withMedia(slackBot(), opts(['slack'], { sleep: async (ms) => { waits.push(ms); } }));
    const r = await t.send(done({ kind: 'start', attachments: [att] }), {});
    expect(r.ok).toBe(true);
    expect(waits).toEqual([2000]);
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
    expect(slack.calls('files.getUploadURLExternal')).toHaveLength(2);
    expect(slack.calls('files.completeUploadExternal')).toHaveLength(1);
  });

  it('Slack bot: uploads refused for good → the message stays, a short note is posted in its thread', async () => {
    const { att } = await picture();
    slack.script('files.getUploadURLExternal', { error: 'file_uploads_disabled' });
    const r = await withMedia(slackBot(), opts(['slack'])).send(done({ kind: 'start', attachments: [att] }), {});
    expect(r).toEqual({ ok: true, refs: [{ target: 'slack-bot', channel: 'C0PRINTER1', id: '1767225600.000001' }] });
    const posts = slack.calls('chat.postMessage');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.body.thread_ts).toBe('1767225600.000001');
    expect(posts[1]!.body.text).toMatch(/^Picture not shown: A Slack workspace admin turned file uploads off/);
    expect(blocksOf(posts[1]!.body)).toEqual([{ type: 'context', elements: [{ type: 'mrkdwn', text: expect.stringMatching(/^Picture not shown: /) }] }]);
    expect(warnings.join('\n')).toMatch(/PrintDone.jpg was not posted in C0PRINTER1/);
  });

  it('Slack bot: a message in two channels gets the file in each channel\'s thread', async () => {
    const { att } = await picture();
    const bot = new SlackBotTarget({ settings: { token: SLACK_TOKEN, apiUrl: slack.apiUrl, channels: ['#printer', 'C0ALERTS01'] }, payload: slackContent, timeoutMs: 2000 });
    const r = await withMedia(bot, opts(['slack'])).send(done({ kind: 'start', attachments: [att] }), {});
    expect(r.ok && r.refs.map((x) => `${x.channel}/${x.id}`)).toEqual(['C0PRINTER1/1767225600.000001', 'C0ALERTS01/1767225600.000002']);
    expect(slack.calls('files.completeUploadExternal').map((c) => `${String(c.body.channel_id)}/${String(c.body.thread_ts)}`))
      .toEqual(['C0PRINTER1/1767225600.000001', 'C0ALERTS01/1767225600.000002']);
  });

  it('Slack bot: a slow upload does not hold the send past timeoutMs; it finishes in the background', async () => {
    const { att } = await picture();
    slack.script('files.getUploadURLExternal', 'hang');
    const t = withMedia(slackBot(), opts(['slack'], { timeoutMs: 150 }));
    const started = Date.now();
    const r = await t.send(done({ kind: 'start', attachments: [att] }), {});
    expect(r.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(slack.calls('files.completeUploadExternal')).toHaveLength(0);
    await t.idle();
    // The hung call timed out (2 s), the second try went through: one message, one shared file.
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
    expect(slack.calls('files.getUploadURLExternal')).toHaveLength(2);
    expect(slack.calls('files.completeUploadExternal')).toHaveLength(1);
  });

  it('Mattermost bot: post, then POST /api/v4/files, then a post with file_ids in the thread (root_id)', async () => {
    const { att, data } = await picture();
    const r = await withMedia(mmBot(), opts(['mattermost'])).send(done({ kind: 'start', attachments: [att] }), {});
    expect(r.ok).toBe(true);
    const messageId = r.ok ? r.refs[0]!.id : '';
    const posts = mm.calls('posts');
    expect(posts).toHaveLength(2);
    expect(posts[0]!.body.root_id).toBeUndefined();
    expect(mm.uploads).toHaveLength(1);
    expect(mm.uploads[0]!.query.get('channel_id')).toBe(MM_PRINTER);
    expect(mm.uploads[0]!.query.get('filename')).toBe('PrintDone.jpg');
    expect(mm.uploads[0]!.body.equals(data)).toBe(true);
    expect(posts[0]!.at).toBeLessThanOrEqual(mm.uploads[0]!.at);
    expect(mm.uploads[0]!.at).toBeLessThanOrEqual(posts[1]!.at);
    const fileId = [...mm.files.keys()][0];
    expect(posts[1]!.body).toMatchObject({ channel_id: MM_PRINTER, root_id: messageId, file_ids: [fileId] });
  });

  it('Mattermost bot: a picture that vanished becomes a note in the thread, no exception', async () => {
    const gone: Attachment = { path: 'memory:gone', mime: 'image/jpeg', name: 'Snap.jpg', bytes: 10 };
    const r = await withMedia(mmBot(), opts(['mattermost'])).send(done({ kind: 'start', attachments: [gone] }), {});
    expect(r.ok).toBe(true);
    expect(mm.uploads).toHaveLength(0);
    const posts = mm.calls('posts');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.body).toMatchObject({ root_id: r.ok ? r.refs[0]!.id : '', message: 'Picture not shown: Snap.jpg is no longer stored' });
  });
});

describe('public uploads (webhooks)', () => {
  it('Slack webhook + S3: signed PUT first, then the webhook shows the image URL', async () => {
    const { att, data } = await picture();
    const r = await withMedia(slackHook(), opts(['s3'])).send(done({ attachments: [att] }), {});
    expect(r).toEqual({ ok: true, refs: [] });
    const [put] = s3.calls('put');
    expect(String(put!.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAFAKEOCTOSLACK01\//);
    expect(put!.rawPath).toMatch(/^\/octo-pictures\/snapshots\/Prusa-MK4\/print-1\/\d{8}T\d{6}Z-[\w-]+\.jpg$/);
    expect([...s3.objects.values()][0]!.data.equals(data)).toBe(true);
    const [hook] = slack.calls('webhook');
    expect(put!.at).toBeLessThanOrEqual(hook!.at);
    const image = blocksOf(hook!.body).find((b) => b.type === 'image');
    expect(image?.image_url).toBe(`${s3.url}${put!.rawPath}`);
  });

  it('Mattermost webhook + Imgur: image_url and a link in the text', async () => {
    const { att } = await picture();
    const r = await withMedia(mmHook(), opts(['imgur'])).send(done({ attachments: [att] }), {});
    expect(r.ok).toBe(true);
    const [img] = [...imgur.images.values()];
    const link = `${imgur.url}/i/${img!.id}.jpg`;
    const [hook] = mm.calls('webhook');
    expect((hook!.body.attachments as { image_url?: string }[])[0]!.image_url).toBe(link);
    expect(hook!.body.text).toBe(`#### Print done\n[Snapshot](${link})`);
  });

  it('one upload serves every webhook target on the same host', async () => {
    const { att } = await picture();
    const o = opts(['s3']);
    const n = done({ attachments: [att] });
    const [a, b] = await Promise.all([withMedia(slackHook(), o).send(n, {}), withMedia(mmHook(), o).send(n, {})]);
    expect(a.ok && b.ok).toBe(true);
    expect(s3.calls('put')).toHaveLength(1);
    const url = blocksOf(slack.calls('webhook')[0]!.body).find((x) => x.type === 'image')!.image_url;
    expect((mm.calls('webhook')[0]!.body.attachments as { image_url?: string }[])[0]!.image_url).toBe(url);
  });

  it('a failing S3 upload answers retry (nothing posted); the retry uploads only what is missing', async () => {
    const one = await picture('front.jpg');
    const two = await picture('back.jpg');
    s3.script('put', { status: 503, body: '<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>', headers: { 'retry-after': '7' } });
    const t = withMedia(slackHook(), opts(['s3']));
    const n = done({ attachments: [one.att, two.att] });
    const first = await t.send(n, {});
    expect(first).toMatchObject({ ok: false, retry: true, retryAfterS: 7 });
    expect(slack.calls('webhook')).toHaveLength(0);
    expect(s3.calls('put')).toHaveLength(2);
    expect(s3.objects.size).toBe(1);
    const second = await t.send(n, {});
    expect(second.ok).toBe(true);
    expect(s3.calls('put')).toHaveLength(3);
    expect(s3.objects.size).toBe(2);
    // Both pictures, in the attachments' order.
    const urls = blocksOf(slack.calls('webhook')[0]!.body).filter((b) => b.type === 'image').map((b) => b.image_url);
    const byData = new Map([...s3.objects].map(([k, v]) => [v.data.toString('hex'), `${s3.url}/${k}`]));
    expect(urls).toEqual([byData.get(one.data.toString('hex')), byData.get(two.data.toString('hex'))]);
  });

  it('retryable failures give up after maxPublicUploadAttempts: the message goes out with a note', async () => {
    const { att } = await picture();
    const internal = { status: 500, body: '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>' };
    s3.script('put', internal, internal);
    const t = withMedia(slackHook(), opts(['s3'], { maxPublicUploadAttempts: 2 }));
    const n = done({ attachments: [att] });
    expect(await t.send(n, {})).toMatchObject({ ok: false, retry: true });
    expect(await t.send(n, {})).toEqual({ ok: true, refs: [] });
    const [hook] = slack.calls('webhook');
    const blocks = blocksOf(hook!.body);
    expect(blocks.some((b) => b.type === 'image')).toBe(false);
    expect(blocks.find((b) => b.type === 'context' && /Picture not shown/.test(b.elements![0]!.text))!.elements![0]!.text)
      .toBe('Picture not shown: S3 is busy or had a temporary problem (InternalError)');
  });

  it('a permanent S3 failure sends the message at once, with a note', async () => {
    const { att } = await picture();
    s3.script('put', { status: 403, body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' });
    const r = await withMedia(mmHook(), opts(['s3'])).send(done({ attachments: [att] }), {});
    expect(r.ok).toBe(true);
    const [hook] = mm.calls('webhook');
    expect(hook!.body.text).toMatch(/^#### Print done\nPicture not shown: .*denied/i);
    expect((hook!.body.attachments as { image_url?: string }[])[0]!.image_url).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });

  it('the timelapse on S3 becomes a "Timelapse <url>" field', async () => {
    const v = await video();
    const r = await withMedia(slackHook(), opts(['s3'])).send(done({ event: 'MovieDone', attachments: [v] }), {});
    expect(r.ok).toBe(true);
    const [put] = s3.calls('put');
    expect(put!.rawPath).toMatch(/\.mp4$/);
    const section = blocksOf(slack.calls('webhook')[0]!.body).filter((b) => b.type === 'section').map((b) => JSON.stringify(b)).join();
    expect(section).toContain(`*Timelapse* ${s3.url}${put!.rawPath}`);
  });

  it('a video with only Imgur: no upload, a note saying where the file is', async () => {
    const v = await video('benchy.mp4');
    const r = await withMedia(slackHook(), opts(['imgur'], { host: 'imgur' })).send(done({ event: 'MovieDone', attachments: [v] }), {});
    expect(r.ok).toBe(true);
    expect(imgur.requests).toHaveLength(0);
    const notes = blocksOf(slack.calls('webhook')[0]!.body).filter((b) => b.type === 'context').map((b) => b.elements![0]!.text);
    expect(notes[0]).toBe('Timelapse saved on the printer\'s host as timelapse.mp4; Imgur takes no video');
  });

  it('a picture that vanished becomes a note; the message goes out', async () => {
    const gone: Attachment = { path: 'memory:gone', mime: 'image/jpeg', name: 'Snap.jpg', bytes: 10 };
    const r = await withMedia(slackHook(), opts(['s3'])).send(done({ attachments: [gone] }), {});
    expect(r.ok).toBe(true);
    expect(s3.requests).toHaveLength(0);
    const notes = blocksOf(slack.calls('webhook')[0]!.body).filter((b) => b.type === 'context').map((b) => b.elements![0]!.text);
    expect(notes[0]).toBe('Picture not shown: Snap.jpg is no longer stored');
  });

  it('a webhook with no public host: a note explains, and host none stays silent', async () => {
    const { att } = await picture();
    await withMedia(slackHook(), opts(['slack'])).send(done({ attachments: [att] }), {});
    await withMedia(slackHook(), opts(['slack'], { host: 'none' })).send(done({ attachments: [att] }), {});
    const [withNote, silent] = slack.calls('webhook').map((h) => blocksOf(h.body).filter((b) => b.type === 'context').map((b) => b.elements![0]!.text));
    expect(withNote![0]).toBe('Picture not shown: a Slack webhook cannot upload files; set up media.s3 or media.imgur');
    expect(silent!.some((x) => /not shown/.test(x))).toBe(false);
  });
});

describe('public uploads that outlive a send', () => {
  it('answer retry without counting a failure, and the next send reuses the running upload', async () => {
    const { att } = await picture();
    let finish!: (url: string) => void;
    let calls = 0;
    const slow: Uploader = { id: 's3', kind: 'public-url', upload: () => {
      calls++;
      return new Promise((resolve) => { finish = (url) => resolve({ ok: true, url }); });
    } };
    const sent: Notification[] = [];
    const inner: Notifier = { id: 'slack-webhook', canThread: false, send: async (n) => { sent.push(n); return { ok: true, refs: [] }; } };
    const t = withMedia(inner, opts([], { uploaders: { all: new Map([['s3', slow]]) }, timeoutMs: 50, maxPublicUploadAttempts: 1 }));
    const n = done({ attachments: [att], imageUrls: ['https://cam.example/already.jpg'] });
    expect(await t.send(n, {})).toMatchObject({ ok: false, retry: true, retryAfterS: 5, error: expect.stringMatching(/still uploading PrintDone.jpg/) });
    expect(await t.send(n, {})).toMatchObject({ ok: false, retry: true });
    finish('https://pics.example/a.jpg');
    expect(await t.send(n, {})).toEqual({ ok: true, refs: [] });
    expect(calls).toBe(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.imageUrls).toEqual(['https://cam.example/already.jpg', 'https://pics.example/a.jpg']);
    expect(sent[0]!.attachments).toBeUndefined();
    expect(sent[0]!.mediaNotes).toBeUndefined();
  });

  it('an uploader that throws is a note, never an exception', async () => {
    const { att } = await picture();
    const broken: Uploader = { id: 'imgur', kind: 'public-url', upload: () => { throw new Error('boom'); } };
    const sent: Notification[] = [];
    const inner: Notifier = { id: 'mattermost-webhook', canThread: false, send: async (n) => { sent.push(n); return { ok: true, refs: [] }; } };
    const t = withMedia(inner, opts([], { uploaders: { all: new Map([['imgur', broken]]) }, maxPublicUploadAttempts: 1 }));
    expect(await t.send(done({ attachments: [att] }), {})).toEqual({ ok: true, refs: [] });
    expect(sent[0]!.mediaNotes).toEqual(['Picture not shown: Upload failed unexpectedly (boom)']);
  });
});
