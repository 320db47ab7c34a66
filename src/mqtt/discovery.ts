// Home Assistant MQTT discovery: one device per printer with its sensors and (when allowed) its
// buttons, each as a retained `<discoveryPrefix>/<component>/<node_id>/<object_id>/config`
// (single-component discovery, https://www.home-assistant.io/integrations/mqtt/#discovery-messages).
// Keys are Home Assistant's full names (no abbreviations). An empty retained payload on a config
// topic removes that entity, which is how disabled buttons disappear.
//
// Ids: node_id = <prefix slug>_<printer slug> (so two octoslack hosts with a printer called "prusa"
// stay apart when their topic prefixes differ), unique_id = <node_id>_<object_id>. Both depend only
// on configuration, so entities keep their history and customisations across restarts.
// default_entity_id = <component>.<unique_id as an entity id> suggests the entity id the first time
// HA sees the entity (HA 2025.10+; older versions ignore unknown keys). The older `object_id` key
// is deliberately absent: HA 2025.10 deprecated it (a warning per entity) and 2026.4 removed it.
//
// Every entity is available only when both the bridge (last will) and the printer are online
// (availability_mode all): a dead bridge or an unplugged printer reads "unavailable", not stale.
//
// The device is the printer: `model` is its firmware's M115 name. octoslack's own version goes in
// `origin` (the application that publishes the configs), not in the device's `sw_version`, which HA
// documents as the device's firmware version.
import type { MqttSettings } from '../config/types.js';
import type { PrinterStatus } from '../notify/render/input.js';
import { bridgeAvailabilityTopic, cleanPrefix, OFFLINE, ONLINE, printerTopics, slugOf } from './topics.js';

export interface DiscoveryMessage {
  topic: string;
  /** The config as JSON; '' removes the entity. */
  payload: string;
}

export interface DiscoveryInput {
  printerName: string;
  slug: string;
  /** Firmware name (M115), the device's model. */
  firmware?: string;
  /** Heater keys seen so far (`T0`, `B`, …). */
  heaters: readonly string[];
  /** octoslack's version, for the device's software version and the origin. */
  version?: string;
}

type Settings = Pick<MqttSettings, 'topicPrefix' | 'discoveryPrefix' | 'commands'>;

/** Every status word, once: an enum sensor ignores (with a warning) any state not in its options. */
const STATUS_WORDS: Record<PrinterStatus, true> = {
  Operational: true, Printing: true, Paused: true, Offline: true, Error: true, Connecting: true, Pausing: true, Cancelling: true,
};

/** Status words the status sensor can take (an enum sensor lists them). */
export const STATUS_OPTIONS: readonly PrinterStatus[] = Object.keys(STATUS_WORDS) as PrinterStatus[];

interface Entity {
  component: 'sensor' | 'button';
  objectId: string;
  config: Record<string, unknown>;
}

const HEATER_NAMES: Record<string, string> = {
  B: 'Bed', C: 'Chamber', P: 'Probe', A: 'Ambient', L: 'Cooler', M: 'Board', R: 'Redundant',
};

/** `T0` → Hotend (or Hotend 1 when there are several), `B` → Bed. */
export function heaterLabel(key: string, all: readonly string[]): string {
  const tool = /^T(\d+)$/.exec(key);
  if (tool) return all.filter((k) => /^T\d+$/.test(k)).length > 1 ? `Hotend ${Number(tool[1]) + 1}` : 'Hotend';
  return HEATER_NAMES[key] ?? key;
}

/** A heater key as it may appear in an object id. */
const heaterId = (key: string) => key.toLowerCase().replace(/[^a-z0-9_-]/g, '_');

/** An id as the object part of an HA entity id: [a-z0-9_], no `__`, no `_` at either end. */
export function entityObjectId(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '') || 'printer';
}

export function nodeIdOf(settings: Pick<MqttSettings, 'topicPrefix'>, slug: string): string {
  return `${slugOf(cleanPrefix(settings.topicPrefix))}_${slug}`;
}

/** The commands the buttons send; cancel arms, "Confirm cancel" confirms (see commands.ts). */
export const BUTTONS = [
  { command: 'pause', objectId: 'pause', name: 'Pause', payload: 'pause', icon: 'mdi:pause' },
  { command: 'resume', objectId: 'resume', name: 'Resume', payload: 'resume', icon: 'mdi:play' },
  { command: 'cancel', objectId: 'cancel', name: 'Cancel print', payload: 'cancel', icon: 'mdi:stop' },
  { command: 'cancel', objectId: 'cancel_confirm', name: 'Confirm cancel', payload: 'cancel confirm', icon: 'mdi:stop-circle' },
] as const;

function sensors(input: DiscoveryInput): Entity[] {
  const v = (key: string) => `{{ value_json.${key} }}`;
  const list: Entity[] = [
    { component: 'sensor', objectId: 'status', config: {
      name: 'Status', value_template: v('status'), device_class: 'enum', options: STATUS_OPTIONS, icon: 'mdi:printer-3d',
      // Only the slow-changing detail ("Error: thermal runaway") as an attribute: HA discourages
      // attributes that change on every update (the whole document has updatedAt) — each would be
      // a state write. The rest has its own sensors.
      json_attributes_template: "{{ {'status_detail': value_json.statusDetail} | tojson }}",
    } },
    { component: 'sensor', objectId: 'file', config: { name: 'File', value_template: v('file'), icon: 'mdi:file-outline' } },
    { component: 'sensor', objectId: 'progress', config: {
      name: 'Progress', value_template: v('progress'), unit_of_measurement: '%', state_class: 'measurement',
      suggested_display_precision: 0, icon: 'mdi:progress-clock',
    } },
    { component: 'sensor', objectId: 'time_remaining', config: {
      name: 'Time remaining', value_template: v('remainingS'), device_class: 'duration', unit_of_measurement: 's', state_class: 'measurement',
    } },
    { component: 'sensor', objectId: 'eta', config: { name: 'Estimated finish', value_template: v('eta'), device_class: 'timestamp' } },
    { component: 'sensor', objectId: 'layer', config: {
      name: 'Current layer', value_template: v('layer'), state_class: 'measurement', icon: 'mdi:layers-outline',
    } },
    { component: 'sensor', objectId: 'layer_count', config: { name: 'Layer count', value_template: v('layerCount'), icon: 'mdi:layers-triple' } },
    { component: 'sensor', objectId: 'z', config: {
      name: 'Z height', value_template: v('z'), device_class: 'distance', unit_of_measurement: 'mm', state_class: 'measurement',
      suggested_display_precision: 2,
    } },
  ];
  for (const key of input.heaters) {
    const label = heaterLabel(key, input.heaters);
    const at = `value_json.temperatures[${JSON.stringify(key)}]`;
    const temp = (which: 'actual' | 'target') => ({
      value_template: `{{ ${at}.${which} if ${at} is defined else none }}`,
      device_class: 'temperature', unit_of_measurement: '°C', state_class: 'measurement', suggested_display_precision: 1,
    });
    list.push(
      { component: 'sensor', objectId: `${heaterId(key)}_temperature`, config: { name: `${label} temperature`, ...temp('actual') } },
      { component: 'sensor', objectId: `${heaterId(key)}_target`, config: { name: `${label} target`, ...temp('target'), icon: 'mdi:thermometer-check' } },
    );
  }
  return list;
}

/** Every discovery message for one printer: its entities, and removals for disabled buttons. */
export function discoveryMessages(settings: Settings, input: DiscoveryInput): DiscoveryMessage[] {
  const topics = printerTopics(settings.topicPrefix, input.slug);
  const node = nodeIdOf(settings, input.slug);
  const prefix = cleanPrefix(settings.discoveryPrefix, 'homeassistant');
  const device: Record<string, unknown> = {
    identifiers: [node],
    name: input.printerName,
    manufacturer: 'octoslack',
    model: input.firmware ?? 'Marlin printer',
  };
  const origin: Record<string, unknown> = { name: 'octoslack' };
  if (input.version) origin.sw_version = input.version;
  const common = {
    availability: [
      { topic: bridgeAvailabilityTopic(settings.topicPrefix), payload_available: ONLINE, payload_not_available: OFFLINE },
      { topic: topics.availability, payload_available: ONLINE, payload_not_available: OFFLINE },
    ],
    availability_mode: 'all',
    device,
    origin,
  };
  const topicOf = (e: Pick<Entity, 'component' | 'objectId'>) => `${prefix}/${e.component}/${node}/${e.objectId}/config`;
  const ids = (e: Pick<Entity, 'component' | 'objectId'>) => ({
    unique_id: `${node}_${e.objectId}`,
    default_entity_id: `${e.component}.${entityObjectId(`${node}_${e.objectId}`)}`,
  });
  const out: DiscoveryMessage[] = [];
  for (const e of sensors(input)) {
    const config: Record<string, unknown> = { ...e.config, ...ids(e), state_topic: topics.state, ...common };
    if ('json_attributes_template' in config) config.json_attributes_topic = topics.state;
    out.push({ topic: topicOf(e), payload: JSON.stringify(config) });
  }
  for (const b of BUTTONS) {
    const e = { component: 'button' as const, objectId: b.objectId };
    if (!settings.commands[b.command]) {
      out.push({ topic: topicOf(e), payload: '' });
      continue;
    }
    const config = {
      name: b.name, ...ids(e), command_topic: topics.command, payload_press: b.payload,
      icon: b.icon, qos: 1, retain: false, ...common,
    };
    out.push({ topic: topicOf(e), payload: JSON.stringify(config) });
  }
  return out;
}
