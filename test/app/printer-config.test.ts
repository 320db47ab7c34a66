// What one printer of a farm sees of the shared config.
import { describe, expect, it } from 'vitest';
import { configForPrinter, printerSlug, selectPrinters } from '../../src/app/farm/printer-config.js';
import { configSchema } from '../../src/config/schema.js';

const base = configSchema.parse({
  slack: { token: 'xoxb-1', channels: ['#prints'] },
  mattermost: { url: 'http://mm', token: 'tok', channel: 'prints' },
  stateDir: '/state',
  cameras: [{ name: 'top', url: 'http://cam/top' }, { name: 'side', url: 'http://cam/side' }],
  printers: [
    { name: 'Prusa MK3 #2', port: 'sim://', slackChannels: ['#prusa'], cameras: ['side'] },
    { name: 'Ender', serialNumber: 'B2', mattermostChannel: 'ender' },
  ],
});

describe('configForPrinter', () => {
  it('puts in the printer\'s name, channels, cameras and its own state folder', () => {
    const c = configForPrinter(base, base.printers[0]!);
    expect(c.printerName).toBe('Prusa MK3 #2');
    expect(c.slack?.channels).toEqual(['#prusa']);
    expect(c.mattermost?.channel).toBe('prints');
    expect(c.cameras.map((x) => x.name)).toEqual(['side']);
    expect(c.stateDir).toBe('/state/printers/prusa-mk3-2');
    expect(c.printers).toEqual([]);
  });

  it('keeps the shared defaults where the printer sets nothing', () => {
    const c = configForPrinter(base, base.printers[1]!);
    expect(c.slack?.channels).toEqual(['#prints']);
    expect(c.mattermost?.channel).toBe('ender');
    expect(c.cameras).toHaveLength(2);
    expect(c.stateDir).not.toBe(configForPrinter(base, base.printers[0]!).stateDir);
  });
});

describe('selectPrinters / printerSlug', () => {
  it('picks one printer by name, case-insensitively, or names the choices', () => {
    expect(selectPrinters(base, 'ender').map((p) => p.name)).toEqual(['Ender']);
    expect(selectPrinters(base).length).toBe(2);
    expect(() => selectPrinters(base, 'Voron')).toThrow(/printers: Prusa MK3 #2, Ender/);
  });

  it('makes names safe for folders and topics', () => {
    expect(printerSlug('Prusa MK3 #2')).toBe('prusa-mk3-2');
    expect(printerSlug('Créality/Ender 3')).toBe('creality-ender-3');
    expect(printerSlug('***')).toBe('printer');
  });
});
