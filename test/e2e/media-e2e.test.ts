// Issue 6's "done when": a sim:// print with two fake cameras posts PrintStarted, Progress and
// PrintDone with combined snapshots to Slack (external upload flow), Mattermost (file upload) and
// webhook targets via S3 and via Imgur, and the timelapse video lands in the print's thread. The
// built CLI runs as a user would, against fake servers on 127.0.0.1 only.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUTTER_PX, MARGIN_PX } from '../../src/media/compose/layout.js';
import { FakeCamera, makeJpeg, probe } from '../helpers/fake-camera.js';
import { FakeImgur, IMGUR_CLIENT_ID } from '../helpers/fake-imgur.js';
import { FakeMattermost, MM_TOKEN, mmId } from '../helpers/fake-mattermost.js';
import { FakeMattermostFiles } from '../helpers/fake-mattermost-files.js';
import { FakeS3, S3_ACCESS_KEY, S3_SECRET } from '../helpers/fake-s3.js';
import { FakeSlackFiles } from '../helpers/fake-slack-files.js';
import { SLACK_TOKEN, type RecordedRequest } from '../helpers/fake-slack.js';
import { jsonEvents, runCli, type CliResult } from '../helpers/cli.js';

const W = 320;
const H = 240;
/** Two W×H pictures side by side: margins around, one gutter between. */
const COMBINED = { width: 2 * MARGIN_PX + 2 * W + GUTTER_PX, height: 2 * MARGIN_PX + H };
const MM_PRINTER = mmId('chprinter', '');
const PRINT_EVENTS = ['PrintStarted', 'Progress', 'PrintDone'] as const;
const HEADLINES: Record<(typeof PRINT_EVENTS)[number] | 'MovieDone', RegExp> = {
  PrintStarted: /A new print has started/,
  Progress: /Print progress \d+%/,
  PrintDone: /Print finished successfully/,
  MovieDone: /Timelapse movie rendering complete/,
};

let dir: string;
let front: FakeCamera;
let side: FakeCamera;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'octoslack-media-e2e-'));
  // Two distinct pictures (different test patterns), same size.
  const [a, b] = await Promise.all([makeJpeg(W, H, 'testsrc'), makeJpeg(W, H, 'testsrc2')]);
  front = await new FakeCamera({ still: a }).start();
  side = await new FakeCamera({ still: b }).start();
});
afterAll(async () => {
  await Promise.all([front.stop(), side.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name: string, body: string): string {
  const file = path.join(dir, name);
  const cameras = `cameras:\n  - name: front\n    url: ${front.url()}\n  - name: side\n    url: ${side.url()}\nsnapshots:\n  layout: horizontal\n  timeoutMs: 8000\n`;
  // Chat commands off: these fakes speak HTTP only (commands have their own tests).
  writeFileSync(file, `printerName: Bench\ncommands:\n  enabled: false\n${cameras}${body}`, { mode: 0o600 });
  return file;
}

/** Stderr lines: none is expected (every warning is a finding here). */
function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '');
}

function text(r: RecordedRequest): string {
  return JSON.stringify(r.body);
}

function expectCleanRun(r: CliResult, secrets: string[]): void {
  expect(stderrLines(r.stderr), r.stderr).toEqual([]);
  expect(r.code, r.stderr).toBe(0);
  expect(jsonEvents(r.stdout).map((e) => e.event)).toContain('PrintDone');
  for (const s of secrets) expect(r.stdout + r.stderr).not.toContain(s);
}

describe('pictures and timelapse end to end', () => {
  it('bots upload natively into the print thread, the Slack webhook shows S3 links, the timelapse follows', { timeout: 90_000 }, async () => {
    // The bucket is private (no public prefix): webhook links are presigned, the default without publicBaseUrl.
    const [slack, mm, s3] = await Promise.all([FakeSlackFiles.start(), FakeMattermostFiles.start(), FakeS3.start()]);
    try {
      const state = path.join(dir, 'state-a');
      const config = writeConfig('a.yaml', [
        `slack:\n  channels: ["#printer"]\n  apiUrl: ${slack.apiUrl}`,
        `mattermost:\n  url: ${mm.url}\n  channel: printer\n  team: makers`,
        'progress:\n  everyPercent: 50\nevents:\n  Progress:\n    enabled: true',
        'timelapse:\n  enabled: true\n  everySeconds: 0\n  fps: 5',
        `media:\n  host: auto\n  s3:\n    endpoint: ${s3.url}\n    region: us-east-1\n    bucket: octo-pictures\n    pathStyle: true\n    prefix: snapshots/`,
        '',
      ].join('\n'));
      const secrets = [SLACK_TOKEN, MM_TOKEN, S3_SECRET, slack.webhookUrl];
      const r = await runCli(['print', 'gcode-fixtures/coaster-50mm.gcode', '--port', 'sim://?speed=300', '--config', config, '--json'], {
        XDG_STATE_HOME: state,
        OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN,
        OCTOSLACK_SLACK_WEBHOOK_URL: slack.webhookUrl,
        OCTOSLACK_MATTERMOST_TOKEN: MM_TOKEN,
        OCTOSLACK_MEDIA_S3_ACCESS_KEY_ID: S3_ACCESS_KEY,
        OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY: S3_SECRET,
      });
      expectCleanRun(r, secrets);
      const events = jsonEvents(r.stdout).map((e) => e.event);
      expect(events).toContain('MovieDone');

      // Both cameras were asked for pictures (messages and timelapse frames).
      expect(front.requests.length).toBeGreaterThanOrEqual(3);
      expect(side.requests.length).toBeGreaterThanOrEqual(3);

      // ---- Slack bot: message, then getUploadURLExternal → upload server → completeUploadExternal in the thread.
      const posts = slack.calls('chat.postMessage');
      const parent = posts.find((p) => HEADLINES.PrintStarted.test(text(p)))!;
      expect(parent, posts.map(text).join('\n')).toBeDefined();
      expect(parent.body.thread_ts).toBeUndefined();
      // The print's thread: its only top-level message is PrintStarted's, everything else replies to it.
      const topLevel = [...slack.messages.values()].filter((m) => m.thread_ts === undefined);
      expect(topLevel.map((m) => m.channel)).toEqual(['C0PRINTER1']);
      const parentTs = topLevel[0]!.ts;
      for (const ev of [...PRINT_EVENTS, 'MovieDone'] as const) {
        expect(posts.some((p) => HEADLINES[ev].test(text(p))), `Slack: no ${ev} message`).toBe(true);
      }
      const files = [...slack.files.values()];
      const shared = files.filter((f) => f.shared);
      // Every uploaded file was completed into the print's thread in #printer.
      expect(shared.length).toBe(files.length);
      for (const f of shared) expect(f.shared).toMatchObject({ channel: 'C0PRINTER1', threadTs: parentTs });
      const pictures = shared.filter((f) => f.filename.endsWith('.jpg'));
      expect(pictures.map((f) => f.filename).sort()).toEqual(['PrintDone.jpg', 'PrintStarted.jpg', 'Progress.jpg']);
      for (const f of pictures) {
        expect(f.data!.subarray(0, 2).toString('hex')).toBe('ffd8');
        // ONE picture per message, both cameras side by side.
        expect(await probe(f.data!)).toMatchObject({ ...COMBINED, codec: 'mjpeg' });
      }
      // Per file, in order: the message, getUploadURLExternal, the bytes to the upload server,
      // completeUploadExternal sharing it into the print's thread.
      const gets = slack.calls('files.getUploadURLExternal');
      const ups = slack.uploads.calls('upload');
      const completes = slack.calls('files.completeUploadExternal');
      expect([gets.length, ups.length, completes.length]).toEqual([files.length, files.length, files.length]);
      for (const f of files) {
        const get = gets.find((g) => g.body.filename === f.filename)!;
        const up = ups.find((u) => u.rawPath.endsWith(`/${f.uploadToken}`))!;
        const complete = completes.find((c) => (c.body.files as { id: string }[])[0]!.id === f.id)!;
        expect(complete.body).toMatchObject({ channel_id: 'C0PRINTER1', thread_ts: parentTs });
        expect(up.body.equals(f.data!)).toBe(true);
        expect(get.at).toBeLessThanOrEqual(up.at);
        expect(up.at).toBeLessThanOrEqual(complete.at);
        const event = f.filename.endsWith('.mp4') ? 'MovieDone' : (f.filename.replace(/\.jpg$/, '') as (typeof PRINT_EVENTS)[number]);
        expect(posts.find((p) => HEADLINES[event].test(text(p)))!.at).toBeLessThanOrEqual(get.at);
      }

      // ---- Timelapse on Slack: a video in the same thread, next to a MovieDone reply.
      const movie = shared.find((f) => f.filename.endsWith('.mp4'));
      expect(movie, files.map((f) => f.filename).join(', ')).toBeDefined();
      expect(movie!.shared!.threadTs).toBe(parentTs);
      const movieMsg = posts.find((p) => HEADLINES.MovieDone.test(text(p)))!;
      expect(movieMsg.body.thread_ts).toBe(parentTs);

      // ---- Mattermost bot: POST /api/v4/files, then a post with file_ids under the print's first post.
      const mmPosts = mm.calls('posts');
      const root = mmPosts.find((p) => HEADLINES.PrintStarted.test(text(p)) && !p.body.root_id)!;
      expect(root, mmPosts.map(text).join('\n')).toBeDefined();
      const rootId = [...mm.posts.values()].find((p) => p.root_id === '' && HEADLINES.PrintStarted.test(String(p.message)))!.id as string;
      const mmFiles = [...mm.files.values()];
      expect(mmFiles.map((f) => f.name).sort()).toEqual(['PrintDone.jpg', 'PrintStarted.jpg', 'Progress.jpg', expect.stringMatching(/\.mp4$/)].sort());
      expect(mm.uploads.every((u) => u.method === 'POST')).toBe(true);
      for (const f of mmFiles) {
        expect(f.channelId).toBe(MM_PRINTER);
        const withFile = mmPosts.filter((p) => (p.body.file_ids as string[] | undefined)?.includes(f.id));
        expect(withFile, `Mattermost: ${f.name} never posted`).toHaveLength(1);
        expect(withFile[0]!.body).toMatchObject({ channel_id: MM_PRINTER, root_id: rootId });
        if (f.name.endsWith('.jpg')) expect(await probe(f.data)).toMatchObject(COMBINED);
        else expect(f.mime).toBe('video/mp4');
      }
      for (const ev of [...PRINT_EVENTS, 'MovieDone'] as const) {
        expect(mmPosts.some((p) => HEADLINES[ev].test(text(p))), `Mattermost: no ${ev} message`).toBe(true);
      }

      // ---- Slack webhook: signed PUTs to S3 first, then the payload shows a presigned link to the object.
      const puts = s3.calls('put');
      expect(puts.length).toBeGreaterThanOrEqual(4); // three pictures and the video
      for (const p of puts) expect(String(p.headers.authorization)).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${S3_ACCESS_KEY}/`));
      const objects = [...s3.objects.entries()];
      const jpegs = objects.filter(([, o]) => o.contentType === 'image/jpeg');
      expect(jpegs).toHaveLength(3);
      for (const [, o] of jpegs) expect(await probe(o.data)).toMatchObject(COMBINED);
      const hooks = slack.calls('webhook');
      for (const ev of PRINT_EVENTS) {
        const hook = hooks.find((h) => HEADLINES[ev].test(text(h)));
        expect(hook, `Slack webhook: no ${ev} message`).toBeDefined();
        const urls = [...text(hook!).matchAll(/"image_url":"([^"]+)"/g)].map((m) => m[1]!);
        expect(urls).toHaveLength(1);
        const url = new URL(urls[0]!);
        // A presigned GET of an object uploaded before the message was posted...
        expect(`${url.origin}${url.pathname}`.startsWith(`${s3.url}/octo-pictures/snapshots/`)).toBe(true);
        expect(url.searchParams.get('X-Amz-Credential')).toMatch(new RegExp(`^${S3_ACCESS_KEY}/\\d{8}/us-east-1/s3/aws4_request$`));
        const put = puts.find((p) => p.rawPath === url.pathname);
        expect(put, `${url.pathname} was never PUT`).toBeDefined();
        expect(put!.at).toBeLessThanOrEqual(hook!.at);
        // ...that the store (which checks the signature) serves to anyone holding the link.
        const res = await fetch(url);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/jpeg');
        expect(await probe(Buffer.from(await res.arrayBuffer()))).toMatchObject(COMBINED);
        expect((await fetch(`${url.origin}${url.pathname}`)).status).toBe(403); // the bucket itself is private
      }
      // The timelapse went to S3 too: a "Timelapse <link>" field of the MovieDone message.
      const movieHook = hooks.find((h) => HEADLINES.MovieDone.test(text(h)));
      expect(movieHook).toBeDefined();
      const mp4 = objects.find(([k]) => k.endsWith('.mp4'));
      expect(mp4).toBeDefined();
      expect(mp4![1].contentType).toBe('video/mp4');
      expect(text(movieHook!)).toContain(`*Timelapse* ${s3.url}/${mp4![0]}?X-Amz-`);

      // ---- The video is kept in the state folder, and is a real video of ≥ 2 frames.
      const tlDir = path.join(state, 'octoslack', 'timelapse');
      const videos = existsSync(tlDir) ? readdirSync(tlDir).filter((f) => f.endsWith('.mp4')) : [];
      expect(videos).toHaveLength(1);
      const v = await probe(path.join(tlDir, videos[0]!));
      expect(['h264', 'mpeg4']).toContain(v.codec);
      expect(v.frames).toBeGreaterThanOrEqual(2);
      expect(v).toMatchObject(COMBINED); // every frame is both cameras side by side
      const movieDone = jsonEvents(r.stdout).find((e) => e.event === 'MovieDone')!;
      expect(movieDone.frames).toBeGreaterThanOrEqual(2);
      expect(mmFiles.find((f) => f.name.endsWith('.mp4'))!.data.length).toBeGreaterThan(0);
      expect(movie!.data!.length).toBe(movie!.length);

      // Secrets went in headers, never into a body or URL the fakes saw.
      expect(slack.requests.every((q) => !q.raw.includes(SLACK_TOKEN))).toBe(true);
      expect(puts.every((p) => !p.rawPath.includes(S3_SECRET) && !p.rawQuery.includes(S3_SECRET))).toBe(true);
    } finally {
      await Promise.all([slack.close(), mm.close(), s3.close()]);
    }
  });

  it('a Mattermost webhook shows the pictures through Imgur', { timeout: 60_000 }, async () => {
    const [mm, imgur] = await Promise.all([FakeMattermost.start(), FakeImgur.start()]);
    try {
      const config = writeConfig('b.yaml', `media:\n  host: auto\n  imgur:\n    apiUrl: ${imgur.apiUrl}\n`);
      const r = await runCli(['print', 'gcode-fixtures/tiny-square.gcode', '--port', 'sim://?speed=200', '--config', config, '--json'], {
        XDG_STATE_HOME: path.join(dir, 'state-b'),
        OCTOSLACK_MATTERMOST_WEBHOOK_URL: mm.webhookUrl,
        OCTOSLACK_MEDIA_IMGUR_CLIENT_ID: IMGUR_CLIENT_ID,
      });
      expectCleanRun(r, [IMGUR_CLIENT_ID, mm.webhookUrl]);
      const uploads = imgur.requests.filter((q) => q.method === 'POST');
      expect(uploads.length).toBeGreaterThanOrEqual(2);
      for (const u of uploads) {
        expect(u.headers.authorization).toBe(`Client-ID ${IMGUR_CLIENT_ID}`);
        expect(String(u.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
      }
      const hooks = mm.calls('webhook');
      for (const ev of ['PrintStarted', 'PrintDone'] as const) {
        const hook = hooks.find((h) => HEADLINES[ev].test(text(h)));
        expect(hook, `Mattermost webhook: no ${ev} message`).toBeDefined();
        const url = (hook!.body.attachments as { image_url?: string }[])[0]!.image_url!;
        const id = /\/i\/([0-9a-f]+)\.jpg$/.exec(url)?.[1];
        expect(url.startsWith(`${imgur.url}/i/`)).toBe(true);
        const img = imgur.images.get(id ?? '');
        expect(img, `${url} is not an Imgur upload`).toBeDefined();
        expect(await probe(img!.data)).toMatchObject(COMBINED);
      }
    } finally {
      await Promise.all([mm.close(), imgur.close()]);
    }
  });
});
