// Token values for one message and `{token}` substitution (parity §3). Values are computed once
// per message so headline, fallback and body agree; a token with no value reads "N/A".
import type { OctoslackConfig } from '../../config/types.js';
import type { HeaterReading } from '../../marlin/messages.js';
import { isKnownToken, type TemplateToken } from '../tokens.js';
import { formatEta } from './clock-format.js';
import { formatDurationAs } from './durations.js';
import type { HostInfo, PrinterView, RenderInput } from './input.js';

export const NOT_AVAILABLE = 'N/A';

export type TokenValues = Partial<Record<TemplateToken, string>>;

/** "210.0°C/215.0°C"; a heater without a target prints only its reading (never "None"). */
export function formatTemp(h: HeaterReading | undefined): string | undefined {
  if (!h || !Number.isFinite(h.actual)) return undefined;
  const target = h.target !== undefined && Number.isFinite(h.target) ? `/${h.target.toFixed(1)}°C` : '';
  return `${h.actual.toFixed(1)}°C${target}`;
}

/** "12.34mm": the old plugin's `, Nozzle Height: ` prefix inside the token was a bug (old bug 5). */
export function formatZ(z: number | undefined): string | undefined {
  return z !== undefined && Number.isFinite(z) ? `${z.toFixed(2)}mm` : undefined;
}

/** Hotend heater keys in tool order: T0, T1, … */
export function toolKeys(printer: PrinterView): string[] {
  return Object.keys(printer.heaters)
    .filter((k) => /^T\d+$/.test(k))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

export function printerStatusText(printer: PrinterView): string {
  return printer.statusDetail ? `${printer.status}: ${printer.statusDetail}` : printer.status;
}

/** Events after which the job is not moving: no ETA then (a paused print has none). */
const NOT_RUNNING = new Set(['PrintPaused', 'PrintCancelling', 'PrintCancelled', 'PrintFailed', 'PrintDone', 'FilamentRunout', 'PausedForUser']);
const RUNNING = new Set(['PrintStarted', 'Progress', 'FirstLayerDone', 'PrintResumed']);

/** Whether the ETA means anything for this message: only while the print runs. */
export function isPrinting(input: RenderInput): boolean {
  if (!input.job || NOT_RUNNING.has(input.event)) return false;
  return RUNNING.has(input.event) || input.printer.status === 'Printing';
}

/** Nozzle height: the job's tracked Z, else the printer's. */
export function currentZ(input: RenderInput): number | undefined {
  return input.job?.z ?? input.printer.z;
}

export function etaText(input: RenderInput, config: OctoslackConfig): string | undefined {
  const remaining = input.job?.remainingS;
  if (!isPrinting(input) || remaining === undefined || !Number.isFinite(remaining)) return undefined;
  // The live remaining time, not the original estimate (old bug 6: wrong after a pause).
  return formatEta(input.at + remaining * 1000, input.at, config.format.etaFormat, config.format.timezone);
}

export function tokenValues(input: RenderInput, config: OctoslackConfig, host: HostInfo): TokenValues {
  const { job, printer } = input;
  const dur = (s: number | undefined) => (s === undefined || !Number.isFinite(s) ? undefined : formatDurationAs(s, config.format.timeFormat));
  const filament = input.printer.filamentUsedMm;
  const nozzle = toolKeys(printer)[0];
  const values: Record<TemplateToken, string | undefined> = {
    print_name: job?.file ?? input.movie?.file,
    pct_complete: job?.percent !== undefined ? `${Math.floor(job.percent)}%` : undefined,
    elapsed_time: dur(job?.elapsedS),
    remaining_time: dur(job?.remainingS),
    eta: etaText(input, config),
    current_z: formatZ(currentZ(input)),
    octoprint_user: host.user,
    user: host.user,
    slack_user: input.chatUser,
    chat_user: input.chatUser,
    ip_address: host.ipAddresses.length > 0 ? host.ipAddresses.join(', ') : undefined,
    hostname: host.hostname,
    fqdn: host.fqdn,
    error: input.error,
    printer_status: printerStatusText(printer),
    cmd: input.cmd,
    printer_name: printer.printerName,
    layer: job?.layer !== undefined ? String(job.layer) : undefined,
    layer_count: job?.layerCount !== undefined ? String(job.layerCount) : undefined,
    message: input.message,
    bed_temp: formatTemp(printer.heaters['B']),
    nozzle_temp: nozzle ? formatTemp(printer.heaters[nozzle]) : undefined,
    filament_used: filament !== undefined && Number.isFinite(filament) ? `${(filament / 1000).toFixed(2)}m` : undefined,
  };
  const out: TokenValues = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') out[k as TemplateToken] = v;
  return out;
}

/** Replace every known `{token}`; known but unset → "N/A"; unknown names stay (config check flags them). */
export function fillTemplate(template: string, values: TokenValues): string {
  return template.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (whole, name: string) =>
    isKnownToken(name) ? values[name] ?? NOT_AVAILABLE : whole);
}
