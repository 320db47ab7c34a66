// `sim://` port URLs: the virtual printer's options in a string the CLI accepts as --port.
//
//   sim://                                   stock Marlin 2.1 at speed 100 (a 40-minute print
//                                            streams in ~25 s, motion still takes scaled time)
//   sim://?speed=20&advancedOk=1&rx=128&bufsize=4&emergencyParser=1&seed=7&corrupt=0.0001&latency=2
//
// Parameters (booleans: 1/0, true/false, yes/no, on/off):
//   speed            time scale for motion, dwell, homing, heating (> 0; default 100)
//   advancedOk       ADVANCED_OK replies `ok N<n> P<p> B<b>` (default 0)
//   rx               RX buffer bytes (default 128)
//   bufsize          command queue slots (default 4)
//   planner          planner blocks (default 15)
//   emergencyParser  EMERGENCY_PARSER (default 0)
//   extruders        hotends 1..8 (default 1)
//   chamber          heated chamber (default 0)
//   keepalive        busy interval in s, 0 = off (default 2)
//   resetOnOpen      USB-UART reset on open (default 1); 0 = native USB
//   record           record executed commands (default 1)
//   boot             ms from reset to banner (default 500)
//   parseCost        ms per command at speed 1 (default 0.3)
//   okAfterResend    `ok` after `Resend:` like Marlin 2.1 (default 1)
//   sd               SD card inserted (default 1)
//   accel            acceleration: trapezoids, junction speeds, look-ahead, M201/M203/M204/M205
//                    with Marlin 2.1's stock limits (default 0: a move takes length ÷ feedrate)
//   seed             PRNG seed for faults (default 1)
//   corrupt, drop    probability per received byte of corruption / loss (default 0)
//   dropOut          probability per sent line of loss (default 0)
//   latency          one-way link latency, ms (default 0); with the link model, added on top
//
// The link model (link-model.ts: baud on the wire, USB adapter latency), off unless one of these
// is given, e.g. sim://?baud=115200&usb=ftdi&usbLatency=16 (a stock FTDI adapter):
//   baud             bits/s on the wire, 10 bits a byte (default 115200; ignored for usb=cdc)
//   usb              ftdi | bridge | cdc: FTDI latency timer, CH340/CP2102 bridge, native USB
//                    (default ftdi)
//   usbLatency       ftdi: latency timer, ms (default 16; 1 = low latency); bridge: mean
//                    latency (default 2); cdc: USB frame (default 1)
//   jitter           bridge: ± ms around usbLatency (default half of it; seeded by `seed`)
//   usbOut           host -> adapter, ms (default 0.5)
import { UsageError } from '../util/errors.js';
import type { LinkModelOptions, UsbKind } from './link-model.js';
import type { SimOptions } from './sim-options.js';

/** The printer's options plus what belongs to the link. Assignable to SimOptions. */
export interface SimUrlOptions extends SimOptions {
  latencyMs: number;
  /** Set only when the URL names a link parameter (baud, usb, usbLatency, jitter, usbOut). */
  link?: LinkModelOptions;
}

const USB_KINDS: readonly UsbKind[] = ['ftdi', 'bridge', 'cdc'];

export const SIM_URL_DEFAULT_SPEED = 100;

type Kind = 'bool' | 'int' | 'num' | 'prob' | 'usb';
interface Param {
  kind: Kind;
  min?: number;
  max?: number;
  set(o: SimUrlOptions, v: number | boolean | string): void;
}

const link = (o: SimUrlOptions): LinkModelOptions => (o.link ??= {});

const PARAMS: Record<string, Param> = {
  speed: { kind: 'num', min: 1e-6, max: 100000, set: (o, v) => (o.speed = v as number) },
  advancedOk: { kind: 'bool', set: (o, v) => (o.advancedOk = v as boolean) },
  rx: { kind: 'int', min: 16, max: 1 << 20, set: (o, v) => (o.rxBufferSize = v as number) },
  bufsize: { kind: 'int', min: 1, max: 256, set: (o, v) => (o.bufsize = v as number) },
  planner: { kind: 'int', min: 1, max: 1024, set: (o, v) => (o.plannerBlocks = v as number) },
  emergencyParser: { kind: 'bool', set: (o, v) => (o.emergencyParser = v as boolean) },
  extruders: { kind: 'int', min: 1, max: 8, set: (o, v) => (o.extruders = v as number) },
  chamber: { kind: 'bool', set: (o, v) => (o.chamber = v as boolean) },
  keepalive: { kind: 'num', min: 0, max: 60, set: (o, v) => (o.keepaliveIntervalS = v as number) },
  resetOnOpen: { kind: 'bool', set: (o, v) => (o.resetOnOpen = v as boolean) },
  record: { kind: 'bool', set: (o, v) => (o.record = v as boolean) },
  boot: { kind: 'num', min: 0, max: 60000, set: (o, v) => (o.bootMs = v as number) },
  parseCost: { kind: 'num', min: 0, max: 1000, set: (o, v) => (o.parseCostMs = v as number) },
  okAfterResend: { kind: 'bool', set: (o, v) => (o.okAfterResend = v as boolean) },
  sd: { kind: 'bool', set: (o, v) => (o.sdCard = v as boolean) },
  accel: { kind: 'bool', set: (o, v) => (o.acceleration = v as boolean) },
  seed: { kind: 'int', min: 0, max: 0xffffffff, set: (o, v) => (o.faults = { ...o.faults, seed: v as number }) },
  corrupt: { kind: 'prob', set: (o, v) => (o.faults = { ...o.faults, corruptByte: v as number }) },
  drop: { kind: 'prob', set: (o, v) => (o.faults = { ...o.faults, dropByte: v as number }) },
  dropOut: { kind: 'prob', set: (o, v) => (o.faults = { ...o.faults, dropOutputLine: v as number }) },
  latency: { kind: 'num', min: 0, max: 60000, set: (o, v) => (o.latencyMs = v as number) },
  baud: { kind: 'int', min: 300, max: 20_000_000, set: (o, v) => (link(o).baud = v as number) },
  usb: { kind: 'usb', set: (o, v) => (link(o).usb = v as UsbKind) },
  usbLatency: { kind: 'num', min: 0.001, max: 255, set: (o, v) => (link(o).usbLatencyMs = v as number) },
  jitter: { kind: 'num', min: 0, max: 1000, set: (o, v) => (link(o).jitterMs = v as number) },
  usbOut: { kind: 'num', min: 0, max: 1000, set: (o, v) => (link(o).usbOutMs = v as number) },
};

const ALLOWED = Object.keys(PARAMS).join(', ');

export function isSimUrl(port: string): boolean {
  return /^sim:\/\//i.test(port);
}

/** Parse a `sim://` URL; unknown or malformed parameters throw a UsageError that says what is allowed. */
export function parseSimUrl(url: string): SimUrlOptions {
  const m = /^sim:\/\/\/?([^?#]*)(?:\?([^#]*))?$/i.exec(url.trim());
  if (!m) throw new UsageError(`not a sim:// URL: "${url}" (example: sim://?speed=20&advancedOk=1)`);
  if (m[1]) throw new UsageError(`sim:// takes no path ("${m[1]}"); put options after "?", e.g. sim://?speed=20`);
  const out: SimUrlOptions = { speed: SIM_URL_DEFAULT_SPEED, latencyMs: 0 };
  const seen = new Set<string>();
  for (const [key, raw] of new URLSearchParams(m[2] ?? '')) {
    const p = PARAMS[key];
    if (!p) throw new UsageError(`sim:// parameter "${key}" is not known; allowed: ${ALLOWED}`);
    if (seen.has(key)) throw new UsageError(`sim:// parameter "${key}" is given twice`);
    seen.add(key);
    p.set(out, parseValue(key, raw, p));
  }
  // One seed for the whole simulation: the link's jitter follows the faults' seed.
  if (out.link && out.faults?.seed !== undefined) out.link.seed = out.faults.seed;
  return out;
}

function parseValue(key: string, raw: string, p: Param): number | boolean | string {
  const v = raw.trim().toLowerCase();
  if (p.kind === 'usb') {
    if ((USB_KINDS as readonly string[]).includes(v)) return v;
    throw new UsageError(`sim:// parameter "${key}" must be one of ${USB_KINDS.join(', ')}, got "${raw}"`);
  }
  if (p.kind === 'bool') {
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    throw new UsageError(`sim:// parameter "${key}" must be 1 or 0 (true/false), got "${raw}"`);
  }
  const n = v === '' ? Number.NaN : Number(v);
  const [min, max] = p.kind === 'prob' ? [0, 1] : [p.min ?? -Infinity, p.max ?? Infinity];
  const okInt = p.kind !== 'int' || Number.isInteger(n);
  if (!Number.isFinite(n) || !okInt || n < min || n > max) {
    const what = p.kind === 'int' ? 'an integer' : p.kind === 'prob' ? 'a probability' : 'a number';
    throw new UsageError(`sim:// parameter "${key}" must be ${what} from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}
