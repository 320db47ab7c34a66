// URL shapes the schema and the checks agree on. Pure; no config knowledge.

/** An absolute URL with one of these schemes (`http:`, `mqtts:`, …) and a host. */
export function hasScheme(s: string, schemes: readonly string[]): boolean {
  try {
    const u = new URL(s.trim());
    return schemes.includes(u.protocol) && u.hostname.length > 0;
  } catch {
    return false;
  }
}

export const isHttpUrl = (s: string): boolean => hasScheme(s, ['http:', 'https:']);

/** `user:pass` of `scheme://user:pass@host/…` as written (percent-encoded), or undefined. */
export function urlUserInfo(s: string): { user: string; password: string; both: string } | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@\s]*)@/i.exec(s.trim());
  if (!m) return undefined;
  const both = m[1]!;
  const colon = both.indexOf(':');
  return { user: colon < 0 ? both : both.slice(0, colon), password: colon < 0 ? '' : both.slice(colon + 1), both };
}
