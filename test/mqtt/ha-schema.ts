// A small checker for Home Assistant MQTT discovery payloads, written from HA's documentation of
// the MQTT sensor and button integrations (configuration variables, their types, which are
// required) and of discovery itself (topic format, device and origin mappings, availability).
// Only full key names: octoslack publishes no abbreviations, so an abbreviation here is an error.
// Returns the problems found; empty means the payload is valid.

type Check = (v: unknown) => boolean;

const str: Check = (v) => typeof v === 'string';
const nonEmpty: Check = (v) => typeof v === 'string' && v.length > 0;
const bool: Check = (v) => typeof v === 'boolean';
const int: Check = (v) => Number.isInteger(v);
const qos: Check = (v) => v === 0 || v === 1 || v === 2;
const oneOf = (...values: unknown[]): Check => (v) => values.includes(v);
const strList: Check = (v) => Array.isArray(v) && v.every(str);
const strOrList: Check = (v) => str(v) || strList(v);
/** An MQTT topic to subscribe to or publish on: no wildcards in a publish topic. */
const topic: Check = (v) => nonEmpty(v) && !/[+#]/.test(v as string);
const template: Check = (v) => nonEmpty(v) && /\{\{.*\}\}|\{%.*%\}/s.test(v as string);

/** Keys every MQTT entity accepts (HA's shared MQTT entity schema). */
const COMMON: Record<string, Check> = {
  availability: (v) => Array.isArray(v) && v.every((a) => checkObject(a, AVAILABILITY_ITEM, ['topic']).length === 0),
  availability_mode: oneOf('all', 'any', 'latest'),
  availability_template: template,
  availability_topic: topic,
  default_entity_id: nonEmpty,
  device: (v) => checkObject(v, DEVICE, []).length === 0,
  enabled_by_default: bool,
  encoding: str,
  entity_category: oneOf('config', 'diagnostic'),
  entity_picture: nonEmpty,
  icon: (v) => typeof v === 'string' && /^[a-z0-9-]+:[a-z0-9-]+$/.test(v),
  json_attributes_template: template,
  json_attributes_topic: topic,
  name: (v) => v === null || str(v),
  object_id: nonEmpty,
  origin: (v) => checkObject(v, ORIGIN, ['name']).length === 0,
  payload_available: str,
  payload_not_available: str,
  platform: oneOf('mqtt'),
  qos,
  unique_id: nonEmpty,
};

const AVAILABILITY_ITEM: Record<string, Check> = {
  topic, payload_available: str, payload_not_available: str, value_template: template,
};

const DEVICE: Record<string, Check> = {
  configuration_url: nonEmpty,
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

const ORIGIN: Record<string, Check> = { name: nonEmpty, sw_version: str, support_url: nonEmpty };

/** Sensor device classes octoslack might use, with the units HA accepts for each. */
const SENSOR_UNITS: Record<string, readonly string[] | null> = {
  temperature: ['°C', '°F', 'K'],
  duration: ['d', 'h', 'min', 's', 'ms'],
  distance: ['km', 'm', 'cm', 'mm', 'mi', 'yd', 'ft', 'in', 'nmi'],
  timestamp: null, // no unit
  enum: null,
  date: null,
};

const SENSOR: Record<string, Check> = {
  ...COMMON,
  device_class: (v) => v === null || (typeof v === 'string' && v in SENSOR_UNITS),
  expire_after: int,
  force_update: bool,
  last_reset_value_template: template,
  options: strList,
  suggested_display_precision: (v) => int(v) && (v as number) >= 0,
  state_class: oneOf('measurement', 'measurement_angle', 'total', 'total_increasing'),
  state_topic: topic,
  unit_of_measurement: (v) => v === null || str(v),
  value_template: template,
};

const BUTTON: Record<string, Check> = {
  ...COMMON,
  command_template: template,
  command_topic: topic,
  device_class: (v) => v === null || v === 'identify' || v === 'restart' || v === 'update',
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

const ID = /^[a-zA-Z0-9_-]+$/;

/** Problems with one discovery message (topic and JSON payload). */
export function checkDiscovery(discoveryTopic: string, payload: string, discoveryPrefix = 'homeassistant'): string[] {
  const parts = discoveryTopic.split('/');
  const problems: string[] = [];
  const prefixParts = discoveryPrefix.split('/').length;
  const rest = parts.slice(prefixParts);
  if (parts.slice(0, prefixParts).join('/') !== discoveryPrefix) problems.push(`topic ${discoveryTopic}: not under ${discoveryPrefix}/`);
  // <prefix>/<component>/[<node_id>/]<object_id>/config
  if (!(rest.length === 3 || rest.length === 4) || rest[rest.length - 1] !== 'config') problems.push(`topic ${discoveryTopic}: not <component>/[<node_id>/]<object_id>/config`);
  for (const id of rest.slice(1, -1)) if (!ID.test(id)) problems.push(`topic ${discoveryTopic}: id "${id}" outside [a-zA-Z0-9_-]`);
  const component = rest[0];
  let config: unknown;
  try {
    config = JSON.parse(payload);
  } catch {
    return [...problems, 'payload: not JSON'];
  }
  const c = config as Record<string, unknown>;
  if (component === 'sensor') {
    problems.push(...checkObject(config, SENSOR, ['state_topic']));
    const dc = c.device_class as string | undefined;
    const unit = c.unit_of_measurement as string | undefined;
    if (dc && SENSOR_UNITS[dc] && !SENSOR_UNITS[dc]!.includes(unit ?? '')) problems.push(`unit_of_measurement ${unit}: not valid for ${dc}`);
    if ((dc === 'timestamp' || dc === 'enum') && unit !== undefined) problems.push(`unit_of_measurement: not allowed for ${dc}`);
    if ((dc === 'timestamp' || dc === 'enum') && c.state_class !== undefined) problems.push(`state_class: not allowed for ${dc}`);
    if (dc === 'enum' && !Array.isArray(c.options)) problems.push('options: required for an enum sensor');
    if (c.options !== undefined && dc !== 'enum') problems.push('options: only for enum sensors');
  } else if (component === 'button') {
    problems.push(...checkObject(config, BUTTON, ['command_topic']));
  } else {
    problems.push(`component ${component}: not checked here`);
  }
  if (c.availability !== undefined && c.availability_topic !== undefined) problems.push('availability and availability_topic: not both');
  // The device registry needs a unique_id and a device with identifiers or connections.
  if (c.device !== undefined) {
    if (c.unique_id === undefined) problems.push('device: only with unique_id');
    const d = c.device as Record<string, unknown>;
    if (d.identifiers === undefined && d.connections === undefined) problems.push('device: needs identifiers or connections');
  }
  return problems;
}
