// One MQTT connection per process, serving every printer of the process: each printer's state
// (retained), availability (retained), events, Home Assistant discovery, and its command topic.
//
// The bus never waits on MQTT and never sees an exception from it: every publication is
// fire-and-forget, and while the broker is away nothing piles up without bound. The state is not
// queued at all (it is read again from the printer's view on reconnect) and events wait in one
// bounded queue (oldest dropped, and counted in the log).
//
// On every connect and reconnect the bridge says everything again — bridge availability,
// discovery, each printer's availability and state, all retained — so a broker that restarted
// without persistence is whole again within a reconnect. mqtt.js re-sends its own unacknowledged
// QoS 1 messages before it reports the reconnect, so the fresh state lands after any stale one.
import type { MqttClient } from 'mqtt';
import type { PrinterControl } from '../app/printer-control.js';
import type { MqttSettings } from '../config/types.js';
import type { EventBus } from '../events/bus.js';
import type { OctoslackEvent } from '../events/events.js';
import type { PrinterView } from '../notify/render/input.js';
import { MqttCommandRules } from './commands.js';
import { discoveryMessages } from './discovery.js';
import { BoundedQueue } from './event-queue.js';
import { redactText } from './redact.js';
import { eventPayload, isOnline, isPrinting, isPublishedEvent, statePayload, stateSignature } from './state-payload.js';
import {
  bridgeAvailabilityTopic, commandWildcard, haStatusTopic, OFFLINE, ONLINE, printerTopics, RESERVED_SLUGS, slugOf, slugOfCommandTopic,
  type PrinterTopics,
} from './topics.js';

export interface MqttLog {
  warn(message: string): void;
  info?(message: string): void;
  debug?(message: string): void;
}

export interface BridgeOptions {
  settings: MqttSettings;
  log: MqttLog;
  /** The cancel confirmation window, seconds: chat's `commands.confirmCancelSeconds`. Default 60. */
  confirmCancelSeconds?: number;
  /** octoslack's version, shown on the Home Assistant device. */
  version?: string;
  now?: () => number;
  /** At most one state publication per printer per this many ms. Default 1000. */
  minStateIntervalMs?: number;
  /** Events kept while disconnected. Default 1000. */
  maxQueuedEvents?: number;
}

export interface BridgePrinter {
  /** The configured printer name; its slug is the topic segment. */
  name: string;
  bus: EventBus;
  view: () => PrinterView;
  /** What commands act on; a function when it changes (a new print job). None: commands fail. */
  control?: PrinterControl | (() => PrinterControl | undefined);
}

interface Entry {
  name: string;
  slug: string;
  topics: PrinterTopics;
  view: () => PrinterView;
  rules: MqttCommandRules;
  unsubscribe: () => void;
  lastStateAt: number;
  lastSignature?: string;
  stateTimer?: NodeJS.Timeout;
  refreshTimer?: NodeJS.Timeout;
  /** Availability as last published. */
  online?: boolean;
  /** Discovery payloads as last published, by topic. */
  discovery: Map<string, string>;
  /** Firmware and heaters as last known: an unplugged printer keeps its entities unchanged. */
  firmware?: string;
  heaters: Set<string>;
}

export class MqttBridge {
  private readonly printers = new Map<string, Entry>();
  private readonly queue: BoundedQueue;
  private stopped = false;
  private everConnected = false;
  private outage = false;
  private lastError = '';
  private readonly now: () => number;
  private readonly minStateMs: number;
  private readonly connectWaiters: (() => void)[] = [];

  constructor(private readonly client: MqttClient, private readonly o: BridgeOptions) {
    this.now = o.now ?? Date.now;
    this.minStateMs = o.minStateIntervalMs ?? 1000;
    const limit = o.maxQueuedEvents ?? 1000;
    this.queue = new BoundedQueue(limit, () => this.o.log.warn(`MQTT: more than ${limit} events waiting for the broker; dropping the oldest`));
    client.on('connect', () => this.guard('connect', () => this.onConnect()));
    client.on('close', () => this.guard('close', () => this.onClose()));
    client.on('error', (err) => this.guard('error', () => this.onError(err)));
    client.on('message', (topic, payload, packet) => this.guard('message', () => this.onMessage(topic, payload.toString('utf8'), packet.retain)));
    if (client.connected) this.guard('connect', () => this.onConnect());
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Resolves at the next (or current) connection. */
  whenConnected(): Promise<void> {
    if (this.client.connected) return Promise.resolve();
    return new Promise((resolve) => this.connectWaiters.push(resolve));
  }

  /** Serve one printer; the returned function stops serving it (its availability goes offline). */
  addPrinter(p: BridgePrinter): () => void {
    if (this.stopped) throw new Error('the MQTT bridge is stopped');
    const slug = slugOf(p.name);
    if (RESERVED_SLUGS.has(slug)) throw new Error(`printer name "${p.name}" is reserved on MQTT (topic segment "${slug}"); rename the printer`);
    const other = this.printers.get(slug);
    if (other) throw new Error(`printers "${other.name}" and "${p.name}" would share the MQTT topic segment "${slug}"; rename one of them`);
    const control = typeof p.control === 'function' ? p.control : () => p.control as PrinterControl | undefined;
    const entry: Entry = {
      name: p.name, slug, topics: printerTopics(this.o.settings.topicPrefix, slug), view: p.view,
      rules: new MqttCommandRules({
        commands: this.o.settings.commands, confirmCancelSeconds: this.o.confirmCancelSeconds ?? 60, control, now: this.now,
      }),
      unsubscribe: () => {}, lastStateAt: 0, discovery: new Map(), heaters: new Set(),
    };
    entry.unsubscribe = p.bus.subscribe((e) => this.guard(`event ${e.event}`, () => this.onEvent(entry, e)));
    this.printers.set(slug, entry);
    if (this.client.connected) this.announce(entry);
    return () => this.removePrinter(entry);
  }

  /** Say offline for every printer and the bridge, then close the connection (at most `timeoutMs`). */
  async stop(timeoutMs = 2000): Promise<void> {
    if (this.stopped) return;
    for (const e of [...this.printers.values()]) this.removePrinter(e);
    this.stopped = true;
    this.publish(bridgeAvailabilityTopic(this.o.settings.topicPrefix), OFFLINE, true);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.client.end(true, {}, () => resolve());
      }, timeoutMs);
      timer.unref();
      this.client.end(false, {}, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private removePrinter(e: Entry): void {
    if (this.printers.get(e.slug) !== e) return;
    e.unsubscribe();
    clearTimeout(e.stateTimer);
    clearInterval(e.refreshTimer);
    this.printers.delete(e.slug);
    this.publish(e.topics.availability, OFFLINE, true);
  }

  private onConnect(): void {
    const s = this.o.settings;
    this.o.log.info?.(this.everConnected ? 'MQTT: reconnected; publishing state and discovery again' : `MQTT: connected to ${redactText(s.url, s)}`);
    this.everConnected = true;
    this.outage = false;
    this.lastError = '';
    const topics = [commandWildcard(s.topicPrefix), ...(s.discovery ? [haStatusTopic(s.discoveryPrefix)] : [])];
    this.client.subscribe(topics, { qos: 1 }, (err) => {
      if (err) this.o.log.warn(`MQTT: could not subscribe to the command topics: ${redactText(err.message, s)}`);
    });
    this.publish(bridgeAvailabilityTopic(s.topicPrefix), ONLINE, true);
    for (const e of this.printers.values()) this.announce(e);
    this.flushQueue();
    for (const w of this.connectWaiters.splice(0)) w();
  }

  private onClose(): void {
    if (this.stopped || this.outage) return;
    this.outage = true;
    if (this.everConnected) this.o.log.warn(`MQTT: connection to the broker lost; reconnecting (meanwhile the newest ${this.queue.limit} events are kept)`);
  }

  private onError(err: Error): void {
    const text = redactText(err.message, this.o.settings);
    if (text === this.lastError) return; // the same error on every retry: say it once per outage
    this.lastError = text;
    const hint = /not authori[sz]ed|bad user ?name or password/i.test(text) ? ' (check mqtt.username and OCTOSLACK_MQTT_PASSWORD)'
      : /certificate|self[- ]signed|unable to verify/i.test(text) ? ' (set mqtt.tls.ca to the broker\'s CA file; rejectUnauthorized: false only for a test broker)'
        : /identifier rejected/i.test(text) ? ' (the broker wants a shorter client ID: set mqtt.clientId, at most 23 characters)'
          : '';
    this.o.log.warn(`MQTT: ${text}${hint}`);
  }

  private onMessage(topic: string, payload: string, retained: boolean): void {
    const s = this.o.settings;
    if (s.discovery && topic === haStatusTopic(s.discoveryPrefix)) {
      // Home Assistant restarted: say everything again (retained configs would do, this is quicker).
      if (payload.trim() === ONLINE && !retained) for (const e of this.printers.values()) this.announce(e);
      return;
    }
    const slug = slugOfCommandTopic(s.topicPrefix, topic);
    const entry = slug !== undefined ? this.printers.get(slug) : undefined;
    if (!entry) return;
    // An empty message is how a retained one is cleared: not a command.
    if (payload.trim() === '') return;
    if (retained) {
      this.o.log.warn(`MQTT: ignored a retained command on ${topic} (commands must not be retained; clear it with an empty retained message)`);
      return;
    }
    void entry.rules.handle(payload).then((r) => {
      this.o.log.info?.(`MQTT command "${r.command ?? payload.trim().slice(0, 40)}" for ${entry.name}: ${r.outcome} - ${r.message}`);
      this.send(entry.topics.commandResult, JSON.stringify(r));
      this.requestState(entry);
    }).catch((err: unknown) => this.o.log.warn(`MQTT: command for ${entry.name} failed: ${(err as Error).message}`));
  }

  private onEvent(e: Entry, ev: OctoslackEvent): void {
    if (isPublishedEvent(ev)) this.send(e.topics.event, JSON.stringify(eventPayload(ev)));
    this.requestState(e);
  }

  /** Everything about one printer, retained: discovery, availability, state. */
  private announce(e: Entry): void {
    const view = this.safeView(e);
    if (!view) return;
    this.publishDiscovery(e, view, true);
    this.publishAvailability(e, view, true);
    this.publishState(e, view, true);
  }

  /** A state publication soon: now, or when the one-per-interval limit allows. */
  private requestState(e: Entry): void {
    if (!this.client.connected || this.stopped) return; // a (re)connect publishes the state anyway
    const wait = e.lastStateAt + this.minStateMs - this.now();
    if (wait <= 0) {
      const view = this.safeView(e);
      if (view) this.publishState(e, view, false);
      return;
    }
    if (e.stateTimer) return;
    e.stateTimer = setTimeout(() => {
      e.stateTimer = undefined;
      this.guard('state', () => this.requestState(e));
    }, wait);
    e.stateTimer.unref();
  }

  private publishState(e: Entry, view: PrinterView, force: boolean): void {
    this.publishAvailability(e, view, false);
    this.publishDiscovery(e, view, false);
    const payload = statePayload(view, this.now());
    const sig = stateSignature(payload);
    this.keepRefreshing(e, view);
    if (!force && sig === e.lastSignature) return;
    if (!this.publish(e.topics.state, JSON.stringify(payload), true)) return;
    e.lastSignature = sig;
    e.lastStateAt = this.now();
  }

  /** While printing, the state is published every stateIntervalSeconds even when nothing changed. */
  private keepRefreshing(e: Entry, view: PrinterView): void {
    const printing = isPrinting(view);
    if (printing && !e.refreshTimer && this.o.settings.stateIntervalSeconds > 0) {
      e.refreshTimer = setInterval(() => this.guard('state refresh', () => {
        const v = this.safeView(e);
        if (v && this.client.connected) this.publishState(e, v, true);
      }), this.o.settings.stateIntervalSeconds * 1000);
      e.refreshTimer.unref();
    } else if (!printing && e.refreshTimer) {
      clearInterval(e.refreshTimer);
      e.refreshTimer = undefined;
    }
  }

  private publishAvailability(e: Entry, view: PrinterView, force: boolean): void {
    const online = isOnline(view);
    if (!force && online === e.online) return;
    if (this.publish(e.topics.availability, online ? ONLINE : OFFLINE, true)) e.online = online;
  }

  /** Discovery, when enabled; unchanged configs are not sent again unless forced. */
  private publishDiscovery(e: Entry, view: PrinterView, force: boolean): void {
    if (!this.o.settings.discovery) return;
    e.firmware = view.firmware ?? e.firmware;
    for (const k of Object.keys(view.heaters)) e.heaters.add(k);
    const messages = discoveryMessages(this.o.settings, {
      printerName: e.name, slug: e.slug, firmware: e.firmware, heaters: [...e.heaters].sort(),
      ...(this.o.version ? { version: this.o.version } : {}),
    });
    for (const m of messages) {
      if (!force && e.discovery.get(m.topic) === m.payload) continue;
      if (this.publish(m.topic, m.payload, true)) e.discovery.set(m.topic, m.payload);
    }
  }

  /** A non-retained message: now when connected, else into the bounded queue. */
  private send(topic: string, payload: string): void {
    if (this.client.connected && this.queue.length === 0) {
      this.publish(topic, payload, false);
      return;
    }
    if (this.stopped) return;
    this.queue.push({ topic, payload });
    if (this.client.connected) this.flushQueue();
  }

  private flushQueue(): void {
    const dropped = this.queue.takeDropped();
    if (dropped > 0) this.o.log.warn(`MQTT: ${dropped} event${dropped === 1 ? '' : 's'} dropped while the broker was away`);
    while (this.queue.length > 0 && this.client.connected) {
      const m = this.queue.shift()!;
      this.publish(m.topic, m.payload, false);
    }
  }

  /** Fire and forget, QoS 1; false when not connected (nothing was handed to the client). */
  private publish(topic: string, payload: string, retain: boolean): boolean {
    if (!this.client.connected) return false;
    try {
      this.client.publish(topic, payload, { qos: 1, retain }, (err) => {
        if (err && !this.stopped) this.o.log.debug?.(`MQTT: publish to ${topic} failed: ${redactText(err.message, this.o.settings)}`);
      });
      return true;
    } catch (err) {
      this.o.log.debug?.(`MQTT: publish to ${topic} failed: ${redactText((err as Error).message, this.o.settings)}`);
      return false;
    }
  }

  private safeView(e: Entry): PrinterView | undefined {
    try {
      return e.view();
    } catch (err) {
      this.o.log.warn(`MQTT: could not read the state of ${e.name}: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Nothing from MQTT may throw into the bus or the client's event emitter. */
  private guard(what: string, f: () => void): void {
    try {
      f();
    } catch (err) {
      this.o.log.warn(`MQTT: ${what}: ${redactText((err as Error).message ?? String(err), this.o.settings)}`);
    }
  }
}
