// `octoslack analyze FILE [--json]`: what the file will do before it is printed — time (octoslack's
// own acceleration-aware model, and the slicer's estimate when the file carries one), filament,
// layers, size on the bed, and whether every command fits what Marlin accepts. One streaming pass.
import { maxCommandLengthFor } from '../../marlin/command-limits.js';
import { scanGcodeFile } from '../../job/scan.js';
import type { FileScan } from '../../job/scan-types.js';
import { ExitCode } from '../../util/errors.js';
import { formatDuration } from '../../util/format.js';
import type { CliIo } from './run-context.js';

export async function analyzeCommand(file: string, flags: { json: boolean }, io: CliIo): Promise<number> {
  const { stat } = await import('node:fs/promises');
  const size = await stat(file).then((s) => s.size, () => 0);
  const started = performance.now();
  const scan = await scanGcodeFile(file, { maxCommandLength: maxCommandLengthFor(size) });
  const seconds = (performance.now() - started) / 1000;
  io.stdout.write(flags.json ? `${JSON.stringify(analysisJson(scan, seconds))}\n` : analysisText(scan, seconds));
  return ExitCode.ok;
}

/** Stable field names for scripts: the time map and wait list stay internal. */
export function analysisJson(scan: FileScan, analysisS: number) {
  return {
    file: scan.path,
    sizeBytes: scan.sizeBytes,
    commands: scan.commandCount,
    moves: scan.moveCount,
    layers: scan.layerCount,
    layerSource: scan.layerSource,
    printTimeS: round(scan.timing.totalS),
    timing: { motionS: round(scan.timing.motionS), heatupS: round(scan.timing.heatupS), homingS: round(scan.timing.homingS) },
    slicer: { name: scan.slicer.slicer, version: scan.slicer.version, estimatedTimeS: scan.slicer.estimatedTimeS, layerCount: scan.slicer.layerCount, filamentMm: scan.slicer.filamentUsedMm },
    filamentMm: round(scan.filamentMm),
    boundingBox: scan.bbox,
    hasM73: scan.hasM73,
    longestCommand: { bytes: scan.maxCommandLength, line: scan.maxCommandLine },
    analysisS: round(analysisS, 3),
  };
}

function analysisText(scan: FileScan, analysisS: number): string {
  const t = scan.timing;
  const lines = [
    `file         ${scan.path} (${(scan.sizeBytes / 1e6).toFixed(2)} MB, ${scan.commandCount} commands)`,
    `print time   ${formatDuration(t.totalS)} by octoslack's model (moves ${formatDuration(t.motionS)}, heat-up ${formatDuration(t.heatupS)}, homing/probing ${formatDuration(t.homingS)})`,
  ];
  if (scan.slicer.estimatedTimeS !== undefined) lines.push(`             ${formatDuration(scan.slicer.estimatedTimeS)} by ${scan.slicer.slicer ?? 'the slicer'}${scan.slicer.version ? ` ${scan.slicer.version}` : ''}`);
  lines.push(`filament     ${(scan.filamentMm / 1000).toFixed(2)} m`);
  lines.push(`layers       ${scan.layerCount}${scan.layerSource === 'z' ? ' (from Z moves: the file has no layer markers)' : ''}`);
  if (scan.bbox) {
    const b = scan.bbox;
    lines.push(`extent       X ${b.minX.toFixed(1)}…${b.maxX.toFixed(1)}  Y ${b.minY.toFixed(1)}…${b.maxY.toFixed(1)}  Z ${b.minZ.toFixed(2)}…${b.maxZ.toFixed(2)} mm`);
  }
  lines.push(`progress     ${scan.hasM73 ? 'the file reports its own progress (M73)' : 'no M73 lines: octoslack estimates progress'}`);
  lines.push(`analysed in  ${analysisS.toFixed(2)} s (${(scan.sizeBytes / 1e6 / Math.max(analysisS, 1e-6)).toFixed(0)} MB/s)`);
  return `${lines.join('\n')}\n`;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
