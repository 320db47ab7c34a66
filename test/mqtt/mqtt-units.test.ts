// The pure parts of the MQTT bridge (topics, state document, discovery, command rules, redaction)
// and the bridge's behaviour against a fake client: throttling, the bounded queue while the
// broker is away, and that nothing it does can throw into the bus.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControlResult, PrinterControl, StatusReport } from '../../src/app/printer-control.js';
import type { MqttSettings } from '../../src/config/types.js';
import { EventBus } from '../../src/events/bus.js';
import type { JobSnapshot, OctoslackEvent } from '../../src/events/events.js';
import { MqttBridge } from '../../src/mqtt/bridge.js';
import { MqttCommandRules, parseMqttCommand } from '../../src/mqtt/commands.js';
import { clientOptions, defaultClientId } from '../../src/mqtt/connect.js';
import { discoveryMessages, entityObjectId, heaterLabel, STATUS_OPTIONS } from '../../src/mqtt/discovery.js';
import { redactText, redactUrl } from '../../src/mqtt/redact.js';
import { eventPayload, isPublishedEvent, statePayload } from '../../src/mqtt/state-payload.js';
import { haStatusTopic, printerTopics, slugOf, slugOfCommandTopic } from '../../src/mqtt/topics.js';
import type { PrinterView } from '../../src/notify/render/input.js';
import { FakeClient } from './fake-client.js';
import { checkDiscovery, HA_BIRTH, isHaTimestamp } from './ha-schema.js';
import { memoryLog } from './broker.js';

export function mqttSettings(over: Partial<MqttSettings> = {}): MqttSettings {
  return {
    url: 'mqtt://127.0.0.1:1883', topicPrefix: 'octoslack', discovery: true, discoveryPrefix: 'homeassistant',
    commands: { pause: false, resume: false, cancel: false }, stateIntervalSeconds: 10, ...over,
  };
}

const JOB: JobSnapshot = { file: 'benchy.gcode', origin: 'host', percent: 42.345, elapsedS: 600.4, remainingS: 1200.2, layer: 12, layerCount: 150, z: 2.4 };
const printing = (over: Partial<PrinterView> = {}): PrinterView => ({
  printerName: 'Prusa MK4', status: 'Printing', heaters: { T0: { actual: 214.96, target: 215 }, B: { actual: 60, target: 60 } },
  job: JOB, firmware: 'Marlin 2.1.2', ...over,
});

describe('topics', () => {
  it('slugs printer names into safe topic segments and HA ids', () => {
    expect(slugOf('Prusa MK4 #2')).toBe('prusa_mk4_2');
    expect(slugOf('Ender-3 / left')).toBe('ender-3_left');
    expect(slugOf('Créality+')).toBe('creality');
    expect(slugOf('###')).toBe('printer');
    expect(printerTopics('farm/', 'a')).toEqual({
      state: 'farm/a/state', availability: 'farm/a/availability', event: 'farm/a/event', command: 'farm/a/command', commandResult: 'farm/a/command/result',
    });
    expect(slugOfCommandTopic('octoslack', 'octoslack/prusa/command')).toBe('prusa');
    expect(slugOfCommandTopic('octoslack', 'octoslack/prusa/command/result')).toBeUndefined();
    expect(slugOfCommandTopic('octoslack', 'other/prusa/command')).toBeUndefined();
  });
});

describe('state document', () => {
  it('says status, progress, ETA, layers, Z and temperatures, with null for the unknown', () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    const s = statePayload(printing(), now);
    expect(s).toEqual({
      printer: 'Prusa MK4', status: 'Printing', statusDetail: null, file: 'benchy.gcode', origin: 'host', progress: 42.3,
      elapsedS: 600, remainingS: 1200, eta: '2025-01-01T12:20:00.000Z', layer: 12, layerCount: 150, z: 2.4,
      temperatures: { B: { actual: 60, target: 60 }, T0: { actual: 215, target: 215 } }, firmware: 'Marlin 2.1.2',
      updatedAt: '2025-01-01T12:00:00.000Z',
    });
    const idle = statePayload({ printerName: 'P', status: 'Operational', heaters: { T0: { actual: 21 } }, job: JOB, z: 10 }, now);
    // A finished job's snapshot is not the state of an idle printer.
    expect(idle).toMatchObject({ status: 'Operational', file: null, progress: null, eta: null, remainingS: null, layer: null, z: 10 });
    expect(idle.temperatures).toEqual({ T0: { actual: 21, target: null } });
    // Paused: the remaining time stays, the ETA is unknown (nobody knows when it resumes).
    expect(statePayload(printing({ status: 'Paused' }), now)).toMatchObject({ remainingS: 1200, eta: null });
  });

  it('events carry ISO times; temperature reports are left to the state', () => {
    const e: OctoslackEvent = { event: 'PrintDone', at: Date.parse('2025-01-01T12:00:00Z'), job: JOB };
    expect(eventPayload(e)).toEqual({ event: 'PrintDone', at: '2025-01-01T12:00:00.000Z', job: JOB });
    expect(isPublishedEvent({ event: 'Temperature', at: 0, heaters: {} })).toBe(false);
    expect(isPublishedEvent({ event: 'Notice', at: 0, text: 'x', level: 'info' })).toBe(true);
  });
});

describe('Home Assistant discovery', () => {
  it('every config is valid for HA: sensors, per-heater temperatures, and one device', () => {
    const msgs = discoveryMessages(mqttSettings(), { printerName: 'Prusa MK4', slug: 'prusa_mk4', firmware: 'Marlin 2.1.2', heaters: ['B', 'T0'], version: '0.1.0' });
    const live = msgs.filter((m) => m.payload !== '');
    for (const m of live) expect(checkDiscovery(m.topic, m.payload), m.topic).toEqual([]);
    const ids = live.map((m) => m.topic.split('/')[3]);
    expect(ids).toEqual(['status', 'file', 'progress', 'time_remaining', 'eta', 'layer', 'layer_count', 'z',
      'b_temperature', 'b_target', 't0_temperature', 't0_target']);
    const configs = live.map((m) => JSON.parse(m.payload) as Record<string, unknown>);
    expect(new Set(configs.map((c) => JSON.stringify(c.device))).size).toBe(1);
    // The device is the printer (its firmware is the model); octoslack's version is the origin's.
    expect(configs[0]!.device).toEqual({ identifiers: ['octoslack_prusa_mk4'], name: 'Prusa MK4', manufacturer: 'octoslack', model: 'Marlin 2.1.2' });
    expect(configs.every((c) => JSON.stringify(c.origin) === JSON.stringify({ name: 'octoslack', sw_version: '0.1.0' }))).toBe(true);
    expect(configs.every((c) => c.unique_id === `octoslack_prusa_mk4_${(c.unique_id as string).slice('octoslack_prusa_mk4_'.length)}`)).toBe(true);
    // default_entity_id (not the deprecated object_id) suggests sensor.<unique_id>.
    expect(configs.every((c) => c.default_entity_id === `sensor.${c.unique_id as string}` && !('object_id' in c))).toBe(true);
    // The status sensor takes only the stable detail as an attribute, not the whole (ever-changing) document.
    expect(configs[0]).toMatchObject({ device_class: 'enum', json_attributes_topic: 'octoslack/prusa_mk4/state' });
    expect(configs[0]!.json_attributes_template).toContain('statusDetail');
    expect(configs[0]!.options).toEqual(['Operational', 'Printing', 'Paused', 'Offline', 'Error', 'Connecting', 'Pausing', 'Cancelling']);
    expect(configs.find((c) => c.unique_id === 'octoslack_prusa_mk4_t0_temperature')).toMatchObject({ name: 'Hotend temperature', device_class: 'temperature', unit_of_measurement: '°C' });
    expect(configs.find((c) => c.unique_id === 'octoslack_prusa_mk4_eta')).toMatchObject({ device_class: 'timestamp' });
    expect(configs.find((c) => c.unique_id === 'octoslack_prusa_mk4_time_remaining')).toMatchObject({ device_class: 'duration', unit_of_measurement: 's' });
    expect(configs[0]!.availability).toEqual([
      { topic: 'octoslack/bridge/availability', payload_available: 'online', payload_not_available: 'offline' },
      { topic: 'octoslack/prusa_mk4/availability', payload_available: 'online', payload_not_available: 'offline' },
    ]);
    expect(configs[0]!.availability_mode).toBe('all');
    // Buttons are off by default: their configs are removed (empty retained payloads).
    expect(msgs.filter((m) => m.topic.includes('/button/')).map((m) => [m.topic, m.payload])).toEqual([
      ['homeassistant/button/octoslack_prusa_mk4/pause/config', ''],
      ['homeassistant/button/octoslack_prusa_mk4/resume/config', ''],
      ['homeassistant/button/octoslack_prusa_mk4/cancel/config', ''],
      ['homeassistant/button/octoslack_prusa_mk4/cancel_confirm/config', ''],
    ]);
  });

  it('enabled commands become buttons; cancel is two buttons (arm, confirm)', () => {
    const msgs = discoveryMessages(mqttSettings({ commands: { pause: true, resume: false, cancel: true } }), { printerName: 'P', slug: 'p', heaters: [] });
    const buttons = msgs.filter((m) => m.topic.includes('/button/'));
    for (const b of buttons.filter((m) => m.payload)) expect(checkDiscovery(b.topic, b.payload), b.topic).toEqual([]);
    const press = Object.fromEntries(buttons.map((b) => [b.topic.split('/')[3], b.payload ? (JSON.parse(b.payload) as { payload_press: string }).payload_press : '']));
    expect(press).toEqual({ pause: 'pause', resume: '', cancel: 'cancel', cancel_confirm: 'cancel confirm' });
    expect(JSON.parse(buttons[0]!.payload)).toMatchObject({ command_topic: 'octoslack/p/command', retain: false, default_entity_id: 'button.octoslack_p_pause' });
  });

  it('ids stay valid for HA: hyphenated slugs, a custom discovery prefix, the ETA value, the birth topic', () => {
    const settings = mqttSettings({ topicPrefix: 'farm-2', discoveryPrefix: 'ha/disc', commands: { pause: true, resume: true, cancel: true } });
    const msgs = discoveryMessages(settings, { printerName: 'Ender-3 / left', slug: 'ender-3_left', heaters: ['T0', 'T1'] });
    for (const m of msgs) expect(checkDiscovery(m.topic, m.payload, 'ha/disc'), m.topic).toEqual([]);
    const ids = msgs.map((m) => (JSON.parse(m.payload) as { default_entity_id: string }).default_entity_id);
    expect(ids).toContain('sensor.farm_2_ender_3_left_t1_temperature');
    expect(ids).toContain('button.farm_2_ender_3_left_cancel_confirm');
    expect(entityObjectId('__A--b__')).toBe('a_b');
    // The ETA sensor is a timestamp: HA needs an ISO date-time with a zone, or None (unknown).
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(isHaTimestamp(statePayload(printing(), now).eta!)).toBe(true);
    expect(isHaTimestamp(String(statePayload(printing({ status: 'Paused' }), now).eta ?? 'None'))).toBe(true);
    expect(isHaTimestamp('2025-01-01 12:20')).toBe(false); // no zone
    expect(isHaTimestamp('1735734000')).toBe(false);
    // octoslack listens where HA announces itself.
    expect(haStatusTopic('homeassistant')).toBe(HA_BIRTH.topic());
    expect(haStatusTopic('ha/disc/')).toBe(HA_BIRTH.topic('ha/disc'));
    // Every status the state can carry is an option of the enum sensor (others would be dropped).
    for (const status of ['Operational', 'Printing', 'Paused', 'Offline', 'Error', 'Connecting', 'Pausing', 'Cancelling'] as const) {
      expect(STATUS_OPTIONS).toContain(statePayload(printing({ status }), now).status);
    }
  });

  it('the checker itself rejects what HA rejects', () => {
    const t = 'homeassistant/sensor/node/x/config';
    expect(checkDiscovery(t, JSON.stringify({ name: 'x' }))).toContain('state_topic: required');
    expect(checkDiscovery(t, JSON.stringify({ state_topic: 's', stat_t: 's' }))).toContain('stat_t: not a documented key');
    expect(checkDiscovery(t, JSON.stringify({ state_topic: 's', device_class: 'temperature', unit_of_measurement: 'mm' }))).toEqual(['unit_of_measurement mm: not valid for temperature']);
    expect(checkDiscovery(t, JSON.stringify({ state_topic: 's', device_class: 'timestamp', state_class: 'measurement' }))).toEqual(['state_class: not allowed for timestamp']);
    expect(checkDiscovery('homeassistant/sensor/no de/x/config', JSON.stringify({ state_topic: 's' }))).toHaveLength(1);
    expect(checkDiscovery(t, JSON.stringify({ state_topic: 's', device: { name: 'x' } }))).toEqual(['device: only with unique_id', 'device: needs identifiers or connections']);
    const ok = { state_topic: 's', unique_id: 'u' };
    const problems = (extra: Record<string, unknown>, component = 'sensor') => checkDiscovery(`homeassistant/${component}/node/x/config`, JSON.stringify({ ...ok, ...extra }));
    // Naming: object_id is deprecated; default_entity_id is a whole entity id of the same domain.
    expect(problems({ object_id: 'x' })).toEqual(['object_id: deprecated since HA 2025.10 (gone in 2026.4); use default_entity_id']);
    expect(problems({ default_entity_id: 'sensor.ok_id' })).toEqual([]);
    expect(problems({ default_entity_id: 'ok_id' })).toEqual(['default_entity_id ok_id: not sensor.<a-z0-9_>']);
    expect(problems({ default_entity_id: 'button.ok_id' })).toEqual(['default_entity_id button.ok_id: not sensor.<a-z0-9_>']);
    expect(problems({ default_entity_id: 'sensor.Bad-Id' })).toEqual(['default_entity_id sensor.Bad-Id: not sensor.<a-z0-9_>']);
    // platform belongs to device-based discovery only.
    expect(problems({ platform: 'mqtt' })).toEqual(['platform: not a documented key']);
    // Units and state classes per device class.
    expect(problems({ device_class: 'duration', unit_of_measurement: 's', state_class: 'measurement' })).toEqual([]);
    expect(problems({ device_class: 'duration', unit_of_measurement: 'sec' })).toEqual(['unit_of_measurement sec: not valid for duration']);
    expect(problems({ device_class: 'distance', unit_of_measurement: 'mm', state_class: 'total_increasing' })).toEqual([]);
    expect(problems({ device_class: 'temperature', unit_of_measurement: '°C', state_class: 'total' })).toEqual(['state_class: not allowed for temperature']);
    expect(problems({ device_class: 'timestamp', unit_of_measurement: 's' })).toEqual(['unit_of_measurement: not allowed for timestamp']);
    expect(problems({ state_class: 'measurement_angle', unit_of_measurement: 'rad' })).toEqual(['state_class measurement_angle: needs unit_of_measurement °']);
    expect(problems({ last_reset_value_template: '{{ value }}', state_class: 'measurement' })).toEqual(['last_reset_value_template: only with state_class total']);
    // Enum sensors: options required, non-empty, and neither unit nor state class.
    expect(problems({ device_class: 'enum' })).toEqual(['options: required for an enum sensor']);
    expect(problems({ device_class: 'enum', options: [] })).toEqual(['options: bad value []']);
    expect(problems({ device_class: 'enum', options: ['a'], state_class: 'measurement' })).toEqual(['state_class: not allowed for enum', 'options: not with state_class or unit_of_measurement']);
    expect(problems({ options: ['a'] })).toEqual(['options: only for enum sensors']);
    // Categories: sensors may only be diagnostic; buttons config or diagnostic.
    expect(problems({ entity_category: 'config' })).toEqual(['entity_category: bad value "config"']);
    expect(problems({ command_topic: 'c', entity_category: 'config' }, 'button')).toEqual(['state_topic: not a documented key']);
    expect(problems({ expire_after: -1 })).toEqual(['expire_after: bad value -1']);
    // Availability: a list of {topic, …}, modes all|any|latest, never together with availability_topic.
    expect(problems({ availability: [{ payload_available: 'on' }] })).toEqual(['availability: bad value [{"payload_available":"on"}]']);
    expect(problems({ availability: [{ topic: 'a' }], availability_mode: 'every' })).toEqual(['availability_mode: bad value "every"']);
    expect(problems({ availability: [{ topic: 'a' }], availability_topic: 'a' })).toEqual(['availability and availability_topic: not both']);
    // Origin needs a name; support_url and configuration_url are URLs.
    expect(problems({ origin: { sw_version: '1' } })).toEqual(['origin: bad value {"sw_version":"1"}']);
    expect(problems({ origin: { name: 'o', support_url: 'nope' } })).toEqual(['origin: bad value {"name":"o","support_url":"nope"}']);
    expect(problems({ device: { identifiers: [], name: 'x' } })).toEqual(['device: needs identifiers or connections']);
    // The whole state document as attributes of a sensor on the same topic is discouraged.
    expect(problems({ json_attributes_topic: 's' })).toEqual(['json_attributes_topic: the state topic itself needs a json_attributes_template']);
    expect(problems({ json_attributes_topic: 's', json_attributes_template: '{{ value_json.a | tojson }}' })).toEqual([]);
    // Buttons: command_topic required, device classes identify|restart|update.
    expect(checkDiscovery('homeassistant/button/node/x/config', JSON.stringify({ payload_press: 'p' }))).toEqual(['command_topic: required']);
    expect(problems({ command_topic: 'c', device_class: 'pause' }, 'button')).toEqual(['state_topic: not a documented key', 'device_class: bad value "pause"']);
    expect(checkDiscovery(t, '[1]')).toEqual(['payload: not a JSON object']);
    expect(heaterLabel('T1', ['T0', 'T1', 'B'])).toBe('Hotend 2');
  });
});

/** A PrinterControl that records calls and follows a tiny job state machine. */
function fakeControl(activity = 'printing'): PrinterControl & { calls: string[]; activity: string } {
  const c = {
    calls: [] as string[],
    activity,
    status: (): StatusReport => ({ printerName: 'P', port: 'sim://', connection: 'connected', activity: c.activity, heaters: {}, job: { ...JOB } }),
    pause: async (by: string): Promise<ControlResult> => { c.calls.push(`pause ${by}`); c.activity = 'paused'; return { ok: true, message: `paused (by ${by})` }; },
    resume: async (by: string): Promise<ControlResult> => { c.calls.push(`resume ${by}`); return { ok: true, message: 'resumed' }; },
    cancel: async (by: string): Promise<ControlResult> => { c.calls.push(`cancel ${by}`); c.activity = 'idle'; return { ok: true, message: 'cancelled' }; },
  };
  return c;
}

describe('MQTT command rules', () => {
  it('parses plain and JSON payloads', () => {
    expect(parseMqttCommand(' Pause\n')).toBe('pause');
    expect(parseMqttCommand('CANCEL_CONFIRM')).toBe('cancel confirm');
    expect(parseMqttCommand('{"command":"resume"}')).toBe('resume');
    expect(parseMqttCommand('PRESS')).toBeUndefined();
    expect(parseMqttCommand('{bad')).toBeUndefined();
  });

  it('a disabled command is refused and never reaches the printer', async () => {
    const control = fakeControl();
    const rules = new MqttCommandRules({ commands: { pause: false, resume: false, cancel: false }, confirmCancelSeconds: 60, control: () => control });
    for (const p of ['pause', 'resume', 'cancel', 'cancel confirm']) {
      const r = await rules.handle(p);
      expect(r.outcome).toBe('refused');
      expect(r.message).toMatch(/disabled .*mqtt\.commands\.(pause|resume|cancel): true/);
    }
    expect((await rules.handle('jump')).outcome).toBe('unknown');
    expect(control.calls).toEqual([]);
  });

  it('cancel needs "cancel confirm" within the window, like chat', async () => {
    let now = 1_000_000;
    const control = fakeControl();
    const rules = new MqttCommandRules({ commands: { pause: true, resume: true, cancel: true }, confirmCancelSeconds: 30, control: () => control, now: () => now });
    expect(await rules.handle('cancel confirm')).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/no cancel to confirm/) });
    expect(await rules.handle('cancel')).toMatchObject({ outcome: 'asked', message: 'send "cancel confirm" within 30 s to cancel the print of benchy.gcode' });
    now += 31_000;
    expect((await rules.handle('cancel confirm')).outcome).toBe('failed');
    expect(control.calls).toEqual([]);
    await rules.handle('cancel');
    now += 29_000;
    expect(await rules.handle('cancel confirm')).toMatchObject({ command: 'cancel confirm', outcome: 'done' });
    expect(control.calls).toEqual(['cancel MQTT']);
    // Once only: a second confirm does nothing.
    expect((await rules.handle('cancel confirm')).outcome).toBe('failed');
    // Nothing printing: cancel is not even armed.
    expect(await rules.handle('cancel')).toMatchObject({ outcome: 'failed', message: 'nothing is printing, so there is nothing to cancel' });
  });

  it('no printer: commands fail politely; a throwing control is an answer, not a crash', async () => {
    const none = new MqttCommandRules({ commands: { pause: true, resume: true, cancel: true }, confirmCancelSeconds: 60, control: () => undefined });
    expect(await none.handle('pause')).toMatchObject({ outcome: 'failed', message: 'the printer is not connected' });
    const bad = fakeControl();
    bad.pause = async () => { throw new Error('port closed'); };
    const rules = new MqttCommandRules({ commands: { pause: true, resume: true, cancel: true }, confirmCancelSeconds: 60, control: () => bad });
    expect(await rules.handle('pause')).toMatchObject({ outcome: 'failed', message: 'the printer did not answer: port closed' });
  });
});

describe('secrets and client options', () => {
  let dir: string | undefined;
  afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); dir = undefined; });

  it('URLs with credentials and the password are redacted', () => {
    expect(redactUrl('mqtts://octo:hunter2@broker:8883')).toBe('mqtts://[redacted]@broker:8883');
    expect(redactUrl('connect ECONNREFUSED for ws://u:p@h/mqtt and mqtt://h')).toBe('connect ECONNREFUSED for ws://[redacted]@h/mqtt and mqtt://h');
    const s = { url: 'mqtt://octo:pa%24%24word@h', password: 'sesame-open' };
    expect(redactText('auth sesame-open failed; pa$$word; pa%24%24word', s)).toBe('auth [redacted] failed; [redacted]; [redacted]');
  });

  it('TLS files, credentials, last will and client id go to mqtt.connect', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'octoslack-mqtt-'));
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(path.join(dir, f), `-----BEGIN ${f}-----\n`);
    const o = clientOptions(mqttSettings({
      url: 'mqtts://b:8883', username: 'octo', password: 'pw', topicPrefix: 'farm',
      tls: { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem'), rejectUnauthorized: false },
    }));
    expect(String(o.ca)).toBe('-----BEGIN ca.pem-----\n');
    expect(String(o.cert)).toBe('-----BEGIN cert.pem-----\n');
    expect(String(o.key)).toBe('-----BEGIN key.pem-----\n');
    expect(o.rejectUnauthorized).toBe(false);
    expect(o).toMatchObject({ username: 'octo', password: 'pw', clientId: defaultClientId(), queueQoSZero: false });
    expect(o.will).toMatchObject({ topic: 'farm/bridge/availability', qos: 1, retain: true });
    expect(String(o.will!.payload)).toBe('offline');
    expect(defaultClientId()).toBe(`octoslack-${os.hostname().replace(/[^A-Za-z0-9_.-]+/g, '_')}-${process.pid}`);
    expect(() => clientOptions(mqttSettings({ tls: { ca: path.join(dir!, 'missing.pem'), rejectUnauthorized: true } }))).toThrow(/mqtt\.tls\.ca: cannot read .*missing\.pem \(ENOENT\)/);
  });
});

describe('bridge on a fake client', () => {
  const view = (over: Partial<PrinterView> = {}) => (): PrinterView => printing(over);

  it('throttles state to one per interval, keeps the latest, and never throws into the bus', async () => {
    const client = new FakeClient();
    const log = memoryLog();
    let now = 0;
    const bridge = new MqttBridge(client.asClient, { settings: mqttSettings({ discovery: false }), log, now: () => now, minStateIntervalMs: 50 });
    const bus = new EventBus((err) => { throw err; });
    let percent = 10;
    bridge.addPrinter({ name: 'P', bus, view: () => printing({ job: { ...JOB, percent } }) });
    client.up();
    const states = () => client.to('octoslack/p/state').map((p) => (JSON.parse(p.payload) as { progress: number }).progress);
    expect(states()).toEqual([10]);
    for (let i = 0; i < 20; i++) {
      percent = 11 + i;
      bus.emit({ event: 'Temperature', at: 0, heaters: {} });
      await bus.flush();
    }
    expect(states()).toEqual([10]); // within the interval: held back
    now = 60;
    await new Promise((r) => setTimeout(r, 80));
    expect(states()).toEqual([10, 30]); // then the latest, once
    expect(client.to('octoslack/p/event')).toEqual([]); // temperature reports are not events
    // A throwing view or publish is logged, never thrown into the bus.
    client.throwOnPublish = true;
    now = 200;
    bus.emit({ event: 'Notice', at: 0, text: 'hello', level: 'info' });
    await bus.flush();
    expect(log.lines.some((l) => l.includes('publish to octoslack/p/event failed: boom'))).toBe(true);
    await bridge.stop(100);
  });

  it('while disconnected: no state queued, events kept up to the limit (oldest dropped, counted)', async () => {
    const client = new FakeClient();
    const log = memoryLog();
    const bridge = new MqttBridge(client.asClient, { settings: mqttSettings({ discovery: false }), log, maxQueuedEvents: 5 });
    const bus = new EventBus((err) => { throw err; });
    bridge.addPrinter({ name: 'P', bus, view: view() });
    for (let i = 0; i < 8; i++) bus.emit({ event: 'Notice', at: i, text: `n${i}`, level: 'info' });
    await bus.flush();
    expect(client.published).toEqual([]);
    client.up();
    const order = client.published.map((p) => p.topic);
    expect(order.slice(0, 3)).toEqual(['octoslack/bridge/availability', 'octoslack/p/availability', 'octoslack/p/state']);
    const events = client.to('octoslack/p/event').map((p) => (JSON.parse(p.payload) as { text: string }).text);
    expect(events).toEqual(['n3', 'n4', 'n5', 'n6', 'n7']);
    expect(client.to('octoslack/p/state')).toHaveLength(1);
    expect(log.lines.filter((l) => /dropp/.test(l))).toEqual([
      'warn MQTT: more than 5 events waiting for the broker; dropping the oldest',
      'warn MQTT: 3 events dropped while the broker was away',
    ]);
    await bridge.stop(100);
  });

  it('availability follows the printer; removing a printer says offline; names may not collide', async () => {
    const client = new FakeClient();
    const bridge = new MqttBridge(client.asClient, { settings: mqttSettings({ discovery: false }), log: memoryLog(), minStateIntervalMs: 0 });
    const bus = new EventBus();
    let status: PrinterView['status'] = 'Offline';
    client.up();
    const remove = bridge.addPrinter({ name: 'P', bus, view: () => printing({ status, job: undefined }) });
    expect(() => bridge.addPrinter({ name: 'p', bus, view: view() })).toThrow(/share the MQTT topic segment "p"/);
    expect(() => bridge.addPrinter({ name: 'Bridge', bus, view: view() })).toThrow(/reserved/);
    status = 'Operational';
    bus.emit({ event: 'Connected', at: 0, port: 'sim://', capabilities: [], advancedOk: false });
    await bus.flush();
    status = 'Offline';
    bus.emit({ event: 'Disconnected', at: 0, port: 'sim://' });
    await bus.flush();
    remove();
    bus.emit({ event: 'Notice', at: 0, text: 'after', level: 'info' });
    await bus.flush();
    expect(client.to('octoslack/p/availability').map((p) => p.payload)).toEqual(['offline', 'online', 'offline', 'offline']);
    expect(client.to('octoslack/p/event').map((p) => JSON.parse(p.payload).event)).toEqual(['Connected', 'Disconnected']);
    await bridge.stop(100);
    expect(client.to('octoslack/bridge/availability').map((p) => p.payload)).toEqual(['online', 'offline']);
  });

  it('while printing the state is refreshed every stateIntervalSeconds; idle, only on change', async () => {
    const client = new FakeClient();
    const bridge = new MqttBridge(client.asClient, { settings: mqttSettings({ discovery: false, stateIntervalSeconds: 1 }), log: memoryLog() });
    let status: PrinterView['status'] = 'Printing';
    bridge.addPrinter({ name: 'P', bus: new EventBus(), view: () => printing({ status }) });
    client.up();
    await new Promise((r) => setTimeout(r, 1150));
    expect(client.to('octoslack/p/state')).toHaveLength(2); // on connect, then the refresh
    status = 'Operational';
    await new Promise((r) => setTimeout(r, 1100)); // the refresh sees idle, says so, and stops
    expect(client.to('octoslack/p/state').map((p) => JSON.parse(p.payload).status)).toEqual(['Printing', 'Printing', 'Operational']);
    await new Promise((r) => setTimeout(r, 1100));
    expect(client.to('octoslack/p/state')).toHaveLength(3);
    await bridge.stop(100);
  });

  it('ignores retained commands', async () => {
    const client = new FakeClient();
    const control = fakeControl();
    const log = memoryLog();
    const bridge = new MqttBridge(client.asClient, { settings: mqttSettings({ discovery: false, commands: { pause: true, resume: true, cancel: true } }), log });
    bridge.addPrinter({ name: 'P', bus: new EventBus(), view: view(), control });
    client.up();
    expect(client.subscribed).toEqual(['octoslack/+/command']);
    client.emit('message', 'octoslack/p/command', Buffer.from('pause'), { retain: true });
    await new Promise((r) => setTimeout(r, 20));
    expect(control.calls).toEqual([]);
    expect(log.lines.some((l) => l.includes('ignored a retained command'))).toBe(true);
    client.emit('message', 'octoslack/p/command', Buffer.from('pause'), { retain: false });
    await new Promise((r) => setTimeout(r, 20));
    expect(control.calls).toEqual(['pause MQTT']);
    expect(JSON.parse(client.to('octoslack/p/command/result')[0]!.payload)).toMatchObject({ command: 'pause', outcome: 'done' });
    await bridge.stop(100);
  });
});
