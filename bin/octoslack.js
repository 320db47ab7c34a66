#!/usr/bin/env node
// Launcher: runs the compiled CLI (built by `npm install` / `npm ci` through the prepare script).
import { main } from '../dist/src/cli/main.js';

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => {
    console.error('octoslack: internal error:', err);
    process.exitCode = 1;
  },
);
