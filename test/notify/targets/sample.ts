// Notifications for the target and outbox tests.
import type { Notification } from '../../../src/notify/notification.js';

let counter = 0;

export function note(over: Partial<Notification> = {}): Notification {
  counter++;
  return {
    id: `n${counter}`,
    event: 'PrintStarted',
    at: Date.now(),
    level: 'attention',
    color: 'good',
    headline: 'A new print has started :rocket:',
    fallback: 'Print started: benchy.gcode',
    fields: [{ label: 'File', value: 'benchy.gcode' }],
    footer: 'Printer: Printing, Bed: 60.0°C/60.0°C',
    channels: [],
    printId: 'print-1',
    kind: 'other',
    imageUrls: [],
    silent: false,
    ...over,
  };
}

/** A port nothing listens on (for "connection refused"). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
