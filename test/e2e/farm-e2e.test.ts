// Issue 8, many printers: one `octoslack watch` drives every printer of the config's printers:
// list. Each message names its printer, per-printer channels are honoured, and a printer that is
// not there costs only its own warnings — the others connect and report as usual.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack, SLACK_TOKEN } from '../helpers/fake-slack.js';
import { jsonEvents, startCli } from '../helpers/cli.js';

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
