// Paths of the shared G-code corpus and the project's fixtures, relative to the repository.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const corpusDir = path.resolve(repoRoot, '../shared/gcode-corpus');
export const corpus = (name: string) => path.join(corpusDir, name);
export const fixture = (name: string) => path.resolve(repoRoot, 'gcode-fixtures', name);
