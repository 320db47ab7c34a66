// A fake Mattermost server on 127.0.0.1: REST v4 with a bearer token (users/me, users/me/teams,
// channel by team/name, channel by id, channel member, posts, post patch) and an incoming webhook.
// It answers like Mattermost by default (JSON errors `{ id, message, status_code }`), records every
// request, and takes scripted answers per route through `script()` (see FakeServerBase).
import type { ServerResponse } from 'node:http';
import { FakeServerBase, type RecordedRequest } from './fake-slack.js';

export const MM_TOKEN = 'mm-bot-token-5678';
export const MM_HOOK_KEY = 'hookkey0000000000000000000';
export const MM_BOT_ID = 'bot0000000000000000000000a';

export interface FakeMmChannel {
  id: string;
  name: string;
  team: string;
  members: string[];
}

/** A Mattermost-shaped ID (26 lower-case letters/digits). */
export function mmId(prefix: string, n: number | string): string {
  const s = `${prefix}${n}`;
  return s.padEnd(26, '0').slice(0, 26);
}

export class FakeMattermost extends FakeServerBase {
  readonly teams = [{ id: mmId('team', 1), name: 'makers' }];
  readonly channels: FakeMmChannel[] = [
    { id: mmId('chprinter', ''), name: 'printer', team: 'makers', members: [MM_BOT_ID] },
    { id: mmId('chlobby', ''), name: 'lobby', team: 'makers', members: [] },
  ];
  readonly posts = new Map<string, Record<string, unknown>>();
  private postCounter = 0;

  static async start(): Promise<FakeMattermost> {
    const f = new FakeMattermost();
    await f.listen();
    return f;
  }

  get webhookUrl(): string { return `${this.url}/hooks/${MM_HOOK_KEY}`; }

  protected route(method: string, path: string): string {
    if (path.startsWith('/hooks/')) return 'webhook';
    const p = path.replace(/^\/api\/v4/, '');
    if (p === '/users/me') return 'users/me';
    if (p === '/users/me/teams') return 'users/me/teams';
    if (/^\/teams\/name\/[^/]+\/channels\/name\/[^/]+$/.test(p)) return 'channel-by-name';
    if (/^\/channels\/[^/]+\/members\/[^/]+$/.test(p)) return 'channel-member';
    if (/^\/channels\/[^/]+$/.test(p)) return 'channel';
    if (p === '/posts' && method === 'POST') return 'posts';
    if (/^\/posts\/[^/]+\/patch$/.test(p)) return 'patch';
    return path;
  }

  protected handle(rec: RecordedRequest, res: ServerResponse): void {
    if (rec.route === 'webhook') {
      if (rec.path !== `/hooks/${MM_HOOK_KEY}`) {
        return this.json(res, 400, { id: 'web.incoming_webhook.invalid.app_error', message: 'Invalid webhook.', status_code: 400 });
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (rec.headers.authorization !== `Bearer ${MM_TOKEN}`) {
      return this.error(res, 401, 'api.context.session_expired.app_error', 'Invalid or expired session, please login again.');
    }
    const parts = rec.path.replace(/^\/api\/v4/, '').split('/').map(decodeURIComponent);
    switch (rec.route) {
      case 'users/me':
        return this.json(res, 200, { id: MM_BOT_ID, username: 'octobot', is_bot: true });
      case 'users/me/teams':
        return this.json(res, 200, this.teams);
      case 'channel-by-name': {
        const c = this.channels.find((x) => x.team === parts[3] && x.name === parts[6]);
        return c ? this.json(res, 200, this.channelJson(c))
          : this.error(res, 404, 'app.channel.get_by_name.missing.app_error', 'Couldn\'t find the channel.');
      }
      case 'channel': {
        const c = this.channels.find((x) => x.id === parts[2]);
        return c ? this.json(res, 200, this.channelJson(c)) : this.error(res, 404, 'app.channel.get.find.app_error', 'Unable to find the existing channel.');
      }
      case 'channel-member': {
        const c = this.channels.find((x) => x.id === parts[2]);
        return c?.members.includes(parts[4] ?? '') ? this.json(res, 200, { channel_id: c.id, user_id: parts[4] })
          : this.error(res, 404, 'app.channel.get_member.missing.app_error', 'No channel member found for that user ID and channel ID.');
      }
      case 'posts': {
        const c = this.channels.find((x) => x.id === rec.body.channel_id);
        if (!c) return this.error(res, 403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
        if (!c.members.includes(MM_BOT_ID)) return this.error(res, 403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
        const id = mmId('post', ++this.postCounter);
        const post = { id, create_at: Date.now(), user_id: MM_BOT_ID, root_id: '', ...rec.body };
        this.posts.set(id, post);
        return this.json(res, 201, post);
      }
      case 'patch': {
        const post = this.posts.get(parts[2] ?? '');
        if (!post) return this.error(res, 404, 'app.post.get.app_error', 'Unable to get the post.');
        Object.assign(post, rec.body, { edit_at: Date.now() });
        return this.json(res, 200, post);
      }
      default:
        return this.error(res, 404, 'api.context.404.app_error', 'Sorry, we could not find the page.');
    }
  }

  private channelJson(c: FakeMmChannel): Record<string, unknown> {
    return { id: c.id, name: c.name, display_name: c.name, team_id: this.teams[0]!.id, type: 'O' };
  }

  private error(res: ServerResponse, status: number, id: string, message: string): void {
    this.json(res, status, { id, message, detailed_error: '', request_id: 'req1', status_code: status });
  }
}
