// `notify test` / `doctor` for the Slack bot: is the token valid (auth.test), does it hold
// chat:write, does each channel exist, and is the bot in it (or may it post anyway with
// chat:write.public)? Scopes come from the X-OAuth-Scopes header the SDK exposes.
import type { SlackSettings } from '../../config/types.js';
import { slackPlatformError } from '../errors.js';
import type { SlackChannelResolver } from './slack-channels.js';
import { looksLikeSlackId } from './slack-channels.js';

export type CheckResult = { ok: true; detail: string } | { ok: false; error: string; hint: string };

interface SlackCaller {
  botName?: string;
  call(method: string, args: Record<string, unknown>): Promise<Record<string, unknown>>;
  translate(err: unknown, channel?: string): { error: string; hint: string };
}

export async function checkSlackBot(t: SlackCaller, resolver: SlackChannelResolver, s: SlackSettings): Promise<CheckResult> {
  if (!s.token) return { ok: false, error: 'No Slack bot token', hint: 'Set OCTOSLACK_SLACK_TOKEN to the app\'s Bot User OAuth Token (xoxb-…).' };
  let auth: Record<string, unknown>;
  try {
    auth = await t.call('auth.test', {});
  } catch (err) {
    return fail(t.translate(err));
  }
  if (typeof auth.user === 'string') t.botName = auth.user;
  const scopes = (auth.response_metadata as { scopes?: string[] } | undefined)?.scopes;
  if (scopes && !scopes.includes('chat:write')) return fail(slackPlatformError('missing_scope', { needed: 'chat:write' }));
  if (s.channels.length === 0) return { ok: false, error: 'No Slack channel configured', hint: 'Set slack.channels, e.g. ["#printer"].' };

  const mayJoinAny = scopes?.includes('chat:write.public') ?? false;
  const notes: string[] = [];
  for (const ch of s.channels) {
    let found: boolean;
    let id: string;
    let isMember: boolean | undefined;
    try {
      const r = await resolver.resolve(ch);
      ({ found, id, isMember } = r);
      if (looksLikeSlackId(ch)) ({ found, isMember } = await channelInfo(t, ch));
    } catch (err) {
      return fail(t.translate(err, ch));
    }
    if (!found && resolver.listingProblem && !looksLikeSlackId(ch)) {
      notes.push(`${ch} not checked (cannot list channels: ${resolver.listingProblem.error}; add channels:read and groups:read, or use channel IDs)`);
      continue;
    }
    if (!found) return fail(slackPlatformError('channel_not_found', {}, { channel: ch, botName: t.botName }));
    if (isMember === false && !mayJoinAny) return fail(slackPlatformError('not_in_channel', {}, { channel: ch, botName: t.botName }));
    notes.push(`${ch} → ${id}${isMember === false ? ' (not a member; posts via chat:write.public)' : isMember ? ' (member)' : ''}`);
  }
  const who = `@${t.botName ?? '?'}${typeof auth.team === 'string' ? ` in ${auth.team}` : ''}`;
  return { ok: true, detail: `authenticated as ${who}; ${notes.join('; ')}` };
}

/** For a channel given as an ID: does it exist (and is the bot in it)? Unknown when we may not ask. */
async function channelInfo(t: SlackCaller, id: string): Promise<{ found: boolean; isMember?: boolean }> {
  try {
    const res = await t.call('conversations.info', { channel: id });
    const c = res.channel as { is_member?: unknown; is_archived?: unknown } | undefined;
    if (c?.is_archived === true) return { found: false };
    return { found: true, isMember: typeof c?.is_member === 'boolean' ? c.is_member : undefined };
  } catch (err) {
    const code = (err as { data?: { error?: unknown } }).data?.error;
    if (code === 'channel_not_found') return { found: false };
    if (code === 'missing_scope') return { found: true };
    throw err;
  }
}

function fail(e: { error: string; hint: string }): CheckResult {
  return { ok: false, error: e.error, hint: e.hint };
}
