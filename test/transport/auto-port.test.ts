// `--port auto`: which port is the printer, and why not when it cannot tell.
import { describe, expect, it } from 'vitest';
import { describePort, pickPrinterPort } from '../../src/transport/auto-port.js';
import type { PortInfo } from '../../src/transport/list-ports.js';

const ch340: PortInfo = { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', product: 'USB Serial' };
const prusa: PortInfo = { path: '/dev/ttyACM0', vendorId: '2c99', productId: '0002', manufacturer: 'Prusa Research (prusa3d.com)', product: 'Original Prusa i3 MK3' };
const stm32: PortInfo = { path: '/dev/ttyACM1', vendorId: '0483', productId: '5740' };
const ftdi: PortInfo = { path: '/dev/ttyUSB1', vendorId: '0403', productId: '6001', manufacturer: 'FTDI' };
const arduino: PortInfo = { path: '/dev/ttyACM2', vendorId: '2341', productId: '0042' };
const unknownUsb: PortInfo = { path: '/dev/ttyUSB3', vendorId: '067b', productId: '2303' }; // PL2303
const bareAcm: PortInfo = { path: '/dev/ttyACM5' }; // no USB info (sysfs unreadable parts)
const gpsModem: PortInfo = { path: '/dev/ttyACM7', vendorId: '1546', productId: '01a7' }; // u-blox GPS
const ttyS0: PortInfo = { path: '/dev/ttyS0' };
const ama0: PortInfo = { path: '/dev/ttyAMA0' };
const macModem: PortInfo = { path: '/dev/tty.usbmodem1101' };
const winCh340: PortInfo = { path: 'COM3', vendorId: '1A86'.toLowerCase(), productId: '7523' };

describe('pickPrinterPort', () => {
  it.each([
    { name: 'single CH340 among SoC UARTs', ports: [ttyS0, ama0, ch340], pick: '/dev/ttyUSB0', reason: /known printer USB id \(CH340/ },
    { name: 'Prusa', ports: [prusa], pick: '/dev/ttyACM0', reason: /Prusa Research/ },
    { name: 'STM32 native USB', ports: [stm32, ttyS0], pick: '/dev/ttyACM1', reason: /STM32/ },
    { name: 'FTDI', ports: [ftdi], pick: '/dev/ttyUSB1', reason: /FTDI/ },
    { name: 'any Arduino product', ports: [arduino], pick: '/dev/ttyACM2', reason: /Arduino/ },
    { name: 'known id beats an unknown USB device', ports: [gpsModem, ch340], pick: '/dev/ttyUSB0', reason: /known printer USB id/ },
    { name: 'the only USB serial port, unknown id', ports: [unknownUsb, ttyS0], pick: '/dev/ttyUSB3', reason: /the only USB serial port/ },
    { name: 'ttyACM without USB details', ports: [bareAcm, ama0], pick: '/dev/ttyACM5', reason: /the only USB serial port/ },
    { name: 'macOS usbmodem', ports: [macModem], pick: '/dev/tty.usbmodem1101', reason: /only USB serial port/ },
    { name: 'Windows COM port with a CH340', ports: [winCh340], pick: 'COM3', reason: /CH340/ },
  ])('picks: $name', ({ ports, pick, reason }) => {
    const r = pickPrinterPort(ports);
    expect(r.port?.path).toBe(pick);
    expect(r.reason).toMatch(reason);
    expect(r.reason).toContain(pick);
  });

  it.each([
    { name: 'no ports at all', ports: [], reason: /^no serial ports found.*--port/ },
    { name: 'only SoC and legacy UARTs', ports: [ttyS0, ama0], reason: /^no port looks like a USB-connected printer \(found \/dev\/ttyS0, \/dev\/ttyAMA0\).*--port/ },
    { name: 'two known boards', ports: [prusa, ch340], reason: /^several ports could be the printer: \/dev\/ttyACM0 \(Prusa Research.*2c99:0002\), \/dev\/ttyUSB0 \(USB Serial 1a86:7523\): choose one with --port$/ },
    { name: 'two unknown USB serial ports', ports: [unknownUsb, gpsModem], reason: /several ports.*ttyUSB3.*ttyACM7.*--port/ },
  ])('refuses: $name', ({ ports, reason }) => {
    const r = pickPrinterPort(ports);
    expect(r.port).toBeUndefined();
    expect(r.reason).toMatch(reason);
  });
});

describe('describePort', () => {
  it.each([
    { port: prusa, text: '/dev/ttyACM0 (Prusa Research (prusa3d.com) Original Prusa i3 MK3 2c99:0002)' },
    { port: stm32, text: '/dev/ttyACM1 (STM32 native USB 0483:5740)' },
    { port: ttyS0, text: '/dev/ttyS0' },
    { port: { path: '/dev/ttyUSB9', vendorId: 'abcd' }, text: '/dev/ttyUSB9 (abcd:????)' },
  ])('$text', ({ port, text }) => {
    expect(describePort(port)).toBe(text);
  });
});
