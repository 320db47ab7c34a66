// Which channels a notification goes to on one target. An event's channel override names
// channels configured on some target (config check enforces it); each target takes the ones that
// are its own and falls back to its defaults when none are, so an override meant for Slack does not
// silence Mattermost.

/** `#Printer`, `~printer`, `printer` → `printer`. */
export function channelKey(name: string): string {
  return name.trim().replace(/^[#~]/, '').toLowerCase();
}

export function channelsFor(override: readonly string[], configured: readonly string[]): string[] {
  if (override.length > 0) {
    // Answer in the configured spelling, so per-channel caches and refs line up.
    const byKey = new Map(configured.map((c) => [channelKey(c), c]));
    const picked = override.map((c) => byKey.get(channelKey(c))).filter((c): c is string => c !== undefined);
    if (picked.length > 0) return [...new Set(picked)];
  }
  return [...new Set(configured)];
}
