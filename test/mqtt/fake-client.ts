// Just enough of mqtt.js's MqttClient for the bridge's unit tests: records publications, lets the
// test switch the connection on and off, and can be told to throw.
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';

export interface Published {
  topic: string;
  payload: string;
  retain: boolean;
  qos: number;
}

export class FakeClient extends EventEmitter {
  connected = false;
  readonly published: Published[] = [];
  readonly subscribed: string[] = [];
  throwOnPublish = false;

  publish(topic: string, payload: string, opts: { qos: number; retain: boolean }, cb?: (err?: Error) => void): this {
    if (this.throwOnPublish) throw new Error('boom');
    this.published.push({ topic, payload, retain: opts.retain, qos: opts.qos });
    cb?.();
    return this;
  }

  subscribe(topics: string[], _opts: unknown, cb?: (err: Error | null) => void): this {
    this.subscribed.push(...topics);
    cb?.(null);
    return this;
  }

  end(_force: boolean, _opts: unknown, cb?: () => void): this {
    this.connected = false;
    cb?.();
    return this;
  }

  up(): void {
    this.connected = true;
    this.emit('connect', {});
  }

  down(): void {
    this.connected = false;
    this.emit('close');
  }

  to(topic: string): Published[] {
    return this.published.filter((p) => p.topic === topic);
  }

  get asClient(): MqttClient {
    return this as unknown as MqttClient;
  }
}
