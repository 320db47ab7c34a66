// mqtts:// for real: a TLS broker (aedes behind node:tls) with a certificate made for the test by
// openssl. With the CA file the bridge connects and checks the certificate; without it the
// connection is refused (rejectUnauthorized: true), and the log says why without any secret.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttSettings } from '../../src/config/types.js';
import { EventBus } from '../../src/events/bus.js';
import { startMqtt } from '../../src/mqtt/connect.js';
import { memoryLog, until } from './broker.js';


let dir: string;
let server: tls.Server;
let aedes: Aedes;
let port: number;
const received: { topic: string; user?: string }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'octoslack-mqtts-'));
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]);
  if (r.status !== 0) throw new Error(`openssl: ${r.stderr.toString()}`);
  aedes = await Aedes.createBroker({
    maxClientsIdLength: 128,
    authenticate: (client, username, password, done) => {
      (client as unknown as { user?: string }).user = username;
      done(null, username === 'octo' && password?.toString() === 'tls-secret-pw');
    },
  });
  aedes.on('publish', (packet, client) => { if (client) received.push({ topic: packet.topic, user: (client as unknown as { user?: string }).user }); });
  server = tls.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, aedes.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => aedes.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function settings(tlsSettings: MqttSettings['tls']): MqttSettings {
  return {
    url: `mqtts://127.0.0.1:${port}`, username: 'octo', password: 'tls-secret-pw', clientId: `octoslack-tls-${Math.random().toString(16).slice(2, 8)}`,
    topicPrefix: 'tlstest', discovery: false, discoveryPrefix: 'homeassistant', commands: { pause: false, resume: false, cancel: false },
    stateIntervalSeconds: 10, tls: tlsSettings,
  };
}

// openssl is installed by .ci/run (and the README's test command): no skip, a missing tool fails loudly.
describe('MQTT over TLS', () => {
  it('connects with the CA file, username and password, and publishes', async () => {
    const log = memoryLog();
    const bridge = startMqtt(settings({ ca: path.join(dir, 'cert.pem'), rejectUnauthorized: true }), log, { reconnectPeriodMs: 200 });
    try {
      bridge.addPrinter({ name: 'Secure', bus: new EventBus(), view: () => ({ printerName: 'Secure', status: 'Operational', heaters: {} }) });
      await bridge.whenConnected();
      await until('the state over TLS', () => received.some((m) => m.topic === 'tlstest/secure/state' && m.user === 'octo'));
    } finally {
      await bridge.stop();
    }
    expect(log.lines.join('\n')).not.toContain('tls-secret-pw');
  });

  it('refuses a broker whose certificate it cannot check', async () => {
    const log = memoryLog();
    const bridge = startMqtt(settings({ rejectUnauthorized: true }), log, { reconnectPeriodMs: 200 });
    try {
      await until('a certificate error in the log', () => log.lines.some((l) => /certificate/i.test(l)));
      expect(bridge.connected).toBe(false);
    } finally {
      await bridge.stop(200);
    }
    expect(log.lines.filter((l) => /certificate/i.test(l))).toEqual([expect.stringMatching(/self-signed certificate \(set mqtt\.tls\.ca/)]); // once, not per retry
    expect(log.lines.join('\n')).not.toContain('tls-secret-pw');
  });
});
