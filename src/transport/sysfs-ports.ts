// Serial ports from Linux sysfs, without udev. serialport's own Linux list spawns `udevadm`, which
// is missing in containers and minimal images (and then crashes the process with an uncaught
// spawn error), while /sys is always there when the kernel has the devices.
//
// Layout we read (kernel ABI, stable for years):
//   /sys/class/tty/ttyUSB0/device -> …/usb1/1-1/1-1:1.0/ttyUSB0   (usb-serial port)
//   /sys/class/tty/ttyACM0/device -> …/usb1/1-2/1-2:1.0           (CDC ACM interface)
//   /sys/class/tty/ttyAMA0/device -> …/fe201000.serial            (SoC UART, no USB)
//   /sys/class/tty/tty1                                           (virtual console: no device)
// Walking up from the device to the first directory with an `idVendor` file gives the USB device
// and its `idProduct`, `manufacturer`, `product`, `serial` attributes.
import { readdir, readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PortInfo } from './list-ports.js';

export interface SysfsOptions {
  /** Root of sysfs; tests point it at a fake tree. */
  sysRoot: string;
  /** Where device nodes live. */
  devDir: string;
}

/** Read every real serial port under `<sysRoot>/class/tty`. Throws if the directory is unreadable. */
export async function listSysfsPorts(o: SysfsOptions): Promise<PortInfo[]> {
  const classDir = join(o.sysRoot, 'class', 'tty');
  const names = await readdir(classDir);
  const ports = await Promise.all(names.map((name) => readTty(o, classDir, name)));
  return ports.filter((p): p is PortInfo => p !== undefined);
}

async function readTty(o: SysfsOptions, classDir: string, name: string): Promise<PortInfo | undefined> {
  const device = await realpath(join(classDir, name, 'device')).catch(() => undefined);
  if (!device) return undefined; // tty0…tty63, console, ptmx, pseudo-terminals: no hardware
  if (await isPlaceholderUart(classDir, name, device)) return undefined;
  const info: PortInfo = { path: join(o.devDir, name) };
  const driver = await realpath(join(device, 'driver')).catch(() => undefined);
  if (driver) info.driver = basename(driver);
  const usb = await findUsbDevice(device, o.sysRoot);
  if (usb) {
    const [vendorId, productId, manufacturer, product, serialNumber] = await Promise.all(
      ['idVendor', 'idProduct', 'manufacturer', 'product', 'serial'].map((f) => readAttr(join(usb, f))),
    );
    Object.assign(info, dropUndefined({
      vendorId: vendorId?.toLowerCase(),
      productId: productId?.toLowerCase(),
      manufacturer,
      product,
      serialNumber,
    }));
  }
  return info;
}

/**
 * A PC kernel creates ttyS0…ttyS31 whether or not a UART exists. Those with no hardware hang off
 * the `serial8250` platform device and report port type 0 (PORT_UNKNOWN).
 */
async function isPlaceholderUart(classDir: string, name: string, device: string): Promise<boolean> {
  if (basename(device) === 'serial8250') return true;
  const type = await readAttr(join(classDir, name, 'type'));
  return type === '0';
}

/** The nearest ancestor of `device` (inclusive) that is a USB device, not above `sysRoot`. */
async function findUsbDevice(device: string, sysRoot: string): Promise<string | undefined> {
  const root = await realpath(sysRoot).catch(() => sysRoot);
  for (let dir = device; dir.startsWith(root) && dir !== root; dir = dirname(dir)) {
    if ((await readAttr(join(dir, 'idVendor'))) !== undefined) return dir;
  }
  return undefined;
}

async function readAttr(file: string): Promise<string | undefined> {
  try {
    const text = (await readFile(file, 'latin1')).trim();
    return text.length > 0 ? text : undefined;
  } catch {
    return undefined;
  }
}

function dropUndefined<T extends Record<string, string | undefined>>(o: T): Partial<Record<keyof T, string>> {
  const out: Partial<Record<keyof T, string>> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k as keyof T] = v;
  return out;
}
