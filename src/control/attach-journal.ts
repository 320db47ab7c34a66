// Feeds a running PrintJob into its JobJournal: a sample every few seconds (only when the print
// moved on), one at once on pause/resume/cancel, and the journal removed when the print ends
// and has been reported (done, cancelled, failed). Nothing here runs on the serial path: a timer
// and bus events (delivered on a later turn) read the job's snapshot.
import type { EventBus } from '../events/bus.js';
import type { JobSnapshot } from '../events/events.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import type { JobJournal, JournalSnapshot } from './job-journal.js';

/** What the adapter reads from a PrintJob. */
export interface JournalledJob {
  snapshot(): JobSnapshot;
  readonly lastAckedFileLine: number | undefined;
  readonly status: string;
}

export const JOURNAL_INTERVAL_MS = 5000;

const TERMINAL = new Set(['done', 'cancelled', 'failed']);

/**
 * Start journalling; returns `stop`, to await before exit: it removes the journal if the job
 * ended, else writes the latest state (so a crash right after still finds it).
 */
export function attachJournal(
  job: JournalledJob,
  session: { bus: EventBus },
  journal: JobJournal,
  clock: Clock,
  opts: { intervalMs?: number } = {},
): () => Promise<void> {
  const intervalMs = opts.intervalMs ?? JOURNAL_INTERVAL_MS;
  let last: JournalSnapshot | undefined;
  let timer: TimerHandle | undefined;
  let stopped = false;

  const sample = (force: boolean) => {
    const snap = job.snapshot();
    const s: JournalSnapshot = {
      status: job.status,
      lastAckedFileLine: job.lastAckedFileLine,
      byteOffset: snap.bytesDone,
      layer: snap.layer,
      layerCount: snap.layerCount,
      z: snap.z,
      percent: snap.percent,
      elapsedS: snap.elapsedS,
    };
    // A print paused for hours, or heating, changes nothing worth a write.
    if (!force && last && last.status === s.status && last.lastAckedFileLine === s.lastAckedFileLine) return;
    last = s;
    journal.record(s);
  };
  const tick = () => {
    if (stopped) return;
    sample(false);
    timer = clock.setTimeout(tick, intervalMs);
  };
  const end = () => {
    stopped = true;
    timer?.cancel();
    return journal.finish();
  };

  const unsubscribe = session.bus.subscribe((e) => {
    if (stopped) return;
    switch (e.event) {
      case 'PrintPaused':
      case 'PrintResumed':
      case 'PrintCancelling':
        sample(true);
        break;
      case 'PrintDone':
      case 'PrintCancelled':
      case 'PrintFailed':
        // Only this job's end: the report of an earlier, interrupted print is a PrintFailed too.
        if (TERMINAL.has(job.status)) void end();
        break;
      default:
        break;
    }
  });

  sample(true);
  timer = clock.setTimeout(tick, intervalMs);

  return async () => {
    unsubscribe();
    if (TERMINAL.has(job.status)) return end();
    stopped = true;
    timer?.cancel();
    sample(true);
    await journal.flush();
  };
}
