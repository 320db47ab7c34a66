// Turns the user's `--port` and `--baud` into a LineTransport. One decision point for the three
// kinds of port string: `sim://…` (the virtual printer, injected so that transport never imports
// src/sim), `auto` (list the ports, pick the printer), or a device path.
import { PortError, UsageError } from '../util/errors.js';
import type { LineTransport } from './line-transport.js';
import { listSerialPorts, type PortInfo } from './list-ports.js';
import { pickPrinterPort } from './auto-port.js';
import { SerialTransport, type SerialTransportOptions } from './serial-transport.js';

export interface TransportSpec {
  /** `sim://…`, `auto`, or a device path such as /dev/ttyUSB0. */
  port: string;
  baudRate: number;
  lowLatency?: boolean;
}

export interface TransportDeps {
  simFactory: (url: string) => LineTransport;
  listPorts?: () => Promise<PortInfo[]>;
  /** Builds the real serial transport; tests replace it. */
  serialFactory?: (opts: SerialTransportOptions) => LineTransport;
  /** Told which port `auto` chose and why (for the log / Connecting event). */
  onAutoPick?: (reason: string, port: PortInfo) => void;
}

/** Builds (does not open) the transport for `spec`. `auto` with no single candidate: PortError. */
export async function createTransport(spec: TransportSpec, deps: TransportDeps): Promise<LineTransport> {
  const port = spec.port.trim();
  if (port.startsWith('sim://')) return deps.simFactory(port);
  if (port === '') throw new UsageError('no port given: use --port /dev/ttyUSB0, --port auto or --port sim://', 'PORT_MISSING');
  validateBaud(String(spec.baudRate));
  let path = port;
  if (port.toLowerCase() === 'auto') {
    const ports = await (deps.listPorts ?? listSerialPorts)();
    const pick = pickPrinterPort(ports);
    if (!pick.port) throw new PortError('PORT_AUTO_FAILED', `--port auto: ${pick.reason}`);
    deps.onAutoPick?.(pick.reason, pick.port);
    path = pick.port.path;
  }
  const opts: SerialTransportOptions = { path, baudRate: spec.baudRate };
  if (spec.lowLatency !== undefined) opts.lowLatency = spec.lowLatency;
  return (deps.serialFactory ?? ((o) => new SerialTransport(o)))(opts);
}

/** Rates Marlin builds use (BAUDRATE in Configuration.h), plus the POSIX ones below them. */
export const STANDARD_BAUD_RATES: readonly number[] = [
  9600, 19200, 38400, 57600, 115200, 230400, 250000, 460800, 500000, 921600, 1000000,
];

/** Parse `--baud`: one of the standard rates, else a UsageError (exit 2) listing them. */
export function validateBaud(value: string): number {
  const text = value.trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (STANDARD_BAUD_RATES.includes(n)) return n;
  throw new UsageError(
    `invalid baud rate "${value}": use one of ${STANDARD_BAUD_RATES.join(', ')} (most Marlin printers: 115200 or 250000)`,
    'BAD_BAUD',
  );
}
