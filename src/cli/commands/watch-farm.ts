// `octoslack watch` for a farm: every printer of `printers:` in one process. Each printer has its
// own bus, notifications (own outbox folder), lock and control socket, so a printer that is
// unplugged, resets or fails only ever affects its own messages. Chat commands share one
// connection (a Slack app's Socket Mode hands each message to one connection only) and go to the
// printer they name.
import { configForPrinter, selectPrinters } from '../../app/farm/printer-config.js';
import { PrinterWatch } from '../../app/printer-watch.js';
import { stateDir } from '../../app/state-dir.js';
import type { OctoslackConfig } from '../../config/types.js';
import { readRemoteSettings } from '../../remote/remote-config.js';
import { CommandHandler } from '../../remote/handler.js';
import { FarmCommandHandler } from '../../remote/farm-handler.js';
import { ExitCode } from '../../util/errors.js';
import { createRunContext, onInterrupt, type CliIo, type RunContext } from './run-context.js';
import type { WatchFlags } from './watch.js';

interface FarmMember {
  name: string;
  ctx: RunContext;
  watch: PrinterWatch;
  config: OctoslackConfig;
}

export async function watchFarm(config: OctoslackConfig, warnings: string[], flags: WatchFlags, io: CliIo): Promise<number> {
  const chosen = selectPrinters(config, flags.printer);
  const members: FarmMember[] = [];
  for (const p of chosen) {
    const pc = configForPrinter(config, p);
    const ctx = createRunContext(io, { json: flags.json, verbose: flags.verbose, label: p.name });
    const watch = new PrinterWatch({
      name: p.name,
      selector: { ...(p.port !== undefined ? { port: p.port } : {}), ...(p.serialNumber !== undefined ? { serialNumber: p.serialNumber } : {}), ...(p.usbId !== undefined ? { usbId: p.usbId } : {}) },
      baudRate: p.baud ?? flags.baud,
      session: flags.session,
      bus: ctx.bus,
      log: ctx.log,
      stateDir: stateDir(pc),
      retryS: flags.retryS,
      once: flags.once,
      failFast: false,
      attachSession: (s) => ctx.attachSession(s),
    });
    members.push({ name: p.name, ctx, watch, config: pc });
  }
  const first = members[0]!;
  for (const w of warnings) first.ctx.log.warn(w);
  for (const m of members) await m.ctx.startNotifications(m.config, m.watch.view);
  await startFarmRemote(config, members);
  await startFarmMqtt(config, members);
  for (const m of members) m.ctx.bus.emit({ event: 'Startup', at: Date.now() });
  const stopSignals = onInterrupt(() => { for (const m of members) m.watch.stop(); });
  try {
    // One printer's failure is its own: the others keep running until they end too.
    const codes = await Promise.all(members.map((m) => m.watch.run().catch((err: unknown) => {
      m.ctx.log.warn(`stopped watching: ${(err as Error).message}`);
      return ExitCode.unreachable as number;
    })));
    return codes.find((c) => c !== ExitCode.ok) ?? ExitCode.ok;
  } finally {
    stopSignals();
    for (const m of members) m.ctx.bus.emit({ event: 'Shutdown', at: Date.now() });
    // The first printer's context owns the shared chat and MQTT connections: it closes last.
    await Promise.all(members.slice(1).map((m) => m.ctx.close()));
    await first.ctx.close();
  }
}

/** One MQTT connection for every printer, owned by the first printer's context. */
async function startFarmMqtt(config: OctoslackConfig, members: FarmMember[]): Promise<void> {
  let bridge;
  for (const m of members) {
    try {
      bridge = await m.ctx.startMqtt(config, { name: m.name, view: m.watch.view, control: () => m.watch.control }, bridge);
    } catch (err) {
      m.ctx.log.warn(`MQTT is off: ${(err as Error).message}`);
      return;
    }
  }
}

/** One chat connection for every printer; started through the first printer's context. */
async function startFarmRemote(config: OctoslackConfig, members: FarmMember[]): Promise<void> {
  const first = members[0]!;
  const r = readRemoteSettings(config);
  const printers = members.map((m) => ({
    name: m.name,
    handler: new CommandHandler({
      settings: { ...r.settings.commands, requirePrinterName: false },
      printerName: m.name,
      control: () => m.watch.control,
      statusMessage: (chatUser) => m.ctx.statusMessage(chatUser) ?? fallbackStatus(m, chatUser),
      log: { info: (s) => m.ctx.say(s), warn: (s) => m.ctx.log.warn(s), debug: (s) => m.ctx.log.debug(s) },
    }),
  }));
  await first.ctx.startRemote(config, first.name, () => first.watch.control, new FarmCommandHandler(printers));
}

function fallbackStatus(m: FarmMember, chatUser: string): never {
  throw new Error(`no status card for ${m.name} (asked by ${chatUser}): notifications are off`);
}
