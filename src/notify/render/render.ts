// RenderInput → Notification: the neutral message every target shapes into its own payload.
// Pure: time comes from the input, host facts from HostInfo (gathered off the serial path).
import { randomBytes } from 'node:crypto';
import type { Color, OctoslackConfig } from '../../config/types.js';
import type { Notification } from '../notification.js';
import { bodyFields, footerText } from './body.js';
import type { HostInfo, RenderInput } from './input.js';
import { fillTemplate, tokenValues } from './template.js';

// Ids must stay unique across restarts (the outbox persists them): time + a per-process tag + a counter.
const processTag = randomBytes(3).toString('hex');
let counter = 0;

export function nextNotificationId(at: number): string {
  counter = (counter + 1) % 1_000_000;
  return `${at.toString(36)}-${processTag}-${counter}`;
}

/** Heartbeat is green unless the printer is gone or in error (parity §1). */
function colorOf(input: RenderInput): Color {
  if (input.event === 'Heartbeat' && (input.printer.status === 'Offline' || input.printer.status === 'Error')) return 'danger';
  return input.settings.color;
}

export function renderNotification(input: RenderInput, config: OctoslackConfig, host: HostInfo): Notification {
  const values = tokenValues(input, config, host);
  const headline = fillTemplate(input.settings.message, values);
  const fallback = fillTemplate(input.settings.fallback, values);
  const n: Notification = {
    id: nextNotificationId(input.at),
    event: input.event,
    at: input.at,
    level: input.level ?? input.settings.level,
    color: colorOf(input),
    headline,
    // An empty fallback would leave Slack's notification and screen readers with nothing.
    fallback: fallback.trim() !== '' ? fallback : headline,
    fields: bodyFields(input, config, host),
    footer: footerText(input, config, host),
    channels: [...input.settings.channels],
    kind: input.kind,
    imageUrls: [...(input.imageUrls ?? [])],
    silent: input.silent,
  };
  if (input.printId !== undefined) n.printId = input.printId;
  // The snapshot stage takes the picture later, off this pure path; empty cameras = its defaults.
  if (input.settings.snapshot) n.snapshot = { cameras: [...(input.settings.cameras ?? [])] };
  if (input.attachments && input.attachments.length > 0) n.attachments = input.attachments.map((a) => ({ ...a }));
  return n;
}
