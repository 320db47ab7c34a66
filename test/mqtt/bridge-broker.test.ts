// Issue 8's MQTT "done when", against a real broker (aedes, in-process on 127.0.0.1): three
// sim:// printers in one process, each with its own session and bus, behind one MQTT connection.
// A plain MQTT client checks what a dashboard or Home Assistant would see: retained state and
// availability per printer, the event stream of real prints, valid discovery, commands refused
// when disabled and obeyed when enabled, the last will when the bridge's socket dies, and a
// broker restart (without persistence) after which everything retained is there again.
import path from 'node:path';
import { connect } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrinterSession } from '../../src/app/open-printer.js';
import { printJobControl } from '../../src/app/print-control.js';
import type { PrinterControl } from '../../src/app/printer-control.js';
import { printerViewOf } from '../../src/app/printer-view.js';
import type { MqttSettings } from '../../src/config/types.js';
import { EventBus } from '../../src/events/bus.js';
import type { OctoslackEvent } from '../../src/events/events.js';
import { GcodeReader } from '../../src/job/gcode-reader.js';
import { ProgressTracker } from '../../src/job/progress.js';
import { scanGcodeFile } from '../../src/job/scan.js';
import { MqttBridge } from '../../src/mqtt/bridge.js';
import { clientOptions, startMqtt } from '../../src/mqtt/connect.js';
import { PrintJob, type PrintOutcome } from '../../src/session/print-job.js';
import type { PrinterSession } from '../../src/session/printer-session.js';
import { fixture } from '../helpers/session-harness.js';
import { memoryLog, Recorder, TestBroker, until } from './broker.js';
import { checkDiscovery } from './ha-schema.js';

const USER = 'octo';
const PASSWORD = 'correct-horse-battery';

interface Rig {
  name: string;
  slug: string;
  bus: EventBus;
  session: PrinterSession;
  events: OctoslackEvent[];
  job?: PrintJob;
  control?: PrinterControl;
}

let broker: TestBroker;
let bridge: MqttBridge;
const rigs: Rig[] = [];
const log = memoryLog();
let removeFirst: (() => void) | undefined;

function settings(over: Partial<MqttSettings> = {}): MqttSettings {
  return {
    url: broker.url, username: USER, password: PASSWORD, clientId: 'octoslack-test-main', topicPrefix: 'octoslack', discovery: true,
    discoveryPrefix: 'homeassistant', commands: { pause: false, resume: false, cancel: false }, stateIntervalSeconds: 1, ...over,
  };
}

async function startBroker(port = 0): Promise<TestBroker> {
  return TestBroker.start(port, {
    // The bridge's credentials are checked; subscribers in this test use the same account.
    authenticate: (_client, username, password, done) => done(null, username === USER && password?.toString() === PASSWORD),
  });
}

const recorder = (topics: string[] = ['#']) => Recorder.start(broker.url, topics, { username: USER, password: PASSWORD });

/** Starts a print; `done` settles when it ends (wrapped: an async function would adopt the promise). */
async function startPrint(rig: Rig, file: string): Promise<{ done: Promise<PrintOutcome> }> {
  const f = fixture(file);
  const scan = await scanGcodeFile(f, { maxCommandLength: 80 });
  const job = new PrintJob(rig.session, await GcodeReader.open(f), new ProgressTracker(scan), { fileName: path.basename(f), cancelGcode: [], pauseGcode: [] });
  rig.job = job;
  rig.control = printJobControl(rig.name, rig.session, job);
  return { done: job.run() };
}

type Json = Record<string, unknown>;
const parse = (p: string) => JSON.parse(p) as Json;

beforeAll(async () => {
  broker = await startBroker();
  // Prusa prints slower: its print must last long enough to be paused and cancelled.
  for (const [name, slug, speed] of [['Prusa MK4', 'prusa_mk4', 50], ['Ender 3', 'ender_3', 300], ['Voron', 'voron', 300]] as const) {
    const bus = new EventBus((err) => { throw err; });
    const events: OctoslackEvent[] = [];
    bus.subscribe((e) => { events.push(e); });
    const session = await createPrinterSession({ port: `sim://?speed=${speed}&boot=50`, baudRate: 115200, bus });
    await session.connect();
    rigs.push({ name, slug, bus, session, events });
  }
  bridge = startMqtt(settings(), log, { reconnectPeriodMs: 200, version: '0.1.0', minStateIntervalMs: 200 });
  for (const rig of rigs) {
    const remove = bridge.addPrinter({
      name: rig.name, bus: rig.bus,
      view: printerViewOf({ printerName: rig.name, session: () => rig.session, job: () => (rig.job && !rig.job.isFinished() ? rig.job.snapshot() : undefined) }),
      control: () => rig.control,
    });
    if (!removeFirst) removeFirst = remove;
  }
  await bridge.whenConnected();
});

afterAll(async () => {
  await bridge?.stop();
  for (const rig of rigs) {
    if (rig.job && !rig.job.isFinished()) await rig.job.cancel('test over', 'host');
    await rig.session.close();
  }
  await broker?.close();
});

describe('MQTT bridge on a real broker, three sim:// printers', () => {
  it('retains availability, state and valid Home Assistant discovery for each printer', async () => {
    const sub = await recorder();
    try {
      // Temperatures come with the first report after the handshake.
      await until('three retained states with temperatures', () => rigs.every((r) => Object.keys(sub.json(`octoslack/${r.slug}/state`)?.temperatures ?? {}).length > 0));
      expect(sub.last('octoslack/bridge/availability')).toMatchObject({ payload: 'online', retain: true });
      for (const r of rigs) {
        expect(sub.last(`octoslack/${r.slug}/availability`)).toMatchObject({ payload: 'online', retain: true });
        const state = sub.json(`octoslack/${r.slug}/state`)!;
        expect(state).toMatchObject({ printer: r.name, status: 'Operational', progress: null, file: null });
        expect(Object.keys(state.temperatures as Json).length).toBeGreaterThan(0);
      }
      await until('discovery of every heater', () => rigs.every((r) => sub.last(`homeassistant/sensor/octoslack_${r.slug}/b_temperature/config`)));
      const configs = sub.messages.filter((m) => m.topic.startsWith('homeassistant/') && m.payload !== '');
      for (const m of configs) expect(checkDiscovery(m.topic, m.payload), m.topic).toEqual([]);
      for (const r of rigs) {
        const mine = configs.filter((m) => m.topic.includes(`/octoslack_${r.slug}/`)).map((m) => parse(m.payload));
        const objects = new Set(mine.map((c) => c.unique_id));
        for (const o of ['status', 'progress', 'time_remaining', 'eta', 'layer', 'layer_count', 'z', 't0_temperature', 't0_target', 'b_temperature', 'b_target']) {
          expect(objects.has(`octoslack_${r.slug}_${o}`), o).toBe(true);
        }
        const device = mine[mine.length - 1]!.device as Json;
        expect(device).toMatchObject({ identifiers: [`octoslack_${r.slug}`], name: r.name, manufacturer: 'octoslack' });
        expect(device.model).toMatch(/Marlin/); // the firmware's M115 name
      }
      // A subscriber that comes later gets all of it from the broker's retained store.
      const late = await recorder();
      try {
        await until('retained state', () => rigs.every((r) => late.last(`octoslack/${r.slug}/state`)));
        await until('retained discovery', () => rigs.every((r) => late.last(`homeassistant/sensor/octoslack_${r.slug}/t0_target/config`)));
        for (const r of rigs) expect(late.last(`octoslack/${r.slug}/state`)!.retain).toBe(true);
        const retained = late.messages.filter((m) => m.topic.startsWith('homeassistant/'));
        expect(retained.length).toBeGreaterThanOrEqual(3 * 12);
        expect(retained.every((m) => m.retain)).toBe(true);
      } finally {
        await late.close();
      }
      // Buttons are disabled in this config: no button configs are retained.
      expect(sub.messages.filter((m) => m.topic.startsWith('homeassistant/button/') && m.payload !== '')).toEqual([]);
    } finally {
      await sub.close();
    }
  });

  it('a real print on each printer: events in order, state while printing, back to idle', async () => {
    const sub = await recorder(['octoslack/+/event', 'octoslack/+/state']);
    try {
      const outcomes = await Promise.all(rigs.map((r) => startPrint(r, 'tiny-square.gcode')));
      for (const o of await Promise.all(outcomes.map((x) => x.done))) expect(o.kind).toBe('done');
      await Promise.all(rigs.map((r) => r.bus.flush()));
      for (const r of rigs) {
        await until(`${r.name}: PrintDone on MQTT`, () => sub.on(`octoslack/${r.slug}/event`).some((m) => parse(m.payload).event === 'PrintDone'));
        // Exactly what the bus saw from PrintStarted on, minus the temperature reports, in order.
        const onBus = r.events.filter((e) => e.event !== 'Temperature').map((e) => e.event as string);
        const expected = onBus.slice(onBus.indexOf('PrintStarted'));
        const mqttNames = () => sub.on(`octoslack/${r.slug}/event`).map((m) => parse(m.payload).event as string);
        await until(`${r.name}: every event`, () => mqttNames().length - mqttNames().indexOf('PrintStarted') >= expected.length);
        const names = mqttNames();
        expect(names.slice(names.indexOf('PrintStarted'))).toEqual(expected);
        expect(expected[expected.length - 1]).toBe('PrintDone');
        expect(names).not.toContain('Temperature');
        expect(names.indexOf('PrintStarted')).toBeLessThan(names.indexOf('PrintDone'));
        const done = parse(sub.on(`octoslack/${r.slug}/event`).find((m) => parse(m.payload).event === 'PrintDone')!.payload);
        expect(done.at).toMatch(/^\d{4}-\d\d-\d\dT/);
        expect((done.job as Json).file).toBe('tiny-square.gcode');
        expect(sub.on(`octoslack/${r.slug}/event`).every((m) => !m.retain)).toBe(true);
        // The state said Printing with the file during the print (the 300x printers may finish
        // between two throttled publications; Prusa's print lasts long enough), and is idle again.
        const states = sub.on(`octoslack/${r.slug}/state`).map((m) => parse(m.payload));
        if (r.slug === 'prusa_mk4') expect(states.some((s) => s.status === 'Printing' && s.file === 'tiny-square.gcode')).toBe(true);
        await until(`${r.name}: idle state`, () => sub.json(`octoslack/${r.slug}/state`)?.status === 'Operational');
        expect(sub.json(`octoslack/${r.slug}/state`)).toMatchObject({ file: null, progress: null });
      }
    } finally {
      await sub.close();
    }
  });

  it('pause over MQTT: refused while disabled, obeyed when enabled; cancel only after confirmation', async () => {
    const rig = rigs[0]!;
    const sub = await recorder(['octoslack/prusa_mk4/#']);
    const results = () => sub.on('octoslack/prusa_mk4/command/result').map((m) => parse(m.payload));
    const command = async (payload: string, count: number) => {
      await sub.publish('octoslack/prusa_mk4/command', payload);
      await until(`an answer to "${payload}"`, () => results().length >= count);
      return results()[count - 1]!;
    };
    const { done } = await startPrint(rig, 'cube-20mm.gcode');
    try {
      await until('the print to get going', () => (rig.job!.snapshot().linesDone ?? 0) > 200);
      expect(await command('pause', 1)).toMatchObject({ command: 'pause', outcome: 'refused' });
      expect(rig.job!.status).toBe('printing');

      // The same printer, now behind a bridge that allows commands (credentials in the URL this time).
      removeFirst!();
      // A retained command waits on the broker: it must not be obeyed when the bridge (re)subscribes,
      // or it would pause again after every reconnect.
      await sub.publish('octoslack/prusa_mk4/command', 'pause', true);
      const url = `mqtt://${USER}:${PASSWORD}@127.0.0.1:${broker.port}`;
      const allowed = startMqtt(settings({ url, username: undefined, password: undefined, clientId: 'octoslack-test-commands', commands: { pause: true, resume: true, cancel: true } }), log, {
        reconnectPeriodMs: 200, confirmCancelSeconds: 30,
      });
      try {
        allowed.addPrinter({
          name: rig.name, bus: rig.bus, control: () => rig.control,
          view: printerViewOf({ printerName: rig.name, session: () => rig.session, job: () => rig.job?.snapshot() }),
        });
        await allowed.whenConnected();
        await until('the retained command to be seen', () => log.lines.some((l) => l.includes('ignored a retained command')));
        await sub.publish('octoslack/prusa_mk4/command', '', true); // cleared; an empty message is no command
        expect(rig.job!.status).toBe('printing');

        expect(await command('pause', 2)).toMatchObject({ outcome: 'done', message: 'paused (by MQTT)' });
        expect(rig.job!.status).toBe('paused');
        await until('PrintPaused on the event topic', () => sub.on('octoslack/prusa_mk4/event').some((m) => parse(m.payload).event === 'PrintPaused' && parse(m.payload).by === 'MQTT'));
        await until('the paused state', () => sub.json('octoslack/prusa_mk4/state')?.status === 'Paused');
        expect(await command('resume', 3)).toMatchObject({ outcome: 'done' });
        expect(rig.job!.status).toBe('printing');

        expect(await command('cancel confirm', 4)).toMatchObject({ outcome: 'failed' });
        expect(await command('cancel', 5)).toMatchObject({ outcome: 'asked', message: expect.stringContaining('within 30 s') });
        expect(rig.job!.status).toBe('printing');
        expect(await command('cancel confirm', 6)).toMatchObject({ outcome: 'done', message: 'cancelled (by MQTT); heaters off' });
        expect((await done).kind).toBe('cancelled');
        // The enabled buttons were announced to Home Assistant.
        const buttons = await recorder(['homeassistant/button/#']);
        try {
          await until('button configs', () => buttons.messages.length >= 4);
          for (const b of buttons.messages) expect(checkDiscovery(b.topic, b.payload), b.topic).toEqual([]);
          expect(buttons.messages.map((b) => parse(b.payload).payload_press).sort()).toEqual(['cancel', 'cancel confirm', 'pause', 'resume']);
        } finally {
          await buttons.close();
        }
      } finally {
        await allowed.stop();
      }
      // Secrets never reached a log line; URLs with credentials are redacted.
      const text = log.lines.join('\n');
      expect(text).not.toContain(PASSWORD);
      expect(text).toContain('connected to mqtt://[redacted]@127.0.0.1');
    } finally {
      if (!rig.job!.isFinished()) await rig.job!.cancel('test over', 'host');
      await sub.close();
    }
  });

  it('last will: the broker says offline when the bridge\'s socket dies; the bridge comes back', async () => {
    const s = settings({ clientId: 'octoslack-test-will', topicPrefix: 'willtest' });
    const client = connect(s.url, { ...clientOptions(s, { reconnectPeriodMs: 300, keepaliveSeconds: 5 }) });
    const own = new MqttBridge(client, { settings: s, log: memoryLog() });
    own.addPrinter({ name: 'Voron', bus: rigs[2]!.bus, view: printerViewOf({ printerName: 'Voron', session: () => rigs[2]!.session }) });
    await own.whenConnected();
    const sub = await recorder(['willtest/bridge/availability']);
    try {
      await until('online', () => sub.last('willtest/bridge/availability')?.payload === 'online');
      const before = sub.messages.length;
      client.stream.destroy(); // no DISCONNECT packet: the broker must publish the will
      await until('the last will', () => sub.messages.slice(before).some((m) => m.payload === 'offline'));
      await until('online again after the reconnect', () => sub.last('willtest/bridge/availability')?.payload === 'online');
    } finally {
      await own.stop();
      await sub.close();
    }
  });

  it('survives a broker restart without persistence: state, availability and discovery are retained again', async () => {
    const port = broker.port;
    const reconnects = log.lines.filter((l) => l.includes('reconnected')).length;
    await broker.close();
    // While the broker is away the printers go on; events wait in the bridge's queue.
    rigs[1]!.bus.emit({ event: 'Notice', at: Date.now(), text: 'while the broker was down', level: 'info' });
    await rigs[1]!.bus.flush();
    await new Promise((r) => setTimeout(r, 300));
    broker = await startBroker(port);
    const live = await recorder(['octoslack/ender_3/event']);
    await until('the bridge to reconnect', () => log.lines.filter((l) => l.includes('reconnected')).length > reconnects);
    await until('the queued event', () => live.messages.some((m) => parse(m.payload).text === 'while the broker was down'));
    await live.close();
    expect(log.lines.some((l) => l.includes('connection to the broker lost'))).toBe(true);

    const fresh = await recorder();
    try {
      await until('retained state of the two printers still served', () => ['ender_3', 'voron'].every((s) => fresh.last(`octoslack/${s}/state`)));
      expect(fresh.last('octoslack/bridge/availability')?.payload).toBe('online');
      for (const slug of ['ender_3', 'voron']) {
        expect(fresh.last(`octoslack/${slug}/availability`)).toMatchObject({ payload: 'online', retain: true });
        expect(fresh.json(`octoslack/${slug}/state`)).toMatchObject({ status: 'Operational' });
        expect(fresh.last(`homeassistant/sensor/octoslack_${slug}/progress/config`)?.retain).toBe(true);
        expect(fresh.last(`homeassistant/sensor/octoslack_${slug}/t0_temperature/config`)).toBeDefined();
      }
      // Prusa was handed to another bridge (which stopped): nothing of it was said again.
      expect(fresh.last('octoslack/prusa_mk4/state')).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });
});
