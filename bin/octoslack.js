#!/usr/bin/env node
// Launcher: runs the compiled CLI (built by `npm install` / `npm ci` through the prepare script).
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
