// What the "done when" asks: a print on the virtual printer reaches Slack and
// Mattermost (fake servers on 127.0.0.1), with the tokens from the environment and the
// smallest config; `notify test` says exactly what is wrong with a bad token or channel.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeMattermost, MM_TOKEN } from '../helpers/fake-mattermost.js';
import { FakeSlack, SLACK_TOKEN } from '../helpers/fake-slack.js';
import { jsonEvents, runCli, startSimPty } from '../helpers/cli.js';

let slack: FakeSlack;
let mm: FakeMattermost;
let dir: string;

beforeEach(async () => {
  slack = await FakeSlack.start();
  mm = await FakeMattermost.start();
  dir = mkdtempSync(path.join(os.tmpdir(), 'octoslack-notify-'));
});
afterEach(async () => {
  await slack.close();
  await mm.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(extra = ''): string {
  const file = path.join(dir, 'config.yaml');
  // Chat commands off: these fakes speak HTTP only (commands have their own tests).
  writeFileSync(file, `slack:\n  channels: ["#printer"]\n  apiUrl: ${slack.url}/api/\nmattermost:\n  url: ${mm.url}\n  channel: printer\n  team: makers\ncommands:\n  enabled: false\n${extra}`, { mode: 0o600 });
  return file;
}

const env = () => ({ OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN, OCTOSLACK_MATTERMOST_TOKEN: MM_TOKEN, OCTOSLACK_MATTERMOST_WEBHOOK_URL: mm.webhookUrl });

function slackTexts(): string[] {
  return slack.requests.filter((r) => r.route === 'chat.postMessage' || r.route === 'chat.update').map((r) => JSON.stringify(r.body));
}

describe('notifications end to end', () => {
  it('a sim:// print posts started, progress and done to Slack and Mattermost (bot and webhook)', async () => {
    const config = writeConfig('progress:\n  everyPercent: 50\nevents:\n  Progress:\n    enabled: true\n');
    const r = await runCli(['print', 'gcode-fixtures/tiny-square.gcode', '--port', 'sim://?speed=200', '--config', config, '--json'], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(jsonEvents(r.stdout).map((e) => e.event)).toContain('PrintDone');
    const texts = slackTexts().join('\n');
    expect(texts).toMatch(/A new print has started/);
    expect(texts).toMatch(/Print progress 66%/); // the first percent at or past 50 (the file says 33, then 66)
    expect(texts).toMatch(/Print finished successfully/);
    expect(texts).toMatch(/tiny-square\.gcode/);
    // Secrets never appear in any output of the run (--json included)...
    for (const secret of [SLACK_TOKEN, MM_TOKEN, mm.webhookUrl]) expect(r.stdout + r.stderr).not.toContain(secret);
    // ...and the token went in the Authorization header, never into a body.
    expect(slack.requests.every((q) => !JSON.stringify(q.body).includes(SLACK_TOKEN))).toBe(true);
    const mmPosts = mm.requests.filter((q) => q.route !== 'webhook').map((q) => JSON.stringify(q.body)).join('\n');
    expect(mmPosts).toMatch(/Print finished successfully/);
    const hooks = mm.requests.filter((q) => q.route === 'webhook').map((q) => JSON.stringify(q.body)).join('\n');
    expect(hooks).toMatch(/A new print has started/);
    expect(hooks).toMatch(/Print finished successfully/);
  });

  it('a print over a real pty posts to the fakes too', async () => {
    const sim = await startSimPty('sim://?speed=200');
    try {
      const config = writeConfig();
      const r = await runCli(['print', 'gcode-fixtures/tiny-square.gcode', '--port', sim.path, '--config', config], env());
      expect(r.code).toBe(0);
      expect(slackTexts().join('\n')).toMatch(/Print finished successfully/);
      expect(mm.requests.some((q) => q.route === 'webhook' && /Print finished successfully/.test(JSON.stringify(q.body)))).toBe(true);
    } finally {
      await sim.stop();
    }
  });

  it('a Slack outage does not slow the print; the messages follow once Slack answers again', async () => {
    const config = writeConfig();
    const printMs = (stdout: string) => {
      const events = jsonEvents(stdout);
      return Date.parse(events.find((e) => e.event === 'PrintDone')!.at) - Date.parse(events.find((e) => e.event === 'PrintStarted')!.at);
    };
    const args = ['print', 'gcode-fixtures/coaster-50mm.gcode', '--port', 'sim://?speed=300', '--config', config, '--json'];
    const baseline = await runCli(args, env());
    expect(baseline.code).toBe(0);
    slack.requests.length = 0;
    // Slack stalls on the first post (the client gives up after its 10 s timeout), then recovers.
    slack.script('chat.postMessage', 'hang');
    const r = await runCli(args, env());
    expect(r.code).toBe(0);
    // The print streams as fast as without the stall (seconds of printing, not held by the 10 s hang).
    expect(printMs(r.stdout)).toBeLessThan(printMs(baseline.stdout) * 1.5 + 300);
    const texts = slackTexts().join('\n');
    expect(texts).toMatch(/A new print has started/);
    expect(texts).toMatch(/Print finished successfully/);
    expect(texts).toMatch(/coaster-50mm/);
    // In order: started (retried after the hang) before done.
    expect(texts.lastIndexOf('A new print has started')).toBeLessThan(texts.indexOf('Print finished successfully'));
  });

  it('notify test: OK per target, and a bad token or channel explained', async () => {
    const config = writeConfig();
    const ok = await runCli(['notify', 'test', '--event', 'PrintDone', '--config', config], env());
    expect(ok.stdout).toMatch(/slack-bot: OK/);
    expect(ok.stdout).toMatch(/mattermost-bot: OK/);
    expect(ok.stdout).toMatch(/mattermost-webhook: OK/);
    expect(ok.code).toBe(0);

    const bad = await runCli(['notify', 'test', '--event', 'PrintDone', '--config', config], { ...env(), OCTOSLACK_SLACK_TOKEN: 'xoxb-wrong-token' });
    expect(bad.code).toBe(5);
    expect(bad.stdout).toMatch(/slack-bot: FAILED .*(token|invalid_auth)/i);
    expect(bad.stdout).not.toMatch(/xoxb-wrong-token/);

    const badChannel = writeConfig().replace('config.yaml', 'config2.yaml');
    writeFileSync(badChannel, `slack:\n  channels: ["#nowhere"]\n  apiUrl: ${slack.url}/api/\n`, { mode: 0o600 });
    const ch = await runCli(['notify', 'test', '--event', 'PrintDone', '--config', badChannel], { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN });
    expect(ch.code).toBe(5);
    expect(ch.stdout).toMatch(/nowhere/);
  });

  it('a config that cannot work as written stops print before the port opens', async () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, `slack:\n  apiUrl: ${slack.url}/api/\nevents:\n  PrintDone:\n    cameras: [nope]\n`, { mode: 0o600 });
    const r = await runCli(['print', 'gcode-fixtures/tiny-square.gcode', '--port', 'sim://?speed=200', '--config', file, '--json'], { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/slack\.channels: the bot token has no channel/);
    expect(r.stderr).toMatch(/events\.PrintDone\.cameras/);
    expect(jsonEvents(r.stdout).map((e) => e.event)).not.toContain('Connected');
    expect(r.stdout + r.stderr).not.toContain(SLACK_TOKEN);
  });
});
