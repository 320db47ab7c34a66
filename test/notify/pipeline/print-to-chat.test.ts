// The whole chain in one process: a print on the virtual printer, the real session, the rules,
// the renderer, the outbox and the Slack bot target against a fake Slack. Filament runout and a
// thermal runaway must reach the channel, in order, with the firmware's own words.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/schema.js';
import { printerViewOf } from '../../../src/app/printer-view.js';
import { buildNotifiers } from '../../../src/app/notifications.js';
import { Outbox } from '../../../src/notify/outbox/outbox.js';
import { NotificationPipeline } from '../../../src/notify/pipeline.js';
import { FakeSlack, SLACK_TOKEN } from '../../helpers/fake-slack.js';
import { createSimRig, fixture, startPrint } from '../../helpers/session-harness.js';

let slack: FakeSlack;
let dir: string;
beforeEach(async () => {
  slack = await FakeSlack.start();
  dir = mkdtempSync(path.join(os.tmpdir(), 'octoslack-pipeline-'));
});
afterEach(async () => {
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

const posted = () => slack.requests.filter((r) => r.route === 'chat.postMessage').map((r) => JSON.stringify(r.body));

describe('print to chat', () => {
  it('runout, waiting for the user and a thermal runaway reach Slack with the firmware words', async () => {
    const config = defaultConfig();
    config.slack = { token: SLACK_TOKEN, apiUrl: `${slack.url}/api/`, channels: ['#printer'] };
    const rig = createSimRig({ speed: 50 });
    const outbox = new Outbox({ dir, notifiers: buildNotifiers(config), grouping: config.grouping, log: { warn: () => {} } });
    outbox.start();
    let job: Awaited<ReturnType<typeof startPrint>> | undefined;
    const pipeline = new NotificationPipeline({
      config,
      bus: rig.bus,
      sink: outbox,
      host: { hostname: 'pi', ipAddresses: ['192.0.2.7'], version: 'test' },
      view: printerViewOf({ printerName: 'Workshop', session: () => rig.session, job: () => job?.job.snapshot() }),
    });
    pipeline.start();
    pipeline.attachSession(rig.session);
    await rig.connect();
    job = await startPrint(rig, fixture('cube-20mm.gcode'));
    await rig.runUntil(() => (job!.job.snapshot().linesDone ?? 0) > 1500);
    rig.printer.triggerRunout();
    await rig.runUntil(() => rig.of('PausedForUser').length > 0);
    rig.printer.pressButton();
    await rig.runUntil(() => rig.of('PrintResumed').length > 0);
    rig.printer.triggerThermalRunaway(0);
    await rig.runUntil(() => job!.outcome() !== undefined);
    await rig.flush();
    const result = await outbox.drain(10_000);
    pipeline.stop();
    await outbox.stop();
    expect(result.pending).toBe(0);
    const messages = posted();
    const find = (re: RegExp) => messages.findIndex((m) => re.test(m));
    expect(find(/A new print has started/)).toBeGreaterThanOrEqual(0);
    expect(find(/Filament ran out/)).toBeGreaterThan(find(/A new print has started/));
    expect(find(/Printer error/)).toBeGreaterThan(find(/Filament ran out/));
    expect(messages[find(/Printer error/)]).toMatch(/Thermal Runaway/);
    expect(find(/Print failed/)).toBeGreaterThan(0);
    // Each runout is one message, not one per busy line.
    expect(messages.filter((m) => /Filament ran out/.test(m))).toHaveLength(1);
  });
});
