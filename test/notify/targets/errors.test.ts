// The translation table of chat-platforms.md §1.8 / §2.5: each error → retry or not, plain words,
// a hint; and redaction of tokens and webhook secrets.
import { describe, expect, it } from 'vitest';
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import {
  mattermostError, networkError, parseRetryAfter, redactUrl, scrub, slackApiError, slackPlatformError, slackWebhookError,
} from '../../../src/notify/errors.js';

describe('Slack Web API errors', () => {
  it.each([
    ['invalid_auth', false, /OCTOSLACK_SLACK_TOKEN.*xoxb-/],
    ['not_authed', false, /xoxb-/],
    ['not_allowed_token_type', false, /swapped/],
    ['token_revoked', false, /[Rr]einstall/],
    ['account_inactive', false, /[Rr]einstall/],
    ['channel_not_found', false, /channel ID.*\/invite/],
    ['is_archived', false, /[Uu]narchive/],
    ['not_in_channel', false, /\/invite @octobot in #printer.*chat:write\.public/],
    ['msg_too_long', false, /bug in octoslack/],
    ['invalid_blocks', false, /bug in octoslack/],
    ['ratelimited', true, /waits/],
    ['internal_error', true, /retries/],
  ])('%s → retry %s', (code, retry, hint) => {
    const e = slackPlatformError(code, {}, { channel: '#printer', botName: 'octobot' });
    expect(e.retry).toBe(retry);
    expect(e.hint).toMatch(hint);
    expect(e.error).toContain(code);
  });

  it('missing_scope names the needed scope and says reinstall', () => {
    const e = slackApiError(new WebAPIPlatformError({ ok: false, error: 'missing_scope', needed: 'files:write' } as never));
    expect(e).toMatchObject({ retry: false, error: 'The Slack app lacks the files:write scope (missing_scope)' });
    expect(e.hint).toMatch(/files:write.*reinstall/);
  });

  it('rate limit, HTTP and request errors', () => {
    expect(slackApiError(new WebAPIRateLimitedError(12))).toMatchObject({ retry: true, retryAfterS: 12 });
    expect(slackApiError(new WebAPIHTTPError(503, 'x', {}, ''))).toMatchObject({ retry: true });
    expect(slackApiError(new WebAPIHTTPError(404, 'x', {}, ''), { apiUrl: 'https://slack.example/api/' })).toMatchObject({ retry: false, hint: expect.stringContaining('slack.apiUrl') });
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(slackApiError(new WebAPIRequestError(refused))).toMatchObject({ retry: true, code: 'ECONNREFUSED' });
  });

  it('an answer that is not JSON is never echoed (it may be a whole page)', () => {
    const e = slackPlatformError('<html>'.padEnd(5000, 'x'));
    expect(e).toMatchObject({ retry: true, code: 'bad_answer' });
    expect(e.error.length).toBeLessThan(100);
  });
});

describe('webhook and Mattermost errors', () => {
  it('Slack webhook: 403 invalid_token / 404 no_service / 410 archived / 400 / 429 / 5xx', () => {
    expect(slackWebhookError(403, 'invalid_token')).toMatchObject({ retry: false, error: expect.stringContaining('revoked or is wrong') });
    expect(slackWebhookError(404, 'no_service')).toMatchObject({ retry: false, code: 'no_service' });
    expect(slackWebhookError(410, 'channel_is_archived')).toMatchObject({ retry: false, error: expect.stringContaining('archived') });
    expect(slackWebhookError(400, 'invalid_payload')).toMatchObject({ retry: false, hint: expect.stringContaining('bug') });
    expect(slackWebhookError(429, 'rate_limited', 30)).toMatchObject({ retry: true, retryAfterS: 30 });
    expect(slackWebhookError(500, 'rollup_error')).toMatchObject({ retry: true });
  });

  it('Mattermost: 401 token, 403 membership, 404 team/channel, 413/501, parse error = our bug, 5xx/429 retry', () => {
    const api = { webhook: false, channel: 'printer', team: 'makers' };
    expect(mattermostError(401, '{"message":"Invalid or expired session"}', api)).toMatchObject({ retry: false, hint: expect.stringContaining('OCTOSLACK_MATTERMOST_TOKEN') });
    expect(mattermostError(403, '{"message":"no"}', api)).toMatchObject({ retry: false, hint: expect.stringContaining('/invite') });
    expect(mattermostError(404, '{"message":"Couldn\'t find the channel."}', api)).toMatchObject({ retry: false, hint: expect.stringContaining('mattermost.team') });
    expect(mattermostError(413, '', api)).toMatchObject({ retry: false, code: 'too_large' });
    expect(mattermostError(501, 'Incoming webhooks have been disabled', { webhook: true })).toMatchObject({ retry: false, code: 'disabled' });
    expect(mattermostError(400, '{"id":"x","message":"Unable to parse incoming data."}', { webhook: true })).toMatchObject({ retry: false, code: 'bad_payload' });
    expect(mattermostError(400, '{"id":"web.incoming_webhook.invalid.app_error","message":"Invalid webhook."}', { webhook: true })).toMatchObject({ retry: false, code: 'webhook_revoked' });
    expect(mattermostError(502, '<html>bad gateway</html>', api)).toMatchObject({ retry: true });
    expect(mattermostError(429, '', { ...api, retryAfterS: 3 })).toMatchObject({ retry: true, retryAfterS: 3 });
  });
});

describe('network errors and redaction', () => {
  const cause = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'UND_ERR_SOCKET', 'ENETUNREACH'])('%s is retryable', (code) => {
    expect(networkError(cause(code), 'https://slack.com/…')).toMatchObject({ retry: true, code });
  });

  it('timeouts retry; bad certificates and redirects need a person', () => {
    expect(networkError(new DOMException('timed out', 'TimeoutError'), 'x', 10_000)).toMatchObject({ retry: true, error: 'No answer from x within 10 s' });
    expect(networkError(cause('CERT_HAS_EXPIRED'), 'x')).toMatchObject({ retry: false, hint: expect.stringContaining('NODE_EXTRA_CA_CERTS') });
    expect(networkError(new TypeError('fetch failed', { cause: new Error('unexpected redirect') }), 'x')).toMatchObject({ retry: false, code: 'redirect' });
  });

  it('URLs print as scheme://host/…; tokens and webhook paths are scrubbed', () => {
    expect(redactUrl('https://hooks.slack.com/services/T1/B2/secret')).toBe('https://hooks.slack.com/…');
    const url = 'https://chat.example.com/hooks/abcdef123';
    expect(scrub(`failed ${url} and /hooks/abcdef123 with xoxb-123-456-abc`, [url])).toBe('failed … and /… with xox…');
  });

  it('Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(new Date(10_000 + 5000).toUTCString(), 10_000)).toBe(5);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
