// The composition root's entry: `startMqtt(settings, log)` opens the one MQTT connection of the
// process (credentials, TLS, last will) and returns the bridge printers are added to. It never
// waits for the broker: mqtt.js connects and reconnects in the background, and the bridge says
// everything again each time it gets through.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { connect, type IClientOptions } from 'mqtt';
import type { MqttSettings } from '../config/types.js';
import { MqttBridge, type BridgeOptions, type MqttLog } from './bridge.js';
import { redactUrl } from './redact.js';
import { bridgeAvailabilityTopic, OFFLINE } from './topics.js';

export interface StartMqttOptions extends Omit<BridgeOptions, 'settings' | 'log'> {
  /** Delay between reconnect attempts, ms. Default 2000. */
  reconnectPeriodMs?: number;
  /** Give up one connection attempt after this long, ms. Default 10000. */
  connectTimeoutMs?: number;
  /** Keepalive (PINGREQ) interval, seconds. Default 30. */
  keepaliveSeconds?: number;
}

export function defaultClientId(): string {
  const host = os.hostname().replace(/[^A-Za-z0-9_.-]+/g, '_') || 'host';
  return `octoslack-${host}-${process.pid}`;
}

/** A TLS file read now, so a wrong path is a clear start-up error instead of endless reconnects. */
function readPem(what: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`mqtt.tls.${what}: cannot read ${file}${code ? ` (${code})` : ''}`);
  }
}

/** The options handed to mqtt.connect (exported for tests: TLS, will, credentials). */
export function clientOptions(settings: MqttSettings, o: StartMqttOptions = {}): IClientOptions {
  const opts: IClientOptions = {
    clientId: settings.clientId ?? defaultClientId(),
    clean: true,
    keepalive: o.keepaliveSeconds ?? 30,
    reconnectPeriod: o.reconnectPeriodMs ?? 2000,
    connectTimeout: o.connectTimeoutMs ?? 10_000,
    // The bridge keeps its own bounded queue and says everything again on reconnect.
    queueQoSZero: false,
    resubscribe: false,
    will: { topic: bridgeAvailabilityTopic(settings.topicPrefix), payload: Buffer.from(OFFLINE), qos: 1, retain: true },
  };
  if (settings.username !== undefined) opts.username = settings.username;
  if (settings.password !== undefined) opts.password = settings.password;
  const tls = settings.tls;
  if (tls) {
    if (tls.ca) opts.ca = readPem('ca', tls.ca);
    if (tls.cert) opts.cert = readPem('cert', tls.cert);
    if (tls.key) opts.key = readPem('key', tls.key);
    opts.rejectUnauthorized = tls.rejectUnauthorized;
  }
  return opts;
}

/** Connect (in the background) and return the bridge. Throws only for unreadable TLS files. */
export function startMqtt(settings: MqttSettings, log: MqttLog, o: StartMqttOptions = {}): MqttBridge {
  const options = clientOptions(settings, o);
  log.debug?.(`MQTT: connecting to ${redactUrl(settings.url)} as ${options.clientId}`);
  const client = connect(settings.url, options);
  return new MqttBridge(client, { ...o, settings, log });
}
