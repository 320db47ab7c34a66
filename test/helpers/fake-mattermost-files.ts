// FakeMattermost plus file uploads: `POST /api/v4/files` (raw body with `?channel_id=&filename=`, or
// multipart with `channel_id` + `files`), `GET /api/v4/files/{id}` to read a file back, a size
// limit (413) and a switch for uploads turned off (501); the bot must be a channel member (403).
// FakeServerBase decodes bodies as UTF-8, which would mangle a JPEG, so a front server takes the
// /api/v4/files routes with raw bytes and passes everything else through to FakeMattermost.
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeMattermost, MM_BOT_ID, MM_TOKEN } from './fake-mattermost.js';
import type { RawAnswer } from './fake-s3.js';

export interface FakeMmFile {
  id: string;
  name: string;
  channelId: string;
  mime: string;
  data: Buffer;
}

export interface FakeMmUpload {
  method: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  at: number;
}

export class FakeMattermostFiles extends FakeMattermost {
  readonly files = new Map<string, FakeMmFile>();
  readonly uploads: FakeMmUpload[] = [];
  maxFileBytes = 100 * 1024 * 1024;
  uploadsEnabled = true;
  private readonly fileScripts: RawAnswer[] = [];
  private front?: Server;
  private innerPort = 0;

  static override async start(): Promise<FakeMattermostFiles> {
    const f = new FakeMattermostFiles();
    await f.listen();
    return f;
  }

  /** Queue special answers for the next uploads. */
  scriptUpload(...answers: RawAnswer[]): this {
    this.fileScripts.push(...answers);
    return this;
  }

  override async listen(port = 0): Promise<void> {
    await super.listen(0);
    this.innerPort = this.port;
    const front = createServer((req, res) => { void this.onFront(req, res); });
    await new Promise<void>((resolve, reject) => { front.once('error', reject); front.listen(port, '127.0.0.1', resolve); });
    this.front = front;
    this.port = (front.address() as AddressInfo).port;
  }

  override async close(): Promise<void> {
    const f = this.front;
    this.front = undefined;
    if (f) {
      f.closeAllConnections();
      await new Promise<void>((resolve) => f.close(() => resolve()));
    }
    await super.close();
  }

  private async onFront(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.startsWith('/api/v4/files')) {
      const inner = request({ host: '127.0.0.1', port: this.innerPort, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      inner.on('error', () => { req.socket.destroy(); });
      req.pipe(inner);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const up: FakeMmUpload = { method: req.method ?? 'GET', query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks), at: Date.now() };
    const scripted = req.method === 'POST' ? this.fileScripts.shift() : undefined;
    if (scripted === 'hang') { this.uploads.push(up); return; }
    if (scripted === 'close') { this.uploads.push(up); req.socket.destroy(); return; }
    if (scripted) { this.uploads.push(up); res.writeHead(scripted.status, scripted.headers ?? {}); res.end(scripted.body ?? ''); return; }
    if (req.headers.authorization !== `Bearer ${MM_TOKEN}`) return this.mmError(res, 401, 'api.context.session_expired.app_error', 'Invalid or expired session, please login again.');
    const get = /^\/api\/v4\/files\/([a-z0-9]{26})$/.exec(url.pathname);
    if (req.method === 'GET' && get) {
      const f = this.files.get(get[1]!);
      if (!f) return this.mmError(res, 404, 'app.file_info.get.app_error', 'Unable to get the file info.');
      res.writeHead(200, { 'content-type': f.mime });
      res.end(f.data);
      return;
    }
    if (req.method !== 'POST' || url.pathname !== '/api/v4/files') return this.mmError(res, 404, 'api.context.404.app_error', 'Sorry, we could not find the page.');
    this.uploads.push(up);
    let channelId = url.searchParams.get('channel_id') ?? '';
    let name = url.searchParams.get('filename') ?? '';
    let data = up.body;
    let mime = String(req.headers['content-type'] ?? 'application/octet-stream');
    if (mime.startsWith('multipart/form-data')) {
      const form = await new Response(up.body, { headers: { 'content-type': mime } }).formData();
      channelId = String(form.get('channel_id') ?? '');
      const file = form.get('files');
      if (!file || typeof file === 'string') return this.mmError(res, 400, 'api.file.upload_file.incorrect_number_of_files.app_error', 'Unable to upload files. Incorrect number of files specified.');
      name = file.name;
      data = Buffer.from(await file.arrayBuffer());
      mime = file.type;
    }
    if (!this.uploadsEnabled) return this.mmError(res, 501, 'api.file.upload_file.storage.app_error', 'Unable to upload file. Image storage is not configured.');
    if (data.length > this.maxFileBytes) return this.mmError(res, 413, 'api.file.upload_file.too_large_detailed.app_error', `Unable to upload file ${name}. File is too large.`);
    if (!name) return this.mmError(res, 400, 'api.file.upload_file.bad_parse.app_error', 'Unable to upload file. Header cannot be parsed.');
    const channel = this.channels.find((c) => c.id === channelId);
    if (!channel || !channel.members.includes(MM_BOT_ID)) {
      return this.mmError(res, 403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
    }
    const id = randomBytes(13).toString('hex');
    this.files.set(id, { id, name, channelId, mime, data });
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ file_infos: [{ id, user_id: MM_BOT_ID, channel_id: channelId, name, size: data.length, mime_type: mime }], client_ids: [] }));
  }

  private mmError(res: ServerResponse, status: number, id: string, message: string): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, message, detailed_error: '', request_id: 'req1', status_code: status }));
  }
}
