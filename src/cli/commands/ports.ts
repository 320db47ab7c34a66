// `octoslack ports`: the serial ports present, with their USB identity, and which one
// `--port auto` would pick.
import { pickPrinterPort } from '../../transport/auto-port.js';
import { listSerialPorts } from '../../transport/list-ports.js';
import { ExitCode } from '../../util/errors.js';
import type { CliIo } from './run-context.js';

export async function portsCommand(flags: { json: boolean }, io: CliIo): Promise<number> {
  const ports = await listSerialPorts();
  const pick = pickPrinterPort(ports);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ ports, auto: pick.port?.path ?? null, reason: pick.reason })}\n`);
    return ExitCode.ok;
  }
  if (ports.length === 0) {
    io.stdout.write('no serial ports found (is the printer plugged in and switched on?)\n');
    return ExitCode.ok;
  }
  for (const p of ports) {
    const id = p.vendorId ? `${p.vendorId}:${p.productId ?? '????'}` : '         ';
    const who = [p.manufacturer, p.product].filter(Boolean).join(' ');
    const mark = p.path === pick.port?.path ? '  <- --port auto' : '';
    io.stdout.write(`${p.path.padEnd(16)} ${id}  ${who}${p.serialNumber ? ` (serial ${p.serialNumber})` : ''}${mark}\n`);
  }
  if (!pick.port) io.stdout.write(`--port auto: ${pick.reason}\n`);
  return ExitCode.ok;
}
