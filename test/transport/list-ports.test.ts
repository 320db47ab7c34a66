// Port listing from a fake sysfs tree laid out like the kernel's (symlinks included), so listing
// is tested without udev and without hardware.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listSerialPorts, type PortInfo } from '../../src/transport/list-ports.js';
import { PortError } from '../../src/util/errors.js';

let root: string;

async function files(dir: string, attrs: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(attrs)) await writeFile(join(dir, name), text + '\n');
}

/** /sys/class/tty/<name>, with `device` → `device` (absolute) when given, and extra attributes. */
async function tty(name: string, device?: string, attrs: Record<string, string> = {}): Promise<void> {
  const dir = join(root, 'class', 'tty', name);
  await files(dir, { dev: '188:0', ...attrs });
  if (device) {
    await mkdir(device, { recursive: true });
    await symlink(device, join(dir, 'device'));
  }
}

async function driver(device: string, name: string): Promise<void> {
  const d = join(root, 'bus', 'drivers', name);
  await mkdir(d, { recursive: true });
  await symlink(d, join(device, 'driver'));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'octoslack-sysfs-'));
  const usb = join(root, 'devices', 'pci0000:00', '0000:00:14.0', 'usb1');
  // CH340 bridge: tty → usb-serial port → interface → USB device (has idVendor).
  const ch340 = join(usb, '1-1');
  await files(ch340, { idVendor: '1A86', idProduct: '7523', product: 'USB Serial' });
  const ch340Port = join(ch340, '1-1:1.0', 'ttyUSB0');
  await tty('ttyUSB0', ch340Port);
  await driver(ch340Port, 'ch341-uart');
  // Prusa MK3 (native CDC ACM): tty → interface → USB device.
  const prusa = join(usb, '1-2');
  await files(prusa, { idVendor: '2c99', idProduct: '0002', manufacturer: 'Prusa Research (prusa3d.com)', product: 'Original Prusa i3 MK3', serial: 'CZPX1234X004XK12345' });
  await tty('ttyACM0', join(prusa, '1-2:1.0'));
  await driver(join(prusa, '1-2:1.0'), 'cdc_acm');
  // Raspberry Pi PL011 UART: real, but not USB.
  await tty('ttyAMA0', join(root, 'devices', 'platform', 'soc', 'fe201000.serial'));
  // PC UARTs: placeholder under serial8250, one on pnp without a UART (type 0), one real.
  await tty('ttyS0', join(root, 'devices', 'platform', 'serial8250'), { type: '0' });
  await tty('ttyS1', join(root, 'devices', 'pnp0', '00:01'), { type: '0' });
  await tty('ttyS10', join(root, 'devices', 'pnp0', '00:05'), { type: '4' });
  // Virtual consoles, the console, ptmx: no device link.
  for (const name of ['tty', 'tty0', 'tty1', 'console', 'ptmx']) await tty(name);
  // A USB tty whose device has no USB attributes readable: listed without ids.
  await tty('ttyACM10', join(root, 'devices', 'virtual', 'odd', 'ttyACM10'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('listSerialPorts on Linux (sysfs)', () => {
  it('lists real serial ports with USB identity, printer-like first, consoles and placeholders skipped', async () => {
    const ports = await listSerialPorts({ platform: 'linux', sysRoot: root, devDir: '/dev' });
    const expected: PortInfo[] = [
      {
        path: '/dev/ttyACM0',
        driver: 'cdc_acm',
        vendorId: '2c99',
        productId: '0002',
        manufacturer: 'Prusa Research (prusa3d.com)',
        product: 'Original Prusa i3 MK3',
        serialNumber: 'CZPX1234X004XK12345',
      },
      { path: '/dev/ttyACM10' },
      { path: '/dev/ttyUSB0', driver: 'ch341-uart', vendorId: '1a86', productId: '7523', product: 'USB Serial' },
      { path: '/dev/ttyAMA0' },
      { path: '/dev/ttyS10' },
    ];
    expect(ports).toEqual(expected);
  });

  it('does not walk above the sysfs root looking for USB attributes', async () => {
    // An idVendor file *above* the root must not be picked up.
    const outer = await mkdtemp(join(tmpdir(), 'octoslack-sysfs-outer-'));
    try {
      await files(outer, { idVendor: 'dead', idProduct: 'beef' });
      const inner = join(outer, 'sys');
      const dev = join(inner, 'devices', 'platform', 'uart0');
      await mkdir(join(inner, 'class', 'tty', 'ttyAMA1'), { recursive: true });
      await mkdir(dev, { recursive: true });
      await symlink(dev, join(inner, 'class', 'tty', 'ttyAMA1', 'device'));
      expect(await listSerialPorts({ platform: 'linux', sysRoot: inner })).toEqual([{ path: '/dev/ttyAMA1' }]);
    } finally {
      await rm(outer, { recursive: true, force: true });
    }
  });

  it('without a readable /sys/class/tty: a PortError that says to give --port', async () => {
    const missing = join(dirname(root), 'no-such-sysfs-here');
    const err = await listSerialPorts({ platform: 'linux', sysRoot: missing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortError);
    expect((err as PortError).exitCode).toBe(3);
    expect((err as PortError).message).toBe(
      `cannot list serial ports: ${join(missing, 'class', 'tty')} is not readable (no sysfs in this container?): give the port with --port /dev/ttyUSB0`,
    );
  });

  it('on this machine: resolves without udevadm (serialport.list would crash the process)', async () => {
    const ports = await listSerialPorts({ platform: 'linux' });
    expect(Array.isArray(ports)).toBe(true);
    for (const p of ports) expect(p.path).toMatch(/^\/dev\/tty/);
  });
});

describe('listSerialPorts elsewhere (system list)', () => {
  it('sorts the system list, printer-like ports first', async () => {
    const ports = await listSerialPorts({
      platform: 'darwin',
      systemList: async () => [{ path: '/dev/tty.Bluetooth-Incoming-Port' }, { path: '/dev/tty.usbserial-10' }, { path: '/dev/tty.usbmodem1101' }],
    });
    expect(ports.map((p) => p.path)).toEqual(['/dev/tty.usbmodem1101', '/dev/tty.usbserial-10', '/dev/tty.Bluetooth-Incoming-Port']);
  });

  it('a failing system list becomes a PortError', async () => {
    const err = await listSerialPorts({ platform: 'win32', systemList: () => Promise.reject(new Error('SetupAPI failed')) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortError);
    expect((err as PortError).message).toMatch(/^cannot list serial ports: SetupAPI failed: give the port with --port/);
  });
});
