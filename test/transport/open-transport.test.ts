// The port string decides the transport: sim://, auto, or a device path; --baud is validated.
import { describe, expect, it } from 'vitest';
import { createTransport, validateBaud, type TransportDeps } from '../../src/transport/open-transport.js';
import type { LineTransport } from '../../src/transport/line-transport.js';
import type { SerialTransportOptions } from '../../src/transport/serial-transport.js';
import { SerialTransport } from '../../src/transport/serial-transport.js';
import type { PortInfo } from '../../src/transport/list-ports.js';
import { PortError, UsageError } from '../../src/util/errors.js';

function fakeTransport(description: string): LineTransport {
  return {
    description,
    open: async () => undefined,
    close: async () => undefined,
    writeLine: async () => undefined,
    onLine: () => () => undefined,
    onClose: () => () => undefined,
  };
}

function deps(ports: PortInfo[] = []): TransportDeps & { sims: string[]; serials: SerialTransportOptions[]; picks: string[] } {
  const sims: string[] = [];
  const serials: SerialTransportOptions[] = [];
  const picks: string[] = [];
  return {
    sims,
    serials,
    picks,
    simFactory: (url) => (sims.push(url), fakeTransport(url)),
    serialFactory: (o) => (serials.push(o), fakeTransport(o.path)),
    listPorts: async () => ports,
    onAutoPick: (reason) => picks.push(reason),
  };
}

describe('createTransport', () => {
  it('sim:// goes to the injected factory with the whole URL; no baud check, no serial port', async () => {
    const d = deps();
    const t = await createTransport({ port: 'sim://?faults=resend', baudRate: 0 }, d);
    expect(t.description).toBe('sim://?faults=resend');
    expect(d.sims).toEqual(['sim://?faults=resend']);
    expect(d.serials).toEqual([]);
  });

  it('a device path becomes a serial transport with baud and low latency', async () => {
    const d = deps();
    await createTransport({ port: '/dev/ttyACM0', baudRate: 250000, lowLatency: true }, d);
    expect(d.serials).toEqual([{ path: '/dev/ttyACM0', baudRate: 250000, lowLatency: true }]);
  });

  it('without a factory, a path gives a SerialTransport (not opened yet)', async () => {
    const t = await createTransport({ port: '/dev/ttyUSB7', baudRate: 115200 }, { simFactory: () => fakeTransport('x') });
    expect(t).toBeInstanceOf(SerialTransport);
    expect(t.description).toBe('/dev/ttyUSB7 @ 115200');
  });

  it('auto lists ports, picks the printer and says why', async () => {
    const d = deps([{ path: '/dev/ttyS0' }, { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523' }]);
    await createTransport({ port: 'auto', baudRate: 115200 }, d);
    expect(d.serials.map((o) => o.path)).toEqual(['/dev/ttyUSB0']);
    expect(d.picks[0]).toMatch(/^using \/dev\/ttyUSB0/);
  });

  it('auto with two candidates: PortError (exit 3) listing them', async () => {
    const d = deps([{ path: '/dev/ttyACM0', vendorId: '2c99', productId: '0002' }, { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523' }]);
    const err = await createTransport({ port: 'auto', baudRate: 115200 }, d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortError);
    expect((err as PortError).exitCode).toBe(3);
    expect((err as PortError).message).toMatch(/^--port auto: several ports could be the printer: \/dev\/ttyACM0.*\/dev\/ttyUSB0.*--port$/);
    expect(d.serials).toEqual([]);
  });

  it('an empty port or a bad baud rate is a usage error', async () => {
    await expect(createTransport({ port: ' ', baudRate: 115200 }, deps())).rejects.toBeInstanceOf(UsageError);
    await expect(createTransport({ port: '/dev/ttyUSB0', baudRate: 12345 }, deps())).rejects.toBeInstanceOf(UsageError);
  });
});

describe('validateBaud', () => {
  it.each(['9600', '57600', '115200', '250000', '1000000', ' 230400 '])('accepts %s', (v) => {
    expect(validateBaud(v)).toBe(Number(v.trim()));
  });

  it.each(['0', '-115200', '115200.0', '1e5', 'fast', '', '12345', '2000000', '0x1c200'])('rejects %j with the list of rates', (v) => {
    let err: unknown;
    try {
      validateBaud(v);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toContain('9600, 19200, 38400, 57600, 115200, 230400, 250000, 460800, 500000, 921600, 1000000');
  });
});
