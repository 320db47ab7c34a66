// One chat connection, several printers: a command goes to the printer it names, never to a guess.
import { describe, expect, it } from 'vitest';
import { CommandHandler, type IncomingMessage } from '../../src/remote/handler.js';
import { FarmCommandHandler } from '../../src/remote/farm-handler.js';
import { REMOTE_DEFAULTS } from '../../src/remote/remote-config.js';
import { fakeStatus, FakeControl, memoryLog } from './fake-control.js';

function farm(names: string[]) {
  const controls = new Map(names.map((n) => [n, new FakeControl()]));
  const printers = names.map((name) => ({
    name,
    handler: new CommandHandler({
      settings: { ...REMOTE_DEFAULTS.commands, allow: { pause: ['U0ANA'], resume: ['U0ANA'], cancel: ['U0ANA'] } },
      printerName: name, control: () => controls.get(name), statusMessage: fakeStatus, log: memoryLog(),
    }),
  }));
  return { handler: new FarmCommandHandler(printers), controls };
}

const msg = (text: string, userId = 'U0ANA'): IncomingMessage => ({
  sender: { platform: 'slack', userId, teamId: 'T0TEST' }, mention: `<@${userId}>`, channelId: 'C0FARM', where: 'channel', text,
  senderName: async () => '@ana',
});

describe('FarmCommandHandler', () => {
  it('sends a command to the printer it names, and only there', async () => {
    const { handler, controls } = farm(['Prusa', 'Ender', 'Voron']);
    const r = await handler.handle(msg('<@U0BOT> pause ender please'));
    expect(r).toMatchObject({ command: 'pause', outcome: 'done' });
    expect(controls.get('Ender')!.calls).toEqual([{ method: 'pause', by: '@ana' }]);
    expect(controls.get('Prusa')!.calls).toEqual([]);
    expect(controls.get('Voron')!.calls).toEqual([]);
  });

  it('never guesses for pause, resume or cancel without a name: it asks which printer', async () => {
    const { handler, controls } = farm(['Prusa', 'Ender']);
    for (const text of ['pause', 'resume', 'cancel', 'cancel confirm']) {
      const r = await handler.handle(msg(text));
      expect(r?.outcome).toBe('unknown');
      expect(r?.text).toContain('printers: Prusa, Ender');
    }
    for (const c of controls.values()) expect(c.calls).toEqual([]);
  });

  it('prefers the longest matching name ("Prusa XL" over "Prusa")', async () => {
    const { handler, controls } = farm(['Prusa', 'Prusa XL']);
    await handler.handle(msg('pause prusa xl'));
    expect(controls.get('Prusa XL')!.calls).toHaveLength(1);
    expect(controls.get('Prusa')!.calls).toHaveLength(0);
  });

  it('keeps each printer\'s cancel confirmation its own', async () => {
    const { handler, controls } = farm(['Prusa', 'Ender']);
    expect((await handler.handle(msg('cancel Prusa')))?.outcome).toBe('asked');
    // Confirming on the other printer confirms nothing.
    expect((await handler.handle(msg('cancel confirm Ender')))?.outcome).toBe('failed');
    expect(controls.get('Ender')!.calls).toEqual([]);
    expect((await handler.handle(msg('cancel confirm Prusa')))?.outcome).toBe('done');
    expect(controls.get('Prusa')!.calls).toEqual([{ method: 'cancel', by: '@ana' }]);
  });

  it('answers status for every printer at once when none is named', async () => {
    const { handler } = farm(['Prusa', 'Ender']);
    const r = await handler.handle(msg('status'));
    expect(r?.command).toBe('status');
    expect(r?.text.split('\n\n')).toHaveLength(2);
  });

  it('refuses strangers on every printer', async () => {
    const { handler, controls } = farm(['Prusa', 'Ender']);
    expect((await handler.handle(msg('pause Prusa', 'U0EVE')))?.outcome).toBe('refused');
    expect(controls.get('Prusa')!.calls).toEqual([]);
  });

  it('with one printer behaves exactly like that printer\'s handler', async () => {
    const { handler, controls } = farm(['Prusa']);
    expect((await handler.handle(msg('pause')))?.outcome).toBe('done');
    expect(controls.get('Prusa')!.calls).toHaveLength(1);
  });
});
