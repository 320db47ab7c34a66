// SD card commands (marlin-protocol.md §9) against the virtual folder. Printing itself happens in
// the firmware's main loop, which reads the selected file into the command queue (no oks for
// those lines) and queues M1001 at the end, which announces `Done printing file`.
import type { Firmware } from '../firmware.js';
import type { Handler, HandlerTable } from './handler.js';

function mounted(fw: Firmware): boolean {
  if (!fw.sd.mounted) fw.emit('echo:No media');
  return fw.sd.mounted;
}

const list: Handler = (fw, _cmd, w) => {
  if (!mounted(fw)) return true;
  fw.emit('Begin file list');
  for (const f of fw.sd.files) fw.emit(`${f.shortName} ${f.size}${w.has('L') ? ` ${f.longName}` : ''}`);
  fw.emit('End file list');
  return true;
};

const select: Handler = (fw, _cmd, w) => {
  if (!mounted(fw)) return true;
  const name = w.args();
  const f = fw.sd.find(name);
  if (!f) {
    fw.emit(`open failed, File: ${name}.`);
    return true;
  }
  fw.sd.select(f);
  fw.emit(`File opened: ${name} Size: ${f.size}`);
  fw.emit('File selected');
  return true;
};

/** M24: start or resume; Marlin also announces a resume to the host. */
const start: Handler = (fw, _cmd, w) => {
  if (fw.sd.file) {
    if (w.has('S')) fw.sd.pos = Math.max(0, w.get('S', 0));
    fw.sd.printing = true;
  }
  fw.host.action('resume');
  fw.host.prompt('Resuming SD', ['Dismiss']);
  return true;
};

/** M25: stop reading the file; motion already queued still runs. */
const pause: Handler = (fw) => {
  if (fw.sd.printing) fw.sd.printing = false;
  fw.host.prompt('Pause SD', ['Resume']);
  fw.host.action('pause');
  return true;
};

const status: Handler = (fw, _cmd, w) => {
  if (w.has('C')) {
    const f = fw.sd.file;
    fw.emit(f ? `Current file: ${f.shortName} ${f.longName}` : 'Current file: (no file)');
  } else if (w.has('S')) {
    fw.autoSd.set(w.get('S', 0));
  } else {
    fw.emit(fw.sd.statusLine());
  }
  return true;
};

const remove: Handler = (fw, _cmd, w) => {
  if (!mounted(fw)) return true;
  const name = w.args();
  const f = fw.sd.find(name);
  const i = f ? fw.sd.files.indexOf(f) : -1;
  if (!f || i < 0 || fw.sd.file === f) {
    fw.emit(`Deletion failed, File: ${name}.`);
    return true;
  }
  fw.sd.files.splice(i, 1);
  fw.emit(`File deleted:${name}`);
  return true;
};

export const sdHandlers: HandlerTable = {
  M20: list,
  M21: (fw) => {
    fw.sd.mounted = fw.sd.inserted;
    fw.emit(fw.sd.inserted ? 'echo:SD card ok' : 'echo:No SD card');
    return true;
  },
  M22: (fw) => {
    fw.sd.close();
    fw.sd.mounted = false;
    fw.emit('echo:SD card released');
    return true;
  },
  M23: select,
  M24: start,
  M25: pause,
  M26: (fw, _cmd, w) => {
    if (fw.sd.file && w.has('S')) fw.sd.pos = Math.max(0, Math.min(fw.sd.file.size, w.get('S', 0)));
    return true;
  },
  M27: status,
  M30: remove,
  M524: (fw) => {
    if (fw.sd.file) fw.sdAbort();
    return true;
  },
  M1001: (fw) => {
    fw.sd.close();
    fw.emit('Done printing file');
    return true;
  },
};
