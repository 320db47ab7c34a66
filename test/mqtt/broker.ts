// A real MQTT broker in the test process: aedes on 127.0.0.1, with the sockets tracked so a
// "broker crash" can drop every connection, and restartable on the same port (no persistence,
// like a Mosquitto without `persistence true`: retained messages are gone after a restart).
import net from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import { connect, type MqttClient } from 'mqtt';

export class TestBroker {
  private readonly sockets = new Set<net.Socket>();
  /** Every client id that connected, in order. */
  readonly clientIds: string[] = [];

  private constructor(readonly aedes: Aedes, private readonly server: net.Server, readonly port: number) {
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    aedes.on('client', (c) => this.clientIds.push(c.id));
  }

  static async start(port = 0, options: AedesOptions = {}): Promise<TestBroker> {
    const aedes = await Aedes.createBroker({ maxClientsIdLength: 128, ...options });
    const server = net.createServer(aedes.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return new TestBroker(aedes, server, (server.address() as net.AddressInfo).port);
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Stop like a crash: every connection dropped, retained messages lost with the process. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
  }
}

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
}

/** A plain MQTT client that records everything under the topics it subscribed to. */
export class Recorder {
  readonly messages: Received[] = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => this.messages.push({ topic, payload: payload.toString('utf8'), retain: packet.retain }));
  }

  static async start(url: string, topics: string[] = ['#'], options: { username?: string; password?: string } = {}): Promise<Recorder> {
    const client = connect(url, { clientId: `recorder-${Math.random().toString(16).slice(2, 10)}`, reconnectPeriod: 0, ...options });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    const r = new Recorder(client);
    await client.subscribeAsync(topics, { qos: 1 });
    return r;
  }

  on(topic: string): Received[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  /** The last message on a topic (retained or live). */
  last(topic: string): Received | undefined {
    const all = this.on(topic);
    return all[all.length - 1];
  }

  json<T = Record<string, unknown>>(topic: string): T | undefined {
    const m = this.last(topic);
    return m && m.payload ? (JSON.parse(m.payload) as T) : undefined;
  }

  async publish(topic: string, payload: string, retain = false): Promise<void> {
    await this.client.publishAsync(topic, payload, { qos: 1, retain });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

export async function until(what: string, done: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A log that keeps every line. */
export function memoryLog(): { lines: string[]; info(m: string): void; warn(m: string): void; debug(m: string): void } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    debug: (m) => lines.push(`debug ${m}`),
  };
}
