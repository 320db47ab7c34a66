// `octoslack status [--port P] [--json] [--notify]`: what the printer is doing, for a shell or cron.
// Asks the running `print`/`watch` over its control socket (no port opened, no reset); only when
// none runs and --port is given does it open the port itself (which resets most printers: said
// in the output). `--notify` also posts the status to the chat targets, directly (exit 5 if that
// fails). Exit 3 when no octoslack runs and no --port says what to open.
import type { StatusReport } from '../../app/printer-control.js';
import { askInstance, shellRequester } from '../../control/client.js';
import { findRunningInstances, pickInstance, type RunningInstance } from '../../control/instances.js';
import { defaultRuntimeDir } from '../../control/paths.js';
import { formatStatus, printerViewOfStatus, RESET_NOTE, type StatusSource } from '../../control/status-text.js';
import type { OctoslackConfig } from '../../config/types.js';
import type { Notifier } from '../../notify/notification.js';
import { loadConfig } from '../../config/load.js';
import os from 'node:os';
import { ExitCode, PortError, UsageError, errorMessage } from '../../util/errors.js';
import { stderrLogger } from '../logger.js';
import type { CliIo } from './run-context.js';

export interface StatusFlags {
  port?: string;
  baud?: string;
  json: boolean;
  notify: boolean;
  configFile?: string;
}

/** Where to look for running instances; tests point it at a temp folder. */
export interface ControlDeps {
  runtimeDir?: string;
  env?: NodeJS.ProcessEnv;
}

export async function statusCommand(flags: StatusFlags, io: CliIo, deps: ControlDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const runtimeDir = deps.runtimeDir ?? defaultRuntimeDir(env);
  let config: OctoslackConfig | undefined;
  // The config matters only for chat targets and, when opening the port, the printer's name.
  const needConfig = async (): Promise<OctoslackConfig> => {
    if (config) return config;
    const loaded = await loadConfig({ env, ...(flags.configFile ? { file: flags.configFile } : {}) });
    for (const w of loaded.warnings) io.stderr.write(`octoslack: warning: ${w}\n`);
    return (config = loaded.config);
  };
  // With --notify, a broken config or no chat target is found before anything else happens.
  const notifiers = flags.notify ? await chatTargets(await needConfig()) : [];

  const { report, source } = await getStatus(flags, io, runtimeDir, needConfig);
  if (flags.json) {
    const extra = source.kind === 'instance' ? { source: 'instance', pid: source.pid } : { source: 'printer' };
    io.stdout.write(`${JSON.stringify({ ...report, ...extra })}\n`);
    if (source.kind === 'printer') io.stderr.write(`octoslack: note: ${RESET_NOTE}\n`);
  } else {
    io.stdout.write(formatStatus(report, source));
  }
  if (!flags.notify) return ExitCode.ok;
  return (await postStatus(report, notifiers, await needConfig(), io, flags.json)) ? ExitCode.ok : ExitCode.notifyFailed;
}

async function getStatus(
  flags: StatusFlags,
  io: CliIo,
  runtimeDir: string,
  needConfig: () => Promise<OctoslackConfig>,
): Promise<{ report: StatusReport; source: StatusSource }> {
  const instance = pickInstance(findRunningInstances({ runtimeDir }), flags.port);
  if (instance) return fromInstance(instance);
  if (flags.port === undefined) {
    throw new PortError('NOT_RUNNING', 'no octoslack is running; give --port to ask the printer directly (opening the port resets most printers)');
  }
  const { readStatusDirectly } = await import('../../control/direct-status.js');
  const { validateBaud } = await import('../../transport/open-transport.js');
  const config = await needConfig();
  try {
    const report = await readStatusDirectly({
      port: flags.port,
      baudRate: validateBaud(flags.baud ?? '115200'),
      runtimeDir,
      printerName: config.printerName ?? os.hostname(),
      log: stderrLogger(false, io.stderr),
    });
    return { report, source: { kind: 'printer' } };
  } catch (err) {
    // A `print` or `watch` took the port just now: ask it after all.
    if (err instanceof PortError && err.code === 'PORT_LOCKED') {
      const late = pickInstance(findRunningInstances({ runtimeDir }), flags.port);
      if (late) return fromInstance(late);
    }
    throw err;
  }
}

async function fromInstance(instance: RunningInstance): Promise<{ report: StatusReport; source: StatusSource }> {
  const answer = await askInstance(instance, 'status', shellRequester());
  if (answer.kind !== 'status') {
    throw new PortError(`CONTROL_${answer.kind === 'error' ? answer.code.toUpperCase() : 'BAD_ANSWER'}`, `octoslack on ${instance.requestedPort} (pid ${instance.pid}): ${answer.message}`);
  }
  return { report: answer.status, source: { kind: 'instance', pid: instance.pid, command: instance.command } };
}

/** The configured chat targets; none is a usage error. Loaded only with --notify: a plain status stays light. */
async function chatTargets(config: OctoslackConfig): Promise<Notifier[]> {
  const { buildNotifiers } = await import('../../app/notifications.js');
  const notifiers = buildNotifiers(config);
  if (notifiers.length === 0) {
    throw new UsageError('--notify: no chat target is configured: set OCTOSLACK_SLACK_TOKEN (with slack.channels), OCTOSLACK_SLACK_WEBHOOK_URL, OCTOSLACK_MATTERMOST_TOKEN (with mattermost.url and channel) or OCTOSLACK_MATTERMOST_WEBHOOK_URL — see `octoslack config init`', 'NO_TARGETS');
  }
  return notifiers;
}

/** Post the status to every target, now, without the outbox; true when all took it. */
async function postStatus(report: StatusReport, notifiers: Notifier[], config: OctoslackConfig, io: CliIo, json: boolean): Promise<boolean> {
  const [{ OCTOSLACK_VERSION }, { gatherHostInfo }, { NotificationRules }, { renderNotification }, { redactSecrets }] = await Promise.all([
    import('../../app/notifications.js'),
    import('../../notify/host-info.js'),
    import('../../notify/rules/rules.js'),
    import('../../notify/render/render.js'),
    import('../../config/redact.js'),
  ]);
  const host = await gatherHostInfo(OCTOSLACK_VERSION, { includeCpuTemp: config.hostTemperature });
  const input = new NotificationRules(config, () => Date.now()).status(printerViewOfStatus(report));
  const notification = renderNotification(input, config, host);
  let allOk = true;
  for (const target of notifiers) {
    const r = await target.send(notification, {}, AbortSignal.timeout(20_000)).catch((err: unknown) => ({ ok: false as const, retry: true as const, error: errorMessage(err) }));
    if (r.ok) {
      (json ? io.stderr : io.stdout).write(`${target.id}: status posted\n`);
      continue;
    }
    allOk = false;
    const hint = 'hint' in r && r.hint ? `. ${r.hint}` : '';
    io.stderr.write(`octoslack: ${redactSecrets(`${target.id}: could not post the status — ${r.error}${hint}`, config)}\n`);
  }
  return allOk;
}
