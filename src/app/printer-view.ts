// The printer as messages describe it, assembled from the session's state and the running job.
import type { JobSnapshot } from '../events/events.js';
import type { FileScan } from '../job/scan-types.js';
import { printerStatusOf, type PrinterView } from '../notify/render/input.js';
import type { PrinterSession } from '../session/printer-session.js';

export interface ViewSources {
  printerName: string;
  session: () => PrinterSession | undefined;
  job?: () => JobSnapshot | undefined;
  scan?: () => FileScan | undefined;
}

export function printerViewOf(src: ViewSources): () => PrinterView {
  return () => {
    const session = src.session();
    const job = src.job?.();
    const scan = src.scan?.();
    if (!session) return { printerName: src.printerName, status: 'Offline', heaters: {}, job };
    const state = session.state;
    const view: PrinterView = {
      printerName: src.printerName,
      ...printerStatusOf(state),
      heaters: state.heaters,
      z: job?.z ?? state.position.z,
      job,
      firmware: state.firmware.name,
    };
    const estimate = scan?.slicer.estimatedTimeS ?? scan?.timing.totalS;
    if (estimate !== undefined) view.estimatedS = estimate;
    const filament = scan?.slicer.filamentUsedMm ?? scan?.filamentMm;
    if (filament !== undefined) view.filamentUsedMm = filament;
    return view;
  };
}
