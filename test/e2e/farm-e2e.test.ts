// Issue 8, many printers: one `octoslack watch` drives every printer of the config's printers:
// list. Each message names its printer, per-printer channels are honoured, and a printer that is
// not there costs only its own warnings — the others connect and report as usual.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack, SLACK_TOKEN } from '../helpers/fake-slack.js';
import { jsonEvents, runCli, startCli } from '../helpers/cli.js';
import { Recorder, TestBroker } from '../mqtt/broker.js';

let slack: FakeSlack;
let dir: string;

beforeEach(async () => {
  slack = await FakeSlack.start({ channels: [{ id: 'C0FARM0001', name: 'farm', is_member: true }, { id: 'C0PRUSA001', name: 'prusa', is_member: true }] });
  dir = mkdtempSync(path.join(os.tmpdir(), 'octoslack-farm-'));
});
afterEach(async () => {
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('watch with a printers: list', () => {
  it('drives three virtual printers in one process and isolates a missing one', async () => {
    const file = path.join(dir, 'config.yaml');
    writeFileSync(file, [
      'slack:',
      '  channels: ["#farm"]',
      `  apiUrl: ${slack.url}/api/`,
      'commands:',
      '  enabled: false',
      'events:',
      '  Connected:',
      '    enabled: true',
      'printers:',
      '  - name: Prusa',
      '    port: "sim://?seed=1"',
      '    slackChannels: ["#prusa"]',
      '  - name: Ender',
      '    port: "sim://?seed=2"',
      '  - name: Voron',
      '    port: "sim://?seed=3"',
      '  - name: Gone',
      `    port: ${path.join(dir, 'ttyNOPE')}`,
      '',
    ].join('\n'), { mode: 0o600 });
    const cli = startCli(['watch', '--config', file, '--json', '--retry', '0.5'], { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN });
    const connected = () => jsonEvents(cli.stdout()).filter((e) => e.event === 'Connected').map((e) => e['printer']);
    await cli.waitFor(/"printer":"Voron".*"event":"Connected"/, 30_000);
    await cli.waitFor(/"printer":"Ender".*"event":"Connected"/, 30_000);
    await cli.waitFor(/"printer":"Prusa".*"event":"Connected"/, 30_000);
    // Let the missing printer retry at least once more while the others stay up.
    await new Promise((r) => setTimeout(r, 1500));
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(connected().sort()).toEqual(['Ender', 'Prusa', 'Voron']);
    // The missing printer is reported under its own name, more than once (it keeps trying).
    expect(r.stderr.match(/\[Gone\] .*cannot reach the printer/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(r.stderr).not.toMatch(/\[(Prusa|Ender|Voron)\] .*cannot reach/);
    // Every event line says whose it is.
    for (const e of jsonEvents(r.stdout)) expect(['Prusa', 'Ender', 'Voron', 'Gone']).toContain(e['printer']);
    // Each printer's Connected message names it, in its own channel.
    const posts = slack.requests.filter((q) => q.route === 'chat.postMessage').map((q) => q.body as Record<string, unknown>);
    const byPrinter = (name: string) => posts.filter((p) => JSON.stringify(p).includes(`${name} ·`));
    expect(byPrinter('Prusa')).toHaveLength(1);
    expect(byPrinter('Ender')).toHaveLength(1);
    expect(byPrinter('Voron')).toHaveLength(1);
    expect(byPrinter('Prusa')[0]!['channel']).toBe('C0PRUSA001');
    expect(byPrinter('Ender')[0]!['channel']).toBe('C0FARM0001');
  }, 60_000);
});

describe('watch with printers: and mqtt:', () => {
  it('publishes every printer through one MQTT connection, and offline when it stops', async () => {
    const broker = await TestBroker.start();
    try {
      const file = path.join(dir, 'config.yaml');
      writeFileSync(file, [
        'commands:', '  enabled: false',
        'mqtt:', `  url: ${broker.url}`, '  clientId: octoslack-farm-test',
        'printers:', '  - name: Prusa', '    port: "sim://?seed=1"', '  - name: Ender', '    port: "sim://?seed=2"', '',
      ].join('\n'), { mode: 0o600 });
      const cli = startCli(['watch', '--config', file, '--json'], {});
      await cli.waitFor(/"printer":"Prusa".*"event":"Connected"/, 30_000);
      await cli.waitFor(/"printer":"Ender".*"event":"Connected"/, 30_000);
      // A late subscriber (Home Assistant after a restart) finds both printers, retained.
      const rec = await Recorder.start(broker.url, ['octoslack/#', 'homeassistant/#']);
      const retained = async (topic: string) => {
        for (let i = 0; i < 50 && !rec.messages.some((m) => m.topic === topic && m.retain); i++) await new Promise((r) => setTimeout(r, 100));
        return rec.messages.find((m) => m.topic === topic && m.retain);
      };
      expect((await retained('octoslack/prusa/availability'))?.payload).toBe('online');
      expect((await retained('octoslack/ender/availability'))?.payload).toBe('online');
      expect(await retained('octoslack/ender/state')).toBeDefined();
      // State follows the printer (throttled to one a second): Connecting, then Operational.
      const lastState = () => rec.messages.filter((m) => m.topic === 'octoslack/ender/state').at(-1);
      for (let i = 0; i < 40 && JSON.parse(lastState()!.payload).status !== 'Operational'; i++) await new Promise((r) => setTimeout(r, 100));
      expect(JSON.parse(lastState()!.payload)).toMatchObject({ printer: 'Ender', status: 'Operational' });
      expect(rec.messages.some((m) => m.topic.startsWith('homeassistant/sensor/') && m.topic.includes('prusa'))).toBe(true);
      // Both printers share one connection: the broker saw one octoslack client (plus the recorder).
      expect(broker.clientIds.filter((id) => id.startsWith('octoslack'))).toEqual(['octoslack-farm-test']);
      cli.child.kill('SIGINT');
      expect((await cli.done).code).toBe(0);
      for (let i = 0; i < 30 && !rec.messages.some((m) => m.topic === 'octoslack/bridge/availability' && m.payload === 'offline'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(rec.messages.filter((m) => m.topic === 'octoslack/prusa/availability').at(-1)?.payload).toBe('offline');
      expect(rec.messages.filter((m) => m.topic === 'octoslack/bridge/availability').at(-1)?.payload).toBe('offline');
      await rec.close();
    } finally {
      await broker.close();
    }
  }, 60_000);

  it('print --printer takes the port, name and channels from the printers: list', async () => {
    const file = path.join(dir, 'config.yaml');
    writeFileSync(file, [
      'slack:', '  channels: ["#farm"]', `  apiUrl: ${slack.url}/api/`, 'commands:', '  enabled: false',
      'printers:', '  - name: Prusa', '    port: "sim://?seed=1"', '  - name: Ender', '    port: "sim://?speed=200"', '    slackChannels: ["#prusa"]', '',
    ].join('\n'), { mode: 0o600 });
    const r = await runCli(['print', 'gcode-fixtures/tiny-square.gcode', '--printer', 'ender', '--config', file, '--json'], { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN });
    expect(r.code).toBe(0);
    expect(jsonEvents(r.stdout).map((e) => e.event)).toContain('PrintDone');
    const done = slack.requests.filter((q) => q.route === 'chat.postMessage' && JSON.stringify(q.body).includes('Print finished successfully'));
    expect(done).toHaveLength(1);
    expect(JSON.stringify(done[0]!.body)).toContain('Ender ·');
    expect((done[0]!.body as Record<string, unknown>)['channel']).toBe('C0PRUSA001');
    const both = await runCli(['print', 'gcode-fixtures/tiny-square.gcode', '--printer', 'Ender', '--port', 'sim://', '--config', file], {});
    expect(both.code).toBe(2);
  });

  it('--printer watches one printer of the list; an unknown name is a usage error', async () => {
    const file = path.join(dir, 'config.yaml');
    writeFileSync(file, 'printers:\n  - name: Prusa\n    port: "sim://"\n', { mode: 0o600 });
    const r = await runCli(['watch', '--config', file, '--printer', 'Voron'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no printer named "Voron".*printers: Prusa/);
    const none = await runCli(['watch'], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--port is required.*printers:/);
  });
});
