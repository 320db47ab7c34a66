// The command handler against a recording PrinterControl: who may do what, what people are told,
// the cancel confirmation on an injected clock, and the log line naming the sender.
import { describe, expect, it } from 'vitest';
import { CommandHandler, type IncomingMessage } from '../../src/remote/handler.js';
import { REMOTE_DEFAULTS, type CommandSettings } from '../../src/remote/remote-config.js';
import { fakeStatus, FakeControl, memoryLog } from './fake-control.js';

function setup(settings: Partial<CommandSettings> = {}, control: FakeControl | null = new FakeControl()) {
  let now = 0;
  const log = memoryLog();
  const handler = new CommandHandler({
    settings: { ...REMOTE_DEFAULTS.commands, allow: { pause: ['U0ANA'], resume: ['U0ANA'], cancel: ['U0ANA'] }, ...settings },
    printerName: 'Prusa', control: () => control ?? undefined, statusMessage: fakeStatus, log, now: () => now,
  });
  const msg = (text: string, userId = 'U0ANA', o: Partial<IncomingMessage> = {}): IncomingMessage => ({
    sender: { platform: 'slack', userId, teamId: 'T0TEST' }, mention: `<@${userId}>`, channelId: 'C0PRINTER1', where: 'channel', text,
    senderName: async () => (userId === 'U0ANA' ? '@ana' : undefined), ...o,
  });
  return { handler, control, log, msg, advance: (ms: number) => { now += ms; } };
}

describe('CommandHandler', () => {
  it('pauses and resumes for an allowed user, naming them', async () => {
    const { handler, control, msg, log } = setup();
    let received = 0;
    const r = await handler.handle(msg('<@U0BOT> please pause'), () => received++);
    expect(r).toMatchObject({ command: 'pause', outcome: 'done', text: 'Paused (by @ana).', public: true });
    expect(received).toBe(1);
    expect(control!.calls).toEqual([{ method: 'pause', by: '@ana' }]);
    expect(await handler.handle(msg('resume'))).toMatchObject({ outcome: 'done', text: 'Resumed (by @ana).' });
    expect(log.lines.some((l) => l.includes('"pause" from @ana (slack user T0TEST:U0ANA) in channel C0PRINTER1: done'))).toBe(true);
  });

  it('refuses a stranger politely, with their ID, and never calls the printer', async () => {
    const { handler, control, msg, log } = setup();
    let received = 0;
    for (const text of ['pause', 'resume', 'cancel', 'cancel confirm']) {
      const r = await handler.handle(msg(text, 'U0STRANGER'), () => received++);
      expect(r?.outcome).toBe('refused');
      expect(r?.text).toMatch(/^Sorry, you may not/);
      expect(r?.text).toContain('U0STRANGER');
    }
    expect(received).toBe(0);
    expect(control!.calls).toEqual([]);
    expect(log.lines.filter((l) => l.includes('U0STRANGER') && l.includes('refused'))).toHaveLength(4);
  });

  it('falls back to the mention when the name is unknown', async () => {
    const { handler, control, msg } = setup({ allow: { pause: ['U0BEN'] } });
    await handler.handle(msg('pause', 'U0BEN'));
    expect(control!.calls).toEqual([{ method: 'pause', by: '<@U0BEN>' }]);
  });

  it('answers commands that make no sense now with the control\'s reason', async () => {
    const { handler, control, msg } = setup();
    control!.activity = 'idle';
    expect(await handler.handle(msg('pause'))).toMatchObject({ outcome: 'failed', text: 'Cannot pause: Nothing is printing, so there is nothing to pause.' });
    expect(await handler.handle(msg('resume'))).toMatchObject({ outcome: 'failed', text: 'Cannot resume: Nothing is printing.' });
    control!.activity = 'printing';
    expect(await handler.handle(msg('resume'))).toMatchObject({ outcome: 'failed', text: 'Cannot resume: The print is not paused.' });
  });

  it('cancel asks for confirmation within the window, then cancels', async () => {
    const { handler, control, msg, advance } = setup();
    const ask = await handler.handle(msg('@octobot stop'));
    expect(ask).toMatchObject({ command: 'cancel', outcome: 'asked' });
    expect(ask?.text).toContain('cube.gcode');
    expect(ask?.text).toContain('`cancel confirm` within 60 s');
    expect(control!.calls).toEqual([]);
    advance(59_000);
    expect(await handler.handle(msg('cancel confirm'))).toMatchObject({ outcome: 'done', text: 'Cancelled (by @ana); heaters off.' });
    expect(control!.calls).toEqual([{ method: 'cancel', by: '@ana' }]);
  });

  it('a late or unasked confirmation does nothing', async () => {
    const { handler, control, msg, advance } = setup();
    expect(await handler.handle(msg('cancel confirm'))).toMatchObject({ outcome: 'failed' });
    await handler.handle(msg('cancel'));
    advance(60_001);
    expect((await handler.handle(msg('cancel confirm')))?.text).toMatch(/no cancel to confirm/);
    // Confirming in another channel is not confirming.
    await handler.handle(msg('cancel'));
    expect((await handler.handle(msg('cancel confirm', 'U0ANA', { channelId: 'C0OTHER' })))?.outcome).toBe('failed');
    expect(control!.calls).toEqual([]);
  });

  it('does not ask to cancel when nothing prints', async () => {
    const { handler, control, msg } = setup();
    control!.activity = 'idle';
    expect(await handler.handle(msg('cancel'))).toMatchObject({ outcome: 'failed', text: 'Nothing is printing, so there is nothing to cancel.' });
    control!.activity = 'cancelling';
    expect(await handler.handle(msg('cancel'))).toMatchObject({ outcome: 'failed', text: 'The print is already being cancelled.' });
  });

  it('status is the rendered card naming who asked; temps is a line', async () => {
    const { handler, msg } = setup();
    const st = await handler.handle(msg('status', 'U0STRANGER'));
    expect(st?.notification?.fields[0]).toEqual({ label: 'Chat user', value: '<@U0STRANGER>' });
    expect(st?.outcome).toBe('done');
    expect((await handler.handle(msg('temps')))?.text).toBe('Prusa: Nozzle 209.8 °C → 210 °C · Bed 60.0 °C → 60 °C');
  });

  it('help marks what the sender may not use; an empty mention is help; nonsense is unknown', async () => {
    const { handler, msg } = setup();
    const help = (await handler.handle(msg('help', 'U0STRANGER')))!.text;
    expect(help).toContain('`pause` - pause the print (restricted)');
    expect(help).toContain('`status` - progress, time left and temperatures\n');
    expect((await handler.handle(msg('help')))!.text).not.toContain('restricted');
    expect((await handler.handle(msg('<@U0BOT>')))?.command).toBe('empty');
    expect(await handler.handle(msg('dance'))).toMatchObject({ outcome: 'unknown', text: 'I don\'t know `dance`. Try `help`.' });
  });

  it('says so when no printer is connected', async () => {
    const { handler, msg } = setup({}, null);
    expect(await handler.handle(msg('pause'))).toMatchObject({ outcome: 'failed', text: 'The printer is not connected right now.' });
    expect((await handler.handle(msg('temps')))?.outcome).toBe('failed');
  });

  it('with several printers, control commands must name this one', async () => {
    const { handler, control, msg } = setup({ requirePrinterName: true });
    expect(await handler.handle(msg('pause ender'))).toBeUndefined();
    expect(await handler.handle(msg('pause'))).toMatchObject({ outcome: 'unknown', text: expect.stringContaining('`pause Prusa`') });
    expect((await handler.handle(msg('status')))?.outcome).toBe('done');
    expect((await handler.handle(msg('pause prusa')))?.outcome).toBe('done');
    expect(control!.calls).toHaveLength(1);
  });

  it('a DM from someone on no list gets no status', async () => {
    const { handler, msg } = setup();
    expect((await handler.handle(msg('status', 'U0STRANGER', { where: 'dm' })))?.outcome).toBe('refused');
    expect((await handler.handle(msg('status', 'U0ANA', { where: 'dm' })))?.outcome).toBe('done');
  });

  it('a control that throws is a failure, not a crash', async () => {
    const control = new FakeControl();
    control.pause = async () => { throw new Error('port gone'); };
    const { handler, msg } = setup({}, control);
    expect(await handler.handle(msg('pause'))).toMatchObject({ outcome: 'failed', text: 'Cannot pause: The printer did not answer: port gone.' });
  });
});
