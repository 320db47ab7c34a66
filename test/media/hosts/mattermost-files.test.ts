// MattermostFilesUploader against FakeMattermostFiles: the raw-body upload and the post carrying
// `file_ids` into the print's thread, files for the caller's own post (at most five), and the
// upload failures (413, 501, 403, 401, unknown channel) translated without the token.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MattermostSettings } from '../../../src/config/types.js';
import { MattermostFilesUploader } from '../../../src/media/hosts/mattermost-files.js';
import { MM_TOKEN, mmId } from '../../helpers/fake-mattermost.js';
import { FakeMattermostFiles } from '../../helpers/fake-mattermost-files.js';
import { failed, jpeg, png, succeeded, videoFile } from './sample-media.js';

let mm: FakeMattermostFiles;
beforeEach(async () => { mm = await FakeMattermostFiles.start(); });
afterEach(async () => { await mm.close(); });

const PRINTER = mmId('chprinter', '');
const ROOT = mmId('root', 1);

function uploader(over: Partial<MattermostSettings> = {}, transferBaseMs?: number): MattermostFilesUploader {
  return new MattermostFilesUploader({ settings: { url: mm.url, token: MM_TOKEN, team: 'makers', channel: 'printer', ...over }, timeoutMs: 2000,
    ...(transferBaseMs ? { transfer: { baseMs: transferBaseMs } } : {}) });
}

const ctx = { printerName: 'Prusa MK4', printId: 'p1', rootId: ROOT, comment: 'First layer' };

describe('Mattermost uploads', () => {
  it('uploads the raw bytes, then posts them with file_ids in the print\'s thread', async () => {
    const img = jpeg(5000);
    const u = uploader();
    const r = succeeded(await u.upload(img, 'snapshot 1.jpg', ctx));
    expect(mm.calls('channel-by-name')).toHaveLength(1);
    const [up] = mm.uploads;
    expect(up!.query.get('channel_id')).toBe(PRINTER);
    expect(up!.query.get('filename')).toBe('snapshot 1.jpg');
    expect(up!.headers.authorization).toBe(`Bearer ${MM_TOKEN}`);
    expect(up!.headers['content-type']).toBe('image/jpeg');
    expect(up!.body.equals(img.data)).toBe(true);
    const [post] = mm.calls('posts');
    expect(post!.body).toEqual({ channel_id: PRINTER, message: 'First layer', file_ids: [r.fileId], root_id: ROOT });
    const postId = [...mm.posts.keys()][0]!;
    expect(r.permalink).toBe(`${mm.url}/_redirect/pl/${postId}`);
    const back = await fetch(`${mm.url}/api/v4/files/${r.fileId}`, { headers: { authorization: `Bearer ${MM_TOKEN}` } });
    expect(Buffer.from(await back.arrayBuffer()).equals(img.data)).toBe(true);
    succeeded(await u.upload(png(), 'b.png', { printerName: 'p' }));
    expect(mm.calls('channel-by-name')).toHaveLength(1);
    expect(mm.calls('posts')[1]!.body).toEqual({ channel_id: PRINTER, message: '', file_ids: [expect.any(String)] });
  });

  it('files for the caller\'s own post: ids in order, at most five, failures kept apart', async () => {
    // The first upload gets an answer without a file id; the sixth and seventh are never sent.
    mm.scriptUpload({ status: 201, body: '{"file_infos":[]}' });
    const items = Array.from({ length: 7 }, (_, i) => ({ media: jpeg(100 + i), name: `cam${i}.jpg` }));
    const { fileIds, failures } = await uploader({ channel: PRINTER }).uploadForPost(items, ctx);
    expect(fileIds).toHaveLength(4);
    expect(failures.map((f) => f.code)).toEqual(['bad_answer', 'too_many_files']);
    expect(failures[1]!.error).toMatch(/5 files per post; 2 left out/);
    expect(mm.uploads.map((x) => x.query.get('filename'))).toEqual(['cam0.jpg', 'cam1.jpg', 'cam2.jpg', 'cam3.jpg', 'cam4.jpg']);
    expect(fileIds.map((id) => mm.files.get(id)!.name)).toEqual(['cam1.jpg', 'cam2.jpg', 'cam3.jpg', 'cam4.jpg']);
    expect(mm.calls('posts')).toHaveLength(0);
  });

  it('streams a timelapse video with its exact length', async () => {
    const v = await videoFile(350_000);
    try {
      const r = succeeded(await uploader().upload(v.video, 'timelapse.mp4', ctx));
      expect(mm.uploads[0]!.headers['content-length']).toBe('350000');
      expect(mm.uploads[0]!.headers['content-type']).toBe('video/mp4');
      expect(mm.files.get(r.fileId!)!.data.equals(v.data)).toBe(true);
    } finally {
      await v.cleanup();
    }
  });
});

describe('Mattermost upload failures', () => {
  it('413 too large, 501 uploads off, 403 not a member: each says what to change', async () => {
    mm.maxFileBytes = 1000;
    const big = failed(await uploader().upload(jpeg(2000), 'a.jpg', ctx));
    expect(big).toMatchObject({ retry: false, code: 'too_large' });
    expect(big.hint).toMatch(/Maximum File Size/);
    mm.maxFileBytes = 1e9;
    mm.uploadsEnabled = false;
    const off = failed(await uploader().upload(jpeg(), 'a.jpg', ctx));
    expect(off).toMatchObject({ retry: false, code: 'uploads_disabled' });
    expect(off.hint).toMatch(/Allow File Sharing/);
    mm.uploadsEnabled = true;
    const outside = failed(await uploader({ channel: 'lobby' }).upload(jpeg(), 'a.jpg', ctx));
    expect(outside).toMatchObject({ retry: false, code: 'forbidden' });
    expect(outside.error).toContain('~lobby');
    expect(outside.hint).toMatch(/members.*upload_file/);
    expect(mm.calls('posts')).toHaveLength(0);
  });

  it('a wrong token, an unknown channel, a name without a team, no token at all', async () => {
    const bad = failed(await uploader({ token: 'wrong-token-123456', channel: PRINTER }).upload(jpeg(), 'a.jpg', ctx));
    expect(bad).toMatchObject({ retry: false, code: 'unauthorized' });
    expect(JSON.stringify(bad)).not.toContain('wrong-token-123456');
    expect(failed(await uploader({ channel: 'nowhere' }).upload(jpeg(), 'a.jpg', ctx))).toMatchObject({ retry: false, code: 'not_found' });
    expect(failed(await uploader({ team: undefined }).upload(jpeg(), 'a.jpg', ctx))).toMatchObject({ retry: false, code: 'no_team' });
    expect(failed(await uploader({ token: undefined }).upload(jpeg(), 'a.jpg', ctx))).toMatchObject({ retry: false, code: 'no_token' });
    expect(mm.uploads).toHaveLength(0);
  });

  it('a hung or failing server is retryable, and the post is not made', async () => {
    mm.scriptUpload('hang', { status: 503, body: '{"id":"x","message":"busy","status_code":503}' });
    const u = uploader({ channel: PRINTER }, 300);
    expect(failed(await u.upload(jpeg(), 'a.jpg', ctx))).toMatchObject({ retry: true, code: 'timeout' });
    expect(failed(await u.upload(jpeg(), 'a.jpg', ctx))).toMatchObject({ retry: true });
    expect(mm.calls('posts')).toHaveLength(0);
  });
});
