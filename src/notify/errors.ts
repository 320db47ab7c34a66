// Chat API failures translated for people: what went wrong, what to do, and whether trying again
// can help (chat-platforms.md §1.8 and §2.5). The outbox retries `retry: true` errors and reports
// `retry: false` ones once; `notify test` prints them. No message here may carry a token or a
// webhook URL's secret path: URLs are shown as scheme://host/… and callers scrub their secrets.
import type { DeliveryResult } from './notification.js';

export interface PeopleError {
  /** true: the network or the server may recover (retry later); false: someone must fix something. */
  retry: boolean;
  /** What happened, in plain words, with the platform's code in parentheses. */
  error: string;
  /** What to do about it. */
  hint: string;
  /** Seconds the server asked us to wait (HTTP 429 Retry-After). */
  retryAfterS?: number;
  /** Stable short code (the platform's error code, or ours) for grouping and tests. */
  code: string;
}

const REPORT_BUG = 'This is a bug in octoslack: please report it with the event name.';

/** `https://hooks.slack.com/services/T/B/secret` → `https://hooks.slack.com/…`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(an invalid URL)';
  }
}

/** Replace every occurrence of each secret (tokens, webhook URLs and their paths) by "…". */
export function scrub(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    out = out.split(s).join('…');
    try {
      const u = new URL(s);
      if (u.pathname.length > 1) out = out.split(u.pathname).join('/…');
    } catch { /* not a URL */ }
  }
  // Belt and braces: anything that looks like a Slack token.
  return out.replace(/xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g, 'xox…');
}

/** Retry-After: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = Number(value.trim());
  if (Number.isFinite(s) && s >= 0) return s;
  const at = Date.parse(value);
  if (Number.isFinite(at)) return Math.max(0, Math.ceil((at - nowMs) / 1000));
  return undefined;
}

export function toDeliveryResult(e: PeopleError): DeliveryResult {
  if (e.retry) {
    return e.retryAfterS !== undefined
      ? { ok: false, retry: true, retryAfterS: e.retryAfterS, error: e.error }
      : { ok: false, retry: true, error: e.error };
  }
  return { ok: false, retry: false, error: e.error, hint: e.hint };
}

/** A platform code is shown only when it looks like one (a non-JSON answer may be a whole HTML page). */
function safeCode(code: unknown): string | undefined {
  return typeof code === 'string' && /^[a-z0-9_.]{1,64}$/.test(code) ? code : undefined;
}

function short(text: string, max = 200): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

// ---- Slack Web API ------------------------------------------------------------------------------

export interface SlackErrorContext {
  /** The channel as the user wrote it, for messages. */
  channel?: string;
  /** The bot's user name (from auth.test), for "/invite @name". */
  botName?: string;
}

/** Translate an `{ ok: false, error }` code (with its `needed` scope, if any). */
export function slackPlatformError(code: string, data: { needed?: unknown } = {}, c: SlackErrorContext = {}): PeopleError {
  const ch = c.channel ?? 'the channel';
  const bot = c.botName ? `@${c.botName}` : '@your-bot';
  switch (code) {
    case 'invalid_auth':
    case 'not_authed':
      return perm(code, `Slack rejected the token (${code})`,
        'Set OCTOSLACK_SLACK_TOKEN to the app\'s Bot User OAuth Token (xoxb-…, from the app\'s "OAuth & Permissions" page).');
    case 'not_allowed_token_type':
      return perm(code, 'Slack does not accept this kind of token for posting (not_allowed_token_type)',
        'The bot token (xoxb-…) and the app-level token (xapp-…) look swapped: OCTOSLACK_SLACK_TOKEN takes the xoxb- token.');
    case 'token_revoked':
    case 'token_expired':
    case 'account_inactive':
      return perm(code, `The Slack token no longer works (${code}): the app was uninstalled or its token revoked`,
        'Reinstall the Slack app to the workspace and copy the new Bot User OAuth Token into OCTOSLACK_SLACK_TOKEN.');
    case 'missing_scope': {
      const needed = typeof data.needed === 'string' ? data.needed.replace(/[^a-z:.,_]/g, '') : '';
      const what = needed ? `the ${needed} scope` : 'a scope';
      return perm(code, `The Slack app lacks ${what} (missing_scope)`,
        `Add ${needed || 'the missing scope'} under "OAuth & Permissions" → Bot Token Scopes, then reinstall the app (new scopes only apply after a reinstall).`);
    }
    case 'channel_not_found':
      return perm(code, `Slack channel ${ch} not found (channel_not_found)`,
        `Check the name in slack.channels, or use the channel ID (channel details → About). A private channel needs the bot invited: /invite ${bot}.`);
    case 'is_archived':
    case 'channel_is_archived':
      return perm(code, `Slack channel ${ch} is archived (${code})`, 'Unarchive it, or choose another channel in slack.channels.');
    case 'not_in_channel':
      return perm(code, `The bot is not a member of Slack channel ${ch} (not_in_channel)`,
        `Type /invite ${bot} in ${ch}, or add the chat:write.public scope (public channels) and reinstall the app.`);
    case 'msg_too_long':
    case 'msg_blocks_too_long':
    case 'invalid_blocks':
    case 'invalid_blocks_format':
    case 'invalid_attachments':
    case 'too_many_attachments':
    case 'invalid_arguments':
    case 'no_text':
      return perm(code, `Slack rejected the message's format (${code})`, REPORT_BUG);
    case 'message_not_found':
    case 'cant_update_message':
    case 'edit_window_closed':
      return perm(code, `Slack would not edit the message (${code})`, 'octoslack posts a new message instead.');
    case 'ratelimited':
    case 'rate_limited':
      return { retry: true, code, error: 'Slack is rate limiting us (ratelimited)', hint: 'octoslack waits and retries.' };
    case 'internal_error':
    case 'fatal_error':
    case 'service_unavailable':
    case 'request_timeout':
      return { retry: true, code, error: `Slack had a temporary problem (${code})`, hint: 'octoslack retries.' };
    case 'restricted_action':
    case 'posting_to_general_channel_denied':
    case 'ekm_access_denied':
    case 'team_access_not_granted':
    case 'access_denied':
      return perm(code, `A Slack workspace setting stops the bot from posting in ${ch} (${code})`,
        'Ask a workspace admin, or choose another channel.');
    default: {
      const safe = safeCode(code);
      if (!safe) {
        // The SDK turns an answer that is not JSON into { ok: false, error: <the text> }.
        return { retry: true, code: 'bad_answer', error: 'Slack\'s answer was not understood (not JSON)',
          hint: 'If this lasts, check slack.apiUrl (it must be the Web API base, e.g. https://slack.com/api/).' };
      }
      return perm(safe, `Slack refused the request (${safe})`,
        `See the "Errors" section of the method's page on https://api.slack.com/methods for ${safe}.`);
    }
  }
}

function perm(code: string, error: string, hint: string): PeopleError {
  return { retry: false, code, error, hint };
}

/** Anything `@slack/web-api` v8 throws: platform, rate-limit, HTTP or request errors. */
export function slackApiError(err: unknown, c: SlackErrorContext & { apiUrl?: string; timeoutMs?: number } = {}): PeopleError {
  const e = err as { code?: unknown; data?: { error?: unknown; needed?: unknown }; retryAfter?: unknown;
    statusCode?: unknown; original?: unknown };
  switch (e?.code) {
    case 'slack_webapi_platform_error':
      return slackPlatformError(String(e.data?.error ?? ''), e.data ?? {}, c);
    case 'slack_webapi_rate_limited_error': {
      const s = typeof e.retryAfter === 'number' ? e.retryAfter : undefined;
      return { retry: true, code: 'ratelimited', retryAfterS: s,
        error: `Slack is rate limiting us (HTTP 429${s !== undefined ? `, retry after ${s} s` : ''})`, hint: 'octoslack waits and retries.' };
    }
    case 'slack_webapi_http_error': {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      return httpStatusError('Slack', status, c.apiUrl ? ` Check slack.apiUrl (${redactUrl(c.apiUrl)}).` : '');
    }
    case 'slack_webapi_request_error':
      return networkError(e.original ?? err, c.apiUrl ? redactUrl(c.apiUrl) : 'Slack', c.timeoutMs);
    default:
      return networkError(err, c.apiUrl ? redactUrl(c.apiUrl) : 'Slack', c.timeoutMs);
  }
}

function httpStatusError(who: string, status: number, hint4xx: string): PeopleError {
  if (status >= 500 || status === 408) {
    return { retry: true, code: `http_${status}`, error: `${who} answered HTTP ${status} (a server problem)`, hint: 'octoslack retries.' };
  }
  return perm(`http_${status}`, `${who} answered HTTP ${status}`, `Unexpected answer.${hint4xx}`);
}

// ---- Slack incoming webhook -----------------------------------------------------------------------

/** A webhook answers HTTP status + a plain-text code (403 invalid_token, 404 no_service, …). */
export function slackWebhookError(status: number, body: string, retryAfterS?: number): PeopleError {
  const code = safeCode(body.trim()) ?? `http_${status}`;
  if (status === 429) {
    return { retry: true, code: 'ratelimited', retryAfterS, error: 'Slack is rate limiting the webhook (HTTP 429)', hint: 'octoslack waits and retries.' };
  }
  if (status >= 500) return { retry: true, code, error: `Slack answered HTTP ${status} (${code})`, hint: 'octoslack retries.' };
  if (status === 403 || status === 404 || status === 410 || code === 'invalid_token' || code === 'no_service') {
    if (code === 'channel_is_archived') {
      return perm(code, 'The webhook\'s Slack channel is archived (channel_is_archived)', 'Unarchive the channel, or create a webhook for another channel.');
    }
    if (code === 'action_prohibited' || code === 'posting_to_general_channel_denied') {
      return perm(code, `A Slack admin setting stops the webhook from posting (${code})`, 'Ask a workspace admin, or use another channel.');
    }
    return perm(code, `The Slack webhook URL was revoked or is wrong (HTTP ${status} ${code})`,
      'Create a new incoming webhook in the Slack app ("Incoming Webhooks") and set OCTOSLACK_SLACK_WEBHOOK_URL to it.');
  }
  if (status === 400) return perm(code, `Slack rejected the webhook message (HTTP 400 ${code})`, REPORT_BUG);
  return perm(code, `The Slack webhook answered HTTP ${status} (${code})`, 'Check OCTOSLACK_SLACK_WEBHOOK_URL.');
}

// ---- Mattermost ------------------------------------------------------------------------------------

export interface MattermostErrorContext {
  webhook: boolean;
  channel?: string;
  team?: string;
  retryAfterS?: number;
}

/** Mattermost answers errors as JSON `{ id, message, status_code }` (API) or plain text (webhooks). */
export function mattermostError(status: number, body: string, c: MattermostErrorContext): PeopleError {
  let id = '';
  let message = body;
  try {
    const j = JSON.parse(body) as { id?: unknown; message?: unknown };
    if (typeof j.id === 'string') id = j.id;
    if (typeof j.message === 'string') message = j.message;
  } catch { /* plain text */ }
  const said = short(message) || `HTTP ${status}`;
  const ch = c.channel ? `~${c.channel.replace(/^[~#]/, '')}` : 'the channel';
  const code = safeCode(id) ?? `http_${status}`;
  if (status === 429) {
    return { retry: true, code: 'ratelimited', retryAfterS: c.retryAfterS, error: 'Mattermost is rate limiting us (HTTP 429)', hint: 'octoslack waits and retries.' };
  }
  if (status >= 500 && status !== 501) return { retry: true, code, error: `Mattermost answered HTTP ${status}: ${said}`, hint: 'octoslack retries.' };
  if (status === 400 && /unable to parse|could not decode|invalid.*(json|payload|body)|\.parse\./i.test(`${said} ${id}`)) {
    return perm('bad_payload', `Mattermost could not read the message (HTTP 400: ${said})`, REPORT_BUG);
  }
  if (c.webhook && (/invalid webhook/i.test(said) || id.includes('incoming_webhook.invalid') || status === 404)) {
    return perm('webhook_revoked', `The Mattermost webhook URL was revoked or is wrong (HTTP ${status}: ${said})`,
      'Create a new incoming webhook (Integrations → Incoming Webhooks) and set OCTOSLACK_MATTERMOST_WEBHOOK_URL to it.');
  }
  switch (status) {
    case 401:
      return perm('unauthorized', `Mattermost rejected the token (HTTP 401: ${said})`,
        'Set OCTOSLACK_MATTERMOST_TOKEN to the bot account\'s access token (System Console → Integrations → Bot Accounts); it may have been revoked.');
    case 403:
      return perm('forbidden', c.webhook
        ? `Mattermost refused the webhook post (HTTP 403: ${said})`
        : `The Mattermost bot may not post in ${ch} (HTTP 403: ${said})`,
      c.webhook
        ? 'The webhook\'s creator must be a member of the channel, and username/icon overrides must be allowed by the admin.'
        : `Add the bot to the team and to ${ch} (/invite @bot), or give it the permission to post.`);
    case 404:
      return perm('not_found', `Mattermost channel ${ch} not found${c.team ? ` in team ${c.team}` : ''} (HTTP 404: ${said})`,
        'Check mattermost.team and mattermost.channel: use the names from the channel\'s URL (e.g. town-square, not "Town Square"), or the channel ID.');
    case 413:
      return perm('too_large', 'Mattermost refused the message as too large (HTTP 413)', REPORT_BUG);
    case 501:
      return perm('disabled', `This Mattermost server has the feature turned off (HTTP 501: ${said})`,
        c.webhook ? 'Ask the admin to enable incoming webhooks, or use a bot token.' : 'Ask the Mattermost admin to enable it.');
    default:
      return perm(code, `Mattermost refused the request (HTTP ${status}: ${said})`, 'Check mattermost.url, the token and the channel.');
  }
}

// ---- Network -----------------------------------------------------------------------------------------

/** The first string `code` and specific error name along the cause chain; the deepest message. */
function errCode(err: unknown): { code?: string; name?: string; message: string } {
  let cur: unknown = err;
  let name: string | undefined;
  let message = err instanceof Error ? err.message : String(err);
  for (let i = 0; i < 4 && cur; i++) {
    const e = cur as { code?: unknown; name?: unknown; cause?: unknown; message?: unknown };
    if (typeof e.name === 'string' && !name && e.name !== 'Error' && e.name !== 'TypeError') name = e.name;
    if (typeof e.message === 'string' && e.message) message = e.message;
    if (typeof e.code === 'string' && e.code !== 'slack_webapi_request_error') return { code: e.code, name, message };
    cur = e.cause;
  }
  return { name, message };
}

/** fetch/undici failures: refused, unknown host, reset, timeout, too large, redirect. */
export function networkError(err: unknown, where: string, timeoutMs?: number): PeopleError {
  const { code, name, message } = errCode(err);
  const timeout = timeoutMs ? ` within ${Math.round(timeoutMs / 100) / 10} s` : '';
  if (name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' ||
      code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return { retry: true, code: 'timeout', error: `No answer from ${where}${timeout}`, hint: 'Network or server trouble: octoslack retries.' };
  }
  if (name === 'AbortError') return { retry: true, code: 'aborted', error: `Request to ${where} cancelled`, hint: 'octoslack retries later.' };
  if (name === 'ResponseTooLargeError') {
    return { retry: true, code: 'too_large', error: `The answer from ${where} was too large (${message})`, hint: 'Check the server URL in the config.' };
  }
  switch (code) {
    case 'ECONNREFUSED':
      return { retry: true, code, error: `Connection refused by ${where} (ECONNREFUSED)`, hint: 'Is the server running and the URL right? octoslack retries.' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { retry: true, code, error: `Cannot find the host of ${where} (${code})`, hint: 'Check the network connection and DNS, and the host name in the URL. octoslack retries.' };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { retry: true, code, error: `The connection to ${where} was closed (${code})`, hint: 'Network or server trouble: octoslack retries.' };
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENETDOWN':
      return { retry: true, code, error: `Network unreachable for ${where} (${code})`, hint: 'Check the network connection. octoslack retries.' };
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return perm(code, `The TLS certificate of ${where} is not trusted (${code})`,
        'Fix the server\'s certificate, or point NODE_EXTRA_CA_CERTS at your CA\'s certificate.');
    default:
      break;
  }
  if (/redirect/i.test(message)) {
    return perm('redirect', `${where} answered with a redirect`, 'Put the final URL (usually https://…) in the config.');
  }
  return { retry: true, code: code ?? 'network', error: `Cannot reach ${where} (${short(message, 120)})`, hint: 'octoslack retries.' };
}
