// Where everything goes on the broker. Printer names become topic slugs: MQTT forbids `+` and `#`
// in published topics, `/` would add levels, and Home Assistant's discovery ids must match
// [a-zA-Z0-9_-]. So "Prusa MK4 #2" is published as `octoslack/prusa_mk4_2/…`.
//
//   <prefix>/bridge/availability          retained online|offline (offline is the last will)
//   <prefix>/<printer>/availability       retained online|offline (offline while its link is down)
//   <prefix>/<printer>/state              retained JSON (state-payload.ts)
//   <prefix>/<printer>/event              JSON per notable event, not retained
//   <prefix>/<printer>/command            subscribed: pause | resume | cancel | cancel confirm
//   <prefix>/<printer>/command/result     JSON answer to each command, not retained

/** `Prusa MK4 #2` → `prusa_mk4_2`; never empty. */
export function slugOf(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '');
  return s || 'printer';
}

/** The prefix as given, without leading/trailing slashes (`octoslack/` → `octoslack`). */
export function cleanPrefix(prefix: string, fallback = 'octoslack'): string {
  const p = prefix.replace(/^\/+|\/+$/g, '');
  return p || fallback;
}

/** A printer slug that would collide with the bridge's own topics. */
export const RESERVED_SLUGS = new Set(['bridge']);

export interface PrinterTopics {
  state: string;
  availability: string;
  event: string;
  command: string;
  commandResult: string;
}

export function bridgeAvailabilityTopic(prefix: string): string {
  return `${cleanPrefix(prefix)}/bridge/availability`;
}

export function printerTopics(prefix: string, slug: string): PrinterTopics {
  const base = `${cleanPrefix(prefix)}/${slug}`;
  return {
    state: `${base}/state`,
    availability: `${base}/availability`,
    event: `${base}/event`,
    command: `${base}/command`,
    commandResult: `${base}/command/result`,
  };
}

/** The subscription covering every printer's command topic. */
export function commandWildcard(prefix: string): string {
  return `${cleanPrefix(prefix)}/+/command`;
}

/** The printer slug of a command topic, or undefined when the topic is not one. */
export function slugOfCommandTopic(prefix: string, topic: string): string | undefined {
  const p = `${cleanPrefix(prefix)}/`;
  if (!topic.startsWith(p) || !topic.endsWith('/command')) return undefined;
  const slug = topic.slice(p.length, -'/command'.length);
  return slug && !slug.includes('/') ? slug : undefined;
}

/** Home Assistant announces itself here (`online` after it starts). */
export function haStatusTopic(discoveryPrefix: string): string {
  return `${cleanPrefix(discoveryPrefix, 'homeassistant')}/status`;
}

export const ONLINE = 'online';
export const OFFLINE = 'offline';
