// Pure half of the reader: turns split lines into JobLines (comments and blanks dropped, marker
// annotations attached) and queues them for a synchronous consumer. The file half
// (gcode-reader.ts) only moves bytes in.
import type { JobLine } from './job-line.js';
import { LineView } from './line-bytes.js';
import type { LineSink } from './line-splitter.js';
import { MarkerState } from './layer-markers.js';

export class JobLineQueue implements LineSink {
  private items: (JobLine | undefined)[] = [];
  private head = 0;
  private readonly view = new LineView();
  readonly markers = new MarkerState();

  line(buf: Buffer, start: number, end: number, lineNo: number, byteEnd: number): void {
    const v = this.view.classify(buf, start, end);
    if (v.kind === 'command') {
      const jl: JobLine = { command: v.commandText(buf), fileLine: lineNo, byteEnd };
      const layer = this.markers.takeLayer();
      if (layer) jl.layer = layer;
      const elapsed = this.markers.takeElapsed();
      if (elapsed !== undefined) jl.slicerElapsedS = elapsed;
      this.items.push(jl);
    } else if (v.kind === 'comment' && v.mayBeMarker(buf)) {
      this.markers.onComment(v.commentText(buf));
    }
  }

  get length(): number {
    return this.items.length - this.head;
  }

  shift(): JobLine | undefined {
    if (this.head >= this.items.length) return undefined;
    const jl = this.items[this.head];
    this.items[this.head++] = undefined;
    // Compact now and then so the array does not grow with the file.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return jl;
  }
}
