// The body lines and the footer of a message (parity §1 report sections, §4 order). Fields are
// neutral label/value pairs; each target adds its own bold (`*x*` Slack, `**x**` Mattermost).
import type { NotifiableEvent, OctoslackConfig } from '../../config/types.js';
import type { NotificationField } from '../notification.js';
import { formatDurationAs } from './durations.js';
import type { HostInfo, RenderInput } from './input.js';
import { currentZ, etaText, formatTemp, formatZ, printerStatusText, toolKeys } from './template.js';

/**
 * P printer footer · E environment · J job · O original estimate + ETA · G progress · F final time
 * · M movie (the timelapse: file, frames, video). The old plugin's choice per event; FirstLayerDone
 * (new) reads like Progress.
 */
export const EVENT_SECTIONS: Record<NotifiableEvent, string> = {
  Startup: 'PE', Shutdown: 'P', Connecting: 'P', Connected: 'P', Disconnecting: 'P', Disconnected: 'P',
  PrintStarted: 'PJO', Progress: 'PJG', FirstLayerDone: 'PJG', PrintPaused: 'PJOG', PrintResumed: 'PJOG',
  PrintCancelling: 'PJG', PrintCancelled: 'PJ', PrintFailed: 'PJ', PrintDone: 'PJOF',
  FilamentRunout: 'PJG', PausedForUser: 'PJG', Error: 'P', Heartbeat: 'P',
  MovieRendering: 'PM', MovieDone: 'PM', MovieFailed: 'PM',
};
/** G-code rules (parity §5). */
export const RULE_SECTIONS = 'PJG';

export function sectionsOf(event: RenderInput['event']): string {
  return event.startsWith('rule:') ? RULE_SECTIONS : EVENT_SECTIONS[event as NotifiableEvent] ?? 'P';
}

/** "1.2MB", like OctoPrint's size formatting that the old plugin used (1024-based). */
export function formatSize(bytes: number): string {
  let n = bytes;
  for (const unit of ['B', 'KB', 'MB', 'GB']) {
    if (Math.abs(n) < 1024 || unit === 'GB') return `${n.toFixed(1)}${unit}`;
    n /= 1024;
  }
  return `${n.toFixed(1)}GB`;
}

export function bodyFields(input: RenderInput, config: OctoslackConfig, host: HostInfo): NotificationField[] {
  const sections = sectionsOf(input.event);
  const has = (s: string) => sections.includes(s);
  const { job } = input;
  const dur = (s: number | undefined) => (s === undefined || !Number.isFinite(s) ? undefined : formatDurationAs(s, config.format.timeFormat));
  const fields: NotificationField[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') fields.push({ label, value });
  };

  if (has('E')) {
    add('Host', host.fqdn ?? host.hostname);
    add('IP address', host.ipAddresses.join(', '));
  }
  if (has('J') && job) {
    const size = job.bytesTotal !== undefined ? `${formatSize(job.bytesTotal)} via ` : 'via ';
    add('File', `${job.file} (${size}${job.origin === 'sd' ? 'SD card' : 'local file'})`);
    add('User', host.user);
  }
  add('Chat user', input.chatUser);
  const eta = etaText(input, config);
  if (has('O')) {
    const estimate = input.estimatedS ?? input.printer.estimatedS;
    add('Estimated print time', dur(estimate));
    // Without G, O's ETA is the live one (old bug 6 used start + the original estimate).
    if (!has('G')) add('ETA', eta);
  }
  if (has('G') && job) {
    add('Elapsed', dur(job.elapsedS));
    add('Remaining', dur(job.remainingS));
    add('ETA', eta);
    if (job.layer !== undefined) add('Layer', job.layerCount !== undefined ? `${job.layer} of ${job.layerCount}` : String(job.layer));
  }
  if (has('F') && job) add('Final print time', dur(job.elapsedS));
  const { movie } = input;
  if (has('M') && movie) {
    add('File', movie.file);
    add('Frames', String(movie.frames));
    if (movie.video) {
      const length = dur(movie.video.durationS);
      add('Video', `${formatSize(movie.video.bytes)}${length ? `, ${length}` : ''}`);
    }
  }
  add('Reason', input.reason);
  add('Command', input.cmd);
  add('Error', input.error);
  if (input.lastAckedFileLine !== undefined) add('Last acknowledged line', String(input.lastAckedFileLine));
  return fields;
}

/**
 * "Printer: Printing, Bed: 60.0°C/60.0°C, Nozzle: 210.0°C/210.0°C, Nozzle Height: 0.30mm, Host: 45.1°C".
 * Heaters the printer lacks are left out (a bed-less printer keeps its nozzle: old bug 8).
 */
export function footerText(input: RenderInput, config: OctoslackConfig, host: HostInfo): string {
  if (!sectionsOf(input.event).includes('P')) return '';
  const { printer } = input;
  const parts = [`Printer: ${printerStatusText(printer)}`];
  const add = (label: string, value: string | undefined) => {
    if (value !== undefined) parts.push(`${label}: ${value}`);
  };
  add('Bed', formatTemp(printer.heaters['B']));
  const tools = toolKeys(printer);
  for (const key of tools) add(tools.length > 1 ? `Nozzle${key.slice(1)}` : 'Nozzle', formatTemp(printer.heaters[key]));
  add('Chamber', formatTemp(printer.heaters['C']));
  add('Nozzle Height', formatZ(currentZ(input)));
  // "Host", not the old "RasPi": the sysfs thermal zone exists on most Linux machines.
  if (config.hostTemperature && host.cpuTempC !== undefined) add('Host', `${host.cpuTempC.toFixed(1)}°C`);
  if (input.event === 'Startup') {
    add('Firmware', printer.firmware);
    add('octoslack', `v${host.version}`);
  }
  // Several printers share channels: name this one when the user named it.
  return config.printerName ? `${config.printerName} · ${parts.join(', ')}` : parts.join(', ');
}
