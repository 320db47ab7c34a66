#!/usr/bin/env -S node --max-semi-space-size=4
// Launcher: runs the compiled CLI (built by `npm install` / `npm ci` through the prepare script).
// The flag: streaming allocates fast, and V8 then grows its young generation to two 16 MB
// semi-spaces of mostly garbage; 4 MB ones keep a print of any size under ~85 MB of RSS on a Pi
// at no cost in speed (`npm run bench`, C3 measures the host with these flags).
// It exits explicitly: the in-process virtual printer (sim://) keeps its own timers running, like
// a real printer that stays on after the host disconnects.
import { main } from '../dist/src/cli/main.js';

main(process.argv).then(
  (code) => process.exit(code),
  (err) => {
    console.error('octoslack: internal error:', err);
    process.exit(1);
  },
);
