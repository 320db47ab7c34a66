// A checker for Home Assistant MQTT discovery payloads (single-component discovery), encoding the
// rules of HA's documentation and of the schemas behind it. Sources, by the tag each rule cites:
//
//   [mqtt]    https://www.home-assistant.io/integrations/mqtt/ — "Discovery topic", "Discovery
//             payload" (origin: name required, sw_version, support_url), "Using availability topics",
//             "Birth and last will messages" (HA announces `online` on `homeassistant/status`).
//   [sensor]  https://www.home-assistant.io/integrations/sensor.mqtt/ — configuration variables.
//   [button]  https://www.home-assistant.io/integrations/button.mqtt/ — configuration variables.
//   [classes] https://www.home-assistant.io/integrations/sensor/#device-class and
//             https://developers.home-assistant.io/docs/core/entity/sensor/ — units per device class
//             and which state classes each allows (core: homeassistant/components/sensor/const.py,
//             DEVICE_CLASS_UNITS and DEVICE_CLASS_STATE_CLASSES).
//   [schema]  core homeassistant/components/mqtt/schemas.py and sensor.py (discovery schemas:
//             availability list, device info, origin info, sensor option rules).
//   [entity-id] core PR #151775 and home-assistant.io PR #40749 (HA 2025.10): `default_entity_id`
//             (a full entity id such as `sensor.foo`) replaces `object_id`, which logs a deprecation
//             warning from 2025.10 and stops working in 2026.4.
//
// HA itself drops unknown keys silently [mqtt "Discovery payload"], so a misspelt key is a feature
// that quietly does nothing; this checker reports it instead. Only full key names: octoslack
// publishes no abbreviations, so an abbreviation here is reported as an unknown key.
// Returns the problems found; empty means the payload is valid.

type Check = (v: unknown) => boolean;

const str: Check = (v) => typeof v === 'string';
const nonEmpty: Check = (v) => typeof v === 'string' && v.length > 0;
const bool: Check = (v) => typeof v === 'boolean';
const int: Check = (v) => Number.isInteger(v);
/** cv.positive_int: an integer >= 0. */
const positiveInt: Check = (v) => int(v) && (v as number) >= 0;
const qos: Check = (v) => v === 0 || v === 1 || v === 2;
const oneOf = (...values: unknown[]): Check => (v) => values.includes(v);
const strList: Check = (v) => Array.isArray(v) && v.every(str);
const strOrList: Check = (v) => str(v) || strList(v);
/** An MQTT topic to subscribe to or publish on: no wildcards in a publish topic. */
const topic: Check = (v) => nonEmpty(v) && !/[+#]/.test(v as string);
const template: Check = (v) => nonEmpty(v) && /\{\{.*\}\}|\{%.*%\}/s.test(v as string);
/** cv.configuration_url: http(s):// or homeassistant:// [sensor device.configuration_url]. */
const url: Check = (v) => typeof v === 'string' && /^(https?:\/\/[^\s/]+|homeassistant:\/\/)\S*$/.test(v);
/** cv.icon: `prefix:name` [sensor icon]. */
const icon: Check = (v) => typeof v === 'string' && /^[a-z0-9-]+:[a-z0-9-]+$/.test(v);
/** The object part of an entity id: [a-z0-9_], no `__`, no `_` at either end. */
const ENTITY_OBJECT = /^(?!.*__)(?!_)[a-z0-9_]+(?<!_)$/;

/** Keys every MQTT entity accepts in single-component discovery [sensor], [button], [schema]. */
const COMMON: Record<string, Check> = {
  availability: (v) => Array.isArray(v) && v.length > 0 && v.every((a) => checkObject(a, AVAILABILITY_ITEM, ['topic']).length === 0),
  availability_mode: oneOf('all', 'any', 'latest'),
  availability_template: template,
  availability_topic: topic,
  default_entity_id: nonEmpty, // its form is checked against the component below [entity-id]
  device: (v) => checkObject(v, DEVICE, []).length === 0,
  enabled_by_default: bool,
  encoding: str,
  entity_picture: nonEmpty,
  icon,
  json_attributes_template: template,
  json_attributes_topic: topic,
  name: (v) => v === null || str(v), // null: the entity is the device's main feature [sensor name]
  origin: (v) => checkObject(v, ORIGIN, ['name']).length === 0,
  payload_available: str,
  payload_not_available: str,
  qos,
  unique_id: nonEmpty,
  // Not here on purpose: `platform` is "only allowed and required in device discovery messages"
  // [sensor], [button]; `object_id` is deprecated [entity-id] (reported with its own message).
};

/** An item of the `availability` list: topic required [mqtt "Using availability topics"]. */
const AVAILABILITY_ITEM: Record<string, Check> = {
  topic, payload_available: str, payload_not_available: str, value_template: template,
};

/** The `device` map [sensor device], [schema MQTT_ENTITY_DEVICE_INFO_SCHEMA]. */
const DEVICE: Record<string, Check> = {
  configuration_url: url,
  connections: (v) => Array.isArray(v) && v.every((c) => Array.isArray(c) && c.length === 2 && c.every(str)),
  hw_version: str,
  identifiers: strOrList,
  manufacturer: str,
  model: str,
  model_id: str,
  name: str,
  serial_number: str,
  suggested_area: str,
  sw_version: str,
  via_device: str,
};

/** The `origin` map: name required [mqtt "Discovery payload"], [schema MQTT_ORIGIN_INFO_SCHEMA]. */
const ORIGIN: Record<string, Check> = { name: nonEmpty, sw_version: str, support_url: url };

/**
 * Sensor device classes octoslack might use (a subset of HA's), with the units HA accepts for each
 * (null: no unit at all) and the state classes it allows [classes].
 */
const SENSOR_CLASSES: Record<string, { units: readonly string[] | null; stateClasses: readonly string[] }> = {
  temperature: { units: ['°C', '°F', 'K'], stateClasses: ['measurement'] },
  duration: { units: ['d', 'h', 'min', 's', 'ms', 'µs'], stateClasses: ['measurement', 'total', 'total_increasing'] },
  distance: { units: ['km', 'm', 'cm', 'mm', 'mi', 'nmi', 'yd', 'in', 'ft'], stateClasses: ['measurement', 'total', 'total_increasing'] },
  timestamp: { units: null, stateClasses: [] },
  date: { units: null, stateClasses: [] },
  enum: { units: null, stateClasses: [] },
};

/** The sensor's keys [sensor]. */
const SENSOR: Record<string, Check> = {
  ...COMMON,
  device_class: (v) => v === null || (typeof v === 'string' && v in SENSOR_CLASSES),
  entity_category: oneOf('diagnostic'), // "must be `diagnostic` for sensors" [sensor entity_category]
  expire_after: positiveInt,
  force_update: bool,
  last_reset_value_template: template,
  options: (v) => strList(v) && (v as unknown[]).length > 0, // "An empty list is not allowed" [sensor options]
  suggested_display_precision: positiveInt,
  state_class: (v) => v === null || ['measurement', 'measurement_angle', 'total', 'total_increasing'].includes(v as string),
  state_topic: topic,
  unit_of_measurement: (v) => v === null || str(v),
  value_template: template,
};

/** The button's keys [button]. */
const BUTTON: Record<string, Check> = {
  ...COMMON,
  command_template: template,
  command_topic: topic,
  device_class: (v) => v === null || v === 'identify' || v === 'restart' || v === 'update', // /integrations/button/#device-class
  entity_category: oneOf('config', 'diagnostic'),
  payload_press: str,
  retain: bool,
};

function checkObject(v: unknown, schema: Record<string, Check>, required: string[], path = ''): string[] {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [`${path || 'payload'}: not an object`];
  const problems: string[] = [];
  for (const k of required) if (!(k in v)) problems.push(`${path}${k}: required`);
  for (const [k, value] of Object.entries(v)) {
    const check = schema[k];
    if (!check) problems.push(`${path}${k}: not a documented key`);
    else if (!check(value)) problems.push(`${path}${k}: bad value ${JSON.stringify(value)}`);
  }
  return problems;
}

/** Sensor rules across keys: units, state classes and options per device class [classes], [schema sensor.py]. */
function sensorRules(c: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const dc = typeof c.device_class === 'string' ? c.device_class : undefined;
  const unit = typeof c.unit_of_measurement === 'string' ? c.unit_of_measurement : undefined;
  const stateClass = typeof c.state_class === 'string' ? c.state_class : undefined;
  const cls = dc !== undefined ? SENSOR_CLASSES[dc] : undefined;
  if (cls) {
    if (cls.units === null && unit !== undefined) problems.push(`unit_of_measurement: not allowed for ${dc}`);
    else if (cls.units !== null && !cls.units.includes(unit ?? '')) problems.push(`unit_of_measurement ${unit}: not valid for ${dc}`);
    if (stateClass !== undefined && !cls.stateClasses.includes(stateClass)) problems.push(`state_class: not allowed for ${dc}`);
  }
  if (stateClass === 'measurement_angle' && unit !== '°') problems.push('state_class measurement_angle: needs unit_of_measurement °');
  if (c.last_reset_value_template !== undefined && stateClass !== 'total') problems.push('last_reset_value_template: only with state_class total');
  if (dc === 'enum' && c.options === undefined) problems.push('options: required for an enum sensor');
  if (c.options !== undefined) {
    if (dc !== 'enum') problems.push('options: only for enum sensors');
    if (stateClass !== undefined || unit !== undefined) problems.push('options: not with state_class or unit_of_measurement');
  }
  // [sensor] warning: attributes from the state topic itself rewrite the state on every message
  // when the document changes each time; take only stable parts with a template.
  if (c.json_attributes_topic !== undefined && c.json_attributes_topic === c.state_topic && c.json_attributes_template === undefined) {
    problems.push('json_attributes_topic: the state topic itself needs a json_attributes_template');
  }
  return problems;
}

const ID = /^[a-zA-Z0-9_-]+$/;
/** The platforms HA's MQTT discovery accepts (core mqtt/const.py SUPPORTED_COMPONENTS, part). */
const CHECKED_COMPONENTS = new Set(['sensor', 'button']);

/** Problems with one discovery message (topic and JSON payload). */
export function checkDiscovery(discoveryTopic: string, payload: string, discoveryPrefix = 'homeassistant'): string[] {
  const parts = discoveryTopic.split('/');
  const problems: string[] = [];
  const prefixParts = discoveryPrefix.split('/').length;
  const rest = parts.slice(prefixParts);
  if (parts.slice(0, prefixParts).join('/') !== discoveryPrefix) problems.push(`topic ${discoveryTopic}: not under ${discoveryPrefix}/`);
  // <discovery_prefix>/<component>/[<node_id>/]<object_id>/config, ids in [a-zA-Z0-9_-] [mqtt "Discovery topic"]
  if (!(rest.length === 3 || rest.length === 4) || rest[rest.length - 1] !== 'config') problems.push(`topic ${discoveryTopic}: not <component>/[<node_id>/]<object_id>/config`);
  for (const id of rest.slice(1, -1)) if (!ID.test(id)) problems.push(`topic ${discoveryTopic}: id "${id}" outside [a-zA-Z0-9_-]`);
  const component = rest[0] ?? '';
  let config: unknown;
  try {
    config = JSON.parse(payload);
  } catch {
    return [...problems, 'payload: not JSON'];
  }
  // "The payload must be a serialized JSON dictionary" [mqtt "Discovery payload"]
  if (!config || typeof config !== 'object' || Array.isArray(config)) return [...problems, 'payload: not a JSON object'];
  const c = config as Record<string, unknown>;
  // object_id is reported on its own, with what replaces it [entity-id].
  const { object_id: objectId, ...rest2 } = c;
  if (objectId !== undefined) problems.push('object_id: deprecated since HA 2025.10 (gone in 2026.4); use default_entity_id');
  if (component === 'sensor') {
    problems.push(...checkObject(rest2, SENSOR, ['state_topic']), ...sensorRules(c));
  } else if (component === 'button') {
    problems.push(...checkObject(rest2, BUTTON, ['command_topic']));
  } else {
    problems.push(`component ${component}: not checked here`);
  }
  // default_entity_id is a whole entity id of this component's domain, e.g. `sensor.foo` [entity-id];
  // without the domain HA does not use it (home-assistant/core#155819).
  if (typeof c.default_entity_id === 'string' && CHECKED_COMPONENTS.has(component)) {
    const [domain, object, ...more] = c.default_entity_id.split('.');
    if (domain !== component || object === undefined || more.length > 0 || !ENTITY_OBJECT.test(object)) {
      problems.push(`default_entity_id ${c.default_entity_id}: not ${component}.<a-z0-9_>`);
    }
  }
  // "Must not be used together with `availability_topic`" [sensor availability]
  if (c.availability !== undefined && c.availability_topic !== undefined) problems.push('availability and availability_topic: not both');
  // The device registry: "Only works when unique_id is set. At least one of identifiers or
  // connections must be present" [sensor device], [schema validate_device_has_at_least_one_identifier].
  if (c.device !== undefined) {
    if (c.unique_id === undefined) problems.push('device: only with unique_id');
    const d = c.device as Record<string, unknown>;
    const has = (k: string) => (Array.isArray(d[k]) ? (d[k] as unknown[]).length > 0 : Boolean(d[k]));
    if (!has('identifiers') && !has('connections')) problems.push('device: needs identifiers or connections');
  }
  return problems;
}

/**
 * Whether a state value is one a timestamp sensor accepts: HA parses it as a date-time
 * (dt_util.parse_datetime) and a timestamp sensor's value must carry a time zone [classes timestamp].
 * `None` (what a template renders for null) makes the state unknown (mqtt PAYLOAD_NONE), also fine.
 */
export function isHaTimestamp(value: string): boolean {
  if (value === 'None') return true;
  return /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
}

/** Home Assistant's birth message: `online` on `<discovery prefix>/status` [mqtt "Birth and last will messages"]. */
export const HA_BIRTH = { topic: (discoveryPrefix = 'homeassistant') => `${discoveryPrefix}/status`, payload: 'online' } as const;
