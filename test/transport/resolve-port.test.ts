// Farm printers found by USB identity, not by the order the kernel numbered them.
import { describe, expect, it } from 'vitest';
import { choosePort, resolvePort } from '../../src/transport/resolve-port.js';
import { PortError } from '../../src/util/errors.js';
import type { PortInfo } from '../../src/transport/list-ports.js';

const ports: PortInfo[] = [
  { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', serialNumber: 'A1' },
  { path: '/dev/ttyUSB1', vendorId: '1a86', productId: '7523', serialNumber: 'B2' },
  { path: '/dev/ttyACM0', vendorId: '2c99', productId: '0002', serialNumber: 'CZPX1234' },
];

describe('choosePort', () => {
  it('finds a printer by serial number wherever it was numbered', () => {
    expect(choosePort({ serialNumber: 'B2' }, ports, 'Ender')).toBe('/dev/ttyUSB1');
    const swapped = [{ ...ports[1]!, path: '/dev/ttyUSB0' }, { ...ports[0]!, path: '/dev/ttyUSB1' }];
    expect(choosePort({ serialNumber: 'B2' }, swapped, 'Ender')).toBe('/dev/ttyUSB0');
  });

  it('finds a unique vendor:product pair, case-insensitively', () => {
    expect(choosePort({ usbId: '2C99:0002' }, ports, 'Prusa')).toBe('/dev/ttyACM0');
  });

  it('refuses an ambiguous vendor:product pair instead of guessing', () => {
    expect(() => choosePort({ usbId: '1a86:7523' }, ports, 'Ender')).toThrow(/2 ports have USB id 1a86:7523.*use serialNumber/);
  });

  it('says which ports are there when none matches', () => {
    try {
      choosePort({ serialNumber: 'ZZ' }, ports, 'Voron');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PortError);
      expect((err as Error).message).toMatch(/^Voron: no serial port with USB serial number ZZ is connected\. Ports now: \/dev\/ttyUSB0/);
    }
    expect(() => choosePort({ serialNumber: 'ZZ' }, [], 'Voron')).toThrow(/No serial port is present/);
  });

  it('uses an explicit port as given, without listing anything', async () => {
    let listed = 0;
    expect(await resolvePort({ port: 'sim://' }, 'x', async () => { listed++; return []; })).toBe('sim://');
    expect(listed).toBe(0);
  });
});
