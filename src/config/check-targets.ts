// `config check` for the chat targets: is each configured target able to post? These are the
// mistakes that otherwise surface only at 3 a.m. when a print fails and no message arrives: an
// app-level token where a bot token belongs, a bot token with nowhere to post, a Mattermost bot
// that cannot find its channel. Problem messages describe tokens; they never quote them.
import type { MattermostSettings, OctoslackConfig, SlackSettings } from './types.js';
import type { ConfigProblem } from './problems.js';
import { envName } from './env.js';
import { isHttpUrl } from './urls.js';

/** A Mattermost channel ID: 26 lowercase letters and digits (otherwise it is a channel name). */
export const isMattermostId = (s: string): boolean => /^[a-z0-9]{26}$/.test(s);

export function targetProblems(config: OctoslackConfig): ConfigProblem[] {
  return [...(config.slack ? slackProblems(config.slack, config) : []), ...(config.mattermost ? mattermostProblems(config.mattermost, config) : [])];
}

function slackProblems(s: SlackSettings, config: OctoslackConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const tokenVar = envName(['slack', 'token']);
  const hookVar = envName(['slack', 'webhookUrl']);
  if (s.token === undefined && s.webhookUrl === undefined) {
    out.push({
      path: 'slack',
      message: 'Slack is configured but has neither a bot token nor a webhook URL',
      fix: `set ${tokenVar} (a bot token, xoxb-…) or ${hookVar}, or remove the slack section`,
    });
  }
  if (s.token !== undefined) {
    const p = slackTokenProblem(s.token);
    if (p) out.push({ path: 'slack.token', ...p });
    const overrides = Object.values(config.events).some((e) => e.enabled && e.channels.length > 0);
    const perPrinter = config.printers.length > 0 && config.printers.every((p) => (p.slackChannels?.length ?? 0) > 0);
    if (s.channels.length === 0 && !overrides && !perPrinter) {
      out.push({ path: 'slack.channels', message: 'the bot token has no channel to post to', fix: 'add channels: ["#printer"] under slack, and invite the bot there (/invite @your-bot)' });
    }
  } else if (s.channels.length > 0 && s.webhookUrl !== undefined) {
    out.push({
      path: 'slack.channels',
      message: 'channels only apply to a bot token; a webhook always posts to the channel it was created for',
      fix: `set ${tokenVar} to post to these channels, or remove slack.channels`,
    });
  }
  if (s.webhookUrl !== undefined && !isHttpUrl(s.webhookUrl)) {
    out.push({ path: 'slack.webhookUrl', message: 'is not an http(s) URL', fix: 'copy the webhook URL (https://hooks.slack.com/services/…) from the app\'s Incoming Webhooks page' });
  }
  if (!isHttpUrl(s.apiUrl)) out.push({ path: 'slack.apiUrl', message: 'is not an http(s) URL', fix: 'remove it to use https://slack.com/api/' });
  if (s.iconUrl !== undefined && !isHttpUrl(s.iconUrl)) out.push({ path: 'slack.iconUrl', message: 'is not an http(s) URL', fix: 'give the address of an image, or use iconEmoji' });
  return out;
}

/** What is wrong with a Slack token, described without quoting it. */
export function slackTokenProblem(token: string): { message: string; fix: string } | undefined {
  const fix = 'use the Bot User OAuth Token (xoxb-…) from your Slack app\'s "OAuth & Permissions" page';
  if (/\s/.test(token)) return { message: 'the token contains spaces or line breaks (a copy-and-paste slip?)', fix: 'copy the token again, without surrounding spaces or quotes' };
  if (token.startsWith('xoxb-')) return undefined;
  if (token.startsWith('xapp-')) return { message: 'this is an app-level token (xapp-…): it is for chat commands (Socket Mode), it cannot post messages', fix };
  if (token.startsWith('xoxp-')) return { message: 'this is a user token (xoxp-…): messages would be posted as that person', fix };
  return { message: 'this is not a Slack bot token (bot tokens start with xoxb-)', fix };
}

function mattermostProblems(m: MattermostSettings, config: OctoslackConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  if (m.token === undefined && m.webhookUrl === undefined) {
    out.push({
      path: 'mattermost',
      message: 'Mattermost is configured but has neither a bot token nor a webhook URL',
      fix: `set ${envName(['mattermost', 'token'])} (a bot access token) or ${envName(['mattermost', 'webhookUrl'])}, or remove the mattermost section`,
    });
  }
  if (m.token !== undefined) {
    if (/\s/.test(m.token)) out.push({ path: 'mattermost.token', message: 'the token contains spaces or line breaks', fix: 'copy the token again, without surrounding spaces or quotes' });
    if (m.url === undefined) out.push({ path: 'mattermost.url', message: 'the bot token needs the server\'s address', fix: 'set url: https://chat.example.com under mattermost' });
    // Without team: the bot's one team is looked up when it posts (notify test says if it has several).
    const perPrinter = config.printers.length > 0 && config.printers.every((p) => p.mattermostChannel !== undefined);
    if (m.channel === undefined && !perPrinter) out.push({ path: 'mattermost.channel', message: 'the bot token has no channel to post to', fix: 'set channel: (a channel name, with team: when the bot is in several teams, or a channel ID) under mattermost' });
  }
  if (m.url !== undefined && !isHttpUrl(m.url)) out.push({ path: 'mattermost.url', message: 'is not an http(s) URL', fix: 'write the address you open in the browser, e.g. https://chat.example.com' });
  if (m.webhookUrl !== undefined && !isHttpUrl(m.webhookUrl)) {
    out.push({ path: 'mattermost.webhookUrl', message: 'is not an http(s) URL', fix: 'copy the webhook URL (https://…/hooks/…) from Integrations > Incoming Webhooks' });
  }
  if (m.iconUrl !== undefined && !isHttpUrl(m.iconUrl)) out.push({ path: 'mattermost.iconUrl', message: 'is not an http(s) URL', fix: 'give the address of an image' });
  return out;
}
