// Issue 7's "done when": real prints on the virtual printer (sim://, real clock), controlled from a
// fake Slack (Socket Mode) and a fake Mattermost (WebSocket) at the same time. An allowed user
// pauses, resumes and cancels — cancel only after `cancel confirm`, leaving the heaters off — a
// stranger is refused without any call reaching the printer, and dropping both chat connections
// mid-print changes nothing on the printer.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printJobControl } from '../../src/app/print-control.js';
import type { PrinterControl } from '../../src/app/printer-control.js';
import { printerViewOf } from '../../src/app/printer-view.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { OctoslackConfig } from '../../src/config/types.js';
import { EventBus } from '../../src/events/bus.js';
import type { OctoslackEvent } from '../../src/events/events.js';
import { GcodeReader } from '../../src/job/gcode-reader.js';
import { ProgressTracker } from '../../src/job/progress.js';
import { scanGcodeFile } from '../../src/job/scan.js';
import { renderNotification } from '../../src/notify/render/render.js';
import { NotificationRules } from '../../src/notify/rules/rules.js';
import { readRemoteSettings } from '../../src/remote/remote-config.js';
import { startRemoteCommands, type RemoteCommands } from '../../src/remote/start-remote.js';
import { PrintJob, type PrintOutcome } from '../../src/session/print-job.js';
import { PrinterSession } from '../../src/session/printer-session.js';
import { createSimTransport } from '../../src/sim/sim-transport.js';
import type { VirtualPrinter } from '../../src/sim/virtual-printer.js';
import { realClock } from '../../src/util/clock.js';
import { MM_TOKEN, mmId } from '../helpers/fake-mattermost.js';
import { FakeMattermostWs } from '../helpers/fake-mattermost-ws.js';
import { FakeSocketModeSlack, SLACK_APP_TOKEN } from '../helpers/fake-socket-mode.js';
import { fixture } from '../helpers/session-harness.js';
import { memoryLog } from './fake-control.js';

const ANA_MM = mmId('ana', 1);
const FILE = fixture('cube-20mm.gcode');

let slack: FakeSocketModeSlack;
let mm: FakeMattermostWs;
let remote: RemoteCommands;
let session: PrinterSession;
let printer: VirtualPrinter;
let job: PrintJob | undefined;
let control: PrinterControl | undefined;
const controlCalls: string[] = [];
const events: OctoslackEvent[] = [];
const log = memoryLog();

/** Counts every call that reaches the printer's control. */
function counted(c: PrinterControl): PrinterControl {
  return {
    status: () => c.status(),
    pause: (by) => { controlCalls.push(`pause ${by}`); return c.pause(by); },
    resume: (by) => { controlCalls.push(`resume ${by}`); return c.resume(by); },
    cancel: (by) => { controlCalls.push(`cancel ${by}`); return c.cancel(by); },
  };
}

async function until(what: string, done: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function startPrint(): Promise<{ job: PrintJob; done: Promise<PrintOutcome> }> {
  const scan = await scanGcodeFile(FILE, { maxCommandLength: 80 });
  const j = new PrintJob(session, await GcodeReader.open(FILE), new ProgressTracker(scan), { fileName: path.basename(FILE), cancelGcode: [], pauseGcode: [] });
  job = j;
  control = counted(printJobControl('Prusa', session, j));
  const done = j.run();
  // Past the heat-up: the print is moving.
  await until('the print to get going', () => (j.snapshot().linesDone ?? 0) > 300);
  return { job: j, done };
}

async function slackSays(user: string, text: string, count = 1): Promise<string> {
  const { ts } = slack.mention(user, text);
  const end = Date.now() + 10_000;
  for (;;) {
    const replies = slack.calls('chat.postMessage').filter((r) => r.body.thread_ts === ts);
    if (replies.length >= count) return String(replies[count - 1]!.body.text);
    if (Date.now() > end) throw new Error(`no Slack reply to "${text}"`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function mattermostSays(user: string, name: string, text: string): Promise<string> {
  const id = mm.post({ userId: user, senderName: name, message: text });
  return String((await mm.waitReply(id, 1, 10_000))[0]!.message);
}

beforeAll(async () => {
  slack = await FakeSocketModeSlack.startSocketMode();
  slack.users.set('U0ANA', { name: 'ana', display_name: 'Ana' });
  mm = await FakeMattermostWs.startWs();
  const { transport, printer: p } = createSimTransport('sim://?speed=100&boot=50', realClock);
  printer = p;
  const bus = new EventBus((err) => { throw err; });
  bus.subscribe((e) => { events.push(e); });
  session = new PrinterSession(transport, realClock, bus);
  await session.connect();
  const config: OctoslackConfig = {
    ...defaultConfig(), printerName: 'Prusa',
    slack: { ...defaultConfig().slack!, apiUrl: slack.apiUrl, token: slack.token, channels: ['#printer'] },
    mattermost: { url: mm.url, token: MM_TOKEN, channel: 'printer', team: 'makers' },
  };
  const { settings } = readRemoteSettings({
    slack: { appToken: SLACK_APP_TOKEN },
    commands: { allow: { pause: ['U0ANA', ANA_MM], resume: ['U0ANA', ANA_MM], cancel: ['T0TEST:U0ANA', ANA_MM] } },
  }, {});
  // The status answer through the real rules and renderer, as the lead wires it.
  const rules = new NotificationRules(config, Date.now);
  const view = printerViewOf({ printerName: 'Prusa', session: () => session, job: () => job?.snapshot() });
  const host = { hostname: 'octo-test', ipAddresses: [], version: '0.1.0' } as unknown as Parameters<typeof renderNotification>[2];
  remote = await startRemoteCommands({
    config, remote: settings, control: () => control, log,
    statusMessage: (chatUser) => renderNotification(rules.status(view(), chatUser), config, host),
    tuning: { timeoutMs: 3000, backoff: { baseMs: 50, maxMs: 200 } },
  });
  await Promise.all([remote.slack!.whenConnected(), remote.mattermost!.whenConnected()]);
});

afterAll(async () => {
  await remote?.stop();
  if (job && !job.isFinished()) await job.cancel('test over', 'host');
  await session?.close();
  await slack?.close();
  await mm?.close();
});

describe('chat commands on a real sim:// print', () => {
  it('from Slack: a stranger is refused; Ana pauses, resumes, and cancels with confirmation', async () => {
    const print = await startPrint();
    controlCalls.length = 0;

    expect(await slackSays('U0STRANGER', 'pause')).toMatch(/^Sorry, you may not `pause` this printer/);
    expect(await slackSays('U0STRANGER', 'cancel')).toMatch(/^Sorry/);
    expect(controlCalls).toEqual([]);
    expect(print.job.status).toBe('printing');

    expect(await slackSays('U0ANA', 'status')).toMatch(/cube-20mm\.gcode|Printing/);
    expect(await slackSays('U0ANA', 'please pause')).toBe('Paused (by @Ana).');
    expect(print.job.status).toBe('paused');
    expect(events.some((e) => e.event === 'PrintPaused' && e.by === '@Ana')).toBe(true);
    expect(await slackSays('U0ANA', 'pause')).toBe('Cannot pause: The print is already paused.');

    // The chat connection drops while the print is paused: nothing happens to the print.
    slack.drop();
    await slack.waitOpened(2);
    await remote.slack!.whenConnected();
    expect(print.job.status).toBe('paused');

    expect(await slackSays('U0ANA', 'resume')).toBe('Resumed (by @Ana).');
    expect(print.job.status).toBe('printing');

    expect(await slackSays('U0ANA', 'cancel')).toContain('Reply `cancel confirm` within 60 s');
    expect(print.job.status).toBe('printing');
    expect(await slackSays('U0ANA', 'cancel confirm')).toBe('Cancelled (by @Ana); heaters off.');
    const outcome = await print.done;
    expect(outcome.kind).toBe('cancelled');
    for (const h of Object.values(printer.snapshot().heaters)) expect(h.target).toBe(0);
    expect(controlCalls).toEqual(['pause @Ana', 'pause @Ana', 'resume @Ana', 'cancel @Ana']);
    expect(events.some((e) => e.event === 'PrintCancelled' && e.by === '@Ana')).toBe(true);
  });

  it('from Mattermost: the same, and the WebSocket drop leaves the print alone', async () => {
    const print = await startPrint();
    controlCalls.length = 0;

    expect(await mattermostSays(mmId('stranger', 1), 'mallory', 'pause')).toMatch(/^Sorry, you may not `pause` this printer/);
    expect(controlCalls).toEqual([]);

    mm.drop();
    await mm.waitGreeted(2);
    await remote.mattermost!.whenConnected();
    expect(print.job.status).toBe('printing');

    expect(await mattermostSays(ANA_MM, 'ana', 'pause')).toBe('Paused (by @ana).');
    expect(print.job.status).toBe('paused');
    expect(await mattermostSays(ANA_MM, 'ana', 'resume')).toBe('Resumed (by @ana).');
    expect(print.job.status).toBe('printing');
    expect(await mattermostSays(ANA_MM, 'ana', 'stop')).toContain('`cancel confirm`');
    expect(await mattermostSays(ANA_MM, 'ana', 'cancel confirm')).toBe('Cancelled (by @ana); heaters off.');
    expect((await print.done).kind).toBe('cancelled');
    for (const h of Object.values(printer.snapshot().heaters)) expect(h.target).toBe(0);
    expect(controlCalls).toEqual(['pause @ana', 'resume @ana', 'cancel @ana']);
    // After the print, control commands explain themselves and do nothing.
    expect(await mattermostSays(ANA_MM, 'ana', 'resume')).toMatch(/^Cannot resume: /);
  });
});
