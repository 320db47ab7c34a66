// Public surface of message rendering: types, the renderer, and the formatters others reuse
// (`notify test` samples, `config check` validating ETA formats).
export type { HostInfo, MovieInfo, PrinterStatus, PrinterView, RenderEvent, RenderInput } from './input.js';
export { printerStatusOf } from './input.js';
export { renderNotification, nextNotificationId } from './render.js';
export { formatDurationAs, type TimeFormat } from './durations.js';
export { DEFAULT_ETA_FORMAT, ETA_FORMATS, formatEta, fuzzyDate, minuteOfDay, zonedParts } from './clock-format.js';
export { fillTemplate, formatTemp, formatZ, NOT_AVAILABLE, tokenValues, type TokenValues } from './template.js';
export { bodyFields, EVENT_SECTIONS, footerText, formatSize, RULE_SECTIONS } from './body.js';
