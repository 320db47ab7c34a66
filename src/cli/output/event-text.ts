// One human sentence per event, for plain output and the lines above the TTY status bar.
import type { OctoslackEvent } from '../../events/events.js';
import { formatDuration, formatHeaters } from '../../util/format.js';

export function describeEvent(e: OctoslackEvent): string | undefined {
  switch (e.event) {
    case 'Startup': return undefined;
    case 'Shutdown': return undefined;
    case 'Connecting': return `connecting to ${e.port}`;
    case 'Connected':
      return `connected to ${e.firmware ?? 'printer'}${e.machine ? ` (${e.machine})` : ''} on ${e.port}`;
    case 'Disconnecting': return undefined;
    case 'Disconnected': return `disconnected from ${e.port}${e.reason ? `: ${e.reason}` : ''}`;
    case 'PrintStarted': return `print started: ${e.job.file}`;
    case 'Progress':
      // Every 10 %; layer-by-layer progress is on the status line (and in --json).
      return e.trigger !== 'percent' || Math.floor(e.job.percent ?? 0) % 10 !== 0
        ? undefined
        : `progress ${Math.floor(e.job.percent ?? 0)}%${e.job.layer !== undefined ? `, layer ${e.job.layer}` : ''}, elapsed ${formatDuration(e.job.elapsedS)}${e.job.remainingS !== undefined ? `, ${formatDuration(e.job.remainingS)} left` : ''}`;
    case 'PrintPaused': return `print paused (${e.reason})${e.by ? ` by ${e.by}` : ''}`;
    case 'PrintResumed': return `print resumed${e.by ? ` by ${e.by}` : ''}`;
    case 'PrintCancelling': return `cancelling the print (${e.reason})`;
    case 'PrintCancelled': return `print cancelled (${e.reason}); heaters off`;
    case 'PrintFailed':
      return `print failed: ${e.error}${e.lastAckedFileLine !== undefined ? ` (last line the printer acknowledged: ${e.lastAckedFileLine}${e.job.z !== undefined ? `, Z ${e.job.z}` : ''})` : ''}`;
    case 'PrintDone': return `print done: ${e.job.file} in ${formatDuration(e.job.elapsedS)}`;
    case 'FilamentRunout': return `filament ran out${e.tool !== undefined ? ` on T${e.tool}` : ''}`;
    case 'PausedForUser': return e.text;
    case 'Error': return `printer error${e.fatal ? ' (fatal)' : ''}: ${e.error}`;
    case 'Temperature': return undefined;
    case 'HostAction': return undefined;
    case 'Prompt': return `printer asks: ${e.text}${e.buttons.length ? ` [${e.buttons.join(' | ')}]` : ''}`;
    case 'Notice': return e.level === 'warning' ? `warning: ${e.text}` : `printer says: ${e.text}`;
  }
}

export function describeTemperatures(e: Extract<OctoslackEvent, { event: 'Temperature' }>): string {
  return formatHeaters(e.heaters);
}
