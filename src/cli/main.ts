// Entry point: argv -> command -> exit code. The only place errors become exit codes
// (0 ok, 1 bug, 2 usage, 3 printer unreachable, 4 print failed/cancelled, 130 interrupted).
import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import { ExitCode, OctoslackError } from '../util/errors.js';
import { parseConnectionFlags, parseLinkFlags, parseGcodeList } from './commands/connection-flags.js';
import type { CliIo } from './commands/run-context.js';

const defaultIo: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let result: number = ExitCode.ok;
  const program = buildProgram(io, (code) => { result = code; });
  try {
    await program.parseAsync(argv);
    return result;
  } catch (err) {
    return reportError(err, io);
  }
}

function buildProgram(io: CliIo, setResult: (code: number) => void) {
  const program = new Command()
    .name('octoslack')
    .description('Print host for Marlin 3D printers over USB serial, reporting to Slack and Mattermost.')
    .version(process.env['npm_package_version'] ?? '0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('print')
    .description('stream a G-code file to the printer and report progress')
    .argument('<file>', 'G-code file to print')
    .option('-p, --port <port>', 'serial port (/dev/ttyUSB0), "auto", or "sim://" for the built-in virtual printer')
    .option('--printer <name>', "a printer of the config's printers: list (its port, baud, name, channels, cameras)")
    .option('-b, --baud <rate>', 'baud rate (default 115200)')
    .addOption(new Option('--flow <mode>', 'line flow control: "auto" (best the firmware allows) or "pingpong" (one line at a time)').default('auto'))
    .option('--timeout <seconds>', 'seconds without an ok before checking the printer is alive')
    .option('--rx-buffer <bytes>', "the firmware's RX_BUFFER_SIZE if you changed it (default 128)")
    .option('--cancel-gcode <commands>', 'commands run on cancel before heaters/fan/motors off, separated by ";"')
    .option('--pause-gcode <commands>', 'commands run after pausing (e.g. park the head), separated by ";"; the position is restored on resume')
    .option('-c, --config <file>', 'config file (default $XDG_CONFIG_HOME/octoslack/config.yaml)')
    .option('--json', 'one JSON event per line on stdout')
    .option('-v, --verbose', 'log the serial traffic to stderr')
    .action(async (file, o) => {
      const { printCommand } = await import('./commands/print.js');
      if (o.port !== undefined && o.printer !== undefined) throw new CommanderError(2, 'octoslack.printFlags', 'give --port or --printer, not both');
      setResult(await printCommand(file, {
        // --printer: the port is resolved from the config once it is loaded.
        ...(o.printer !== undefined ? { port: '', printer: o.printer, ...parseLinkFlags(o), baudGiven: o.baud !== undefined } : { ...parseConnectionFlags(o), baudGiven: o.baud !== undefined }),
        ...(o.config ? { configFile: o.config } : {}),
        json: o.json === true,
        verbose: o.verbose === true,
        cancelGcode: parseGcodeList(o.cancelGcode, '--cancel-gcode'),
        pauseGcode: parseGcodeList(o.pauseGcode, '--pause-gcode'),
      }, io));
    });

  program
    .command('watch')
    .description('stay connected and report everything the printer does; reconnect when it comes back')
    .option('-p, --port <port>', 'serial port (/dev/ttyUSB0), "auto", or "sim://"; without it, every printer of the config\'s printers: list')
    .option('--printer <name>', 'only this printer of the config\'s printers: list')
    .option('-b, --baud <rate>', 'baud rate', '115200')
    .option('--timeout <seconds>', 'seconds without an ok before checking the printer is alive')
    .option('--retry <seconds>', 'seconds between reconnection attempts', '5')
    .option('--once', 'exit when the printer disconnects instead of reconnecting')
    .option('-c, --config <file>', 'config file (default $XDG_CONFIG_HOME/octoslack/config.yaml)')
    .option('--json', 'one JSON event per line on stdout')
    .option('-v, --verbose', 'log the serial traffic to stderr')
    .action(async (o) => {
      const retryS = Number(o.retry);
      if (!Number.isFinite(retryS) || retryS < 0.1 || retryS > 3600) throw new CommanderError(2, 'octoslack.badRetry', `--retry must be seconds between 0.1 and 3600, not "${o.retry}"`);
      const { watchCommand } = await import('./commands/watch.js');
      setResult(await watchCommand({
        ...parseLinkFlags(o), ...(o.port ? { port: o.port } : {}), ...(o.printer ? { printer: o.printer } : {}),
        ...(o.config ? { configFile: o.config } : {}), json: o.json === true, verbose: o.verbose === true, retryS, once: o.once === true,
      }, io));
    });

  program
    .command('status')
    .description('what the printer is doing: asks the running octoslack (no port opened, no reset); opens --port itself only when none runs')
    .option('-p, --port <port>', 'which printer when several octoslack run; the port to open when none does')
    .option('-b, --baud <rate>', 'baud rate when opening the port itself', '115200')
    .option('--notify', 'also post the status to the configured chat targets (exit 5 if that fails)')
    .option('-c, --config <file>', 'config file (default $XDG_CONFIG_HOME/octoslack/config.yaml)')
    .option('--json', 'the status as one JSON object')
    .action(async (o) => {
      const { statusCommand } = await import('./commands/status.js');
      setResult(await statusCommand({
        ...(o.port ? { port: o.port } : {}),
        baud: o.baud,
        json: o.json === true,
        notify: o.notify === true,
        ...(o.config ? { configFile: o.config } : {}),
      }, io));
    });

  const controlHelp = {
    pause: 'pause the running print (asks the running octoslack; never opens the port)',
    resume: 'resume the paused print (asks the running octoslack)',
    cancel: 'cancel the running print, then heaters, fan and motors off (asks the running octoslack)',
  } as const;
  for (const op of ['pause', 'resume', 'cancel'] as const) {
    program
      .command(op)
      .description(controlHelp[op])
      .option('-p, --port <port>', 'which printer, when several octoslack run')
      .option('--json', 'the result as one JSON object')
      .action(async (o) => {
        const { controlCommand } = await import('./commands/control.js');
        setResult(await controlCommand(op, { ...(o.port ? { port: o.port } : {}), json: o.json === true }, io));
      });
  }

  const config = program.command('config').description('write or validate the configuration file');
  config
    .command('init')
    .description('write a commented starter config (mode 600)')
    .option('--config <file>', 'where (default $XDG_CONFIG_HOME/octoslack/config.yaml)')
    .option('--force', 'replace an existing file')
    .action(async (o) => {
      const { configInitCommand } = await import('./commands/config.js');
      setResult(await configInitCommand({ ...(o.config ? { file: o.config } : {}), force: o.force === true }, io));
    });
  config
    .command('check')
    .description('validate the configuration; exit 2 on any problem')
    .option('--config <file>', 'config file (default $XDG_CONFIG_HOME/octoslack/config.yaml)')
    .action(async (o) => {
      const { configCheckCommand } = await import('./commands/config.js');
      setResult(await configCheckCommand(o.config ? { file: o.config } : {}, io));
    });

  program
    .command('notify')
    .description('chat notifications')
    .command('test')
    .description('send a sample of each enabled event (or --event NAME) to every configured target, and say what is wrong')
    .option('--event <name>', 'only this event, e.g. PrintDone')
    .option('-c, --config <file>', 'config file (default $XDG_CONFIG_HOME/octoslack/config.yaml)')
    .action(async (o) => {
      const { notifyTestCommand } = await import('./commands/notify-test.js');
      setResult(await notifyTestCommand({ ...(o.config ? { configFile: o.config } : {}), ...(o.event ? { event: o.event } : {}) }, io));
    });

  program
    .command('snapshot')
    .description('take a picture now from a configured camera or a URL (to test a camera, or from cron; --notify posts it)')
    .option('--camera <name>', "a camera from the config's cameras: list (default: the first)")
    .option('--url <url>', 'HTTP snapshot or MJPEG stream URL (user:pass@host for Basic auth)')
    .option('-o, --out <file>', 'where to write the picture (default snapshot-<time>.jpg here)')
    .option('--notify', 'post the picture (all cameras, combined per snapshots.layout, or --camera) to the chat targets')
    .option('-c, --config <file>', 'config file')
    .action(async (o) => {
      const { snapshotCommand } = await import('./commands/snapshot.js');
      const { postOnce } = await import('./commands/post-once.js');
      setResult(await snapshotCommand({ ...(o.camera ? { camera: o.camera } : {}), ...(o.url ? { url: o.url } : {}),
        ...(o.out ? { out: o.out } : {}), ...(o.config ? { configFile: o.config } : {}), ...(o.notify ? { notify: true } : {}) },
      io, { post: (n, config) => postOnce(n, config, io) }));
    });

  program
    .command('analyze')
    .description('print time, filament, layers and size of a G-code file, without a printer')
    .argument('<file>', 'G-code file')
    .option('--json', 'machine-readable output')
    .action(async (file, o) => {
      const { analyzeCommand } = await import('./commands/analyze.js');
      setResult(await analyzeCommand(file, { json: o.json === true }, io));
    });

  program
    .command('ports')
    .description('list serial ports and the one --port auto would pick')
    .option('--json', 'machine-readable output')
    .action(async (o) => {
      const { portsCommand } = await import('./commands/ports.js');
      setResult(await portsCommand({ json: o.json === true }, io));
    });

  program
    .command('sim')
    .description('run the built-in virtual Marlin printer on a pseudo-terminal (for testing other hosts, or octoslack itself)')
    .requiredOption('--pty <path>', 'where to create the pseudo-terminal link, e.g. /tmp/printer')
    .option('--url <sim-url>', 'virtual printer options, e.g. "sim://?speed=10&advancedOk=1"', 'sim://')
    .action(async (o) => {
      const { simCommand } = await import('./commands/sim.js');
      setResult(await simCommand({ pty: o.pty, url: o.url }, io));
    });

  return program;
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
    if (err.code.startsWith('octoslack.')) io.stderr.write(`octoslack: ${err.message}\n`);
    return ExitCode.usage;
  }
  if (err instanceof OctoslackError) {
    io.stderr.write(`octoslack: ${err.message}\n`);
    return err.exitCode;
  }
  io.stderr.write(`octoslack: internal error (please report it): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return ExitCode.internal;
}
