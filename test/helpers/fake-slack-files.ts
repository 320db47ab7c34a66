// FakeSlack plus Slack's external upload flow: files.getUploadURLExternal (form-encoded only: a
// JSON body gets invalid_arguments), a separate upload server standing in for files.slack.com
// (bytes kept raw: FakeServerBase would decode them as text), and files.completeUploadExternal,
// which shares uploaded files into a channel or thread. Both methods need the files:write scope.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeSlack, type FakeSlackOptions, type RecordedRequest } from './fake-slack.js';
import { RawFakeServer, type RawRequest } from './fake-s3.js';

export interface FakeSlackFile {
  id: string;
  filename: string;
  length: number;
  altText?: string;
  uploadToken: string;
  data?: Buffer;
  /** Set by completeUploadExternal. */
  shared?: { channel: string; threadTs?: string; title?: string; initialComment?: string };
}

/** files.slack.com: takes the bytes POSTed to an upload URL. */
export class FakeSlackUploadServer extends RawFakeServer {
  constructor(private readonly files: Map<string, FakeSlackFile>) { super(); }

  protected route(): string { return 'upload'; }

  protected handle(r: RawRequest, res: ServerResponse): void {
    const token = r.rawPath.replace(/^\/upload\/v1\//, '');
    const file = [...this.files.values()].find((f) => f.uploadToken === token);
    if (r.method !== 'POST' || !file) return this.reply(res, 404, 'Not Found');
    file.data = r.body;
    this.reply(res, 200, `OK - ${r.body.length}`, { 'content-type': 'text/plain' });
  }
}

export class FakeSlackFiles extends FakeSlack {
  readonly files = new Map<string, FakeSlackFile>();
  readonly uploads: FakeSlackUploadServer;
  private fileCounter = 0;

  constructor(o: FakeSlackOptions = {}) {
    super({ scopes: ['chat:write', 'chat:write.customize', 'channels:read', 'groups:read', 'files:write', 'files:read'], ...o });
    this.uploads = new FakeSlackUploadServer(this.files);
  }

  static override async start(o: FakeSlackOptions = {}): Promise<FakeSlackFiles> {
    const f = new FakeSlackFiles(o);
    await f.listen();
    await f.uploads.listen();
    return f;
  }

  override async close(): Promise<void> {
    await Promise.all([super.close(), this.uploads.close()]);
  }

  protected override handle(rec: RecordedRequest, res: ServerResponse): void {
    if (rec.route !== 'files.getUploadURLExternal' && rec.route !== 'files.completeUploadExternal') return super.handle(rec, res);
    if (rec.headers.authorization !== `Bearer ${this.token}`) return this.json(res, 200, { ok: false, error: rec.headers.authorization ? 'invalid_auth' : 'not_authed' });
    if (!this.scopes.includes('files:write')) {
      return this.json(res, 200, { ok: false, error: 'missing_scope', needed: 'files:write', provided: this.scopes.join(',') });
    }
    if (!String(rec.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return this.json(res, 200, { ok: false, error: 'invalid_arguments' });
    }
    const b = rec.body;
    if (rec.route === 'files.getUploadURLExternal') {
      const length = Number(b.length);
      if (typeof b.filename !== 'string' || !b.filename || !Number.isInteger(length) || length <= 0) {
        return this.json(res, 200, { ok: false, error: 'invalid_arguments' });
      }
      const id = `F0FILE${String(++this.fileCounter).padStart(4, '0')}`;
      const uploadToken = randomBytes(8).toString('hex');
      this.files.set(id, { id, filename: b.filename, length, altText: typeof b.alt_txt === 'string' ? b.alt_txt : undefined, uploadToken });
      return this.json(res, 200, { ok: true, upload_url: `${this.uploads.url}/upload/v1/${uploadToken}`, file_id: id });
    }
    const list = Array.isArray(b.files) ? (b.files as { id?: unknown; title?: unknown }[]) : [];
    if (list.length === 0) return this.json(res, 200, { ok: false, error: 'invalid_arguments' });
    const channel = this.channels.find((c) => c.id === b.channel_id);
    if (b.channel_id !== undefined && !channel) return this.json(res, 200, { ok: false, error: 'channel_not_found' });
    if (channel && !channel.is_member) return this.json(res, 200, { ok: false, error: 'not_in_channel' });
    const out: Record<string, unknown>[] = [];
    for (const f of list) {
      const file = this.files.get(String(f.id));
      // Not uploaded, or not the announced length: Slack does not find a complete file.
      if (!file || !file.data || file.data.length !== file.length) return this.json(res, 200, { ok: false, error: 'file_not_found' });
      const title = typeof f.title === 'string' ? f.title : file.filename;
      if (channel) {
        file.shared = { channel: channel.id, title,
          ...(typeof b.thread_ts === 'string' ? { threadTs: b.thread_ts } : {}),
          ...(typeof b.initial_comment === 'string' ? { initialComment: b.initial_comment } : {}) };
      }
      out.push({ id: file.id, title, permalink: `https://octo-test.slack.com/files/U0BOT/${file.id}/${file.filename}` });
    }
    return this.json(res, 200, { ok: true, files: out });
  }
}
