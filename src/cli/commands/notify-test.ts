// `octoslack notify test [--event NAME]`: send a sample of each enabled event (or one) to every
// configured target, right now, and say per target whether it worked — and if not, what to fix,
// in the words of chat-platforms.md §1.8/§2.5 (invalid_auth, channel_not_found, missing_scope …).
import os from 'node:os';
import { loadConfig } from '../../config/load.js';
import { redactSecrets } from '../../config/redact.js';
import { NOTIFIABLE_EVENTS, type NotifiableEvent, type OctoslackConfig } from '../../config/types.js';
import { buildNotifiers, OCTOSLACK_VERSION } from '../../app/notifications.js';
import { gatherHostInfo, type HostInfo } from '../../notify/host-info.js';
import type { Notification, Notifier } from '../../notify/notification.js';
import { renderNotification } from '../../notify/render/render.js';
import type { PrinterView, RenderInput } from '../../notify/render/input.js';
import { ExitCode, UsageError } from '../../util/errors.js';
import type { CliIo } from './run-context.js';

export async function notifyTestCommand(flags: { configFile?: string; event?: string }, io: CliIo): Promise<number> {
  const { config } = await loadConfig(flags.configFile ? { file: flags.configFile } : {});
  const events = selectEvents(config, flags.event);
  const notifiers = buildNotifiers(config);
  if (notifiers.length === 0) {
    throw new UsageError('no chat target is configured: set OCTOSLACK_SLACK_TOKEN (with slack.channels), OCTOSLACK_SLACK_WEBHOOK_URL, OCTOSLACK_MATTERMOST_TOKEN (with mattermost.url and channel) or OCTOSLACK_MATTERMOST_WEBHOOK_URL — see `octoslack config init`', 'NO_TARGETS');
  }
  const host = await gatherHostInfo(OCTOSLACK_VERSION, { includeCpuTemp: config.hostTemperature });
  const samples = events.map((e) => renderNotification(sampleInput(config, e), config, host));
  let failures = 0;
  for (const n of notifiers) {
    const line = await testTarget(n, samples, host);
    if (!line.ok) failures++;
    io.stdout.write(`${redactSecrets(line.text, config)}\n`);
  }
  return failures === 0 ? ExitCode.ok : ExitCode.notifyFailed;
}

function selectEvents(config: OctoslackConfig, name: string | undefined): NotifiableEvent[] {
  if (name === undefined) {
    const enabled = NOTIFIABLE_EVENTS.filter((e) => config.events[e].enabled);
    return enabled.length > 0 ? enabled : ['PrintDone'];
  }
  const match = NOTIFIABLE_EVENTS.find((e) => e.toLowerCase() === name.toLowerCase());
  if (!match) throw new UsageError(`--event: unknown event "${name}"; events: ${NOTIFIABLE_EVENTS.join(', ')}`, 'BAD_EVENT');
  return [match];
}

async function testTarget(n: Notifier, samples: Notification[], _host: HostInfo): Promise<{ ok: boolean; text: string }> {
  if (n.check) {
    const c = await n.check(AbortSignal.timeout(20_000)).catch((err: unknown) => ({ ok: false as const, error: String(err), hint: '' }));
    if (!c.ok) return { ok: false, text: `${n.id}: FAILED — ${c.error}${c.hint ? `. ${c.hint}` : ''}` };
  }
  let sent = 0;
  for (const sample of samples) {
    const r = await n.send(sample, {}, AbortSignal.timeout(20_000)).catch((err: unknown) => ({ ok: false as const, retry: true as const, error: String(err) }));
    if (!r.ok) {
      const hint = 'hint' in r && r.hint ? `. ${r.hint}` : '';
      return { ok: false, text: `${n.id}: FAILED on ${sample.event} — ${r.error}${hint}${sent > 0 ? ` (${sent} sample(s) went through before)` : ''}` };
    }
    sent++;
  }
  return { ok: true, text: `${n.id}: OK — ${sent} sample message(s) sent` };
}

/** A plausible moment of a print for each event, so every token has something to show. */
function sampleInput(config: OctoslackConfig, event: NotifiableEvent): RenderInput {
  const now = Date.now();
  const job = { file: 'benchy.gcode', origin: 'host' as const, percent: 42, bytesDone: 850_000, bytesTotal: 2_024_348, linesDone: 37_000, layer: 67, layerCount: 160, z: 13.4, elapsedS: 1180, remainingS: 1460, remainingSource: 'm73' as const };
  const printer: PrinterView = {
    printerName: config.printerName ?? os.hostname(),
    status: 'Printing',
    heaters: { T0: { actual: 214.8, target: 215 }, B: { actual: 60.1, target: 60 } },
    z: 13.4,
    job,
    firmware: 'Marlin 2.1.2.4',
    estimatedS: 2640,
    filamentUsedMm: 4280,
  };
  return {
    event,
    at: now,
    settings: config.events[event],
    job,
    printer,
    error: event === 'Error' || event === 'PrintFailed' ? 'Thermal Runaway, system stopped! Heater_ID: 0 (sample)' : undefined,
    reason: event === 'PrintPaused' || event === 'PrintCancelled' ? 'sample from octoslack notify test' : undefined,
    printId: `notify-test-${now}`,
    kind: 'other',
    silent: false,
  };
}
