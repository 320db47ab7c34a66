// Tokens, webhook URLs, passwords and keys never reach a log, an error or a problem list:
// the chat tokens and webhooks, camera passwords (also as `user:pass@` in a camera URL), the S3
// access key ID, secret key and session token, the Imgur Client ID and the MQTT password. Everything
// that prints text which could contain one (HTTP errors, API answers, config problems) runs it through here.
// Besides the configured secrets, anything shaped like a Slack token or a Slack webhook path is
// masked too: a secret pasted under the wrong key, or one from an earlier config, is still a secret.
import type { OctoslackConfig } from './types.js';
import { urlUserInfo } from './urls.js';

export const REDACTED = '[redacted]';

/** The parts of a config that may hold secrets; loose so it also fits raw, unvalidated input. */
export interface SecretHolder {
  slack?: { token?: unknown; webhookUrl?: unknown; appToken?: unknown } | undefined;
  mattermost?: { token?: unknown; webhookUrl?: unknown } | undefined;
  /** Camera passwords, and `user:pass@` inside camera URLs. */
  cameras?: unknown;
  media?: {
    s3?: { accessKeyId?: unknown; secretAccessKey?: unknown; sessionToken?: unknown } | undefined;
    imgur?: { clientId?: unknown } | undefined;
  } | undefined;
  mqtt?: { password?: unknown; url?: unknown } | undefined;
}

// Shorter "secrets" would mask ordinary words all over the output; real tokens are far longer.
const MIN_SECRET_LENGTH = 4;
const MIN_PATH_PART_LENGTH = 6;

/** Every secret string in the config, with the secret parts of webhook URLs, longest first. */
export function secretValues(config: SecretHolder | OctoslackConfig): string[] {
  const found = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v !== 'string') return;
    const t = v.trim();
    for (const s of [v, t]) if (s.length >= MIN_SECRET_LENGTH) found.add(s);
  };
  for (const target of [config.slack, config.mattermost]) {
    if (!target || typeof target !== 'object') continue;
    add(target.token);
    add(target.webhookUrl);
    if ('appToken' in target) add(target.appToken);
    if (typeof target.webhookUrl === 'string') for (const part of webhookSecretParts(target.webhookUrl)) add(part);
  }
  /** The password (and `user:pass`) written into a URL; the rest of the URL is no secret. */
  const addUserInfo = (url: unknown) => {
    if (typeof url !== 'string') return;
    const info = urlUserInfo(url);
    if (!info || info.password === '') return;
    add(info.both);
    add(info.password);
    try {
      add(decodeURIComponent(info.password));
    } catch {
      // not percent-encoded text: the raw form is already listed
    }
  };
  if (Array.isArray(config.cameras)) {
    for (const camera of config.cameras as unknown[]) {
      if (!camera || typeof camera !== 'object') continue;
      const c = camera as { password?: unknown; url?: unknown };
      add(c.password);
      addUserInfo(c.url);
    }
  }
  const media = isObject(config.media) ? config.media : undefined;
  const s3 = isObject(media?.s3) ? media.s3 : undefined;
  if (s3) for (const v of [s3.accessKeyId, s3.secretAccessKey, s3.sessionToken]) add(v);
  const imgur = isObject(media?.imgur) ? media.imgur : undefined;
  if (imgur) add(imgur.clientId);
  const mqtt = isObject(config.mqtt) ? config.mqtt : undefined;
  if (mqtt) {
    add(mqtt.password);
    addUserInfo(mqtt.url);
  }
  const all = [...found];
  for (const s of [...all]) {
    const enc = encodeURIComponent(s);
    if (enc !== s) all.push(enc);
  }
  return all.sort((a, b) => b.length - a.length);
}

function isObject<T>(v: T): v is T & object {
  return v !== null && typeof v === 'object';
}

/** `https://hooks.slack.com/services/T1/B2/XYZ` -> `T1/B2/XYZ`, `XYZ`; `…/hooks/abc` -> `abc`. */
export function webhookSecretParts(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return [];
  }
  const parts: string[] = [];
  const segs = u.pathname.split('/').filter((s) => s.length > 0);
  const marker = segs.findIndex((s) => s === 'services' || s === 'hooks' || s === 'workflows' || s === 'triggers');
  if (marker >= 0 && marker < segs.length - 1) parts.push(segs.slice(marker + 1).join('/'));
  const last = segs[segs.length - 1];
  if (last) parts.push(last);
  if (u.pathname.length > 1) parts.push(u.pathname + u.search);
  if (u.search.length > 1) parts.push(u.search.slice(1));
  return parts.filter((p) => p.length >= MIN_PATH_PART_LENGTH);
}

const SHAPED: [RegExp, string][] = [
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, REDACTED],
  [/\bxapp-[A-Za-z0-9-]+/g, REDACTED],
  [/(hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/)[^\s"'<>)]+/g, `$1${REDACTED}`],
];

/** `text` with the given secrets and anything token-shaped replaced by [redacted]. */
export function redactWith(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= MIN_SECRET_LENGTH) out = out.split(s).join(REDACTED);
  for (const [re, by] of SHAPED) out = out.replace(re, by);
  return out;
}

/** `text` with every token and webhook URL of `config` (and token-shaped strings) replaced. */
export function redactSecrets(text: string, config: SecretHolder | OctoslackConfig): string {
  return redactWith(text, secretValues(config));
}
