// Every notifiable event (and a G-code rule), rendered from a realistic print and shaped for each
// target: Slack bot, Slack webhook, Mattermost webhook, Mattermost REST. The snapshots are the
// reviewable record of what people will see; change them only on purpose.
import { describe, expect, it } from 'vitest';
import { NOTIFIABLE_EVENTS, type NotifiableEvent } from '../../../src/config/types.js';
import type { Notification } from '../../../src/notify/notification.js';
import { mattermostPostPayload, mattermostWebhookPayload } from '../../../src/notify/payload/mattermost.js';
import { slackPayload, slackWebhookPayload } from '../../../src/notify/payload/slack.js';
import type { RenderInput } from '../../../src/notify/render/input.js';
import { renderNotification } from '../../../src/notify/render/render.js';
import { HOST, IDLE, JOB, PRINTER, allEnabled, input } from '../render/fixtures.js';

const config = allEnabled();
const paused = { ...PRINTER, status: 'Paused' as const, heaters: { T0: { actual: 201.7, target: 215 }, B: { actual: 60.0, target: 60 } } };
const offline = { ...IDLE, status: 'Offline' as const, heaters: {}, z: undefined };
const idleAfter = { ...IDLE, heaters: { T0: { actual: 168.4, target: 0 }, B: { actual: 55.2, target: 0 } }, z: 48.2 };
const SNAPSHOT = 'https://snapshots.example.com/prusa-mk3s/2026-11-02T19-23.jpg';

const CASES: Record<NotifiableEvent | 'rule:ColourChange', Partial<RenderInput>> = {
  Startup: { job: undefined, printer: IDLE, printId: undefined },
  Shutdown: { job: undefined, printer: IDLE, printId: undefined },
  Connecting: { job: undefined, printer: { ...offline, status: 'Connecting' }, printId: undefined },
  Connected: { job: undefined, printer: IDLE, printId: undefined },
  Disconnecting: { job: undefined, printer: IDLE, printId: undefined },
  Disconnected: { job: undefined, printer: offline, printId: undefined, reason: 'the port vanished (USB unplugged?)' },
  PrintStarted: { kind: 'start', job: { ...JOB, percent: 0, bytesDone: 0, linesDone: 0, layer: 1, z: 0.2, elapsedS: 0, remainingS: 6720 }, estimatedS: 6720 },
  Progress: { kind: 'progress', job: { ...JOB, percent: 50.2, layer: 118, z: 23.6, elapsedS: 3421, remainingS: 3380 }, estimatedS: 6720 },
  FirstLayerDone: { job: { ...JOB, percent: 1.3, layer: 2, z: 0.4, elapsedS: 310, remainingS: 6540 }, estimatedS: 6720 },
  PrintPaused: { printer: paused, reason: 'paused from chat', chatUser: 'ada', estimatedS: 6720 },
  PrintResumed: { chatUser: 'ada', estimatedS: 6720 },
  PrintCancelling: { reason: 'cancelled from chat', chatUser: 'grace', estimatedS: 6720 },
  PrintCancelled: { printer: idleAfter, reason: 'cancelled from chat', chatUser: 'grace', estimatedS: 6720 },
  PrintFailed: {
    printer: { ...PRINTER, status: 'Error', statusDetail: 'Thermal Runaway', heaters: { T0: { actual: 180.2, target: 0 }, B: { actual: 60.0, target: 0 } } },
    error: 'Printer halted: Thermal Runaway, system stopped! Heater_ID: 0', lastAckedFileLine: 48213, estimatedS: 6720,
  },
  PrintDone: { printer: idleAfter, job: { ...JOB, percent: 100, layer: 240, z: 48.2, elapsedS: 6811, remainingS: 0 }, estimatedS: 6720, imageUrls: [SNAPSHOT] },
  FilamentRunout: { printer: paused, reason: 'filament ran out (filament_runout T0)' },
  PausedForUser: { printer: paused, reason: 'the printer is waiting for you (paused for user)' },
  Error: { printer: { ...PRINTER, status: 'Error', statusDetail: 'MINTEMP' }, error: 'MINTEMP triggered, system stopped! Heater_ID: bed' },
  Heartbeat: { job: undefined, printer: IDLE, printId: undefined },
  // After the print: the job is gone, the movie says which print it was; still in the print's thread.
  MovieRendering: { job: undefined, printer: idleAfter, movie: { file: JOB.file, frames: 240 } },
  MovieDone: { job: undefined, printer: idleAfter, movie: { file: JOB.file, frames: 240, video: { bytes: 18_874_368, durationS: 9.6 } } },
  MovieFailed: { job: undefined, printer: idleAfter, movie: { file: JOB.file, frames: 240 }, error: 'ffmpeg exited with code 1: Conversion failed!' },
  'rule:ColourChange': { cmd: 'M600', estimatedS: 6720 },
};

function render(event: keyof typeof CASES): Notification {
  return renderNotification(input(event, CASES[event], config), config, HOST);
}

const threadOf = (n: Notification) => (n.printId !== undefined && n.kind !== 'start' ? '1762104600.000100' : undefined);
const targets = {
  'slack bot': (n: Notification) => slackPayload(n, {
    channel: 'C0PRINTER1', username: 'prusa-mk3s', iconEmoji: ':printer:',
    ...(threadOf(n) ? { threadTs: threadOf(n)!, broadcast: n.level !== 'routine' } : {}),
  }),
  'slack webhook': (n: Notification) => slackWebhookPayload(n),
  'mattermost webhook': (n: Notification) => mattermostWebhookPayload(n, { channel: 'printer', username: 'prusa-mk3s', iconUrl: 'https://chat.example.com/printer.png' }),
  'mattermost rest': (n: Notification) => mattermostPostPayload(n, {
    channelId: 'x9pr1nt3rch4nn3l1dabcdefgh', ...(threadOf(n) ? { rootId: 'p0st1dofthepr1ntcard000000' } : {}),
  }),
};

it('covers every notifiable event', () => {
  expect(Object.keys(CASES).filter((k) => !k.startsWith('rule:')).sort()).toEqual([...NOTIFIABLE_EVENTS].sort());
});

describe.each(Object.keys(CASES) as (keyof typeof CASES)[])('%s', (event) => {
  const n = render(event);
  it('has no unfilled or broken values', () => {
    const text = JSON.stringify(n);
    expect(text).not.toMatch(/undefined|NaN|None|\{[a-z_]+\}/);
  });
  it.each(Object.keys(targets) as (keyof typeof targets)[])('%s', (target) => {
    expect(targets[target](n)).toMatchSnapshot();
  });
});
