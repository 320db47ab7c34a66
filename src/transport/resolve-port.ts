// A farm names its printers by what does not change when USB devices are plugged in a different
// order: the adapter's serial number, or its vendor:product pair. /dev/ttyUSB0 is whichever board
// the kernel saw first, so two printers can swap names after a reboot — and a print streamed to
// the wrong printer is a crash. This turns such a description into the device path now, and
// refuses rather than guesses when the description fits no port, or more than one.
import { PortError } from '../util/errors.js';
import { describePort } from './auto-port.js';
import { listSerialPorts, type PortInfo } from './list-ports.js';

export interface PortSelector {
  /** Used as is: /dev/ttyUSB0, /dev/serial/by-id/…, sim://…, auto. */
  port?: string;
  serialNumber?: string;
  /** "vid:pid", hex. */
  usbId?: string;
}

/** The device path for `sel` among `ports` (the ports present now). Throws PortError. */
export function choosePort(sel: PortSelector, ports: readonly PortInfo[], who: string): string {
  if (sel.port !== undefined) return sel.port;
  let matches: PortInfo[];
  let what: string;
  if (sel.serialNumber !== undefined) {
    what = `USB serial number ${sel.serialNumber}`;
    matches = ports.filter((p) => p.serialNumber === sel.serialNumber);
  } else if (sel.usbId !== undefined) {
    what = `USB id ${sel.usbId}`;
    const [vid, pid] = sel.usbId.toLowerCase().split(':');
    matches = ports.filter((p) => p.vendorId === vid && p.productId === pid);
  } else {
    throw new PortError('NO_PORT', `${who}: no port, serialNumber or usbId is configured`);
  }
  if (matches.length === 1) return matches[0]!.path;
  const present = ports.length > 0 ? ` Ports now: ${ports.map(describePort).join('; ')}.` : ' No serial port is present.';
  if (matches.length === 0) throw new PortError('NO_PORT', `${who}: no serial port with ${what} is connected.${present}`);
  throw new PortError('NO_PORT', `${who}: ${matches.length} ports have ${what} (${matches.map((m) => m.path).join(', ')}); use serialNumber or a /dev/serial/by-id path instead.`);
}

/** Lists the ports only when the selector needs them. */
export async function resolvePort(sel: PortSelector, who: string, list: () => Promise<PortInfo[]> = () => listSerialPorts()): Promise<string> {
  if (sel.port !== undefined) return sel.port;
  return choosePort(sel, await list(), who);
}
