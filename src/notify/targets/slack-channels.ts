// `#name` → channel ID for the Slack bot. chat.update and thread refs need IDs, so names are
// resolved once through conversations.list (paginated, cached). Without channels:read/groups:read
// the name is posted as given (chat.postMessage accepts names) and the ID learned from its answer.
import { slackApiError, type PeopleError } from '../errors.js';
import { channelKey } from './channels.js';

export interface SlackChannel {
  /** The ID to post to; the name as written when it could not be resolved. */
  id: string;
  /** false: conversations.list did not list it (unknown, archived, or private without the bot). */
  found: boolean;
  isMember?: boolean;
}

type Call = (method: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

const MAX_PAGES = 50;
const RELIST_AFTER_MS = 10 * 60_000;

/** Slack IDs are upper case: C… public, G… private/legacy group, D… DM. Names are lower case. */
export function looksLikeSlackId(ch: string): boolean {
  return /^[CGD][A-Z0-9]{6,}$/.test(ch.trim());
}

export class SlackChannelResolver {
  private readonly byName = new Map<string, { id: string; isMember?: boolean }>();
  private listedAt = -Infinity;
  /** Why names cannot be listed (e.g. missing channels:read), once known. */
  listingProblem?: PeopleError;

  constructor(private readonly call: Call, private readonly now: () => number = () => Date.now()) {}

  /** Remember what a post answered (`channel` is always an ID), so later edits and replies match. */
  learn(name: string, id: string): void {
    if (!looksLikeSlackId(name)) this.byName.set(channelKey(name), { ...this.byName.get(channelKey(name)), id });
  }

  /** Throws the SDK's error when listing fails in a way worth retrying (network, 5xx, 429). */
  async resolve(ch: string): Promise<SlackChannel> {
    if (looksLikeSlackId(ch)) return { id: ch.trim(), found: true };
    const key = channelKey(ch);
    let hit = this.byName.get(key);
    if (!hit && !this.listingProblem && this.now() - this.listedAt > RELIST_AFTER_MS) {
      await this.list(key);
      hit = this.byName.get(key);
    }
    return hit ? { id: hit.id, found: true, isMember: hit.isMember } : { id: ch.trim(), found: false };
  }

  private async list(wanted: string): Promise<void> {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      let res: Record<string, unknown>;
      try {
        res = await this.call('conversations.list', {
          types: 'public_channel,private_channel', exclude_archived: true, limit: 200, ...(cursor ? { cursor } : {}),
        });
      } catch (err) {
        const e = slackApiError(err);
        if (e.retry) throw err;
        this.listingProblem = e;
        return;
      }
      const channels = Array.isArray(res.channels) ? (res.channels as Record<string, unknown>[]) : [];
      for (const c of channels) {
        if (typeof c.id === 'string' && typeof c.name === 'string') {
          this.byName.set(channelKey(c.name), { id: c.id, isMember: typeof c.is_member === 'boolean' ? c.is_member : undefined });
        }
      }
      const meta = res.response_metadata as { next_cursor?: unknown } | undefined;
      cursor = typeof meta?.next_cursor === 'string' && meta.next_cursor !== '' ? meta.next_cursor : undefined;
      // Only a listing that reached the end proves a name unknown (and is not repeated for a while).
      if (!cursor) { this.listedAt = this.now(); return; }
      if (this.byName.has(wanted)) return;
    }
  }
}
