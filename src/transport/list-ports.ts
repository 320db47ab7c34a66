// `octoslack ports` and `--port auto` need the serial ports with their USB identity. On Linux we
// read sysfs ourselves (sysfs-ports.ts): serialport's Linux list needs `udevadm`, and without it
// the process dies of an uncaught spawn error that no try/catch can stop. Other systems have no
// sysfs, and their serialport list uses native calls, so there we use serialport (loaded lazily).
import { join } from 'node:path';
import { PortError, errorMessage } from '../util/errors.js';
import { listSysfsPorts } from './sysfs-ports.js';

export interface PortInfo {
  /** Device path to open, e.g. /dev/ttyACM0 or COM3. */
  path: string;
  manufacturer?: string;
  /** USB vendor id, 4 lowercase hex digits, e.g. 1a86. */
  vendorId?: string;
  /** USB product id, 4 lowercase hex digits, e.g. 7523. */
  productId?: string;
  serialNumber?: string;
  product?: string;
  /** Kernel driver (Linux), e.g. cdc_acm, ch341-uart, ftdi_sio. */
  driver?: string;
}

export interface ListPortsOptions {
  platform?: NodeJS.Platform;
  /** Linux: root of sysfs (tests build a fake tree in a temp dir). */
  sysRoot?: string;
  /** Linux: directory of device nodes. */
  devDir?: string;
  /** Non-Linux: the system list (default: serialport's). */
  systemList?: () => Promise<PortInfo[]>;
}

/** The serial ports present now, printer-likely ones (ttyACM, ttyUSB) first. Throws PortError. */
export async function listSerialPorts(opts: ListPortsOptions = {}): Promise<PortInfo[]> {
  const platform = opts.platform ?? process.platform;
  if (platform === 'linux') {
    const sysRoot = opts.sysRoot ?? '/sys';
    try {
      return (await listSysfsPorts({ sysRoot, devDir: opts.devDir ?? '/dev' })).sort(comparePorts);
    } catch (err) {
      throw new PortError(
        'PORT_LIST_FAILED',
        `cannot list serial ports: ${join(sysRoot, 'class', 'tty')} is not readable (no sysfs in this container?): give the port with --port /dev/ttyUSB0`,
        { cause: err },
      );
    }
  }
  try {
    const ports = await (opts.systemList ?? serialportList)();
    return ports.sort(comparePorts);
  } catch (err) {
    throw new PortError(
      'PORT_LIST_FAILED',
      `cannot list serial ports: ${errorMessage(err)}: give the port with --port (e.g. --port COM3 or --port /dev/cu.usbmodem1101)`,
      { cause: err },
    );
  }
}

/** Names of USB serial ports on Linux (ttyACM: CDC ACM, ttyUSB: bridges) and macOS. */
export const USB_SERIAL_PATH = /ttyACM|ttyUSB|usbmodem|usbserial/;

/** USB serial ports first (where printers are), then by name with numbers in numeric order. */
export function comparePorts(a: PortInfo, b: PortInfo): number {
  const rank = (p: PortInfo): number => (USB_SERIAL_PATH.test(p.path) ? 0 : 1);
  return rank(a) - rank(b) || a.path.localeCompare(b.path, 'en', { numeric: true });
}

/** serialport's list for macOS and Windows (never called on Linux: it would spawn udevadm). */
async function serialportList(): Promise<PortInfo[]> {
  const { SerialPort } = await import('serialport');
  const raw = await SerialPort.list();
  return raw.map((p) => {
    const info: PortInfo = { path: p.path };
    if (p.manufacturer) info.manufacturer = p.manufacturer;
    if (p.vendorId) info.vendorId = p.vendorId.toLowerCase();
    if (p.productId) info.productId = p.productId.toLowerCase();
    if (p.serialNumber) info.serialNumber = p.serialNumber;
    return info;
  });
}
