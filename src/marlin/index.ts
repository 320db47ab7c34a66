// The marlin/ module's public surface: the pure Marlin protocol (message types, parsing, framing).
// Import from here outside marlin/; inside, import the concrete files.
export type * from './messages.js';
export { parseLine, parseLines } from './parse-line.js';
export { splitGluedLine } from './split-glued.js';
export { isFatalPairStart, joinErrorPair } from './fatal-join.js';
export { checksum, frameLine, wireLength, MAX_FRAMED_LINE } from './checksum.js';
export { decodeLineBytes } from './decode.js';
