// Mattermost bot setup questions: which channel ID a configured name means (in which team), and for
// `notify test`: is the token valid (users/me), does the channel exist, and is the bot a member
// (a bot may only post where it is a member, chat-platforms.md §2.3).
import type { MattermostSettings } from '../../config/types.js';
import type { PeopleError } from '../errors.js';
import { looksLikeMattermostId, type MattermostApi } from './mattermost-api.js';

type Resolved = { ok: true; id: string } | { ok: false; error: PeopleError };
type CheckResult = { ok: true; detail: string } | { ok: false; error: string; hint: string };

/** A channel name → ID; without a team, the bot's only team is used. */
export async function resolveMattermostChannel(api: MattermostApi, channel: string, team: string | undefined,
  signal?: AbortSignal): Promise<Resolved> {
  const name = channel.trim().replace(/^[~#]/, '');
  let teamName = team;
  if (!teamName) {
    const teams = await api.request('GET', '/users/me/teams', undefined, signal);
    if (!teams.ok) return teams;
    const list = Array.isArray(teams.json.items) ? (teams.json.items as { name?: unknown }[]) : [];
    const names = list.map((t) => t.name).filter((t): t is string => typeof t === 'string');
    if (names.length !== 1 || !names[0]) {
      return { ok: false, error: { retry: false, code: 'no_team', error: `Cannot tell which Mattermost team ~${name} is in`,
        hint: names.length ? `Set mattermost.team to one of: ${names.join(', ')}.` : 'Add the bot to a team, then set mattermost.team.' } };
    }
    teamName = names[0];
  }
  const res = await api.request('GET', `/teams/name/${encodeURIComponent(teamName)}/channels/name/${encodeURIComponent(name)}`,
    undefined, signal, { channel: name, team: teamName });
  if (!res.ok) return res;
  return typeof res.json.id === 'string' ? { ok: true, id: res.json.id }
    : { ok: false, error: { retry: true, code: 'bad_answer', error: 'Mattermost answered without a channel id', hint: 'octoslack retries.' } };
}

export async function checkMattermostBot(api: MattermostApi, s: MattermostSettings, cache: Map<string, string>,
  signal?: AbortSignal): Promise<CheckResult> {
  const me = await api.request('GET', '/users/me', undefined, signal);
  if (!me.ok) return fail(me.error);
  const userId = typeof me.json.id === 'string' ? me.json.id : '';
  const who = `@${typeof me.json.username === 'string' ? me.json.username : '?'}`;
  if (!s.channel) return { ok: false, error: 'No Mattermost channel configured', hint: 'Set mattermost.channel (and mattermost.team).' };

  let channelId: string;
  if (looksLikeMattermostId(s.channel)) {
    const c = await api.request('GET', `/channels/${encodeURIComponent(s.channel.trim())}`, undefined, signal, { channel: s.channel });
    if (!c.ok) return fail(c.error);
    channelId = s.channel.trim();
  } else {
    const r = await resolveMattermostChannel(api, s.channel, s.team, signal);
    if (!r.ok) return fail(r.error);
    channelId = r.id;
    cache.set(s.channel, r.id);
  }
  const ch = `~${s.channel.replace(/^[~#]/, '')}`;
  const member = await api.request('GET', `/channels/${encodeURIComponent(channelId)}/members/${encodeURIComponent(userId)}`, undefined, signal, { channel: s.channel });
  if (!member.ok && (member.status === 404 || member.status === 403)) {
    return { ok: false, error: `The Mattermost bot ${who} is not a member of ${ch}`, hint: `Add it: type /invite ${who} in ${ch} (the bot must be in the team too).` };
  }
  if (!member.ok) return fail(member.error);
  return { ok: true, detail: `authenticated as ${who}; ${ch} → ${channelId} (member)` };
}

function fail(e: PeopleError): CheckResult {
  return { ok: false, error: e.error, hint: e.hint };
}
