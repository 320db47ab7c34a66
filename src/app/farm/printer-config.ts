// A farm's printers share one config file: each printer sees the top-level settings with its own
// name, channels and cameras put in, and its own state folder (outbox, interrupted-print journal,
// timelapse), so two printers never write the same journal file.
import path from 'node:path';
import type { OctoslackConfig, PrinterSettings } from '../../config/types.js';
import { UsageError } from '../../util/errors.js';
import { stateDir } from '../state-dir.js';

/** A file-system and topic friendly form of a printer name: "Prusa MK3 #2" → "prusa-mk3-2". */
export function printerSlug(name: string): string {
  const slug = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug || 'printer';
}

/** The config as printer `p` of the farm sees it. */
export function configForPrinter(config: OctoslackConfig, p: PrinterSettings, env: NodeJS.ProcessEnv = process.env): OctoslackConfig {
  const out: OctoslackConfig = {
    ...config,
    printerName: p.name,
    stateDir: path.join(stateDir(config, env), 'printers', printerSlug(p.name)),
    printers: [],
  };
  if (config.slack) out.slack = { ...config.slack, channels: p.slackChannels ?? config.slack.channels };
  if (config.mattermost && p.mattermostChannel !== undefined) out.mattermost = { ...config.mattermost, channel: p.mattermostChannel };
  if (p.cameras !== undefined) {
    const wanted = new Set(p.cameras);
    out.cameras = config.cameras.filter((c) => wanted.has(c.name));
  }
  return out;
}

/** The printers `watch` drives: all of them, or the one --printer names. */
export function selectPrinters(config: OctoslackConfig, only?: string): PrinterSettings[] {
  if (only === undefined) return config.printers;
  const match = config.printers.find((p) => p.name === only) ?? config.printers.find((p) => p.name.toLowerCase() === only.toLowerCase());
  if (!match) {
    const names = config.printers.map((p) => p.name).join(', ');
    throw new UsageError(`--printer: no printer named "${only}" in the config${names ? `; printers: ${names}` : ' (it has no printers: list)'}`, 'BAD_PRINTER');
  }
  return [match];
}
