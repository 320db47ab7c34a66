// `octoslack watch --port …`: stay connected and report what the printer does — temperatures,
// SD prints started from its menu, runout, host actions, errors — and reconnect when it returns.
// Without --port, every printer of the config's `printers:` list is watched in this one process.
import os from 'node:os';
import { PrinterWatch } from '../../app/printer-watch.js';
import { stateDir } from '../../app/state-dir.js';
import { loadConfig } from '../../config/load.js';
import type { OctoslackConfig } from '../../config/types.js';
import { UsageError } from '../../util/errors.js';
import type { SessionOptions } from '../../session/session-options.js';
import { createRunContext, onInterrupt, type CliIo } from './run-context.js';

export interface WatchFlags {
  /** Without it: the config's printers. */
  port?: string;
  /** Only this printer of the config's printers. */
  printer?: string;
  baud: number;
  session: Partial<SessionOptions>;
  configFile?: string;
  json: boolean;
  verbose: boolean;
  /** Seconds between reconnection attempts. */
  retryS: number;
  /** Stop after the first disconnect instead of reconnecting (for scripts and tests). */
  once: boolean;
}

export async function watchCommand(flags: WatchFlags, io: CliIo): Promise<number> {
  const { config, warnings } = await loadConfig(flags.configFile ? { file: flags.configFile } : {});
  if (flags.port !== undefined && flags.printer !== undefined) throw new UsageError('give --port or --printer, not both', 'WATCH_FLAGS');
  if (flags.port === undefined) {
    if (config.printers.length === 0) {
      throw new UsageError('--port is required (a device such as /dev/ttyUSB0, "auto", or "sim://"), or list your printers under printers: in the config', 'PORT_MISSING');
    }
    const { watchFarm } = await import('./watch-farm.js');
    return watchFarm(config, warnings, flags, io);
  }
  return watchOne(config, warnings, { ...flags, port: flags.port }, io);
}

async function watchOne(config: OctoslackConfig, warnings: string[], flags: WatchFlags & { port: string }, io: CliIo): Promise<number> {
  const ctx = createRunContext(io, flags);
  for (const w of warnings) ctx.log.warn(w);
  const name = config.printerName ?? os.hostname();
  const watch = new PrinterWatch({
    name,
    selector: { port: flags.port },
    baudRate: flags.baud,
    session: flags.session,
    bus: ctx.bus,
    log: ctx.log,
    stateDir: stateDir(config),
    retryS: flags.retryS,
    once: flags.once,
    failFast: true,
    attachSession: (s) => ctx.attachSession(s),
  });
  await ctx.startNotifications(config, watch.view);
  await ctx.startRemote(config, name, () => watch.control);
  await ctx.startMqtt(config, { name, view: watch.view, control: () => watch.control }).catch((err: unknown) => ctx.log.warn(`MQTT is off: ${(err as Error).message}`));
  ctx.bus.emit({ event: 'Startup', at: Date.now() });
  const stopSignals = onInterrupt(() => watch.stop());
  try {
    return await watch.run();
  } finally {
    stopSignals();
    ctx.bus.emit({ event: 'Shutdown', at: Date.now() });
    await ctx.close();
  }
}
