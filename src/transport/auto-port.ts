// `--port auto`: which of the serial ports is the printer? Printer boards talk USB through a
// handful of bridge chips or their MCU's native USB, so a known USB vendor:product id is strong
// evidence; any other USB serial port (ttyACM/ttyUSB) is weak evidence; SoC UARTs and legacy
// ttyS ports are never guessed (a printer wired to GPIO pins must be named with --port).
// We only pick when exactly one port has the strongest evidence: opening the wrong port sends
// G-code to some other device, so an ambiguous choice is an error that lists the candidates.
// Pure: tested with tables.
import { USB_SERIAL_PATH, type PortInfo } from './list-ports.js';

interface KnownUsb {
  vendorId: string;
  /** Omitted: every product of the vendor is a printer or a printer board. */
  productId?: string;
  name: string;
}

/** USB ids seen on Marlin printers' USB ports (bridges first, then native-USB MCUs). */
export const KNOWN_PRINTER_USB: readonly KnownUsb[] = [
  { vendorId: '1a86', productId: '7523', name: 'CH340 USB-serial' }, // Creality 8-bit/4.2.x, Anet, Melzi, RAMPS clones
  { vendorId: '1a86', productId: '55d4', name: 'CH9102 USB-serial' }, // WCH's newer bridge, on recent boards
  { vendorId: '0403', productId: '6001', name: 'FTDI FT232R USB-serial' }, // Ultimaker Original, older RAMPS/Rumba
  { vendorId: '0403', productId: '6015', name: 'FTDI FT-X USB-serial' },
  { vendorId: '10c4', productId: 'ea60', name: 'CP210x USB-serial' }, // MKS, some Creality and Artillery boards
  { vendorId: '2341', name: 'Arduino' }, // Mega 2560 + RAMPS (16U2 bridge)
  { vendorId: '2a03', name: 'Arduino (arduino.org)' }, // Mega 2560 clones of the arduino.org era
  { vendorId: '0483', productId: '5740', name: 'STM32 native USB' }, // Marlin on STM32 (SKR Mini E3 v2+, Creality 32-bit, MKS)
  { vendorId: '1eaf', productId: '0004', name: 'STM32F1 (Maple) native USB' }, // Marlin's STM32F1 maple builds
  { vendorId: '1d50', productId: '6029', name: 'LPC176x native USB (Marlin)' }, // SKR 1.3/1.4, MKS SGen
  { vendorId: '2c99', name: 'Prusa Research' }, // MK3 Einsy, MINI, MK4, XL
  { vendorId: '16c0', productId: '0483', name: 'Teensy USB serial' }, // Printrboard and other Teensy-based boards
  { vendorId: '2e8a', productId: '000a', name: 'RP2040 native USB' }, // SKR Pico under Marlin
];

export function knownUsb(p: PortInfo): KnownUsb | undefined {
  const vid = p.vendorId?.toLowerCase();
  const pid = p.productId?.toLowerCase();
  if (!vid) return undefined;
  return KNOWN_PRINTER_USB.find((k) => k.vendorId === vid && (k.productId === undefined || k.productId === pid));
}

/** 2: known printer USB id; 1: some other USB serial port; 0: not a printer candidate. */
export function printerScore(p: PortInfo): number {
  if (knownUsb(p)) return 2;
  if (p.vendorId || USB_SERIAL_PATH.test(p.path)) return 1;
  return 0;
}

/** One line per port for messages and `octoslack ports`: `/dev/ttyUSB0 (CH340 USB-serial 1a86:7523)`. */
export function describePort(p: PortInfo): string {
  const words: string[] = [];
  const known = knownUsb(p);
  const text = [p.manufacturer, p.product].filter((s): s is string => !!s).join(' ');
  if (text) words.push(text);
  else if (known) words.push(known.name);
  if (p.vendorId) words.push(`${p.vendorId}:${p.productId ?? '????'}`);
  return words.length > 0 ? `${p.path} (${words.join(' ')})` : p.path;
}

export function pickPrinterPort(ports: readonly PortInfo[]): { port?: PortInfo; reason: string } {
  if (ports.length === 0) {
    return { reason: 'no serial ports found: is the printer plugged in and switched on? Or give the port with --port /dev/ttyUSB0' };
  }
  const best = Math.max(...ports.map(printerScore));
  if (best === 0) {
    return {
      reason: `no port looks like a USB-connected printer (found ${ports.map(describePort).join(', ')}): plug the printer in, or give the port with --port`,
    };
  }
  const candidates = ports.filter((p) => printerScore(p) === best);
  const [only] = candidates;
  if (candidates.length === 1 && only) {
    const why = best === 2 ? `known printer USB id (${knownUsb(only)?.name})` : 'the only USB serial port';
    return { port: only, reason: `using ${describePort(only)}: ${why}` };
  }
  return {
    reason: `several ports could be the printer: ${candidates.map(describePort).join(', ')}: choose one with --port`,
  };
}
