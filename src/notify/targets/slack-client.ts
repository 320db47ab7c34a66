// The one way octoslack builds a Slack Web API client (the bot target and the file uploader both
// use it): the SDK's own retries off — the outbox owns retries, deadlines and Retry-After — one
// bounded request per call, and the SDK's log lines, token scrubbed, only at debug level.
import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import type { SlackSettings } from '../../config/types.js';
import { scrub } from '../errors.js';
import { boundedFetch } from './http.js';

export interface SlackClientOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  debug?: (s: string) => void;
}

export function slackWebClient(settings: SlackSettings, o: SlackClientOptions): WebClient {
  return new WebClient(settings.token, {
    slackApiUrl: settings.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: o.timeoutMs,
    fetch: boundedFetch(o.timeoutMs, o.maxResponseBytes),
    logger: quietLogger(o.debug, settings.token),
  });
}

/** The SDK logs request failures itself; we translate and report them, so its lines go to debug. */
function quietLogger(debug: ((s: string) => void) | undefined, token: string | undefined): Logger {
  const out = (...msg: unknown[]) => debug?.(scrub(`slack sdk: ${msg.map(String).join(' ')}`, [token]));
  return {
    debug: () => {}, info: () => {}, warn: out, error: out,
    setLevel: () => {}, getLevel: () => LogLevel.WARN, setName: () => {},
  };
}
