// What startRemoteCommands starts: nothing without tokens or when switched off, and a clear word
// when half of Slack's setup is missing. (The connections themselves: slack-socket and mattermost-ws tests.)
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { readRemoteSettings } from '../../src/remote/remote-config.js';
import { startRemoteCommands } from '../../src/remote/start-remote.js';
import { fakeStatus, memoryLog } from './fake-control.js';

const base = { control: () => undefined, statusMessage: fakeStatus };

describe('startRemoteCommands', () => {
  it('starts nothing without chat tokens', async () => {
    const r = await startRemoteCommands({ ...base, config: defaultConfig(), remote: readRemoteSettings({}, {}).settings, log: memoryLog() });
    expect(r.platforms).toEqual([]);
    await r.stop();
  });

  it('starts nothing when commands are switched off', async () => {
    const config = { ...defaultConfig(), mattermost: { url: 'http://127.0.0.1:9', token: 'tok-123456' } };
    const r = await startRemoteCommands({ ...base, config, remote: readRemoteSettings({ commands: { enabled: false } }, {}).settings, log: memoryLog() });
    expect(r.platforms).toEqual([]);
  });

  it('says why Slack commands are off with an app token but no bot token', async () => {
    const log = memoryLog();
    const r = await startRemoteCommands({ ...base, config: defaultConfig(), remote: readRemoteSettings({ slack: { appToken: 'xapp-1-x' } }, {}).settings, log });
    expect(r.platforms).toEqual([]);
    expect(log.lines.join('\n')).toMatch(/no bot token/);
  });

  it('refuses a Mattermost URL that is not http(s)', async () => {
    const log = memoryLog();
    const config = { ...defaultConfig(), mattermost: { url: 'ftp://chat.example.com', token: 'tok-123456' } };
    const r = await startRemoteCommands({ ...base, config, remote: readRemoteSettings({}, {}).settings, log });
    expect(r.platforms).toEqual([]);
    expect(log.lines.join('\n')).toMatch(/not an http\(s\):\/\/ URL/);
  });
});
