// MQTT secrets never reach a log line: the password, and credentials inside a broker URL
// (`mqtt://user:pass@host` → `mqtt://[redacted]@host`).
import type { MqttSettings } from '../config/types.js';

export const REDACTED = '[redacted]';

/** The URL (or any text) with every `user:password@` (or `user@`) part masked. */
export function redactUrl(url: string): string {
  return url.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/?#\s]*@/gi, `$1${REDACTED}@`);
}

/** Any text (an error message from the client) with the configured secrets masked. */
export function redactText(text: string, settings: Pick<MqttSettings, 'url' | 'password'>): string {
  let out = text;
  const secrets: string[] = [];
  if (settings.password && settings.password.length >= 3) secrets.push(settings.password, encodeURIComponent(settings.password));
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^@/?#]*)@/i.exec(settings.url);
  if (m?.[1]) {
    secrets.push(m[1]);
    const pass = m[1].split(':').slice(1).join(':');
    if (pass.length >= 3) secrets.push(pass, safeDecode(pass));
  }
  for (const s of [...new Set(secrets)].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
  return redactUrl(out);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
